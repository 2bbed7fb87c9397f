"""Find and normalize the dates printed on Vietnamese portal pages.

Day-first always; a clock time is kept only when the page prints one (never invented); output is
``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS+07:00``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_tz

from .cues import MODIFIED_LABELS, OTHER_DATE_LABELS, PUBLISHED_LABELS, WEEKDAYS

VIETNAM = timezone(timedelta(hours=7))

_DMY = re.compile(r"(?<![\d/.\-])(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4})(?!\d)")
_YMD = re.compile(
    r"(?<![\d/.\-])(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?(?!\d)"
)
_WORDS = re.compile(r"(?i)(?:ngày\s+)?(\d{1,2})\s+(?:tháng|thg)\s+(\d{1,2})\s*,?\s*(?:năm\s+)?(\d{4})(?!\d)")
_MONTH_NAMES = {"một": 1, "giêng": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6,
                "bảy": 7, "tám": 8, "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12, "chạp": 12}
_MONTH_FIRST = re.compile(r"(?i)tháng\s+(\d{1,2})\s+(\d{1,2})\s*,\s*(\d{4})(?!\d)")
_NAMED_MONTH = re.compile(
    r"(?i)tháng\s+(" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True)) + r")\s+(\d{1,2})\s*,\s*(\d{4})(?!\d)")
_ENGLISH_MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"), ("october", "oct"), ("november", "nov"),
    ("december", "dec")), start=1) for name in names}
# English pages of the portals: "November 13, 2026", "Sept. 8th, 2026", "17 Jul 2026". The patterns
# take any run of ASCII letters, and _ENGLISH_MONTHS decides: cheaper than an alternation of names.
_ENGLISH_MONTH_FIRST = re.compile(r"(?<![A-Za-z])([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(\d{4})(?!\d)")
_ENGLISH_DAY_FIRST = re.compile(r"(?<![\d/.\-])(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?\s*,?\s*(\d{4})(?!\d)")
_TIME = re.compile(
    r"(?i)(?<![\d:/.])(\d{1,2})\s*(?::|h|giờ)\s*(\d{2})(?:\s*(?::|phút)\s*(\d{2}))?(?:\s*phút)?"
    r"(?:\s*(sáng|chiều|tối|trưa|a\.?m\.?|p\.?m\.?|sa|ch)(?:(?![a-zà-ỹ])|(?-i:(?<=AM|PM|SA|CH)(?=[A-ZĐ])))|(?![\d/]))"
)
_WEEKDAY = "|".join(sorted((re.escape(w) for w in WEEKDAYS), key=len, reverse=True))
_JOINER = re.compile(
    rf"(?i)^[\s,|\-–—()\[\]]*+(?:(?:vào\s+)?lúc|at)?[\s,|\-–—()\[\]]*+(?:(?:{_WEEKDAY})\b[\s,|\-–—()\[\]]*+)?(?:ngày\s*)?$"
)
_WEEKDAY_BEFORE = re.compile(rf"(?i)(?:{_WEEKDAY})\s*[,\-–—|]?\s*(?:ngày\s+)?$")
_LEADING_NGAY = re.compile(r"(?i)ngày\s+")
_GMT_AFTER = re.compile(r"(?i)^\s*+,?\s*+\(?\s*+(?:GMT|UTC)\s*\+\s*0?7(?::?00)?\s*\)?")
_LABEL_WINDOW = 48
_MACHINE_DATE_MAX = 64  # a machine-readable date is short; longer metadata text is not one
_WORD = re.compile(r"[a-zà-ỹ]{2,}")
# A cheap test before the date patterns: D/M, D-M, D.M, "D tháng", "YYYY-M" (all need a digit).
_DATE_LIKE = re.compile(r"(?i)\d(?:\s*[/.\-]\s*\d|\s+(?:tháng|thg)|\d{3}-\d)|tháng\s")
_ENGLISH_DATE_LIKE = re.compile(r"[A-Za-z]\.?\s+\d{1,2}(?:st|nd|rd|th)?\s*,?\s*\d{4}|\d\s+[A-Za-z]{3}")
_ACCENTED = re.compile(r"[À-ỹ]")  # Vietnamese text (and accented Latin): no English dates looked for
_DIGIT = re.compile(r"\d")
_MONTH_WORD = re.compile(r"(?i)th(?:áng|g)")  # in every date written with words ("5 tháng 3", "tháng Ba 5, 2024")


@dataclass(frozen=True)
class DateHit:
    """A date found in a text: its normalized value, where it was, and what labelled it."""

    value: str
    start: int
    end: int
    raw: str
    label: str | None  # "published", "modified", "other" (a print or today's date) or None
    has_time: bool
    label_text: str | None = None  # the label as printed, lower-cased ("ngày đăng", "cập nhật", "ngày")

    @property
    def day(self) -> str:
        return self.value[:10]


def _valid_day(year: int, month: int, day: int) -> date | None:
    if not 1990 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _clock(match: re.Match) -> tuple[int, int, int] | None:
    hour, minute = int(match.group(1)), int(match.group(2))
    second = int(match.group(3) or 0)
    marker = (match.group(4) or "").lower().replace(".", "")
    if marker in ("pm", "ch", "chiều", "tối", "trưa") and hour < 12:
        hour += 12
    elif marker in ("am", "sa", "sáng") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second


def format_value(day: date, clock: tuple[int, int, int] | None) -> str:
    if clock is None:
        return day.isoformat()
    return f"{day.isoformat()}T{clock[0]:02d}:{clock[1]:02d}:{clock[2]:02d}+07:00"


def _label_before(text: str, start: int, floor: int) -> tuple[str, str] | None:
    """(kind, label) of the date label ending closest before ``start`` (and after ``floor``), if
    any: the longest of those ending there, followed by at most 12 characters and no word."""
    window = text[max(floor, start - _LABEL_WINDOW):start].lower()
    earliest_end = len(window) - _LABEL_GAP_MAX
    last_word = None
    for last_word in _WORD.finditer(window):
        pass
    if last_word is not None:
        earliest_end = max(earliest_end, last_word.end() - 1)  # the gap may hold one letter of a word, not two
    found = _REVERSED_LABELS.search(window[::-1])
    if found is None or len(window) - found.start() < earliest_end:
        return None
    label = found.group()[::-1]
    end = len(window) - found.start()
    if label == "ngày" and _RANGE_WORD_BEFORE.search(window, 0, end - len(label)):
        return None  # "từ ngày 02/11 đến ngày 06/11", "các ngày thứ Năm 06/8", "buổi sáng ngày 12/6": days in a text
    return _LABEL_KINDS[label], label


_LABEL_GAP_MAX = 12
_LABEL_KINDS: dict[str, str] = {}
for _kind, _labels in (("other", OTHER_DATE_LABELS), ("modified", MODIFIED_LABELS), ("published", PUBLISHED_LABELS)):
    for _label in _labels:
        _LABEL_KINDS.setdefault(_label, _kind)
# Searched in the reversed window: the first match is the label ending last, the longest first.
_REVERSED_LABELS = re.compile("|".join(re.escape(label[::-1]) for label in sorted(_LABEL_KINDS, key=len, reverse=True)))


# Before a bare "ngày", these make the date a day in the text, not a labelled publish date: a span
# of days, a part of the day, an hour ("8 giờ ngày 15/4"), or a place and a comma (the signing line
# of an announcement, "Đồng Phú, ngày 28 tháng 5 năm 2025").
_RANGE_WORD_BEFORE = re.compile(
    r"(?:^|\s)(?:từ|đến|tới|trước|sau|hết|các|những|mỗi|hằng|sáng|trưa|chiều|tối|đêm|giờ)\s*$|\S,\s*$")


def _may_hold_english_date(text: str) -> bool:
    """A line of an English page with a month-name date: tested only on lines without accented
    letters, so that Vietnamese text pays one scan to its first accent."""
    return not _ACCENTED.search(text) and _ENGLISH_DATE_LIKE.search(text) is not None


def _day_hits(text: str) -> list[tuple[int, int, date, tuple[int, int, int] | None]]:
    """(start, end, day, clock-if-part-of-the-match) for every date in ``text``."""
    hits = []
    covered = bytearray(len(text) + 1)

    def add(m, day, clock=None):
        if not covered[m.start()]:
            hits.append((m.start(), m.end(), day, clock))
            covered[m.start():m.end()] = b"\x01" * (m.end() - m.start())

    if _MONTH_WORD.search(text):
        for m in _WORDS.finditer(text):
            day = _valid_day(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            if day:
                add(m, day)
        for m in _MONTH_FIRST.finditer(text):
            day = _valid_day(int(m.group(3)), int(m.group(1)), int(m.group(2)))
            if day:
                add(m, day)
        for m in _NAMED_MONTH.finditer(text):
            day = _valid_day(int(m.group(3)), _MONTH_NAMES[m.group(1).lower()], int(m.group(2)))
            if day:
                add(m, day)
    if _may_hold_english_date(text):
        for m in _ENGLISH_MONTH_FIRST.finditer(text):
            month = _ENGLISH_MONTHS.get(m.group(1).lower())
            day = month and _valid_day(int(m.group(3)), month, int(m.group(2)))
            if day:
                add(m, day)
        for m in _ENGLISH_DAY_FIRST.finditer(text):
            month = _ENGLISH_MONTHS.get(m.group(2).lower())
            day = month and _valid_day(int(m.group(3)), month, int(m.group(1)))
            if day:
                add(m, day)
    for m in _DMY.finditer(text):
        day = _valid_day(int(m.group(4)), int(m.group(3)), int(m.group(1)))
        if day:
            add(m, day)
    for m in _YMD.finditer(text) if "-" in text else ():
        day = _valid_day(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if not day:
            continue
        clock = None
        if m.group(4):
            clock = (int(m.group(4)), int(m.group(5)), int(m.group(6) or 0))
            if m.group(7):
                moment = datetime(day.year, day.month, day.day, *clock, tzinfo=_offset(m.group(7)))
                local = moment.astimezone(VIETNAM)
                day, clock = local.date(), (local.hour, local.minute, local.second)
        hits.append((m.start(), m.end(), day, clock))
    return sorted(hits, key=lambda h: h[0])


def _offset(text: str) -> timezone:
    if text.upper() == "Z":
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0)))


def find_dates(text: str) -> list[DateHit]:
    """Every date printed in ``text``, with its clock time when one stands next to it."""
    if not text or not _DIGIT.search(text) or not (_DATE_LIKE.search(text) or _may_hold_english_date(text)):
        return []
    day_hits = _day_hits(text)
    if not day_hits:
        return []
    covered = bytearray(len(text) + 1)
    for s, e, _, _ in day_hits:
        covered[s:e] = b"\x01" * (e - s)
    times = [m for m in _TIME.finditer(text) if not covered[m.start()]]
    time_starts = [m.start() for m in times]
    results = []
    floor = 0
    for start, end, day, clock in day_hits:
        span_start, span_end = start, end
        if clock is None:
            nearby = times[bisect_left(time_starts, start - 40):bisect_right(time_starts, end + 30)]
            for m in nearby:
                if m.end() <= start and _JOINER.match(text[m.end():start]) and start - m.end() < 30:
                    parsed = _clock(m)
                    if parsed:
                        clock, span_start = parsed, m.start()
                elif m.start() >= end and _JOINER.match(text[end:m.start()]) and m.start() - end < 30:
                    parsed = _clock(m)
                    if parsed and clock is None:
                        clock, span_end = parsed, m.end()
                        break
        weekday = _WEEKDAY_BEFORE.search(text, max(floor, span_start - 24), span_start)
        if weekday and weekday.end() == span_start:
            span_start = weekday.start()
        gmt = _GMT_AFTER.match(text[span_end:])
        if gmt:
            span_end += gmt.end()
        leading = _LEADING_NGAY.match(text, span_start)  # "Đăng ngày 5 Tháng 3": "ngày" ends the label
        label, label_text = _label_before(text, leading.end() if leading else span_start, floor) or (None, None)
        raw = text[leading.end() if leading else span_start:span_end].strip(" ,-–|[]")
        results.append(DateHit(format_value(day, clock), span_start, span_end, raw, label,
                               clock is not None, label_text))
        floor = span_end
    return results


_RFC2822 = re.compile(r"(?:[A-Z][a-z]{2},?\s+)?\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?"
                      r"(?:\s*(?:[+-]\d{4}|GMT|UTC?|Z))?$")


def _iso_or_rfc2822(value: str) -> datetime | None:
    """ISO 8601 or RFC 2822 ("Mon, 18 Nov 2019 16:07:38 -0600") read with the clock as written,
    as dateparser reads them, at a fraction of its cost."""
    try:
        return datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        pass
    fields = parsedate_tz(value) if _RFC2822.match(value) else None
    if fields is None:
        return None
    try:
        return datetime(*fields[:6])
    except ValueError:
        return None


def parse_machine_date(value: str | None) -> str | None:
    """Normalize a machine-readable date (ISO 8601, JSON-LD, meta tags) to the item format.

    A value that carries a clock time keeps it (converted to +07:00); a bare day stays a day.
    """
    if not value:
        return None
    value = value.strip()[:_MACHINE_DATE_MAX]
    hits = _day_hits(value)
    if hits and hits[0][0] == 0 and (hits[0][3] is not None or not _TIME.search(value, hits[0][1])):
        _, _, day, clock = hits[0]  # a day, with its clock if the pattern took it (a clock apart: below)
        return format_value(day, clock)
    parsed = _iso_or_rfc2822(value)
    if parsed is None:
        import dateparser  # slow to import and to call; only for unusual machine formats

        parsed = dateparser.parse(value, languages=["vi", "en"],
                                  settings={"DATE_ORDER": "DMY", "RETURN_AS_TIMEZONE_AWARE": False})
    if parsed is None:
        return None
    has_time = bool(_TIME.search(value))
    clock = (parsed.hour, parsed.minute, parsed.second) if has_time else None
    return format_value(parsed.date(), clock)
