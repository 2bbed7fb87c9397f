"""The development corpus: saved article pages of each CMS family and the items they must give.

Every ``tests/corpus/<family>/<name>.html`` has a ``<name>.json`` next to it holding
``{"url": <fetched from>, "expected": {<field>: <value>, ...}}`` written by hand from
``docs/field-rules.md`` (see ``tests/corpus/README.md`` for what each page exercises).

``test_field`` runs the real extraction (``extract_article`` then ``normalize_item``) on the page's
bytes and checks one field per test, so a failure names the page and the field. The ``test_corpus_*``
tests check the corpus itself (shape of the expected JSON, expected text present on the page) and do
not depend on the extractor's behaviour.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from saved_pages import (
    CHARSET,
    DATE,
    FIELDS,
    TESTS,
    clean,
    extracted,
    load_case,
    page_text,
)

CORPUS = TESTS / "corpus"
CASES = sorted(CORPUS.glob("*/*.json"))


def case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_field(case: Path, field: str) -> None:
    _, expected, _, _ = load_case(case)
    item = extracted(case)
    assert item.get(field) == expected[field], f"{case_id(case)}: field {field!r}"


# ------------------------------------------------------------------------------------------------
# The corpus itself


def test_corpus_size_and_pairs() -> None:
    pages = sorted(CORPUS.glob("*/*.html"))
    assert {p.with_suffix(".json") for p in pages} == set(CASES), "every page needs its .json and vice versa"
    assert len(pages) >= 20
    assert len({p.parent.name for p in pages}) >= 10


def test_corpus_has_both_encoding_cases() -> None:
    declared = {case_id(c): CHARSET.search(load_case(c)[2][:4096]) for c in CASES}
    assert any(m and m.group(1).lower() == b"windows-1258" for m in declared.values())
    assert any(m is None for m in declared.values())


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_corpus_expected_shape(case: Path) -> None:
    url, exp, _, _ = load_case(case)
    assert url.startswith(("http://", "https://"))
    assert tuple(exp) == FIELDS
    for field in ("published", "modified"):
        assert exp[field] is None or DATE.match(exp[field]), field
    assert (exp["published"] is None) == (exp["published_raw"] is None)
    assert exp["view_count"] is None or (type(exp["view_count"]) is int and exp["view_count"] >= 0)
    assert exp["canonical_url"].startswith(("http://", "https://"))
    for image in exp["images"]:
        assert set(image) == {"src", "alt", "caption"}
        assert image["src"].startswith(("http://", "https://"))
    for attachment in exp["attachments"]:
        assert set(attachment) == {"url", "title"}
        assert attachment["url"].startswith(("http://", "https://"))
    paragraphs = exp["body"].split("\n\n")
    assert all(p and p == clean(p) for p in paragraphs), "body paragraphs must be cleaned and non-empty"
    for field in ("title", "published_raw", "author", "source", "category"):
        value = exp[field]
        assert value is None or (value and value == clean(value)), field


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_corpus_expected_text_is_on_the_page(case: Path) -> None:
    _, exp, html, _ = load_case(case)
    text = page_text(html, None)
    expected_texts = [exp["title"], exp["published_raw"], exp["author"], exp["source"]]
    expected_texts += exp["body"].split("\n\n")
    expected_texts += [image["caption"] for image in exp["images"]]
    for value in expected_texts:
        if value is not None:
            assert value in text, f"{case_id(case)}: not on the page: {value[:80]!r}"
    captions = {image["caption"] for image in exp["images"]}
    assert not captions & set(exp["body"].split("\n\n")), "a caption is never a body paragraph"
