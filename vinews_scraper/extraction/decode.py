"""Turn page bytes into text: HTTP header charset, BOM, <meta> declaration, else detection."""

from __future__ import annotations

from typing import NamedTuple

from w3lib.encoding import html_to_unicode, http_content_type_encoding, read_bom


def is_utf8_text(body: bytes) -> bool:
    """Whether ``body`` is UTF-8 text, perhaps with a few stray bytes: its well-formed multi-byte
    characters outnumber the sequences that do not decode. Windows-1258 Vietnamese read as UTF-8
    has hardly any well-formed multi-byte sequence; UTF-8 Vietnamese has one in most words."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("utf-8", errors="replace")
        undecodable = text.count("\ufffd")
        multibyte = sum(1 for char in text if char > "\x7f") - undecodable
        return multibyte > undecodable
    return True


def _detect(body: bytes) -> str:
    """Undeclared pages: UTF-8 when the bytes are UTF-8 text, else windows-1258 (Vietnamese)."""
    return "utf-8" if is_utf8_text(body) else "cp1258"


def _meta_claimed_utf16_or_32(encoding: str, body: bytes, content_type: str | None) -> bool:
    """UTF-16/32 chosen for a page with no BOM and no charset in its header: a ``<meta>`` said so,
    and it could only be read because the bytes are ASCII-compatible, so the declaration is false
    (the HTML standard reads such a page as UTF-8)."""
    return encoding.startswith(("utf-16", "utf-32")) and not read_bom(body)[0] \
        and not http_content_type_encoding(content_type)


class DecodedPage(NamedTuple):
    text: str
    encoding: str
    utf8: bytes | None  # the page's bytes when they are UTF-8 that decoded without a replaced byte


def decode_html(body: bytes | str, content_type: str | None = None) -> DecodedPage:
    """The text and encoding of an HTML page given its bytes and optional Content-Type header,
    and the bytes themselves when they are clean UTF-8 (``parse_html`` reads those faster).

    A page declared UTF-8 (in its header or a meta tag) whose bytes are not UTF-8 text is read as
    windows-1258: portals re-encoded to that code page keep their old declaration.
    """
    if isinstance(body, str):
        return DecodedPage(body, "unicode", None)
    encoding, text = html_to_unicode(content_type, body, auto_detect_fun=_detect)
    if _meta_claimed_utf16_or_32(encoding, body, content_type):
        encoding = _detect(body)
        text = body.decode(encoding, errors="replace")
        return DecodedPage(text, encoding, body if encoding == "utf-8" and "\ufffd" not in text else None)
    if encoding == "utf-8":
        if "\ufffd" not in text:
            return DecodedPage(text, encoding, body)
        if not is_utf8_text(body):
            return DecodedPage(body.decode("cp1258", errors="replace"), "cp1258", None)
    return DecodedPage(text, encoding, None)
