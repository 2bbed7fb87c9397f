"""Text normalization shared by extraction and the normalize pipeline."""

from __future__ import annotations

import html
import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")  # icon-font glyphs ("\ue8f4", an eye before a view count)
_ENTITY = re.compile(r"&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_FILE_NAME = re.compile(r"^[\w\s.,()\-+~%&'\u00c0-\u1ef9]{0,200}\.(jpe?g|png|gif|bmp|webp|tiff?|svg)$", re.I)
_IMAGE_FILE_ENDINGS = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff", ".svg")


def clean_text(value: str | None) -> str:
    """Decode entities left in text, NFC-normalize, drop control characters, read icon-font glyphs
    (private-use characters) as spaces, collapse whitespace.

    The HTML parser decodes one level of entities; pages that escaped twice ("&amp;nbsp;") show
    entity text, which is decoded here once more. Cleaning clean text changes nothing, except
    text that still spells an entity after that decoding (escaped three times).
    """
    if not value:
        return ""
    value = decode_entities(value)
    if not _is_tidy(value):
        value = " ".join(value.split())
        if "\u200b" in value or "\ufeff" in value:
            value = " ".join(value.replace("\u200b", " ").replace("\ufeff", " ").split())
        if not value.isprintable():
            value = _CONTROL.sub("", value)
            if _PRIVATE_USE.search(value):
                value = " ".join(_PRIVATE_USE.sub(" ", value).split())
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    return value.strip()


def _is_tidy(value: str) -> bool:
    """No whitespace to collapse and nothing to drop: printable text has no line breaks, tabs,
    no-break or zero-width spaces and no control characters (a fast path for most lines)."""
    return value.isprintable() and "  " not in value and not value.startswith(" ") \
        and not value.endswith(" ")


def decode_entities(value: str) -> str:
    """Decode the HTML entities in ``value`` ("&nbsp;", "&#7863;", "&amp;")."""
    if "&" in value and _ENTITY.search(value):
        return html.unescape(value)
    return value


def clean_optional(value: str | None) -> str | None:
    """``clean_text`` that gives None for empty text."""
    return clean_text(value) or None


def clean_paragraphs(value: str | None) -> str:
    """Clean each blank-line-separated paragraph and join them with exactly one blank line."""
    if not value:
        return ""
    if _clean_paragraphs_already(value):
        return value
    paragraphs = (clean_text(p) for p in _PARAGRAPH_BREAK.split(value.replace("\r\n", "\n")))
    return "\n\n".join(p for p in paragraphs if p)


def _clean_paragraphs_already(value: str) -> bool:
    """Whether ``clean_paragraphs`` would return ``value`` unchanged: tidy NFC paragraphs without
    entities, one blank line apart (what extraction produces; a fast path for the pipeline)."""
    if "&" in value or not unicodedata.is_normalized("NFC", value):
        return False
    return all(paragraph and _is_tidy(paragraph) for paragraph in value.split("\n\n"))


def is_file_name(text: str | None) -> bool:
    """True for text that is only an image file name, such as ``21.1a.jpg``."""
    if not text:
        return False
    text = text.strip()
    return text[-5:].lower().endswith(_IMAGE_FILE_ENDINGS) and bool(_FILE_NAME.match(text))  # the ending first: cheap
