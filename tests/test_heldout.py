"""The held-out corpus: article pages in markup the extractor was not tuned on.

Every ``tests/heldout/<family>/<name>.html`` has a ``<name>.json`` next to it holding
``{"url": <fetched from>, ["content_type": <HTTP Content-Type header>,] "expected": {<field>: <value>, ...}}``
written by hand from ``docs/field-rules.md`` (see ``tests/heldout/README.md`` for what each page
exercises). The pages were written independently of ``tests/corpus`` and of the extractor's source,
to measure whether the extraction generalizes; failures here are findings, not corpus bugs.

``test_field`` runs the real extraction (``extract_article`` then ``normalize_item``) on the page's
bytes — passing the recorded HTTP ``Content-Type`` when the JSON has one — and checks one field per
test, so a failure names the page and the field. The ``test_heldout_*`` tests check the corpus itself
(shape of the expected JSON, expected text present on the page) and do not depend on the extractor.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from saved_pages import (
    CHARSET,
    FIELDS,
    TESTS,
    check_expected_shape,
    check_expected_text_is_on_the_page,
    extracted,
    load_case,
    page_text,
)

HELDOUT = TESTS / "heldout"
DEV_CORPUS = TESTS / "corpus"
CASES = sorted(HELDOUT.glob("*/*.json"))


def case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_field(case: Path, field: str) -> None:
    _, expected, _, _ = load_case(case)
    item = extracted(case)
    assert item.get(field) == expected[field], f"{case_id(case)}: field {field!r}"


# ------------------------------------------------------------------------------------------------
# The held-out corpus itself


def test_heldout_size_and_pairs() -> None:
    pages = sorted(HELDOUT.glob("*/*.html"))
    assert {p.with_suffix(".json") for p in pages} == set(CASES), "every page needs its .json and vice versa"
    assert len(pages) >= 24
    assert len({p.parent.name for p in pages}) >= 12


def test_heldout_families_are_not_development_families() -> None:
    held = {p.parent.name for p in CASES}
    dev = {p.name for p in DEV_CORPUS.iterdir() if p.is_dir()} if DEV_CORPUS.is_dir() else set()
    assert not held & dev, f"held-out family names reused from tests/corpus: {sorted(held & dev)}"


def test_heldout_has_a_charset_declared_only_in_the_http_header() -> None:
    header_only = [c for c in CASES if load_case(c)[3] and not CHARSET.search(load_case(c)[2][:4096])]
    assert header_only, "no page whose charset is given only by the HTTP Content-Type"
    for case in header_only:
        _, _, html, content_type = load_case(case)
        with pytest.raises(UnicodeDecodeError):
            html.decode("utf-8")  # the header really matters for these pages
        assert "windows-1258" in content_type.lower()


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_heldout_expected_shape(case: Path) -> None:
    url, exp, _, content_type = load_case(case)
    check_expected_shape(url, exp, content_type)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_heldout_expected_text_is_on_the_page(case: Path) -> None:
    _, exp, html, content_type = load_case(case)
    check_expected_text_is_on_the_page(case_id(case), exp, html, content_type)
    # This corpus prints every category: none may come from `article:section` alone.
    assert exp["category"] is None or exp["category"] in page_text(html, content_type), "category on the page"
