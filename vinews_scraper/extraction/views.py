"""Find an article's view count in a line of text ("Số lần xem: 1.234", "1K lượt xem")."""

from __future__ import annotations

import re

from .cues import SITE_COUNTER_WORDS, VIEW_LABELS

_LABELS = "|".join(sorted((re.escape(label) for label in VIEW_LABELS), key=len, reverse=True))
_NUMBER = r"(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)\s*([kKmM](?![a-zA-Zà-ỹ]))?"
_LABEL_FIRST = re.compile(rf"(?i)(?<![a-zà-ỹ])({_LABELS})\s*[:：]?\s*[(\[]?\s*{_NUMBER}")
_NUMBER_FIRST = re.compile(
    r"(?i)(?<![\d.,/\-])(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)\s*([kKmM])?\s*"
    r"(?:(?:số\s+)?(?:lượt xem|lần xem|lượt đọc|lần đọc)|views?|hits)(?-i:(?![a-zà-ỹ]))(?!\s*[:：])"  # a capital: the next span
)


_DIGIT = re.compile(r"\d")


def parse_count(number: str, suffix: str | None = None) -> int:
    """'1.234' → 1234, '1,5' with suffix 'K' → 1500."""
    if suffix:
        scale = 1000 if suffix.lower() == "k" else 1_000_000
        return int(round(float(number.replace(",", ".")) * scale))
    return int(number.replace(".", "").replace(",", ""))


def _is_site_counter(text: str, start: int) -> bool:
    before = text[max(0, start - 24):start].lower()
    return any(word in before for word in SITE_COUNTER_WORDS)


def find_view_count(text: str) -> tuple[int, int, int] | None:
    """(count, start, end) of the first article view count in ``text``, or None.

    Site-wide counters ("Tổng lượt truy cập", "Đang online", "Hôm nay") are not view counts.
    """
    if not text or not _DIGIT.search(text):
        return None
    lowered = text.lower()
    if "xem" not in lowered and "đọc" not in lowered and "view" not in lowered and "hits" not in lowered \
            and "👁" not in text and "visibility" not in lowered and "truy cập bài" not in lowered:
        return None
    number_first = next((m for m in _NUMBER_FIRST.finditer(text) if not _is_site_counter(text, m.start())), None)
    for m in _LABEL_FIRST.finditer(text):
        if number_first is not None and number_first.start() < m.start():
            break
        label = m.group(1).lower()
        if label in ("xem", "view") and _is_site_counter(text, m.start()):
            continue
        if _is_site_counter(text, m.start()) and "truy cập" in text[max(0, m.start() - 24):m.end()].lower():
            continue
        if lowered[max(0, m.start() - 5):m.start()].strip().endswith("đang"):
            continue
        return parse_count(m.group(2), m.group(3)), m.start(), m.end()
    if number_first is not None:
        return parse_count(number_first.group(1), number_first.group(2)), number_first.start(), number_first.end()
    return None
