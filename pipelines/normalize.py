"""Normalize article items into the exact shape of the article JSON Schema.

Values that cannot be coerced are passed on unchanged so that validation reports them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from vinews_scraper.extraction.text import clean_optional, clean_paragraphs
from vinews_scraper.items import ARTICLE_FIELDS, SCHEMA_VERSION, ArticleItem, article_schema
from vinews_scraper.storage import utc_timestamp

_DIGITS = re.compile(r"[0-9]+")
_BODY_FIELDS = frozenset(("body", "body_html"))  # cleaned paragraph by paragraph below
_NESTED_FIELDS = {
    name: tuple(article_schema()["properties"][name]["items"]["properties"])
    for name in ("images", "attachments")
}


def content_hash(title: str | None, body: str) -> str:
    """sha256 hex of ``title + "\\n" + body``: the identity of an article's text."""
    return hashlib.sha256(f"{title or ''}\n{body or ''}".encode("utf-8")).hexdigest()


def _text(value: Any) -> Any:
    return clean_optional(value) if isinstance(value, str) else value


def _entries(value: Any, keys: tuple[str, ...]) -> Any:
    """Clean each entry's ``keys`` (empty text becomes None); other keys stay for validation to flag."""
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        return value
    return [
        {**{k: _text(entry.get(k)) for k in keys}, **{k: v for k, v in entry.items() if k not in keys}}
        if isinstance(entry, Mapping)
        else entry
        for entry in value
    ]


def _view_count(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        return int(text) if _DIGITS.fullmatch(text) else (text or None)
    return value


def normalize_item(item: Mapping, *, now: datetime | None = None) -> dict:
    """The article as a dict with exactly the schema's properties, in schema order.

    ``now`` is the default ``fetched_at`` (current UTC time when None). Idempotent: normalizing
    the result again gives the same dict.
    """
    out: dict[str, Any] = {name: _text(item.get(name)) if name not in _BODY_FIELDS else None
                           for name in ARTICLE_FIELDS}
    body, body_html = item.get("body"), item.get("body_html")
    out["body"] = clean_paragraphs(body) if isinstance(body, str | None) else body
    if isinstance(body_html, str | None):
        body_html = unicodedata.normalize("NFC", body_html or "").strip()
    out["body_html"] = body_html
    for name, keys in _NESTED_FIELDS.items():
        out[name] = _entries(item.get(name), keys)
    out["view_count"] = _view_count(item.get("view_count"))
    out["canonical_url"] = out["canonical_url"] or out["url"]
    if out["fetched_at"] is None or isinstance(out["fetched_at"], datetime):
        out["fetched_at"] = utc_timestamp(out["fetched_at"] or now)
    out["schema_version"] = SCHEMA_VERSION
    out["content_hash"] = content_hash(out["title"], out["body"])
    return out


class NormalizePipeline:
    """Puts every ArticleItem into schema shape; other items pass through."""

    @classmethod
    def from_crawler(cls, crawler) -> "NormalizePipeline":
        return cls()

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if isinstance(item, ArticleItem):
            return ArticleItem(normalize_item(item))
        return item
