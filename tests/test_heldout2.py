"""The second held-out corpus: article pages in markup neither tests/corpus nor tests/heldout has.

Every ``tests/heldout2/<family>/<name>.html`` has a ``<name>.json`` next to it holding
``{"url": <fetched from>, ["content_type": <HTTP Content-Type header>,] "expected": {<field>: <value>, ...}}``
written by hand from ``docs/field-rules.md`` (see ``tests/heldout2/README.md`` for what each page
exercises). The pages were written after the extractor had been tuned on ``tests/corpus`` and
``tests/heldout``, without reading its source, in CMS markups and wordings that occur in neither, to
measure whether the extraction generalizes; failures here are findings, not corpus bugs.

``test_field`` runs the real extraction (``extract_article`` then ``normalize_item``) on the page's
bytes — passing the recorded HTTP ``Content-Type`` when the JSON has one — and checks one field per
test, so a failure names the page and the field. The ``test_heldout2_*`` tests check the corpus itself
(shape of the expected JSON, expected text present on the page) and do not depend on the extractor.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from saved_pages import (
    CHARSET,
    FIELDS,
    HEADER_CHARSET,
    TESTS,
    check_expected_shape,
    check_expected_text_is_on_the_page,
    extracted,
    load_case,
)

HELDOUT2 = TESTS / "heldout2"
OTHER_CORPORA = (TESTS / "corpus", TESTS / "heldout")
CASES = sorted(HELDOUT2.glob("*/*.json"))


def case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_field(case: Path, field: str) -> None:
    _, expected, _, _ = load_case(case)
    item = extracted(case)
    assert item.get(field) == expected[field], f"{case_id(case)}: field {field!r}"


# ------------------------------------------------------------------------------------------------
# The second held-out corpus itself


def _other_cases() -> list[Path]:
    return [case for corpus in OTHER_CORPORA if corpus.is_dir() for case in sorted(corpus.glob("*/*.json"))]


def test_heldout2_size_and_pairs() -> None:
    pages = sorted(HELDOUT2.glob("*/*.html"))
    assert {p.with_suffix(".json") for p in pages} == set(CASES), "every page needs its .json and vice versa"
    assert len(pages) >= 24
    assert len({p.parent.name for p in pages}) >= 12


def test_heldout2_families_are_new() -> None:
    held = {p.parent.name for p in CASES}
    other = {p.name for corpus in OTHER_CORPORA if corpus.is_dir() for p in corpus.iterdir() if p.is_dir()}
    assert not held & other, f"family names reused from tests/corpus or tests/heldout: {sorted(held & other)}"


def test_heldout2_wording_is_new() -> None:
    """No page URL, title or long body paragraph is taken over from tests/corpus or tests/heldout."""
    seen_urls, seen_texts = set(), set()
    for case in _other_cases():
        data = json.loads(case.read_text(encoding="utf-8"))
        seen_urls.add(data["url"])
        seen_texts.add(data["expected"]["title"])
        seen_texts.update(p for p in data["expected"]["body"].split("\n\n") if len(p) >= 40)
    for case in CASES:
        url, exp, _, _ = load_case(case)
        assert url not in seen_urls, f"{case_id(case)}: URL already used by another corpus"
        texts = [exp["title"], *(p for p in exp["body"].split("\n\n") if len(p) >= 40)]
        reused = [t for t in texts if t in seen_texts]
        assert not reused, f"{case_id(case)}: text already in another corpus: {reused[0][:80]!r}"


def test_heldout2_http_header_charsets_are_needed() -> None:
    """A recorded Content-Type with a charset is there because the page needs it."""
    for case in CASES:
        _, _, html, content_type = load_case(case)
        if content_type and HEADER_CHARSET.search(content_type) and not CHARSET.search(html[:4096]):
            with pytest.raises(UnicodeDecodeError):
                html.decode("utf-8")


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_heldout2_expected_shape(case: Path) -> None:
    url, exp, _, content_type = load_case(case)
    check_expected_shape(url, exp, content_type)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_heldout2_expected_text_is_on_the_page(case: Path) -> None:
    _, exp, html, content_type = load_case(case)
    check_expected_text_is_on_the_page(case_id(case), exp, html, content_type)
