"""Wayback Machine replays read as the original page (docs/field-rules.md, last paragraph).

Every saved page of a live portal (the development corpus and the held-out sets) is turned into the page web.archive.org serves for it: the
archive's scripts in the head, its toolbar (capture counts, capture dates, a calendar) after
``<body>``, every link and image rewritten to ``/web/<timestamp>[im_]/<absolute URL>`` and the
"FILE ARCHIVED ON" comment at the end. The item read from it must be the original page's item, with
the capture as provenance.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from saved_pages import TESTS, extracted, load_case, page_encoding

from pipelines.normalize import normalize_item
from vinews_scraper.extraction import extract_article
from vinews_scraper.extraction.replays import is_replay

TIMESTAMP = "20210125041233"
REPLAY_HOST = "https://web.archive.org"


def _saved_replay(case: Path) -> bool:
    """A page that is a replay already (heldout53's replay URLs, heldout103's pages saved from
    the archive under their original URL): replaying it again would wrap its links twice."""
    url, _, html, _ = load_case(case)
    return is_replay(url, html.decode("latin-1"))


CASES = sorted(case for case in [*TESTS.glob("corpus/*/*.json"), *TESTS.glob("heldout*/*/*.json")]
               if not _saved_replay(case))
DEV_CASES = sorted(TESTS.glob("corpus/*/*.json"))
PROVENANCE = ("url", "archive_url", "wayback_timestamp", "fetched_at")

_HEAD = ('<script src="//archive.org/includes/athena.js"></script>'
         '<script>__wm.init("https://web.archive.org/web");</script>'
         '<link rel="stylesheet" href="/_static/css/banner-styles.css"><!-- End Wayback Rewrite JS Include -->')
_TOOLBAR = """<div id="wm-ipp-base" lang="en" style="direction:ltr;"><div id="wm-ipp">
<a href="/web/">Wayback Machine</a><form action="/web/submit"><input name="url" value="{original}"></form>
<div id="wm-nav-captures"><a href="/web/*/{original}*">37 captures</a><p>22 Jan 2021 - 14 Jun 2025</p></div>
<table><tr><td>DEC</td><td>JAN</td><td>FEB</td></tr><tr><td>2020</td><td>2021</td><td>2022</td></tr></table>
<p id="wm-capinfo">About this capture · Collected by Internet Archive · 25 Jan 2021 04:12:33</p></div></div>
<div id="wm-ipp-print">The Wayback Machine - {replay}</div>"""
_URL_ATTRIBUTE = re.compile(r"""\b(src|data-src|href)=(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)


def replayed(html: str, original: str, *, toolbar_comments: bool) -> str:
    """``html`` (of ``original``) as the Wayback Machine replays it."""
    base = re.search(r"""<base\s+href=["']([^"']+)""", html, re.IGNORECASE)
    base_url = urljoin(original, base.group(1)) if base else original

    def rewrite(match: re.Match) -> str:
        name, quote, value = match.groups()
        if not value.strip() or value.startswith(("#", "javascript:", "mailto:", "data:")):
            return match.group(0)
        modifier = "im_" if name.lower() != "href" else ""
        return f"{name}={quote}/web/{TIMESTAMP}{modifier}/{urljoin(base_url, value.strip())}{quote}"

    toolbar = _TOOLBAR.format(original=original, replay=replay_url(original))
    if toolbar_comments:
        toolbar = f"<!-- BEGIN WAYBACK TOOLBAR INSERT -->{toolbar}<!-- END WAYBACK TOOLBAR INSERT -->"
    page = _URL_ATTRIBUTE.sub(rewrite, html)
    page = re.sub(r"(<head\b[^>]*>)", lambda m: m.group(1) + _HEAD, page, count=1, flags=re.I)
    page = re.sub(r"(<body\b[^>]*>)", lambda m: m.group(1) + toolbar, page, count=1, flags=re.I)
    return page + "\n<!-- FILE ARCHIVED ON 04:12:33 Jan 25, 2021 AND RETRIEVED FROM THE INTERNET ARCHIVE ON 10:02:11 Nov 27, 2026. -->\n"


def replay_url(original: str) -> str:
    return f"{REPLAY_HOST}/web/{TIMESTAMP}/{original}"


def replay_item(case: Path, *, read_as: str, toolbar_comments: bool) -> tuple[dict, str]:
    url, _, html, content_type = load_case(case)
    encoding = page_encoding(html, content_type)
    page = replayed(html.decode(encoding), url, toolbar_comments=toolbar_comments).encode(encoding)
    source = replay_url(url) if read_as == "replay" else url
    return normalize_item(extract_article(page, source, content_type=content_type)), url


def case_id(path: Path) -> str:
    return f"{path.parent.parent.name}/{path.parent.name}/{path.stem}"


def without_provenance(item: dict) -> dict:
    return {key: value for key, value in item.items() if key not in PROVENANCE}


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_replay_reads_as_the_original_page(case: Path) -> None:
    item, original = replay_item(case, read_as="replay", toolbar_comments=True)
    assert without_provenance(item) == without_provenance(extracted(case))
    assert item["url"] == original
    assert item["archive_url"] == replay_url(original)
    assert item["wayback_timestamp"] == TIMESTAMP
    assert item["fetched_at"] == "2021-01-25T04:12:33Z"


@pytest.mark.parametrize("case", DEV_CASES, ids=case_id)
def test_replay_saved_under_its_original_url(case: Path) -> None:
    """A replay saved from a browser and read under the article's own URL: same item, no capture
    provenance (the URL does not name the capture)."""
    item, original = replay_item(case, read_as="original", toolbar_comments=True)
    assert without_provenance(item) == without_provenance(extracted(case))
    assert (item["url"], item.get("archive_url"), item.get("wayback_timestamp")) == (original, None, None)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_toolbar_without_its_comment_markers(case: Path) -> None:
    """The toolbar as a browser's DOM copy keeps it: its elements, without the comments around them."""
    item, _ = replay_item(case, read_as="replay", toolbar_comments=False)
    assert without_provenance(item) == without_provenance(extracted(case))


def test_archived_document_links_on_a_live_page_are_kept() -> None:
    """A live page linking to an archived copy of a document is not a replay: the link stays as written."""
    page = ("<html><head><meta charset='utf-8'><title>Thông báo</title></head><body><h1>Thông báo lịch tiếp dân</h1>"
            "<p>Ngày đăng: 03/02/2025</p><p>UBND huyện thông báo lịch tiếp công dân định kỳ tháng 2 năm 2025 tại trụ"
            " sở tiếp công dân huyện.</p><p>Tải về: <a href='https://web.archive.org/web/20240101000000/https://"
            "vithuy.haugiang.gov.vn/lich.pdf'>Lịch tiếp dân</a></p></body></html>").encode()
    item = extract_article(page, "https://vithuy.haugiang.gov.vn/tin/lich-tiep-dan.html")
    assert [a["url"] for a in item["attachments"]] == [
        "https://web.archive.org/web/20240101000000/https://vithuy.haugiang.gov.vn/lich.pdf"]
    assert "archive_url" not in item
