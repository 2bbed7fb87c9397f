"""Recognize bylines ("Tin, ảnh: Minh Thư", a bare "Năng Nguyễn") and source lines ("Nguồn: …")."""

from __future__ import annotations

import re

from .cues import AUTHOR_LABELS, MODIFIED_LABELS, OFFICE_WORDS, PUBLISHED_LABELS, SOURCE_LABELS, VIEW_LABELS

_SEP = r"\s*[:：.]\s*"


def _label_pattern(labels: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(
        re.escape(label).replace(r"\ ", r"\s+").replace(",", r"\s*,") for label in
        sorted(labels, key=len, reverse=True)
    )
    return re.compile(rf"(?i)^[\s(\[–—\-•*]*({alternatives}){_SEP}(.+?)[\s)\]]*$")


_AUTHOR = _label_pattern(AUTHOR_LABELS)
_SOURCE = _label_pattern(SOURCE_LABELS)
_FIELD_LABELS = "|".join(
    re.escape(label) for label in sorted((*SOURCE_LABELS, *VIEW_LABELS, *PUBLISHED_LABELS, *MODIFIED_LABELS,
                                          "chia sẻ", "share"), key=len, reverse=True) if label[0].isalpha())
# The label may follow a date glued to it ("8-4-2025Tác giả: …", spans printed without a space);
# the name ends at a separator, a dash, a number or the next labelled field ("…NhungLượt xem: 985").
_INLINE_AUTHOR = re.compile(
    r"(?i)(?:^|[|•·–—\-\]]\s*|\s|(?<=\d))(tác giả(?:\s+bài viết)?|người viết|tin,?\s*ảnh|bài,?\s*ảnh)"
    r"\s*[:：]\s*([^|•·\[\]]+?)\s*(?=$|[|•·\[\]]|\s[-–—]\s|\s\d|(?<=[^\W\d_])\d|(?:" + _FIELD_LABELS + r")\s*[:：])"
)
_OPENING = "\"“('‘["
_NAME_CONNECTORS = {"-", "–", "—", "và", "&", "/", ",", "(", ")", "của"}
_SENTENCE_END = re.compile(r"[.!?…:;]$")
_OFFICE = re.compile(
    r"(?i)^(" + "|".join(re.escape(w) for w in sorted(OFFICE_WORDS, key=len, reverse=True)) + r")(?![a-zà-ỹ])"
)


_SECOND_CREDIT = re.compile(r"(?i)[,;]\s*(?:ảnh|ảnh minh họa|video|đồ họa)\s*[:：]")
# Another labelled field after the name on the same line ("Tác giả: Ban Biên tập Chia sẻ: Facebook").
_NEXT_FIELD = re.compile(r"(?i)\s(?:" + _FIELD_LABELS + r")\s*[:：]")
_REPORTER = re.compile(r"^(?:PV|Phóng viên)\s+([A-ZÀ-ỸĐ][^:]{1,60})$")


def _starts_upper(word: str) -> bool:
    """The word's first letter is a capital (Vietnamese capitals included)."""
    word = word.lstrip(_OPENING)
    return bool(word) and word[0].isupper()


def labelled_author(text: str) -> str | None:
    """The name after a byline label ("Tin, ảnh: X", "Tác giả: X", "T/h: X", "PV X"), or None."""
    if len(text) > 120:
        return None
    reporter = _REPORTER.match(text)
    if reporter and looks_like_name(reporter.group(1)):
        return reporter.group(1).strip()
    m = _AUTHOR.match(text)
    if not m:
        return None
    name = _NEXT_FIELD.split(_SECOND_CREDIT.split(m.group(2), maxsplit=1)[0], maxsplit=1)[0].strip(" .;,")
    if name.count("(") > name.count(")"):
        name += ")"
    if not name or len(name) > 80 or not _starts_upper(name):
        return None
    return name


def inline_author(text: str) -> tuple[str, int, int] | None:
    """A "Tác giả: X" byline inside a meta line ("Ngày đăng bài: … | Tác giả: X", "09/04/2026
    Tác giả: X 1,5K lượt xem"): the name ends at a separator, a dash or a number."""
    m = _INLINE_AUTHOR.search(text)
    if not m:
        return None
    name = m.group(2).strip(" .;,")
    return (name, m.start(1), m.end(2)) if name else None


_PHOTO_CREDIT = re.compile(r"(?i)^[\s(\[]*(ảnh|ảnh minh họa|ảnh minh hoạ|nguồn ảnh|photo|image|image credit)"
                           r"\s*[:：]\s*\S.{0,80}$")


def is_photo_credit(text: str) -> bool:
    """A photo-credit line ("Ảnh: Minh Khoa"): neither body text nor the byline."""
    return bool(_PHOTO_CREDIT.match(text))


def labelled_source(text: str) -> str | None:
    """The source after "Nguồn:" / "Nguồn tin:", or None."""
    if len(text) > 200:
        return None
    m = _SOURCE.match(text)
    return m.group(2).strip(" .;") if m else None


def is_office(text: str) -> bool:
    """True for an office or unit name used as a byline ("Văn phòng HĐND-UBND huyện", "BBT", and
    on the portals' English pages "Department of Culture, Sports and Tourism", "Phu Quoc City
    Culture, Sports and Broadcasting Centre")."""
    if len(text) > 90 or _SENTENCE_END.search(text.rstrip(".")):
        return False
    return bool(_OFFICE.match(text)) or _is_english_unit(text)


_ENGLISH_UNIT_START = re.compile(r"^(?:Department|Office|Board|Bureau|Committee) of ")
_ENGLISH_UNIT_END = re.compile(r"\s(?:Centre|Center|Department|Committee|Office|Board|Bureau|Agency|Newspaper|Station)$")


def _is_english_unit(text: str) -> bool:
    """A unit's English name: starts or ends with a unit noun, every long word capitalised."""
    if not (_ENGLISH_UNIT_START.match(text) or _ENGLISH_UNIT_END.search(text)):
        return False
    return all(word[0].isupper() for word in re.findall(r"[^\W\d_][\w'’-]*", text) if len(word) > 3)


_NAME_WITH_UNIT = re.compile(r"([^()]{3,40}?)\s*\(([^()]{3,120})\)")
_NAME_DASH_UNIT = re.compile(r"([^()\-–—]{3,40}?)\s+[-–—]\s+([^()]{3,120})")


def is_name_with_unit(text: str) -> bool:
    """"Trần Minh Khoa (Trung tâm Văn hóa - Thể thao và Truyền thông thị xã Điện Bàn)" or "Phan Thị
    Thu Hà - Trung tâm Văn hóa, Thông tin và Thể thao huyện Nam Đàn": a name and the unit it
    writes for, however long the unit's name."""
    if "(" in text:  # the dash pattern takes no parenthesis
        m = _NAME_WITH_UNIT.fullmatch(text)
    elif "-" in text or "–" in text or "—" in text:  # most lines hold neither: no pattern is tried
        m = _NAME_DASH_UNIT.fullmatch(text)
    else:
        return False
    return bool(m) and bool(_OFFICE.match(m.group(2)))


_NAME_END = re.compile(r"\s[-–—]\s|\(")  # where a unit follows the name


def looks_like_name(text: str) -> bool:
    """True for a short line that reads as a person's name ("Năng Nguyễn", "Huỳnh Điệp (TX)",
    "Lê Thị Xuân Trang - Phòng NN&PTNT", "Kim Lan - Quốc Nam")."""
    if not text or (len(text) > 70 and not is_name_with_unit(text)) or _SENTENCE_END.search(text.rstrip(".")):
        return False
    head = _NAME_END.split(text, maxsplit=1)[0].strip()
    if ":" in head or "：" in head:  # a label and its value ("- Lưu: VT.", a document's filing note)
        return False
    words = [w for w in head.split() if w not in _NAME_CONNECTORS]
    if not 1 <= len(words) <= 6:
        return False
    if len(words) == 1 and not (words[0].isupper() or "." in words[0]):
        return False
    return all(_starts_upper(w) for w in words) and not any(ch.isdigit() for ch in head)
