"""Machine-readable metadata of a page: canonical URL, OpenGraph/article meta, JSON-LD, <time>."""

from __future__ import annotations

import json
from dataclasses import dataclass

from lxml import etree

from .text import clean_optional
from .urls import absolute_url

_ARTICLE_TYPES = {"newsarticle", "article", "blogposting", "reportagenewsarticle", "webpage"}


@dataclass(frozen=True)
class PageMetadata:
    base_url: str
    canonical_url: str | None = None
    doc_title: str | None = None
    og_title: str | None = None
    site_name: str | None = None
    section: str | None = None
    published_text: str | None = None  # machine-readable, parsed only when the page prints no date
    modified_text: str | None = None
    author: str | None = None


_METADATA_TAGS = ("base", "link", "meta", "title", "script", "time")


def _metadata_elements(root) -> dict[str, list]:
    """The elements metadata is read from, by tag, in document order: one walk of the tree."""
    found: dict[str, list] = {tag: [] for tag in _METADATA_TAGS}
    for el in root.iter(*_METADATA_TAGS):
        found[el.tag].append(el)
    return found


def _meta_tags(metas: list) -> dict[str, str]:
    """content of every <meta> by its lower-case property, name or itemprop (first one wins)."""
    tags: dict[str, str] = {}
    for el in metas:
        content = el.get("content")
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = el.get(attr)
            if key:
                tags.setdefault(key.lower(), content)
    return tags


def _meta(tags: dict[str, str], *names: str) -> str | None:
    for name in names:
        if name.lower() in tags:
            return tags[name.lower()]
    return None


def _json_ld_articles(scripts: list) -> list[dict]:
    found = []
    for script in scripts:
        if (script.get("type") or "").lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                kind = node.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds):
                    found.append(node)
                stack.extend(v for k, v in node.items() if k == "@graph")
    return found


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


def _person_name(value, depth: int = 0) -> str | None:
    if depth > 3:
        return None
    if isinstance(value, list):
        names = [n for n in (_person_name(v, depth + 1) for v in value) if n]
        return ", ".join(names) or None
    if isinstance(value, dict):
        if str(value.get("@type", "")).lower() == "organization":
            return None
        return clean_optional(value.get("name"))
    return clean_optional(value) if isinstance(value, str) else None


def read_metadata(root, url: str) -> PageMetadata:
    """Metadata from <head> and JSON-LD; must be read before scripts are stripped."""
    elements = _metadata_elements(root)
    base = next((el for el in elements["base"] if el.get("href") is not None), None)
    base_url = (absolute_url(url, base.get("href")) if base is not None else None) or url
    canonical = None
    for link in elements["link"]:
        if link.get("href") is not None and "canonical" in (link.get("rel") or "").lower().split():
            canonical = absolute_url(base_url, link.get("href"))
            break
    tags = _meta_tags(elements["meta"])
    if canonical is None:
        canonical = absolute_url(base_url, _meta(tags, "og:url"))
    title_el = elements["title"][0] if elements["title"] else None
    articles = _json_ld_articles(elements["script"])
    ld = articles[0] if articles else {}
    published = _text(ld.get("datePublished")) or _meta(
        tags, "article:published_time", "datePublished", "pubdate", "publishdate", "dc.date.issued")
    if published is None:
        time_el = next((el for el in elements["time"] if el.get("datetime") is not None), None)
        published = time_el.get("datetime") if time_el is not None else None
    modified = _text(ld.get("dateModified")) or _meta(tags, "article:modified_time", "dateModified")
    return PageMetadata(
        base_url=base_url,
        canonical_url=canonical,
        doc_title=clean_optional(etree.tostring(title_el, method="text", encoding="unicode"))
        if title_el is not None else None,
        og_title=clean_optional(_meta(tags, "og:title", "twitter:title") or _text(ld.get("headline"))),
        site_name=clean_optional(_meta(tags, "og:site_name")),
        section=clean_optional(_meta(tags, "article:section") or _text(ld.get("articleSection"))),
        published_text=published,
        modified_text=modified,
        author=_person_name(ld.get("author")),
    )
