"""Turn page bytes into text: HTTP header charset, BOM, <meta> declaration, else detection."""

from __future__ import annotations

from w3lib.encoding import html_to_unicode


def _detect(body: bytes) -> str:
    """Undeclared pages: UTF-8 when the bytes are valid UTF-8, else windows-1258 (Vietnamese)."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1258"
    return "utf-8"


def decode_html(body: bytes | str, content_type: str | None = None) -> tuple[str, str]:
    """(text, encoding) of an HTML page given its bytes and optional Content-Type header."""
    if isinstance(body, str):
        return body, "unicode"
    encoding, text = html_to_unicode(content_type, body, auto_detect_fun=_detect)
    return text, encoding
