"""Text normalization shared by extraction and the normalize pipeline."""

from __future__ import annotations

import html
import re
import unicodedata

_WHITESPACE = re.compile(r"[\s\u00a0\u200b\u2000-\u200a\u202f\u205f\u3000\ufeff]+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_FILE_NAME = re.compile(r"^[\w\s.,()\-+~%&'\u00c0-\u1ef9]{0,200}\.(jpe?g|png|gif|bmp|webp|tiff?|svg)$", re.I)


def clean_text(value: str | None) -> str:
    """NFC-normalize, decode entities and collapse all whitespace to single spaces."""
    if not value:
        return ""
    if "&" in value:
        value = html.unescape(value)
    return unicodedata.normalize("NFC", _WHITESPACE.sub(" ", value)).strip()


def clean_optional(value: str | None) -> str | None:
    """``clean_text`` that gives None for empty text."""
    return clean_text(value) or None


def clean_paragraphs(value: str | None) -> str:
    """Clean each blank-line-separated paragraph and join them with exactly one blank line."""
    if not value:
        return ""
    paragraphs = (clean_text(p) for p in _PARAGRAPH_BREAK.split(value.replace("\r\n", "\n")))
    return "\n\n".join(p for p in paragraphs if p)


def is_file_name(text: str | None) -> bool:
    """True for text that is only an image file name, such as ``21.1a.jpg``."""
    return bool(text) and bool(_FILE_NAME.match(text.strip()))
