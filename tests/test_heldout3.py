"""The third held-out corpus: markup and wording in none of tests/corpus, tests/heldout, tests/heldout2.

Every ``tests/heldout3/<family>/<name>.html`` has a ``<name>.json`` next to it holding
``{"url": <fetched from>, ["content_type": <HTTP Content-Type header>,] "expected": {<field>: <value>, ...}}``
written by hand from ``docs/field-rules.md`` (see ``tests/heldout3/README.md`` for what each page
exercises). The pages were written after the extractor had been tuned on ``tests/corpus``,
``tests/heldout`` and ``tests/heldout2``, without reading its source, with an emphasis on the Hậu Giang
district portals the product archives (the seed article of ``tests/data`` rendered in three new
markups) and on commune, party-committee, Mặt trận and public-service-unit templates; failures here are
findings about the extractor, not corpus bugs.

``test_field`` runs the real extraction (``extract_article`` then ``normalize_item``) on the page's
bytes — passing the recorded HTTP ``Content-Type`` when the JSON has one — and checks one field per
test, so a failure names the page and the field. The ``test_heldout3_*`` tests check the corpus itself
(shape of the expected JSON, expected text present on the page, no overlap with the other corpora,
the seed renderings) and do not depend on the extractor.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from saved_pages import (
    CHARSET,
    FIELDS,
    HEADER_CHARSET,
    TESTS,
    check_expected_shape,
    check_expected_text_is_on_the_page,
    check_no_date_means_no_date_text,
    declared_charset,
    extracted,
    is_seed,
    load_case,
    page_encoding,
    seed,
)

HELDOUT3 = TESTS / "heldout3"
OTHER_CORPORA = (TESTS / "corpus", TESTS / "heldout", TESTS / "heldout2")
CASES = sorted(HELDOUT3.glob("*/*.json"))
HAUGIANG_HOSTS = {
    "vithuy.haugiang.gov.vn", "chauthanh.haugiang.gov.vn", "chauthanha.haugiang.gov.vn",
    "phunghiep.haugiang.gov.vn", "longmy.haugiang.gov.vn", "thixalongmy.haugiang.gov.vn",
    "ngabay.haugiang.gov.vn", "vithanh.haugiang.gov.vn", "haugiang.gov.vn",
}


def case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_field(case: Path, field: str) -> None:
    _, expected, _, _ = load_case(case)
    item = extracted(case)
    assert item.get(field) == expected[field], f"{case_id(case)}: field {field!r}"


# ------------------------------------------------------------------------------------------------
# The third held-out corpus itself


def _other_cases() -> list[Path]:
    return [case for corpus in OTHER_CORPORA if corpus.is_dir() for case in sorted(corpus.glob("*/*.json"))]


def test_heldout3_size_and_pairs() -> None:
    pages = sorted(HELDOUT3.glob("*/*.html"))
    assert {p.with_suffix(".json") for p in pages} == set(CASES), "every page needs its .json and vice versa"
    assert len(pages) >= 24
    assert len({p.parent.name for p in pages}) >= 12


def test_heldout3_families_are_new() -> None:
    held = {p.parent.name for p in CASES}
    other = {p.name for corpus in OTHER_CORPORA if corpus.is_dir() for p in corpus.iterdir() if p.is_dir()}
    assert not held & other, f"family names reused from another corpus: {sorted(held & other)}"


def test_heldout3_wording_is_new() -> None:
    """No page URL, title or long body paragraph is taken over from another corpus (the seed excepted)."""
    seen_urls, seen_texts = set(), set()
    for case in _other_cases():
        data = json.loads(case.read_text(encoding="utf-8"))
        seen_urls.add(data["url"])
        if is_seed(data["expected"]):
            continue  # the real seed article is meant to be rendered again, in new markup
        seen_texts.add(data["expected"]["title"])
        seen_texts.update(p for p in data["expected"]["body"].split("\n\n") if len(p) >= 40)
    own_texts: dict[str, str] = {}
    for case in CASES:
        url, exp, _, _ = load_case(case)
        assert url not in seen_urls, f"{case_id(case)}: URL already used by another corpus"
        seen_urls.add(url)
        if is_seed(exp):
            continue
        texts = [exp["title"], *(p for p in exp["body"].split("\n\n") if len(p) >= 40)]
        reused = [t for t in texts if t in seen_texts]
        assert not reused, f"{case_id(case)}: text already in another corpus: {reused[0][:80]!r}"
        for text in texts:
            assert text not in own_texts, f"{case_id(case)}: text also on {own_texts[text]}: {text[:80]!r}"
            own_texts[text] = case_id(case)


def test_heldout3_seed_in_three_new_markups() -> None:
    """The seed article is rendered on vithuy.haugiang.gov.vn in at least three new families."""
    article = seed()
    families = set()
    for case in CASES:
        url, exp, _, _ = load_case(case)
        if not is_seed(exp):
            continue
        families.add(case.parent.name)
        assert urlsplit(url).hostname == "vithuy.haugiang.gov.vn", case_id(case)
        assert exp["published"] == "2021-01-22"
        assert exp["view_count"] == 679
        assert exp["author"] == "Năng Nguyễn"
        assert exp["category"] == article["category"] == "Tin Tức huyện Vị Thủy"
        assert exp["body"] == "\n\n".join(article["body"])
        assert exp["modified"] is None and exp["source"] is None and exp["attachments"] == []
        assert len(exp["images"]) == 1
        image = exp["images"][0]
        assert image["src"].split("?")[0].rsplit("/", 1)[-1] == "21.1a.jpg" or "/21.1a.jpg/" in image["src"]
        assert image["caption"] == "Khen thưởng cho các tập thể, cá nhân"
    assert len(families) >= 3, f"seed rendered in {sorted(families)}"


def test_heldout3_emphasises_haugiang_portals() -> None:
    hosts = [urlsplit(load_case(case)[0]).hostname for case in CASES]
    assert sum(host in HAUGIANG_HOSTS for host in hosts) >= 8
    assert len(HAUGIANG_HOSTS & set(hosts)) >= 7, "several Hậu Giang hosts, not one"


def test_heldout3_charsets() -> None:
    """A recorded header charset is needed; a page that declares no charset and is not UTF-8 exists."""
    undeclared_legacy = 0
    for case in CASES:
        _, _, html, content_type = load_case(case)
        if content_type and HEADER_CHARSET.search(content_type) and not CHARSET.search(html[:4096]):
            with pytest.raises(UnicodeDecodeError):
                html.decode("utf-8")
        if declared_charset(html, content_type) is None and page_encoding(html, content_type) == "windows-1258":
            undeclared_legacy += 1
    assert undeclared_legacy >= 1


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_heldout3_expected_shape(case: Path) -> None:
    url, exp, _, content_type = load_case(case)
    check_expected_shape(url, exp, content_type)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_heldout3_expected_text_is_on_the_page(case: Path) -> None:
    _, exp, html, content_type = load_case(case)
    check_expected_text_is_on_the_page(case_id(case), exp, html, content_type)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_heldout3_no_date_means_no_date_text(case: Path) -> None:
    """A page expected to have no date prints none in its article header, and carries no metadata date."""
    _, exp, html, content_type = load_case(case)
    check_no_date_means_no_date_text(case_id(case), exp, html, content_type)
