"""URLs found in pages: made absolute, and only when they are well-formed http(s) URLs."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urljoin, urlsplit

_CACHED_URL_MAX = 2048  # longer (hostile) values are resolved but not kept


def absolute_url(base: str, href: str | None) -> str | None:
    """``href`` resolved against ``base``; None for a malformed URL ("http://[x/", a bad port) or
    another scheme (javascript:, mailto:, ftp:, data:), which no item or request may carry."""
    if href and len(href) + len(base) <= _CACHED_URL_MAX:
        return _cached_absolute_url(base, href)
    return _absolute_url(base, href)


def _absolute_url(base: str, href: str | None) -> str | None:
    if not href or not href.strip():
        return None
    try:
        url = urljoin(base, href.strip())
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


_cached_absolute_url = lru_cache(maxsize=4096)(_absolute_url)  # urljoin is slow; pages repeat links
