"""URLs found in pages: made absolute, and only when they are well-formed http(s) URLs."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit


def absolute_url(base: str, href: str | None) -> str | None:
    """``href`` resolved against ``base``; None for a malformed URL ("http://[x/", a bad port) or
    another scheme (javascript:, mailto:, ftp:, data:), which no item or request may carry."""
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
