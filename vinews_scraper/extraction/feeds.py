"""RSS/Atom feeds and XML sitemaps: more ways to find a portal's article URLs.

XML is parsed without resolving entities or touching the network, so a hostile feed cannot
expand entities or make vinews fetch anything.
"""

from __future__ import annotations

from lxml import etree

from .dates import parse_machine_date
from .text import clean_text
from .urls import absolute_url

_XML = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False,
                       remove_comments=True, remove_pis=True)
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _parse(xml: bytes):
    if not xml or not xml.strip():
        return None
    try:
        return etree.fromstring(xml, _XML)
    except etree.XMLSyntaxError:
        return None


def feed_entries(xml: bytes, base_url: str) -> list[tuple[str, str | None]]:
    """(article URL, published) of each item of an RSS or Atom feed, in feed order."""
    root = _parse(xml)
    if root is None:
        return []
    entries = []
    for node in root.iter():
        if _local(node.tag) not in ("item", "entry"):
            continue
        link = published = None
        for child in node:
            name = _local(child.tag)
            if name == "link" and not link:
                href = child.get("href") if child.get("rel") in (None, "alternate") else None
                link = href or clean_text(child.text)
            elif name in ("pubdate", "published", "updated", "date") and published is None:
                published = parse_machine_date(clean_text(child.text))
        url = absolute_url(base_url, link)
        if url:
            entries.append((url, published))
    return entries


def sitemap_entries(xml: bytes, base_url: str) -> tuple[list[tuple[str, str | None]], list[str]]:
    """((page URL, lastmod) of each <url>, child sitemap URLs of a <sitemapindex>)."""
    root = _parse(xml)
    if root is None:
        return [], []
    pages, children = [], []
    for node in root:
        kind = _local(node.tag)
        loc = lastmod = None
        for child in node:
            name = _local(child.tag)
            if name == "loc":
                loc = clean_text(child.text)
            elif name == "lastmod":
                lastmod = parse_machine_date(clean_text(child.text))
        url = absolute_url(base_url, loc)
        if not url:
            continue
        if kind == "url":
            pages.append((url, lastmod))
        elif kind == "sitemap":
            children.append(url)
    return pages, children


def sitemaps_in_robots(robots_txt: bytes, base_url: str) -> list[str]:
    """The ``Sitemap:`` URLs a robots.txt declares."""
    urls = []
    for line in robots_txt.decode("utf-8", "replace").splitlines():
        key, _, value = line.partition(":")
        url = absolute_url(base_url, value) if key.strip().lower() == "sitemap" else None
        if url:
            urls.append(url)
    return urls
