"""Listing pages: article links (with the date and view count their row shows) and the next page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from lxml import etree

from ..registry import Family, Site, default_registry, host_of
from .cues import DOCUMENT_EXTENSIONS
from .dates import find_dates
from .decode import decode_html
from .dom import is_chrome_marker, parse_html, remove_noise, select, text_of
from .errors import ExtractionError
from .feeds import FEED_TYPES
from .text import clean_text
from .urls import absolute_url
from .views import find_view_count

_NEXT_TEXTS = frozenset(("trang sau", "sau", "tiếp", "trang tiếp", "tiếp theo", "trang kế", "next",
                         "»", "›", ">", ">>", "»»", "next »", "sau »", "trang sau »"))
_PAGE_PARAM = re.compile(r"(?i)(^|_)(page|p|trang|pageindex|page_index|pagenumber|pg|cur|curpage|paged|start)$")
_PAGE_PATH = re.compile(r"(?i)/(?:page|trang|p)[-/](\d+)(?:\.html?)?/?$")
_ARTICLE_PATH = re.compile(r"(?i)(\d{3,}(\.html?|\.aspx|\.php)?/?$|[a-z0-9]+(-[a-z0-9%]+){3,}(\.html?|\.aspx)?/?$)")
_ARTICLE_QUERY = re.compile(r"(?i)(^|&)(id|newsid|news_id|itemid|articleid|id_news|dinhdanh|dDocName)=")
_ROW_TAGS = ("li", "tr", "article", "div", "dd", "p", "td")
_ROW_TEXT_MAX = 600  # a row's date and views are near its link; a longer "row" is not one


@dataclass(frozen=True)
class ListingRow:
    url: str
    title: str
    published: str | None
    view_count: int | None


@dataclass(frozen=True)
class Listing:
    rows: tuple[ListingRow, ...]
    next_page: str | None
    feeds: tuple[str, ...] = ()


def _in_chrome(el) -> bool:
    for anc in el.iterancestors():
        if anc.tag in ("nav", "footer", "header"):
            return True
        marker = (anc.get("class") or "") + " " + (anc.get("id") or "")
        if marker.strip() and is_chrome_marker(marker) and "pag" not in marker.lower():
            return True
    return False


def looks_like_article_url(url: str) -> bool:
    """A URL shaped like an article page: a long slug or a numeric id, not a document."""
    parts = urlsplit(url)
    if parts.path.lower().endswith(DOCUMENT_EXTENSIONS + (".xml", ".rss", ".jpg", ".png", ".gif")):
        return False
    return bool(_ARTICLE_PATH.search(parts.path) or _ARTICLE_QUERY.search(parts.query))


def _looks_like_article(url: str, text: str, listing_url: str) -> bool:
    if url.split("#")[0] == listing_url.split("#")[0]:
        return False
    return len(text) >= 20 and len(text.split()) >= 4 and looks_like_article_url(url)


def advertised_feeds(root, base_url: str) -> tuple[str, ...]:
    """RSS/Atom feeds the page declares with <link rel="alternate" type="application/rss+xml">."""
    feeds = (absolute_url(base_url, link.get("href")) for link in root.iter("link")
             if (link.get("type") or "").lower() in FEED_TYPES
             and "alternate" in (link.get("rel") or "").lower())
    return tuple(dict.fromkeys(url for url in feeds if url))


def _row_of(a, links_under: dict):
    """The smallest ancestor of the link that holds no other article link: the listing row."""
    row = a
    for anc in a.iterancestors(*_ROW_TAGS):
        if len(links_under.get(anc, ())) > 1:
            break
        row = anc
    return row


def _page_number(url: str) -> int:
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query):
        if _PAGE_PARAM.search(key) and value.isdigit():
            return int(value)
    m = _PAGE_PATH.search(parts.path)
    return int(m.group(1)) if m else 1


def _select_href(root, selectors, base_url):
    for selector in selectors:
        for el in select(root, selector):
            url = absolute_url(base_url, el.get("href"))
            if url:
                return url
    return None


def _first_link(root, url: str, wanted) -> str | None:
    """The absolute URL of the first link (not a #fragment) for which ``wanted(a, casefolded text)``.

    Text is tested before the URL is resolved: a long pagination has hundreds of links, and
    resolving them all first took 15-35% of a listing's time (400 page links, replica portal)."""
    for a in root.iter("a"):
        if (a.get("href") or "").strip().startswith("#") or not wanted(a, clean_text(text_of(a)).casefold()):
            continue
        href = absolute_url(url, a.get("href"))
        if href:
            return href
    return None


def find_next_page(root, url: str, family: Family) -> str | None:
    """The URL of the next listing page, or None on the last page."""
    candidate = _select_href(root, family.next_page, url)
    if candidate is None:
        for el in root.iter("a", "link"):
            if "next" in (el.get("rel") or "").lower().split() and absolute_url(url, el.get("href")):
                candidate = absolute_url(url, el.get("href"))
                break
    if candidate is None:
        candidate = _first_link(root, url, lambda a, text: text in _NEXT_TEXTS or (
            (a.get("title") or "").casefold() in ("trang sau", "next", "trang tiếp")))
    if candidate is None:
        wanted = str(_page_number(url) + 1)
        candidate = _first_link(root, url, lambda a, text: text == wanted)
    if candidate is None or candidate.split("#")[0] == url.split("#")[0]:
        return None
    return candidate


def extract_listing(html: bytes | str, url: str, *, site: Site | None = None,
                    content_type: str | None = None) -> Listing:
    """Article rows (newest first, as the page lists them) and the next page of a listing."""
    if site is None:
        site = default_registry().site_for_url(url)
    family = site.profile if site else Family(name="generic")
    text, _encoding, utf8 = decode_html(html, content_type)
    try:
        root = parse_html(text, utf8)
    except (ValueError, etree.LxmlError) as exc:
        raise ExtractionError(f"{url}: not a readable HTML page ({exc})") from None
    base = root.find(".//base[@href]")
    base_url = (absolute_url(url, base.get("href")) if base is not None else None) or url
    feeds = advertised_feeds(root, base_url)
    remove_noise(root)
    host = host_of(url)
    pattern = re.compile(family.article_link) if family.article_link else None

    links = []
    for a in root.iter("a"):
        target = absolute_url(base_url, a.get("href"))
        if target is None:
            continue
        target = target.split("#")[0]
        if host_of(target) != host:
            continue
        title = clean_text(text_of(a)) or clean_text(a.get("title"))
        if (pattern is not None and pattern.search(target)) or (
                _looks_like_article(target, title, url) and not _in_chrome(a)):
            links.append((a, target, title))

    links_under: dict = {}
    for a, target, _ in links:
        for anc in a.iterancestors(*_ROW_TAGS):
            links_under.setdefault(anc, set()).add(target)

    rows: dict[str, ListingRow] = {}
    for a, target, title in links:
        row_text = clean_text(text_of(_row_of(a, links_under)))[:_ROW_TEXT_MAX]
        dates = find_dates(row_text)
        views = find_view_count(row_text)
        if target in rows:
            if not rows[target].title and title:
                rows[target] = ListingRow(target, title, rows[target].published, rows[target].view_count)
            continue
        rows[target] = ListingRow(target, title, dates[0].value if dates else None,
                                  views[0] if views else None)
    return Listing(tuple(rows.values()), find_next_page(root, url, family), feeds)
