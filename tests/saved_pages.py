"""What the saved-page test corpora share: loading a page and its expected item, the project's
extraction of it, and the checks that an expected item is well formed and really on its page.

Each corpus module (``test_corpus.py``, ``test_heldout*.py``) keeps its own self-checks (quotas,
overlap with the other corpora); the field comparison and the per-page checks shared by them live here.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

import lxml.html

from pipelines.normalize import normalize_item
from vinews_scraper.extraction import extract_article

TESTS = Path(__file__).parent
SEED_TEXT = TESTS / "data" / "seed-vithuy-000_5d31fa578c8d1244.txt"
FIELDS = (
    "title", "published", "published_raw", "modified", "view_count", "author", "source", "category",
    "body", "images", "attachments", "canonical_url",
)
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}\+07:00)?$")
WHITESPACE = re.compile(r"[\s\u00a0\u200b\u2000-\u200a\u202f\u205f\u3000\ufeff]+")
CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


def clean(text: str) -> str:
    return unicodedata.normalize("NFC", WHITESPACE.sub(" ", text)).strip()


@cache
def load_case(path: Path) -> tuple[str, dict, bytes, str | None]:
    """(url, expected fields, page bytes, HTTP Content-Type or None) of one saved page."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["url"], data["expected"], path.with_suffix(".html").read_bytes(), data.get("content_type")


@cache
def extracted(path: Path) -> dict:
    """The normalized item the project extracts from one saved page (computed once per page)."""
    url, _, html, content_type = load_case(path)
    return normalize_item(extract_article(html, url, content_type=content_type))


def declared_charset(html: bytes, content_type: str | None) -> str | None:
    """The charset the HTTP header or a <meta> declares, else None."""
    if content_type:
        header = HEADER_CHARSET.search(content_type)
        if header:
            return header.group(1)
    declared = CHARSET.search(html[:4096])
    return declared.group(1).decode("ascii") if declared else None


def page_encoding(html: bytes, content_type: str | None) -> str:
    """The declared charset; an undeclared page is UTF-8 when it decodes as such, else windows-1258."""
    declared = declared_charset(html, content_type)
    if declared:
        return declared
    try:
        html.decode("utf-8")
    except UnicodeDecodeError:
        return "windows-1258"
    return "utf-8"


def page_text(html: bytes, content_type: str | None) -> str:
    """All visible text of a page, decoded by its charset."""
    doc = lxml.html.document_fromstring(html.decode(page_encoding(html, content_type)))
    for node in doc.xpath("//script|//style|//noscript"):
        node.drop_tree()
    return clean(doc.text_content())


@cache
def seed() -> dict:
    """Category, title and body paragraphs of the real seed article (tests/data)."""
    lines = [clean(line) for line in SEED_TEXT.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    category, title, date_line, *rest = lines
    assert date_line == "[ Cập nhật vào ngày (22/01/2021) ] - [ Số lần xem: 679 ]"
    *text, last = rest
    assert last == "Năng NguyễnCác ý kiến của bạn đọc"
    paragraphs = [line for line in text if line not in ("21.1a.jpg", "Khen thưởng cho các tập thể, cá nhân")]
    assert len(paragraphs) == 6
    return {"category": category, "title": title, "body": paragraphs}


def is_seed(expected: dict) -> bool:
    return expected["title"] == seed()["title"]


def check_expected_shape(url: str, exp: dict, content_type: str | None) -> None:
    """The expected item is typed and cleaned as docs/field-rules.md says an item is."""
    assert url.startswith(("http://", "https://"))
    assert content_type is None or content_type.startswith("text/html")
    assert tuple(exp) == FIELDS
    for field in ("published", "modified"):
        assert exp[field] is None or DATE.match(exp[field]), field
    # A printed date always gives `published`; a date only in metadata gives `published` with no raw text.
    assert exp["published_raw"] is None or exp["published"] is not None
    assert exp["modified"] is None or exp["published"] is not None
    assert exp["view_count"] is None or (type(exp["view_count"]) is int and exp["view_count"] >= 0)
    assert exp["canonical_url"].startswith(("http://", "https://"))
    for image in exp["images"]:
        assert set(image) == {"src", "alt", "caption"}
        assert image["src"].startswith(("http://", "https://"))
        assert image["alt"] is None or image["alt"] == clean(image["alt"]) != ""
    for attachment in exp["attachments"]:
        assert set(attachment) == {"url", "title"}
        assert attachment["url"].startswith(("http://", "https://"))
    paragraphs = exp["body"].split("\n\n")
    assert all(p and p == clean(p) for p in paragraphs), "body paragraphs must be cleaned and non-empty"
    for field in ("title", "published_raw", "author", "source", "category"):
        value = exp[field]
        assert value is None or (value and value == clean(value)), field


def check_expected_text_is_on_the_page(name: str, exp: dict, html: bytes, content_type: str | None) -> None:
    """Every expected text is visible on the page (a category may come from `article:section`), and
    every image or attachment is in the page source."""
    text = page_text(html, content_type)
    expected_texts = [exp["title"], exp["published_raw"], exp["author"], exp["source"]]
    if exp["category"] is not None and exp["category"] not in text:
        sections = lxml.html.document_fromstring(html).xpath('//meta[@property="article:section"]/@content')
        assert exp["category"] in [clean(s) for s in sections], f"{name}: category not on the page"
    elif exp["category"] is not None:
        expected_texts.append(exp["category"])
    expected_texts += exp["body"].split("\n\n")
    expected_texts += [image["caption"] for image in exp["images"]]
    expected_texts += [attachment["title"] for attachment in exp["attachments"]]
    for value in expected_texts:
        if value is not None:
            assert value in text, f"{name}: not on the page: {value[:80]!r}"
    captions = {image["caption"] for image in exp["images"]}
    assert not captions & set(exp["body"].split("\n\n")), "a caption is never a body paragraph"
    raw = html.decode(page_encoding(html, content_type))
    for url in [image["src"] for image in exp["images"]] + [attachment["url"] for attachment in exp["attachments"]]:
        last = url.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
        assert last in raw, f"{name}: image or attachment not in the page source: {url!r}"


def check_no_date_means_no_date_text(name: str, exp: dict, html: bytes, content_type: str | None) -> None:
    """A page expected to have no date carries no metadata date either."""
    if exp["published"] is not None:
        return
    raw = html.decode(page_encoding(html, content_type))
    for marker in ("article:published_time", "datePublished", "<time", "dc:date"):
        assert marker not in raw, f"{name}: metadata date {marker!r} on a page expected undated"
