"""Article extraction: (HTML bytes, URL) → item dict. Pure: no network, no Scrapy.

The same function serves live responses, saved files and WARC records. A CMS family's selectors
(from the registry) are tried first; every field also has a generic rule anchored on the page's
text cues and structure, so a portal in an unknown markup still yields every field.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from urllib.parse import urlsplit

from lxml import etree

from ..registry import Family, Site, default_registry, host_of
from .bylines import (inline_author, is_name_with_unit, is_office, is_photo_credit, labelled_author, labelled_source,
                      looks_like_name)
from .cues import (AUTHOR_LABELS, BOX_TITLE_CLASS, CATEGORY_LABELS, CHROME_LINES, ENGLISH_WEEKDAYS, MODIFIED_LABELS,
                   PUBLISHED_LABELS, SITE_LINKS, SOURCE_LABELS, TERMINATORS, TITLE_CLASS, TOOL_LINKS, VIEW_LABELS,
                   WEEKDAYS)
from .dates import DateHit, find_dates, parse_machine_date
from .decode import decode_html
from .dom import (BLOCK_TAGS, CRUMB_SEPARATOR, HOME_WORDS, IMAGE_FILE_URL, LETTER, NORM_STRIP, Line, flatten,
                  holds, is_hidden, is_path_line, parse_html, remove_noise, select, text_of)
from .errors import ExtractionError
from .images import (collect_attachments, collect_images, image_link, image_src, is_article_image,
                     is_attachment_line, is_caption_marked)
from .metadata import PageMetadata, read_metadata
from .replays import capture_provenance, is_replay, original_url, restore_original_page, without_toolbar
from .text import clean_text, is_file_name
from .urls import absolute_url
from .views import find_view_count, parse_count


_GENERIC = Family(name="generic")
_META_TOKENS = frozenset(
    word for phrase in (PUBLISHED_LABELS + MODIFIED_LABELS + VIEW_LABELS + WEEKDAYS + AUTHOR_LABELS)
    for word in re.findall(r"[^\W\d_]+", phrase)
) | {"bình", "luận", "phản", "hồi", "ý", "kiến", "comments", "comment", "lượt", "gmt", "utc", "vào", "lúc",
     "tháng", "năm", "am", "pm", "sa", "ch", "giờ", "phút", "h", "lần", "số", "đã", "và", "ảnh",
     "by", "on", "at", "sáng", "chiều", "tối",
     # icon-font ligatures printed as text (Material Icons, Font Awesome names)
     "schedule", "visibility", "event", "access", "time", "calendar", "today", "remove", "red", "eye",
     "query", "builder", "date", "range", "clock", "icon", "fa", "o"}
_WORD = re.compile(r"[^\W\d_]+")
_UNLABELLED_COUNTS = re.compile(r"^[\s,|\-–—]*(\d{1,3}(?:[.,]\d{3})+|\d+)\s+(\d+)\s*$")
_RATING = re.compile(r"(?i)^\d([.,]\d)?\s*/\s*\d\s*-?\s*\(\s*\d+\s*bình chọn\s*\)$")
_META_RESIDUE_MAX = 15
_SHORT_BODY = 200
_TITLE_SPLIT = re.compile(r"\s+[-|–—:»]+\s+")
_SENTENCE = re.compile(r"[.!?…:;\"”)]$")
_MARKED_BODY_MIN = 200  # characters of text in a marked article body worth trusting
_ARTICLE_BODY_MARK = etree.XPath('//@itemprop[.="articleBody"]/..')  # 3x faster than //*[@itemprop=…]
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_ENGLISH_DATE = re.compile(r"(?i)\b(?:" + _MONTH + r"\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+" + _MONTH + r",?\s+\d{4})\b")
_DATELINE_MAX = 100
_SENTENCE_END = re.compile(r"[.!?…]\s*[\"”’)]?$")
_LIST_TAGS = frozenset(("ol", "ul", "dl"))
# Characters a line of links counts for at most: a menu is many short lines, and one long line of
# links inside a paragraph (a name's pop-up card of its articles) must not outweigh the text around it.
_LINK_LINE_MAX = 200
# A block's parent scores half the block's text plus its own; at this share of the block's score
# the parent holds a good part of the text itself.
_PARENT_SHARE = 0.75
_TRUNCATED = re.compile(r"(\.\.\.|…)\s*$")  # a teaser's cut summary ("… may soon...")


@dataclass
class _MetaLine:
    line: Line
    dates: list[DateHit]
    views: int | None
    residue: int


def _ends_like_sentence(text: str) -> bool:
    """Whether ``text`` ends with sentence punctuation (searched at its end only: a search from
    the start would try every character of a long paragraph)."""
    return bool(_SENTENCE.search(text, max(0, len(text) - 2)))


def _norm(text: str) -> str:
    return text.casefold().strip(NORM_STRIP)


_TERMINATOR_SET = frozenset(TERMINATORS)
_CHROME_SET = frozenset(CHROME_LINES)
# One-word tool links ("In", "Email", "Zalo"), of which a row with no other word is furniture.
_TOOL_ROW_SPLIT = re.compile(r"[\s|/·•,:-]+")
_TOOL_PHRASES = frozenset([(w,) for w in CHROME_LINES if " " not in w] + [("in",)]
                          + [tuple(_TOOL_ROW_SPLIT.split(phrase)) for phrase in TOOL_LINKS])
_TOOL_PHRASE_WORDS = max(len(phrase) for phrase in _TOOL_PHRASES)
_TOOL_FIRST_WORDS = frozenset(phrase[0] for phrase in _TOOL_PHRASES)


_TERMINATOR_PREFIX = re.compile(
    "^(?:" + "|".join(re.escape(t) for t in sorted(TERMINATORS, key=len, reverse=True)) + r")\s*[(:]")
_GLUED_TERMINATORS = tuple(sorted((t for t in TERMINATORS if len(t) >= 9), key=len, reverse=True))


def is_terminator(text: str) -> bool:
    """A heading after which the article is over (comments, related news, site chrome), or the
    site footer's publisher line ("Cơ quan chủ quản: …")."""
    if text[:1] in "Cc" and _SITE_FOOTER.match(text):  # the first letter: most lines skip the regex
        return True
    if len(text) > 80:
        return False
    norm = _norm(text)
    return norm in _TERMINATOR_SET or bool(_TERMINATOR_PREFIX.match(norm)) or bool(
        _MORE_FROM.match(norm))


_MORE_FROM = re.compile(r"^more (from |on |in |stories|news|articles)")
_SITE_FOOTER = re.compile(r"(?i)cơ quan chủ quản\s*:|chịu trách nhiệm (chính|nội dung|xuất bản)\s*:")


def _teaser_run_starts(lines: list[Line], index: int, meta_lines) -> bool:
    """A list of other articles begins here: dated lines keep recurring (date, summary, date…)."""
    dated = sum(1 for i in range(index, min(index + 8, len(lines)))
                if i in meta_lines and meta_lines[i].dates and meta_lines[i].residue <= 15)
    return dated >= 3


def split_glued_terminator(text: str) -> str | None:
    """For "Năng NguyễnCác ý kiến của bạn đọc", the text before the glued heading."""
    if len(text) >= 200:
        return None
    lowered = text.casefold()
    if not lowered.endswith(_GLUED_TERMINATORS):
        return None
    term = next(t for t in _GLUED_TERMINATORS if lowered.endswith(t))
    return text[: len(text) - len(term)].strip() or None


def is_furniture(text: str) -> bool:
    """Print/share/back links, rating widgets, bare meta labels and other page furniture."""
    if bool(_RATING.match(text)) or not _ALPHANUMERIC.search(text) or bool(_POSTED_BY.match(text)) \
            or (text[:1] in "©(CcBb" and bool(_COPYRIGHT.match(text))) \
            or (len(text) <= _FILE_SIZE_MAX and bool(_FILE_SIZE.match(text))):
        return True
    norm = _phrase_norm(text)
    if norm and not (norm[0].isalnum() and norm[-1].isalnum()):
        norm = _ICON_CHARS.sub("", norm)  # "🎧 Nghe bài viết", "✉ Gửi email"
    if norm is not None and (norm in _CHROME_SET or norm in _BARE_LABELS or norm in _BARE_CATEGORY_LABELS):
        return True
    return len(text) <= _CHROME_WORDS_MAX and _chrome_words_only(text)


_COPYRIGHT = re.compile(r"(?i)©|\(c\) |copyright\b|bản quyền (thuộc|©)")  # a footer's or a photo's credit
_ICON_CHARS = re.compile(r"^[^\w\s]+\s*|\s*[^\w\s]+$")


def _chrome_words_only(text: str) -> bool:
    """A row of tool links with no text of its own ("In Email", "Print | Share | Zalo", "In bài
    viết Đóng"): its words read as a run of tool phrases, the longest first."""
    words = [w for w in _TOOL_ROW_SPLIT.split(text.casefold()) if w]
    if len(words) < 2 or words[0] not in _TOOL_FIRST_WORDS:  # most lines: not a tool word first
        return False
    start = 0
    while start < len(words):
        for size in range(min(_TOOL_PHRASE_WORDS, len(words) - start), 0, -1):
            if tuple(words[start:start + size]) in _TOOL_PHRASES:
                start += size
                break
        else:
            return False
    return True


_CHROME_WORDS_MAX = 40


_ALPHANUMERIC = re.compile(r"[^\W_]")  # what str.isalnum accepts, found without a Python loop
_POSTED_BY = re.compile(r"(?i)^\s*(người đăng|đăng bởi|posted by|người cập nhật)\s*[:：]\s*\S{1,40}$")
# A file size alone ("27 Kb", "(1,2 MB)", "Dung lượng: 412 KB"): an attachment list's cell, not text.
_FILE_SIZE = re.compile(r"(?i)^[(\[]?\s*+(?:dung lượng|kích thước|size)?\s*+[:：]?\s*+\d+(?:[.,]\d+)?\s*"
                        r"(?:bytes?|[kmg]i?b)\s*[)\]]?$")
_FILE_SIZE_MAX = 30


_BARE_LABELS = frozenset(PUBLISHED_LABELS + MODIFIED_LABELS + VIEW_LABELS) - {"ngày", "xem"}
_BARE_CATEGORY_LABELS = frozenset(CATEGORY_LABELS)  # "Chuyên mục:" in one cell, the category in the next
_FURNITURE_PHRASE_MAX = max(map(len, _CHROME_SET | _BARE_LABELS | _BARE_CATEGORY_LABELS))


def _phrase_norm(text: str) -> str | None:
    """``_norm(text)``, or None for a line longer than every listed phrase and label (casefold
    never shortens text, so its length alone rules it out): most lines skip the casefold."""
    return _norm(text) if len(text.strip(NORM_STRIP)) <= _FURNITURE_PHRASE_MAX else None


def _is_bare_label(text: str) -> bool:
    """A date or view label alone ("Lượt xem:"), its value in the next cell."""
    return _phrase_norm(text) in _BARE_LABELS


def _is_day_label_cell(line: Line, value: Line) -> bool:
    """A table cell reading only "Ngày" whose next cell holds the value (too common a word to be a
    label anywhere else)."""
    return line.element.tag in ("td", "th", "dt") and _norm(line.text) == "ngày" \
        and line.element.getnext() is value.element


def _meta_lines(lines: list[Line]) -> dict[int, _MetaLine]:
    """The lines that carry dates or view counts, by index. A label alone in its cell
    ("Lượt xem:") is read together with the value in the next cell ("205")."""
    found = {}
    for line in lines:
        ml = _meta_line(line)
        if ml is None and line.index + 1 < len(lines) and (
                _is_bare_label(line.text) or _is_day_label_cell(line, lines[line.index + 1])):
            value = lines[line.index + 1]
            if len(value.text) <= 60 and value.image is None:
                joined = Line(text=f"{line.text} {value.text}", element=value.element,
                              barrier=value.barrier, index=value.index, ancestors=value.ancestors,
                              caption_at=value.caption_at)
                ml = _meta_line(joined)
                if ml is not None:
                    found[value.index] = ml
                continue
        if ml is not None and line.index not in found:
            found[line.index] = ml
    return found


def _meta_residue(text: str, spans: list[tuple[int, int]]) -> int:
    """How many letters of ``text`` (outside the date/view spans) are not meta vocabulary."""
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    return sum(len(w) for w in _WORD.findall(text.lower()) if w not in _META_TOKENS)


def _category_link_spans(line: Line) -> list[tuple[int, int]]:
    """Where the line names the article's category with a link between its date and views
    ("12/03/2025 Nông nghiệp - Nông thôn 1.245 lượt xem"): WordPress's ``rel="category tag"``,
    or a link in a ``post-cats``/``cat-links`` element."""
    spans = []
    for a in line.element.iter("a"):
        parent = a.getparent()
        marker = f"{a.get('rel') or ''} {a.get('class') or ''} {parent.get('class') or ''}"
        if _CATEGORY_LINK.search(marker):
            name = clean_text(text_of(a))
            start = line.text.find(name) if name else -1
            if start >= 0:
                spans.append((start, start + len(name)))
    return spans


def _tool_link_spans(line: Line) -> list[tuple[int, int]]:
    """Where the line holds share, print or email links ("Lượt đọc: 12.876 Facebook · In bài ·
    Gửi email"): tools beside the meta, not text."""
    if not line.link_chars:
        return []
    spans = []
    for name in _link_names(line):
        start = line.text.find(name) if name and is_furniture(name) else -1
        if start >= 0:
            spans.append((start, start + len(name)))
    return spans


def _only_tool_links(line: Line) -> bool:
    """Whether every link of the line is a share, print or email tool."""
    return all(not name or is_furniture(name) for name in _link_names(line))


def _link_names(line: Line) -> list[str]:
    """The cleaned text of each link in the line's block."""
    return [clean_text(text_of(a)) for a in line.element.iter("a")]


_CATEGORY_LINK = re.compile(r"(?i)\bcategory\b|\btag\b|\b(post-)?cats?\b|cat-links|chuyen-?muc")


def _meta_line(line: Line) -> _MetaLine | None:
    if line.image is not None or len(line.text) > 200:
        return None
    dates = find_dates(line.text)
    views = find_view_count(line.text)
    if not dates and views is None:
        return None
    text = line.text
    spans = [(hit.start, hit.end) for hit in dates]
    if views:
        spans.append((views[1], views[2]))
    author = inline_author(text)
    if author:
        spans.append((author[1], author[2]))
    category = _INLINE_CATEGORY.search(text)
    if category:
        spans.append((category.start(), category.end()))
    spans += _category_link_spans(line) + _tool_link_spans(line)
    count = views[0] if views else None
    if count is None and dates:
        rest = _UNLABELLED_COUNTS.match(text[dates[-1].end:])
        if rest:
            count = parse_count(rest.group(1))
            spans.append((dates[-1].end, len(text)))
    return _MetaLine(line, dates, count, _meta_residue(text, spans))


@lru_cache(maxsize=64)
def _title_parts(candidate: str) -> tuple[str, tuple[tuple[str, bool], ...]]:
    """The folded <title>, and each of its parts with whether it is the headline part."""
    parts = [p.casefold() for p in _TITLE_SPLIT.split(candidate) if p]
    headline = max(parts, key=len) if parts else ""
    return candidate.casefold(), tuple(
        (part, (part == headline or part == parts[0]) and not _SITE_NAME.search(part)) for part in parts)


_TITLE_PART_SCORE = 1.0  # a line matching a part of the <title> beside the headline: site name, category


def _doc_title_score(text: str, meta: PageMetadata) -> float:
    """How well a line matches the page's <title>/og:title: the headline part scores high, a
    category or site-name part of the <title> scores low."""
    folded = text.casefold()
    best = 0.0
    for candidate in (meta.og_title, meta.doc_title):
        if not candidate:
            continue
        whole, parts = _title_parts(candidate)
        if folded[:15] not in whole and whole not in folded:
            continue  # every match below implies one of these two (parts are pieces of the whole)
        if folded == whole or (len(whole) >= 15 and whole in folded and len(whole) >= 0.6 * len(folded)
                               and not _SITE_NAME.search(whole)):
            return 4.0
        for part, is_headline in parts:
            matches = folded == part or (len(part) >= 15 and folded.startswith(part)) or (
                len(folded) >= 15 and folded in part and len(folded) >= 0.8 * len(part))
            if matches:
                best = max(best, 4.0 if is_headline else _TITLE_PART_SCORE)
    return best


_TITLE_TAIL = re.compile(r"(?i)[\s(\[|–—-]*+(" + "|".join(
    re.escape(w) for w in sorted(PUBLISHED_LABELS + MODIFIED_LABELS, key=len, reverse=True))
    + r")?\s*+[:：]?\s*$")
_SITE_HEADER = re.compile(
    r"(?i)(cổng|trang) (thông tin|ttđt)|website |ủy ban nhân dân|uỷ ban nhân dân"
    r"|(huyện|thị xã|thành phố|xã|phường|thị trấn)\s[^.]{2,40}[-–,]\s*(tỉnh|thành phố|huyện)\s\S+"
    r"|^(ubnd|ủy ban|uỷ ban|sở|đảng ủy|huyện ủy|hđnd)\s+(huyện|xã|phường|thị trấn|thị xã|tỉnh|thành phố)"
    r"(\s+\S+){1,3}$")
_SITE_NAME = re.compile(r"(?i)cổng thông tin|trang thông tin|website|ủy ban nhân dân|uỷ ban nhân dân|"
                        r"\bubnd\b|\bportal\b")


def _title_from_head(meta: PageMetadata) -> str | None:
    for candidate in (meta.og_title, meta.doc_title):
        if candidate:
            parts = [p for p in _TITLE_SPLIT.split(candidate) if p]
            site = (meta.site_name or "").casefold()
            parts = [p for p in parts if p.casefold() != site] or parts
            return max(parts, key=len)
    return None


def _select_text(root, selectors: tuple[str, ...]) -> tuple[object, str] | None:
    """The first element with text matched by the first selector that matches one (a hidden
    element, such as Liferay's page heading for screen readers, is not read)."""
    for selector in selectors:
        for el in select(root, selector):
            if is_hidden(el):
                continue
            text = clean_text(text_of(el))
            if text:
                return el, text
    return None


def _select_longest(root, selectors: tuple[str, ...]) -> tuple[object, str] | None:
    """The element with the most text among those the first matching selector finds: a
    content selector also matches a notice or an intro box of the same kind (a Liferay page's
    "Cổng thông tin đã ngừng cập nhật" web content above the article's)."""
    for selector in selectors:
        found = [(el, clean_text(text_of(el))) for el in select(root, selector)]
        found = [(el, text) for el, text in found if text]
        if found:
            return max(found, key=lambda pair: len(pair[1]))
    return None


def _glued_date(ml: _MetaLine) -> DateHit | None:
    """A date glued to the end of a title line: "…19/02/2017)01/03/2017 15:02:43" (with a clock
    time) or "… HỌP THỨ HAI (Cập nhật: 21/02/2024)" (labelled; "… diễn ra ngày 15/11/2026", after
    a bare "ngày", is the title's own day)."""
    if not ml.dates:
        return None
    last = ml.dates[-1]
    tail = ml.line.text[last.end:].strip(" )]")
    if not tail and (last.has_time or (last.label and last.label_text != "ngày")) and last.start >= 15:
        return last
    return None


_CATEGORY_LABEL = re.compile(
    r"(?i)^(?:" + "|".join(re.escape(label) for label in CATEGORY_LABELS) + r")\s*[:：]\s*(.{2,80})$")


_INLINE_CATEGORY = re.compile(
    r"(?i)(?:^|[|·•–—)\]-]\s*|\s)(?:" + "|".join(re.escape(label) for label in CATEGORY_LABELS)
    + r")\s*[:：]\s*([^|·•]{2,80}?)\s*(?=$|[|·•])")


def _inline_category(text: str) -> str | None:
    """A category named inside a meta line ("Ngày 24/03/2024 · Chuyên mục: Người cao tuổi")."""
    m = _INLINE_CATEGORY.search(text) if len(text) <= 200 else None
    return _before_meta(m.group(1)) if m else None


def _category_label(text: str) -> str | None:
    """The category named by a "Chuyên mục: X" line."""
    m = _CATEGORY_LABEL.match(text)
    return _before_meta(m.group(1)) if m else None


def _before_meta(value: str) -> str | None:
    """A category value up to the date or view count printed after it on the same line, and the
    date's label ("Chuyên mục: Văn hóa - Xã hội Thứ Hai, ngày 9 tháng 3 năm 2026 - 14:05 Lượt xem: 0",
    "Chuyên mục: Quốc phòng - An ninh Ngày đăng: 13/02/2025")."""
    cuts = [hit.start for hit in find_dates(value)[:1]]
    views = find_view_count(value)
    if views:
        cuts.append(views[1])
    if not cuts:
        return value.strip(" -–—|·•,") or None
    return _TITLE_TAIL.sub("", value[:min(cuts)]).strip(" -–—|·•,") or None


def _title_class_score(line: Line) -> float:
    for el in line.ancestors[-3:]:
        marker = el.get("class") or el.get("id")
        if marker:
            score = _marker_title_score(marker)
            if score:
                return score
    return _inline_title_class_score(line)


_INLINE_TAGS = frozenset(("span", "font", "b", "strong", "a", "label"))


def _inline_title_class_score(line: Line) -> float:
    """The class of an inline element that holds the whole line ("<span class="TieuDeTin">" of an
    ASP.NET label in a table cell, the date label below it in the same cell)."""
    for child in line.element:
        if child.tag in _INLINE_TAGS:
            marker = child.get("class") or child.get("id")
            if marker and _marker_title_score(marker) and clean_text(text_of(child)) == line.text:
                return _marker_title_score(marker)
    return 0.0


_TITLE_CLASS_MAX = 1.5


@lru_cache(maxsize=4096)
def _marker_title_score(marker: str) -> float:
    """A headline class scores, a box-title class ("box-title" of a sidebar) counts against."""
    if TITLE_CLASS.search(marker):
        return -1.0 if BOX_TITLE_CLASS.search(marker) else _TITLE_CLASS_MAX
    return 0.0


def find_title(lines: list[Line], meta_lines: dict[int, _MetaLine], meta: PageMetadata,
               root, family: Family, category_regions=()) -> tuple[int | None, str | None, bool]:
    """(line index, text, whether the profile's selector found it) of the headline."""
    selected = _select_text(root, family.title)
    if selected and _plausible_title(selected[1]) and not _names_the_site(selected[1], meta):
        el, text = selected
        holder = el if el.tag in BLOCK_TAGS else next(
            (a for a in el.iterancestors() if a.tag in BLOCK_TAGS), el)  # the block of a <span> label
        inside = [line for line in lines
                  if line.element is el or el in line.ancestors or (line.element is holder and text in line.text)]
        if not inside:
            return None, text, True
        parts = [line.index for line in inside[1:] if line.text and line.text in text]
        split = bool(parts) and parts[0] == inside[0].index + 1  # a title split by <br>: its last line
        return (parts[-1] if split else inside[0].index), text, True
    best: tuple[float, int] | None = None
    text_lines = [line.index for line in lines if line.image is None]
    position = {index: k for k, index in enumerate(text_lines)}
    meta_positions = {position[i] for i, ml in meta_lines.items()  # not a teaser's dated link ("… (05/04/2026)")
                      if i in position and not _is_dated_headline_link(ml.line)}
    for line in lines:
        text = line.text
        if line.image is not None or not 8 <= len(text) <= 400 or len(text.split()) < 2:
            continue
        score = 0.0
        ml = meta_lines.get(line.index)
        if ml is not None:
            if ml.residue <= _META_RESIDUE_MAX:
                continue
            glued = _glued_date(ml)
            if glued is not None:
                text = _TITLE_TAIL.sub("", line.text[:glued.start])
                score += 2.5
        doc_score = _doc_title_score(text, meta)
        score += doc_score if len(text) >= 25 else min(doc_score, 1.5)
        if line.heading == 1:
            score += 3
        elif line.heading in (2, 3):
            score += 1.5
        if line.bold or line.heading:
            score += 0.5
        here = position[line.index]
        meta_below = here + 1 in meta_positions
        next_to_meta = meta_below or here - 1 in meta_positions
        if meta_below:
            score += 2.5
        elif next_to_meta or here + 2 in meta_positions:
            score += 1.5
        if len(text) >= 30:
            score += 0.5
        if line.barrier:
            score -= 5
        if category_regions and (line.element in category_regions
                                 or any(el in category_regions for el in line.ancestors[-2:])):
            score -= 3
        if line.link_density > 0.5 and not (line.heading and doc_score >= 4.0):
            score -= 1 if line.heading and next_to_meta else 3
        if len(text) < 15 or len(text) > 160 and _ends_like_sentence(text):
            score -= 1
        if len(text.split()) < 3:
            score -= 5
        if _SITE_HEADER.match(text) and len(text) < 90:
            score -= 4
        if best is not None and score + _TITLE_CLASS_MAX <= best[0]:
            continue  # no class can lift it above the best: its classes, the costliest part, are not read
        score += _title_class_score(line)
        if (best is None or score > best[0]) and not is_furniture(line.text) and not _category_label(line.text) \
                and _norm(line.text) not in _TERMINATOR_SET:  # a box's heading ("LIÊN KẾT WEBSITE")
            best = (score, line.index, text)
    if best and best[0] >= 2.5:
        return (*_whole_heading(lines, best[1], best[2], meta, meta_lines), False)
    head = _title_from_head(meta)
    if head and not _SITE_HEADER.search(head):
        return None, head, False
    if best and best[0] > 0:
        return (*_whole_heading(lines, best[1], best[2], meta, meta_lines), False)
    return None, None, False


def _is_dated_headline_link(line: Line) -> bool:
    """A dated line that is mostly a link as long as a headline: a teaser of another article
    ("Ra quân tổng vệ sinh môi trường tháng 8 16/08/2025"), not a meta line with its category's
    link ("Nông nghiệp - Nông thôn | 15/10/2026")."""
    return line.link_density > 0.5 and line.link_chars >= _HEADLINE_LINK_MIN and not _only_tool_links(line)


_HEADLINE_LINK_MIN = 35  # characters of link text


def _whole_heading(lines: list[Line], index: int, text: str, meta: PageMetadata, meta_lines) -> tuple[int, str]:
    """(index of its last line, text) of a heading split by <br> over several lines ("Phụng Hiệp
    nhân rộng mô hình<br>nuôi lươn không bùn ở xã Hòa Mỹ"): its lines joined. A title in a
    ``<span>`` or ``<strong>`` split so (its lines in one block, none a date line) is joined when
    the whole is the headline of the page's <title> or og:title, or one of those runs across the
    break ("… rác thải cồng kềnh<br>đợt 1 năm 2026 …" under og:title "Thu gom rác thải cồng kềnh
    đợt 1 năm 2026")."""
    line = lines[index]
    if line.heading:
        first, last = _line_run(lines, index, lambda other: _same_heading(other, line))
        return (index, text) if first == last else (last, _joined(lines, first, last, index, text))
    first, last = _line_run(lines, index, lambda other: other.element is line.element and other.image is None
                            and other.index not in meta_lines)
    if first == last:
        return index, text
    joined = _joined(lines, first, last, index, text)
    parts = [lines[k].text.casefold() for k in range(first, last + 1)]
    across = any(len(head) >= 15 and head in joined.casefold() and not any(head in part for part in parts)
                 for head in (t.casefold() for t in (meta.og_title, meta.doc_title) if t))
    return (last, joined) if across or _doc_title_score(joined, meta) >= 4.0 else (index, text)


def _line_run(lines: list[Line], index: int, same) -> tuple[int, int]:
    """(first, last) index of the run of lines around ``index`` that ``same`` accepts."""
    first = last = index
    while first > 0 and same(lines[first - 1]):
        first -= 1
    while last + 1 < len(lines) and same(lines[last + 1]):
        last += 1
    return first, last


def _joined(lines: list[Line], first: int, last: int, index: int, text: str) -> str:
    """The run's lines joined by a space, ``text`` standing for line ``index``."""
    return " ".join(lines[k].text if k != index else text for k in range(first, last + 1))


def _same_heading(other: Line, line: Line) -> bool:
    return other.element is line.element and other.image is None and not other.barrier and bool(other.text)


def _names_the_site(text: str, meta: PageMetadata) -> bool:
    """Whether a profile's title match is the site's name (or a category) that the <title> or
    og:site_name prints beside the headline, not the headline: a template that gives its masthead
    the class the profile guessed for the article's title ("header-title")."""
    if meta.site_name and text.casefold() == meta.site_name.casefold():
        return True
    return _doc_title_score(text, meta) == _TITLE_PART_SCORE


def _plausible_title(text: str) -> bool:
    """A headline has words enough and is not a heading of page furniture or comments."""
    return 10 <= len(text) <= 400 and len(text.split()) >= 3 and not is_terminator(text) \
        and not is_furniture(text)


def find_container(lines: list[Line], root, family: Family, marked_body=None) -> tuple[object, bool]:
    """The element holding the article text: family selector, else the best text-dense block.

    Each line's weight (its length; negative for links and barriers) counts fully for its block
    and that block's parent and halves at each level above, so the element that directly holds
    the paragraphs wins over an ancestor that also holds teaser lists. ``marked_body`` is the
    block the page itself marks as its article body (``marked_article_body``), if any.
    """
    selected = _select_longest(root, family.content)
    if selected and len(selected[1]) >= 80:
        return selected[0], True
    if marked_body is not None:
        return marked_body, False
    scores: dict = {}
    for line in lines:
        if line.image is not None:
            continue
        n = len(line.text)
        if line.barrier:
            weight = -n
        elif line.link_density > 0.5 or (line.link_density > 0 and _TRUNCATED.search(line.text)):
            weight = -1.5 * min(n, _LINK_LINE_MAX)
        elif n >= 60 or (n >= 25 and _ends_like_sentence(line.text)):
            weight = n
        else:
            weight = -0.2 * n
        ancestors = line.ancestors
        top = len(ancestors) - 1
        for depth in range(top, -1, -1):
            el = ancestors[depth]
            share = weight if top - depth <= 1 else weight / (1 << (top - depth - 1))
            entry = scores.get(el)
            if entry is None:
                scores[el] = [share, depth]
            else:
                entry[0] += share
            if -1 < share < 1:
                break
    if not scores:
        return None, False
    best, (best_score, _depth) = max(scores.items(), key=lambda kv: (kv[1][0], kv[1][1]))
    parent = best.getparent()
    parent_score = scores.get(parent, (0,))[0] if parent is not None else 0
    if best.tag in _LIST_TAGS and parent_score > 0:
        return parent, False  # a list is one part of the text ("10 things…" between its lead and end)
    if parent_score >= _PARENT_SHARE * best_score:
        return parent, False  # the first paragraphs stand beside the block that holds the rest
    return best, False


def _text_in_title_column(lines: list[Line], title_index: int, container):
    """The container, unless it stands in a grid column beside the title's own ("col-md-3
    right" beside "col-md-9 middle") while running text follows the title in its column: a
    sidebar longer than a short article ("Thủ tục hành chính nổi bật", "Lịch tiếp công dân") is
    not the article. Then the best block after the title in the title's column."""
    region = next((el for el in reversed(lines[title_index].ancestors)
                   if _COLUMN_CLASS.search(el.get("class") or "")), None)
    if region is None or holds(region, container):
        return container
    row = region.getparent()
    beside = next((el for el in (container, *container.iterancestors()) if el.getparent() is row), None)
    if beside is None or not _COLUMN_CLASS.search(beside.get("class") or ""):
        return container
    after = [line for line in lines[title_index + 1:] if _inside(line, region)]
    if not any(_is_running_text(line) for line in after):
        return container
    best, _ = find_container(after, None, _GENERIC)
    return best if best is not None else container


# A column of a grid narrower than the page ("col-md-9", "col-8"; a full-width "col-12" is a row).
_COLUMN_CLASS = re.compile(r"(?:^|\s)col(?:-[a-z]{2,3})?-(?:[1-9]|1[01])(?:\s|$)")


def marked_article_body(root, text: str):
    """The element the page marks as its article body (schema.org ``itemprop="articleBody"``)
    when exactly one such element holds running text; ``text`` is the page's text (searching it
    first spares most pages a walk of the whole tree)."""
    if not _names_article_body_attribute(text):
        return None
    marked = [el for el in _ARTICLE_BODY_MARK(root) if len(clean_text(text_of(el))) >= _MARKED_BODY_MIN]
    return marked[0] if len(marked) == 1 else None


def _names_article_body_attribute(text: str) -> bool:
    """Whether the page source has an attribute valued ``articleBody`` (JSON-LD's
    ``"articleBody":`` key is not one)."""
    start = text.find("articleBody")
    while start >= 0:
        before = text[max(0, start - 8):start].rstrip("\"' \t\r\n")
        if before.endswith("=") and text[start + 11:start + 12] in "\"' \t\r\n/>":
            return True
        start = text.find("articleBody", start + 11)
    return False


_LAYOUT_CLASS = re.compile(r"(?i)(^|[\s_-])(col|column|columns|row|grid|cell|span\d*|container|wrap|wrapper)"
                           r"($|[\s_\d-])")


def _with_twin_siblings(container, lines: list[Line], title_index: int | None = None) -> list:
    """The container and its twin blocks: an article body split into blocks ("block
    block-richtext" between image blocks, Google Sites sections, chunks between ad rails).

    The container may sit up to four levels inside such a block. Twins share the tag and the
    class, or its first name when that is not a layout word ("articleBodyText section" beside
    "articleBodyText version-2 section"). At a layout level (rows, columns, grids) only the
    twins' elements shaped like the container join, not whole columns; and only blocks holding
    running text join (the title is not running text: a page builder's title block is no twin).
    """
    prose_blocks = None
    if container.tag in _CELL_TAGS and container.get("class"):
        prose_blocks = _prose_ancestors(lines, title_index)
        cells = _twin_cells(container, prose_blocks)
        if len(cells) > 1:
            return cells
    node = container
    for _ in range(5):
        parent = node.getparent()
        if parent is None:
            break
        twins = _twins(node, parent)
        if len(twins) > 1:
            if node is not container and _LAYOUT_CLASS.search(node.get("class")):
                twins = [container if el is node else _shaped_like(el, container) for el in twins]
            if prose_blocks is None:
                prose_blocks = _prose_ancestors(lines, title_index)
            with_prose = [el for el in twins if el is node or el is container or el in prose_blocks]
            if len(with_prose) > 1:
                return _with_twin_rows(node, with_prose, prose_blocks)
        node = parent
    return [container]


_ROW_LEVELS = 4  # levels up from the twin blocks' parent to the page builder's row (row > column > inner > wrapper)


def _with_twin_rows(block, twins: list, prose_blocks: set) -> list:
    """The twin blocks, and the blocks shaped like them (tag and class) that hold running text in
    the rows beside theirs: a page builder's text goes on in the next row (WPBakery's
    ``vc_row`` > column > ``wpb_text_column``), twins of the row, not of the block."""
    row = block.getparent()
    for _ in range(_ROW_LEVELS):
        if row is None or row.getparent() is None:
            return twins
        if _LAYOUT_CLASS.search(row.get("class") or ""):
            rows = _twins(row, row.getparent())
            if len(rows) > 1:
                cls = block.get("class")
                found = []
                for other in rows:
                    found += twins if other is row else [
                        el for el in other.iter(block.tag) if el.get("class") == cls and el in prose_blocks]
                return found
        row = row.getparent()
    return twins


_CELL_TAGS = frozenset(("td", "th"))
_TWIN_CELL_TABLES = 2  # tables up from the container: a paragraph-per-row table may sit in another


def _twin_cells(cell, prose_blocks: set) -> list:
    """Cells of the container's tag and class from the first to the last holding running text
    (a subheading's cell between them included), in the outermost of its nearest tables that has
    such cells besides it: an article laid out one paragraph per table row, some rows in a nested
    table (a legacy ASP.NET portal's ``<td class="noidung">``)."""
    cls = cell.get("class")
    found = [cell]
    for table in islice(cell.iterancestors("table"), _TWIN_CELL_TABLES):
        cells = [el for el in table.iter(cell.tag) if el.get("class") == cls]
        prose = [k for k, el in enumerate(cells) if el is cell or el in prose_blocks]
        if len(prose) > 1 and prose[-1] - prose[0] + 1 > len(found):
            found = cells[prose[0]:prose[-1] + 1]
    return found


def _twins(node, parent) -> list:
    """``node``'s siblings (itself included) of its tag and class, or of its tag and first class
    name when that name is not a layout word."""
    cls = node.get("class") or ""
    names = cls.split()
    if not names:
        return []
    if _LAYOUT_CLASS.search(names[0]):
        shared = _shared_classes(cls)
        return [el for el in parent if el.tag == node.tag and _shared_classes(el.get("class") or "") == shared]
    return [el for el in parent if el.tag == node.tag and (el.get("class") or "").split()[:1] == names[:1]]


_INSTANCE_ID = re.compile(r"\d{3,}|[0-9a-f]{8,}")  # "ssa-component-instance-c1d2e3f4", "block-7315"


def _shared_classes(cls: str) -> str:
    """A class list without the names that identify one instance (a page builder's component id)."""
    return " ".join(name for name in cls.split() if not _INSTANCE_ID.search(name))


def _shaped_like(block, container):
    """The element inside ``block`` with the container's tag and class, if any."""
    cls = container.get("class")
    return next((el for el in block.iter(container.tag) if el.get("class") == cls), None)


def _prose_ancestors(lines: list[Line], title_index: int | None = None) -> set:
    """Every element that holds a line of running text (the title's line is not one)."""
    return {el for line in lines if len(line.text) >= 60 and line.link_density < 0.3 and line.index != title_index
            for el in line.ancestors}


def _lead_between(lines: list[Line], title_index: int, start: int) -> bool:
    """True when prose (a lead/sapo paragraph) stands between the title and the content block."""
    if start - title_index > 8:
        return False
    return any(_is_running_text(line) for line in lines[title_index + 1:start])


def _intro_block_before(lines: list[Line], title_index: int, start: int, container) -> int:
    """Where the text starts when its lead stands in a block of its own just before the content
    block, a lead photo at most between them (Joomla K2's "itemIntroText" before "itemFullText"):
    the lead's line; else ``start``."""
    k = start - 1
    while k > title_index and (lines[k].image is not None or is_caption_marked(lines[k])):
        k -= 1
    lead = lines[k]
    if k <= title_index or not _is_running_text(lead) or lead.link_chars or _TRUNCATED.search(lead.text) \
            or any(el.tag == "li" for el in lead.ancestors[-3:]):
        return start  # (a teaser list's cut summary is not a lead)
    lead_block = lines[k].ancestors[-2] if len(lines[k].ancestors) >= 2 else lines[k].element
    siblings = (container, container.getparent())
    if any(node is not None and node.getprevious() is not None and holds(node.getprevious(), lead_block)
           for node in siblings):
        return k
    return start


def _is_running_text(line: Line) -> bool:
    """A paragraph of prose: long enough, ending like a sentence, not links or a barrier."""
    return len(line.text) >= 60 and not line.barrier and line.link_density < 0.3 \
        and _ends_like_sentence(line.text)


def _is_article_part(line: Line) -> bool:
    """Running text, or a subheading that neither ends the article nor is furniture."""
    return _is_running_text(line) or (line.heading > 1 and not line.link_chars and not is_terminator(line.text)
                                      and not is_furniture(line.text))


def _is_loose_text(line: Line) -> bool:
    """Running text in no block but the page itself, right after the content block: what a stray
    ``</body>`` or unclosed ``<div>`` pushed out of the article, which browsers still show there."""
    parent = line.element.getparent()
    return parent is not None and parent.tag in ("body", "html") and _is_running_text(line)


def _inside(line: Line, container) -> bool:
    return line.element is container or container in line.ancestors


def _date_candidates(meta_lines: dict[int, _MetaLine], anchor: int | None, lines: list[Line], prose_start: int):
    """Meta lines scored by how surely they carry the article's own date.

    A date in running text ("Ngày 8/01/2019, Ủy ban …") is not the article's date; a line qualifies
    when it is mostly date, time, view-count and label words, or when the date is glued to the end
    of the title line (WebSphere portals). When the title stands in an ``<article>``, an unlabelled
    date outside it (today's date in the page's top bar) is not the article's, and neither is one
    in a table of dated rows (a work schedule in the text) or one on a labelled field line or in
    a list item after the text has begun (``prose_start``: "Thời gian: …, ngày 15 tháng 4", a
    "Tin xem nhiều" list).
    """
    article = None
    if anchor is not None and anchor < len(lines):
        article = next((el for el in lines[anchor].ancestors if el.tag == "article"), None)
    dated_tables = _dated_row_tables(meta_lines)
    scored = []
    for index, ml in meta_lines.items():
        if not ml.dates or all(h.label == "other" for h in ml.dates):
            continue
        if ml.residue > _META_RESIDUE_MAX and not (index == anchor and _glued_date(ml)):
            continue
        in_text = anchor is not None and anchor < prose_start < index
        # "Ngày 10/11/2026 (thứ Ba)" with the text going on after it (a schedule's cell) is labelled
        # by a word of the text, not by a meta label ("Ngày | 17/07/2025" in a meta table after it)
        labelled = any(hit.label for hit in ml.dates) and not (
            in_text and all(hit.label_text in (None, "ngày") for hit in ml.dates)
            and any(_is_running_text(line) for line in lines[index + 1:index + _TEXT_GOES_ON_LINES]))
        if not labelled and in_text and (
                _FIELD_LABEL.match(ml.line.text) or any(el.tag == "li" for el in ml.line.ancestors[-2:])):
            continue  # an event's time in the text, or an item of a list after it, not the article's
        if dated_tables and not labelled \
                and any(el in dated_tables for el in ml.line.ancestors):
            continue
        if not labelled and (_beside_site_links(ml.line) or _in_linked_list_item(ml.line)
                             or _beside_site_name(lines, index, anchor)):
            continue  # today's date in the top bar or masthead; a teaser's date under its linked headline
        score = 0.0
        if anchor is not None:
            distance = index - anchor
            if -6 <= distance <= 10:
                score += 10 - abs(distance) * (0.6 if distance > 0 else 1.0)
            else:
                score -= 5
        if labelled:
            score += 5
        elif article is not None and article not in ml.line.ancestors:
            score -= 10
        elif anchor is not None and index < anchor and _navigation_between(lines, index, anchor):
            score -= 6  # today's date in the page's top bar, above the menu or breadcrumb
        if all(hit.label == "modified" for hit in ml.dates):
            score -= 1.5
        if ml.views is not None:
            score += 3
        if ml.line.link_density > 0.5 and _date_in_link(ml):
            score -= 4
        if ml.line.barrier:
            score -= 10
        lowered = ml.line.text.casefold()
        if not any(hit.label for hit in ml.dates) and any(w in lowered for w in ENGLISH_WEEKDAYS):
            score -= 6
        scored.append((score, index, ml))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return scored


_TEXT_GOES_ON_LINES = 8
# "Thời gian:", "Địa điểm:" before a value, also as a numbered item ("1. Thời gian: …")
_FIELD_LABEL = re.compile(r"^(?:\d{1,2}[.)]\s*)?[^\W\d_][^\d:：]{1,28}[:：]")
_DATED_ROWS = 3


def _navigation_between(lines: list[Line], first: int, last: int) -> bool:
    """Whether a breadcrumb or a row of links stands between two lines: the first is in the
    page's header, not in the article's."""
    return any(line.link_density > 0.5 or is_path_line(line.text, _PATH_LINE_MAX) for line in lines[first + 1:last])


_LINK_ROW_SPLIT = re.compile(r"\s*[|/·•,]\s*")


def _is_site_links_row(line: Line) -> bool:
    """A row of the top bar's links to the site's own pages ("Liên hệ · Sơ đồ cổng", or the
    links set apart by the stylesheet alone: "Sơ đồ cổng English")."""
    if all(_norm(part) in SITE_LINKS for part in _LINK_ROW_SPLIT.split(line.text)):
        return True
    if line.link_density <= 0.5:
        return False
    rest = line.text
    for link in _site_links_on(line):
        rest = rest.replace(link, " ", 1)
    return rest != line.text and not LETTER.search(rest)


def _site_links_on(line: Line) -> list[str]:
    """The texts of the line's links to the site's login, contact, map or language pages."""
    texts = (clean_text(text_of(a)) for a in line.element.iter("a"))
    return [text for text in texts if _norm(text) in SITE_LINKS and text in line.text]


_SITE_NAME_MAX = 120
_MASTHEAD_LINES = 3  # lines back from a date to the site's name in the same box
_MASTHEAD_DEPTH = 3  # levels up from the date's block to the box they share


def _beside_site_name(lines: list[Line], index: int, anchor: int | None) -> bool:
    """Whether the date stands in one small box with the site's name ("UBND HUYỆN ĐỊNH HÓA -
    CỔNG THÔNG TIN ĐIỆN TỬ" in a cell of the masthead's row, the date in the next), the title not
    between them: today's date, or a print view's."""
    near = lines[index].ancestors[-_MASTHEAD_DEPTH:]
    first = max(0, index - _MASTHEAD_LINES, anchor + 1 if anchor is not None and anchor < index else 0)
    for line in lines[first:index]:
        if len(line.text) <= _SITE_NAME_MAX and _SITE_HEADER.search(line.text) \
                and any(el in line.ancestors for el in near):
            return True
    return False


def _beside_site_links(line: Line) -> bool:
    """Whether the line holds a link to the site's login, contact, map or language page: a date
    on it is today's, in the page's top bar."""
    return line.link_chars > 0 and bool(_site_links_on(line))


def _date_in_link(ml: _MetaLine) -> bool:
    """Whether one of the line's dates is a link's text (a dated item of a related list), not
    printed beside share links ("08:15 25/04/2025 Facebook Zalo")."""
    links = [text_of(a) for a in ml.line.element.iter("a")]
    return any(ml.line.text[hit.start:hit.end] in link for hit in ml.dates for link in links) or not links


def _dated_row_tables(meta_lines: dict[int, _MetaLine]) -> set:
    """Tables with a date in the first cell of three or more rows: a schedule or a list of events,
    whose dates are data, not the article's."""
    rows: dict = {}
    for ml in meta_lines.values():
        cell = _table_cell(ml.line)
        row = cell.getparent() if cell is not None else None
        if ml.dates and row is not None and row.tag == "tr" and row.index(cell) == 0:
            table = next((el for el in row.iterancestors("table")), None)
            rows.setdefault(table, set()).add(row)
    return {table for table, dated in rows.items() if table is not None and len(dated) >= _DATED_ROWS}


def _table_cell(line: Line):
    """The table cell a line is read in, if any (the line's own block or its nearest one)."""
    return next((el for el in reversed(line.ancestors) if el.tag in ("td", "th")), None)


def _pick_dates(ml: _MetaLine) -> tuple[DateHit, DateHit | None]:
    dates = [h for h in ml.dates if h.label != "other"]
    published = next((h for h in dates if h.label == "published"), None)
    modified = next((h for h in dates if h.label == "modified"), None)
    if published is None:
        published = next((h for h in dates if h.label is None), None) or modified
        if published is modified:
            modified = None
    return published, modified


_AUTHOR_CLASS = re.compile(r"(?i)author|byline|tac-?gia|nguoi-?viet|writer")
_NOT_AUTHOR_CLASS = re.compile(r"(?i)avatar|image|photo|img|bio|date|time")


def _author_near_title(lines: list[Line], title_index: int, meta_lines) -> tuple[str | None, int | None]:
    """A byline at the top: a labelled one ("Thực hiện: …") between the title and the text, or a
    name in an element the template calls the author or byline (a line of its own, or a span of
    the meta line), or in an ``<address>`` (HTML's element for the author's name and contact)."""
    prose = _first_prose(lines, title_index)
    for line in lines[title_index + 1:min(prose, title_index + 5)]:
        if line.image is None and not line.barrier and labelled_author(line.text):
            return labelled_author(line.text), line.index
    k = title_index - 1  # a meta block printed over the title (Joomla's "article-info" above its heading)
    while k >= 0 and title_index - k <= _META_ABOVE_TITLE_LINES and not lines[k].barrier:
        name = labelled_author(lines[k].text)
        if name and looks_like_name(name):
            return name, k
        if k not in meta_lines and not _category_label(lines[k].text):  # a "Chuyên mục:" line of the block
            break
        k -= 1
    for line in lines[title_index + 1:min(prose, title_index + 5)]:
        name = _author_span(line) if line.image is None and not line.barrier and len(line.text) <= 200 else None
        if name:
            return name, line.index
    for line in lines[max(0, title_index - 3):title_index + 8]:
        if line.image is not None or line.barrier or line.index == title_index or not looks_like_name(line.text):
            continue  # (a short headline reads like a name: "Dòng Xà No")
        for el in line.ancestors[-3:]:
            marker = el.get("class") or el.get("id") or ""
            if el.tag == "address" or (_AUTHOR_CLASS.search(marker) and not _NOT_AUTHOR_CLASS.search(marker)):
                return labelled_author(line.text) or line.text, line.index
    return None, None


_META_ABOVE_TITLE_LINES = 5
_AUTHOR_PART_CLASS = re.compile(r"(?i)type|role|wrapper|container")  # a byline's job title, or all of it


def _author_span(line: Line) -> str | None:
    """The name in an inline element of a meta line that the template calls the author
    ("<span class="byline"><span class="author vcard"><a class="url fn n">Lâm Thanh Tú</a>")."""
    for el in line.element.iter("span", "a", "strong", "b", "em", "i", "cite"):
        marker = el.get("class")
        if marker and _AUTHOR_CLASS.search(marker) and not _NOT_AUTHOR_CLASS.search(marker) \
                and not _AUTHOR_PART_CLASS.search(marker):
            name = clean_text(text_of(el))
            if name and name in line.text and looks_like_name(name):
                return labelled_author(name) or name
    return None


def _view_count_anywhere(meta_lines: dict[int, _MetaLine], anchor: int, lines: list[Line], base_url: str,
                         page_urls: set) -> int | None:
    """A view count printed away from the title (in its own box), nearest to the title first;
    not one of a list of links to other articles ("24/11/2026 | 418 lượt xem" under a "Tin mới"
    item) or of a teaser box, nor one in another column of the layout."""
    title_ancestors = lines[anchor].ancestors if anchor < len(lines) else ()
    found = [(abs(index - anchor), ml.views) for index, ml in meta_lines.items()
             if ml.views is not None and not ml.line.barrier and ml.residue <= _META_RESIDUE_MAX
             and (ml.line.link_density <= 0.5 or _only_tool_links(ml.line)) and not _in_linked_list_item(ml.line)
             and not _in_teaser(ml.line, base_url, page_urls)
             and not (title_ancestors and _in_another_column(ml.line.ancestors, title_ancestors))]
    return min(found)[1] if found else None


_TEASER_HEADINGS = ("h2", "h3", "h4", "h5")


def _in_teaser(line: Line, base_url: str, page_urls: set, title=None) -> bool:
    """Whether the line's box is a teaser of another article: a heading beside it links to
    another page ("Tin tiêu điểm": a linked <h4>, its date and views, its lead, "Chi tiết »").
    A box holding the ``title`` element is the article's own (its linked category heading)."""
    for box in line.ancestors[-3:-1]:
        if title is not None and holds(box, title):
            continue
        for a in box.iter("a"):
            parent = a.getparent()
            if parent is not None and parent.tag in _TEASER_HEADINGS:
                target = absolute_url(base_url, a.get("href"))
                if target and target not in page_urls:
                    return True
    return False


def _in_linked_list_item(line: Line) -> bool:
    """Whether the line is part of a list item that links to another page (a teaser's date and
    count under its headline)."""
    return any(el.tag == "li" and any(a.get("href") for a in el.iter("a")) for el in line.ancestors[-3:])


def _lead_image_over_title(lines: list[Line], title_index: int, meta_lines) -> int:
    """Where the article's images begin: at a photo set right over the title with its marked
    caption (a <figcaption>, a caption class) between them, as templates that put the lead image
    above the headline print it, or with none in the title's own box (a WordPress post
    thumbnail); else after the title (a bare image further out is the header's banner)."""
    above = title_index - 1
    while above > 0 and above in meta_lines and title_index - above <= _META_OVER_TITLE:
        above -= 1  # the date printed between the photo's caption and the headline
    k = above - 1
    if k >= 0 and lines[k + 1].image is None and is_caption_marked(lines[k + 1]) \
            and lines[k].image is not None and not lines[k].barrier and _opens_itself(lines[k].image):
        return k
    k = title_index - 1
    if k >= 0 and lines[k].image is not None and not lines[k].barrier and _opens_itself(lines[k].image) \
            and _is_lead_photo(lines[k], lines[title_index]):
        return k
    return title_index + 1


def _is_lead_photo(image: Line, title: Line) -> bool:
    """A bare photo right over the title that is the article's: in the title's own <article>
    box (a WordPress post thumbnail), or named by the headline itself (its alt text)."""
    alt = image.image.get("alt")
    if alt and clean_text(alt).casefold() == title.text.casefold():
        return True
    return any(el.tag == "article" and el in image.ancestors for el in title.ancestors[-_LEAD_BOX_LEVELS:-1])


_LEAD_BOX_LEVELS = 3  # the title's block, its parent and grandparent: the article's header or item box
_META_OVER_TITLE = 2  # date or view lines printed between a lead photo's caption and the headline


def _first_prose(lines: list[Line], anchor: int) -> int:
    """Index of the first paragraph of running text after ``anchor`` (where the header zone of
    date and view lines ends; a date line after it, "Thời gian: 8 giờ ngày 15/3", is body)."""
    for line in lines[anchor + 1:]:
        if _is_running_text(line):
            return line.index
    return len(lines)


def _meta_distance(lines: list[Line], first: int, second: int) -> int:
    """Lines from one meta line to another, not counting bare labels whose value is the next line
    ("Lượt xem" | "1.234" | "Cập nhật" | "13/03/2026" in the cells of a meta table)."""
    low, high = min(first, second), max(first, second)
    return high - low - sum(1 for line in lines[low + 1:high] if _is_bare_label(line.text))


def _separate_publish_date(candidates, chosen: _MetaLine, anchor: int, base_url: str,
                           page_urls: set, title) -> _MetaLine | None:
    """The publish date printed apart from the update line that scored best: next to it, just
    under the title ("Thứ hai, 05 Tháng 8 2013" under the title, "Lần cập nhật cuối (…)" at the
    end) or on the line over the title; never a teaser card's date (the last card of a "Tin mới"
    strip right over the title)."""
    update = chosen.dates[0].value
    for score, index, ml in candidates:
        near = (index > anchor and (abs(index - chosen.line.index) <= 3 or index - anchor <= 4)) \
            or anchor - _DATE_OVER_TITLE_LINES <= index < anchor
        if ml is not chosen and score > 0 and near and ml.dates[0].label in (None, "published") \
                and ml.dates[0].day <= update[:10] and not _in_teaser(ml.line, base_url, page_urls, title):
            return ml
    return None


_DATE_OVER_TITLE_LINES = 2


def _separate_update_date(candidates, chosen: _MetaLine, published: DateHit, lines: list[Line]) -> DateHit | None:
    """An update date printed on its own line next to the publish date ("Cập nhật: …"), a label
    in its own cell and its value counting as one line."""
    for _score, index, ml in candidates:
        if ml is chosen or _meta_distance(lines, index, chosen.line.index) > 3 or ml.line.barrier:
            continue
        for hit in ml.dates:
            if hit.label == "modified" and hit.value != published.value:
                return hit
    return None


@dataclass
class _Body:
    paragraphs: list[Line]
    images: list[dict]
    author: str | None
    source: str | None
    consumed: set[int]
    trailing_dates: list[DateHit]  # labelled dates printed after the text ("Cập nhật: 13/03/2025")


def _tail_byline(candidates: list[Line]) -> tuple[str | None, str | None, int]:
    """(author, source, how many trailing lines they used) from the end of the article.

    Reads upwards from the last line: source lines, labelled or bare bylines, and a name line
    above a unit line ("Minh Kiên" / "Trung tâm VHTT&TT Hữu Lũng").
    """
    author = source = None
    used = 0
    if _name_then_unit(candidates[-2:]):
        return labelled_author(candidates[-2].text) or candidates[-2].text, None, 2
    for k in range(len(candidates) - 1, -1, -1):
        line = candidates[k]
        text = line.text
        if is_photo_credit(text):
            pass
        elif source is None and labelled_source(text):
            source = labelled_source(text)
        elif author is None and labelled_author(text):
            author = labelled_author(text)
        elif author is None and _is_bare_byline(line) and not (k and _is_signature_mark(candidates[k - 1].text)):
            author = text
        elif author is not None and is_office(author) and labelled_author(text):
            author = labelled_author(text)
        elif author is not None and is_office(author) and looks_like_name(text) and len(text) <= 40 \
                and not labelled_author(candidates[-1].text):
            author = text
        else:
            break
        used += 1
        if used >= 3:
            break
    return author, source, used


_SIGNER_TITLE = re.compile(r"^(?:(?:KT|TM|TL|TUQ|Q)\.\s*)?(?:PHÓ\s+)?(?:CHỦ TỊCH|GIÁM ĐỐC|BÍ THƯ|TRƯỞNG BAN|TRƯỞNG PHÒNG"
                           r"|CHÁNH VĂN PHÒNG|ỦY BAN NHÂN DÂN|UBND)\b")


def _is_signature_mark(text: str) -> bool:
    """What stands over a signer's name at the end of a document (a notice's signature block):
    "(Đã ký)", or the signer's title in capitals ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"). The name
    under it is the document's, not the article's byline."""
    return text.casefold().strip("() ") == "đã ký" or (text.isupper() and _SIGNER_TITLE.match(text) is not None)


_FOOTNOTE = re.compile(r"^[(\[]\d{1,2}[)\]]\s*\S")  # "(1) Nghị quyết số 15/NQ-HĐND …", "[2] …"


def _trailing_footnotes(lines: list[Line]) -> int:
    """How many of the last lines are the article's numbered notes ("(1) …"), which may follow
    its byline: they stay text, and the byline is read above them."""
    count = 0
    while count < len(lines) and _FOOTNOTE.match(lines[len(lines) - 1 - count].text):
        count += 1
    return count


def _name_then_unit(pair: list[Line]) -> bool:
    """A bold name, then its unit, in one paragraph split by <br> ("<b>Trần Minh Luân</b><br>Trung
    tâm Văn hóa, Thông tin và Thể thao huyện Long Mỹ"), or a name paragraph and the unit's
    paragraph right after it: a two-line byline however long the unit."""
    if len(pair) != 2:
        return False
    name, unit = pair
    if not (len(name.text) <= 40 and looks_like_name(name.text) and is_office(unit.text)
            and not labelled_author(unit.text) and not labelled_source(name.text)):
        return False
    return (name.element is unit.element and name.bold) or name.element.getnext() is unit.element


def _is_bare_byline(line: Line) -> bool:
    text = line.text
    if (len(text) > 70 and not is_name_with_unit(text)) or is_furniture(text):
        return False
    return looks_like_name(text) or (is_office(text) and (line.align == "right" or line.bold
                                                          or line.italic or len(text) <= 40))


def _is_dateline(text: str) -> bool:
    """A short line stating when the page was published in English ("Nov 18, 2019 7:04 pm ET",
    "By HNN Staff | November 18, 2019 at 2:26 PM"): page furniture, not a sentence of the text
    nor the attribution of a quoted post ("— Name (@handle) November 18, 2019")."""
    return len(text) <= _DATELINE_MAX and not text.startswith(("—", "–", "-")) \
        and not _SENTENCE_END.search(text) and bool(_ENGLISH_DATE.search(text))


def _resume_after_box(lines: list[Line], index: int, end: int, kept: list[Line]) -> int | None:
    """Where the text goes on after a box set into it ("Related news" between two paragraphs):
    the first line after the box when the first text after it (below any photo) is running text
    beside the paragraphs kept so far, or in a quote among them; None when the article ends at
    ``index``."""
    if not kept:
        return None
    body_parent = kept[-1].element.getparent()
    box = next((el for el in lines[index].ancestors if el.getparent() is body_parent), None)
    if box is None:
        return None
    after = next((j for j in range(index + 1, end) if not _inside(lines[j], box)), end)
    for line in lines[after:min(end, after + _RESUME_LOOKAHEAD)]:
        if line.image is not None:
            continue  # a photo right after the box: the text goes on below it
        parent = line.element.getparent()
        beside = parent is body_parent or (parent is not None and parent.getparent() is body_parent)
        return after if beside and _is_running_text(line) else None
    return None


_RESUME_LOOKAHEAD = 3  # lines after a box: photos, then the paragraph that shows the text goes on


def extract_body(lines: list[Line], start: int, end: int, skip: set[int], title: str | None,
                 base_url: str, meta_lines, image_start: int, title_index: int | None) -> _Body:
    """Paragraphs, images, byline and source of lines[start:end] (images from ``image_start``:
    a lead image may stand between the title and the text block, or over the title's line)."""
    images, consumed = collect_images(lines, min(image_start, start), end, base_url, title_index)
    kept: list[Line] = []
    folded_title = (title or "").casefold()
    for i in range(start, end):
        line = lines[i]
        if line.barrier and kept:
            break
        if line.image is not None or line.barrier or i in consumed or i in skip:
            continue
        text = line.text
        if (is_terminator(text) and line.link_density < 0.5) or (
                kept and i in meta_lines and _teaser_run_starts(lines, i, meta_lines)):
            resume = _resume_after_box(lines, i, end, kept)
            if resume is None:
                break
            skip = skip | set(range(i, resume))
            continue
        glued = split_glued_terminator(text)
        if glued is not None:
            kept.append(Line(text=glued, element=line.element, align=line.align, bold=line.bold,
                             index=line.index, ancestors=line.ancestors, caption_at=line.caption_at))
            break
        if line.barrier or (is_furniture(text) and not _is_column_heading(line)) \
                or line.link_density > 0.6 or _is_labelled_link_row(line) \
                or (is_caption_marked(line) and not _FOOTNOTE.match(text)) \
                or is_photo_credit(text) or _is_dateline(text) \
                or is_attachment_line(line, base_url) or _category_label(text) or is_file_name(text):
            continue
        if text.casefold() == folded_title:
            continue
        kept.append(line)
    trailing_dates = []
    while kept and (_is_labelled_meta(meta_lines.get(kept[-1].index))
                    or _is_view_count_line(meta_lines.get(kept[-1].index))):
        trailing_dates[:0] = meta_lines[kept.pop().index].dates
    notes = _trailing_footnotes(kept)
    author, source, used = _tail_byline(kept[:len(kept) - notes]) if notes else (None, None, 0)
    if not used:  # no byline above the notes: read it at the very end
        notes = 0
        author, source, used = _tail_byline(kept)
    paragraphs = kept[: len(kept) - notes - used] + kept[len(kept) - notes:]
    for line in list(paragraphs[:2]):
        if labelled_author(line.text) and author is None:
            author = labelled_author(line.text)
            paragraphs.remove(line)
        elif labelled_source(line.text) and source is None:
            source = labelled_source(line.text)
            paragraphs.remove(line)
    return _Body(paragraphs, images, author, source, consumed, trailing_dates)


def _is_column_heading(line: Line) -> bool:
    """A category word heading a column of a data table in the text ("Lĩnh vực | Số thủ tục |
    …" in the first row of three or more cells), not a bare label of the page's meta."""
    if _norm(line.text) not in _BARE_CATEGORY_LABELS:
        return False
    cell = _table_cell(line)
    row = cell.getparent() if cell is not None else None
    return row is not None and row.tag == "tr" and len(row) >= 3 and row.getprevious() is None


_LINK_ROW_LABEL = re.compile(r"(?i)^(?:chia sẻ|share|tags?|thẻ|từ khóa|từ khoá)\s*[:：]\s*")


def _is_labelled_link_row(line: Line) -> bool:
    """A label and then only links ("Chia sẻ: Facebook Zalo", "Từ khóa: …"): a widget, not text."""
    label = _LINK_ROW_LABEL.match(line.text)
    return label is not None and line.link_chars >= len(line.text) - label.end() - 2


def _is_labelled_meta(ml: _MetaLine | None) -> bool:
    """A line that is only labelled dates ("Cập nhật: 13/03/2025"): meta, never text."""
    return ml is not None and bool(ml.dates) and ml.residue <= _META_RESIDUE_MAX \
        and all(hit.label in ("published", "modified") for hit in ml.dates)


def _is_view_count_line(ml: _MetaLine | None) -> bool:
    """A line that is only a view count ("Lượt xem: 356" under the text): meta, never text."""
    return ml is not None and not ml.dates and ml.views is not None and ml.residue <= _META_RESIDUE_MAX


def _gallery_after(lines: list[Line], end: int, base_url: str, images: list[dict]) -> list[dict]:
    """The photos of a gallery set right after the text (Drupal's image field under the body):
    a run of two or more images, each with at most its marked caption (a <figcaption>, a caption
    class), that starts where the content block ends."""
    stop = end
    while stop < min(len(lines), end + _GALLERY_LINES):
        line = lines[stop]
        if line.barrier or not ((line.image is not None and _opens_itself(line.image)) or is_caption_marked(line)):
            break
        stop += 1
    if stop == end or lines[end].image is None or sum(line.image is not None for line in lines[end:stop]) < 2:
        return []
    seen = {image["src"] for image in images}
    return [image for image in collect_images(lines, end, stop, base_url)[0] if image["src"] not in seen]


def _text_after_gallery(lines: list[Line], end: int, container) -> int:
    """Where the text ends when it goes on after photos set just after the content block, in a
    sibling block (TYPO3's text-and-media elements after the article body): past the photos and
    their captions and the text after them, while it stays in the block's parent and reads as
    text; ``end`` when no running text follows the photos."""
    parent = container.getparent() if container is not None else None
    stop = end
    while stop < len(lines) and not lines[stop].barrier and (lines[stop].image is not None or is_caption_marked(lines[stop])):
        stop += 1
    if parent is None or stop == end or stop == len(lines) or not _is_running_text(lines[stop]):
        return end
    while stop < len(lines) and parent in lines[stop].ancestors and lines[stop].image is None \
            and not lines[stop].barrier and not is_terminator(lines[stop].text) and not is_furniture(lines[stop].text):
        stop += 1
    return stop


def _opens_itself(image) -> bool:
    """A photo not in a link, or in one to an image file (a gallery's full size), unlike a
    button's icon ("javascript:history.back()") or a banner linking to another page."""
    link = next((a for a in image.iterancestors("a")), None)
    href = link.get("href") if link is not None else None
    return not href or bool(IMAGE_FILE_URL.search(href))


_GALLERY_LINES = 60  # images and captions of a gallery after the text


def _dates_after_container(lines: list[Line], end: int, meta_lines, base_url: str) -> list[DateHit]:
    """Labelled dates on the lines just after the content block ("Ngày cập nhật: 15/04/2026
    10:20" under the text, below its attachment box if any), before anything that ends the
    article."""
    found = []
    read = 0
    for line in lines[end:]:
        if read == _AFTER_CONTAINER_LINES or line.barrier or is_terminator(line.text):
            break
        if line.image is not None or is_furniture(line.text) or is_attachment_line(line, base_url):
            continue  # an attachment box's heading, files and sizes, tool links
        read += 1
        if _is_labelled_meta(meta_lines.get(line.index)):
            found += meta_lines[line.index].dates
    return found


_AFTER_CONTAINER_LINES = 3


def _after_container_byline(lines: list[Line], end: int, base_url: str) -> tuple[str | None, str | None]:
    """A byline and source printed just after the content block (below its attachment box, if
    any), before the comment form."""
    following = []
    in_box = False
    for line in lines[end:]:
        if len(following) == _AFTER_CONTAINER_BYLINE_LINES or line.barrier or is_terminator(line.text):
            break
        if _ATTACHMENT_HEADING.match(line.text):
            in_box = True
            continue
        if in_box and (line.image is not None or is_attachment_line(line, base_url) or is_furniture(line.text)):
            continue  # the box's files, icons and sizes
        in_box = False
        if line.image is not None:
            break
        glued = split_glued_terminator(line.text)
        following.append(line if glued is None else Line(text=glued, element=line.element))
        if glued is not None:
            break
    author = source = None
    for line in following:
        if author is None and labelled_author(line.text):
            author = labelled_author(line.text)
        elif source is None and labelled_source(line.text):
            source = labelled_source(line.text)
    if author is None and following and _is_bare_byline(following[0]):
        author = following[0].text
    if author is None or source is None:
        cells_author, cells_source, _ = _byline_cells(lines, end)
        author, source = author or cells_author, source or cells_source
    return author, source


_AFTER_CONTAINER_BYLINE_LINES = 4


def _label_and_value(label: Line, value: Line) -> str:
    """A label cell and its value cell as one labelled line ("Tác giả" | "X" → "Tác giả: X")."""
    return f"{label.text.rstrip(' :：')}: {value.text}"


_BYLINE_CELL_LABELS = frozenset(AUTHOR_LABELS + SOURCE_LABELS)
_META_TABLE_LINES = 12  # a meta table after the text: date, views, author, source, each label and value


def _value_of(label: Line, value: Line) -> bool:
    """Whether ``value`` is printed as the value of the label: in the block after the label's
    (a cell after a cell, Drupal's "field-items" after its "field-label") or inside it."""
    after = label.element.getnext()
    return (after is not None and (after is value.element or after in value.ancestors)) \
        or value.element.getparent() is label.element


def _byline_cells(lines: list[Line], begin: int, stop: int | None = None) -> tuple[str | None, str | None, set[int]]:
    """An author and a source in label and value cells ("Tác giả:" | "Ngô Thanh Tuấn", "Nguồn:" |
    "Báo Hậu Giang"), as in a meta table or <dl> printed under the title or below the text, or a
    field whose value block sits inside the block of its label (Drupal's views fields), and the
    indices of the lines they took."""
    author = source = None
    used: set[int] = set()
    window = lines[begin:min(begin + _META_TABLE_LINES, len(lines) if stop is None else stop)]
    for k, line in enumerate(window[:-1]):
        if line.barrier or is_terminator(line.text):
            break
        value = window[k + 1]
        if line.image is None and _norm(line.text) in _BYLINE_CELL_LABELS and _value_of(line, value):
            joined = _label_and_value(line, value)
            found_author, found_source = labelled_author(joined), labelled_source(joined)
            if found_author or found_source:
                author, source = author or found_author, source or found_source
                used.update((begin + k, begin + k + 1))
    return author, source, used


def find_category(lines: list[Line], title_index: int | None, meta_lines, meta: PageMetadata,
                  root, crumbs, family: Family, title: str | None) -> str | None:
    crumb = _breadcrumb(_nearest_first(lines, crumbs.regions, title_index), title)
    if crumb:
        return crumb
    labelled = _labelled_category_near(lines, title_index)  # printed words outrank a profile's guessed selector
    if labelled:
        return labelled
    selected = _select_text(root, family.category)
    if selected and len(selected[1]) <= 80 and not _is_title_crumb(selected[1], title) \
            and not is_terminator(selected[1]) and not is_furniture(selected[1]) \
            and not _past_article_end(lines, title_index, selected[0]):  # ("Chi tiết tin": the portlet's own name)
        return selected[1]
    crumb = _breadcrumb(crumbs.before(title_index), title) if title_index is not None else None
    if crumb:
        return crumb
    if title_index is not None:
        crumb = _breadcrumb([el for el in crumbs.just_before(title_index)
                             if not is_furniture(clean_text(text_of(el)))], title)
        if crumb:
            return crumb
    if title_index is not None:
        for line in lines[max(0, title_index - 6):title_index]:
            here = _YOU_ARE_HERE.search(line.text)  # after today's date in the same row, too
            if here:  # "Bạn đang ở: Trang chủ > Tin tức > Nông nghiệp", a breadcrumb without a class
                crumb = _last_crumb(line.text[here.end():])
                if crumb and not _is_title_crumb(crumb, title):
                    return crumb
    if title_index is not None:
        title_line = lines[title_index]
        i = title_index - 1
        steps = 0
        photo_block = None  # the block holding a lead photo passed over and the title
        title_ancestors = set(title_line.ancestors)
        while i >= 0 and steps < 3:
            line = lines[i]
            i -= 1
            text = line.text
            if line.image is not None and _is_tool_icon(lines, i + 1, meta_lines, meta.base_url):
                continue
            if line.image is not None and not _opens_itself(line.image):
                break  # a banner linking to another page: a sidebar's, above the title in reading order
            if line.image is not None and photo_block is None:
                photo_block = next((el for el in reversed(line.ancestors) if el in title_ancestors), None)
            if photo_block is not None and line.image is None and photo_block not in line.ancestors:
                break  # above the article's lead photo: the site's masthead or menu
            if i + 1 in meta_lines and _is_dated_headline_link(line):
                break  # a dated card of a "Tin mới" strip over the title: above it, the strip's heading
            if line.image is not None or i + 1 in meta_lines or is_furniture(text) or is_caption_marked(line) \
                    or (line.element is title_line.element and (title_line.heading or (title and text in title))) \
                    or (title and text.casefold() == title.casefold()):  # the breadcrumb's current item
                continue  # (a caption: of a lead photo set over the title)
            steps += 1
            if is_path_line(text, _PATH_LINE_MAX):  # "Trang chủ » Tin tức » Nông nghiệp": links, but not a menu
                return _last_crumb(text, title)
            if line.barrier or len(text) > 120 or _ends_like_sentence(text) or _SITE_HEADER.search(text) \
                    or _PAGER_LINK.search(text) \
                    or text.startswith(("http://", "https://", "www.")) or _is_menu(line) \
                    or not LETTER.search(text) or _COUNTER_HEADING.search(text) or _COUNTER_VALUE.search(text) \
                    or _links_away(line, meta.base_url) or _is_site_links_row(line):
                break
            if _in_another_column(line.ancestors, title_line.ancestors) \
                    or _in_side_column(line.ancestors, title_line.ancestors):
                break
            return _last_crumb(text, title)
        for line in lines[title_index + 1:title_index + _CATEGORY_AFTER_TEXT_LINES]:
            if line.barrier or is_terminator(line.text):
                break
            labelled = _category_label(line.text)  # "Chuyên mục: X" under the text (WordPress postmetadata)
            if labelled:
                return labelled
    return meta.section


_CATEGORY_AFTER_TEXT_LINES = 80


def _labelled_category_near(lines: list[Line], title_index: int | None) -> str | None:
    """A "Chuyên mục: X" line (or label and value in two cells, or inside the meta line) just
    around the title."""
    if title_index is None:
        return None
    for k in range(max(0, title_index - 4), min(len(lines), title_index + 8)):
        line = lines[k]
        labelled = _category_label(line.text) or _inline_category(line.text)
        if labelled is None and _norm(line.text) in _BARE_CATEGORY_LABELS and k + 1 < len(lines):
            labelled = _category_label(_label_and_value(line, lines[k + 1]))
        if labelled and not line.barrier:
            return labelled
    return None


def _nearest_first(lines: list[Line], regions: list, title_index: int | None) -> list:
    """Category regions, those read just before the title first: a category heading right above
    the title ("Tin Tức huyện Vị Thủy") is more precise than a breadcrumb further up that stops
    at the section ("Trang chủ | Tin tức"); the others keep their order."""
    if title_index is None or len(regions) < 2:
        return regions
    members = set(regions)
    outermost = {r: next((a for a in reversed(list(r.iterancestors())) if a in members), r) for r in regions}
    tops = set(outermost.values())
    first_line = {}
    for line in lines[:title_index]:
        for region in tops:
            if region not in first_line and (line.element is region or region in line.ancestors):
                first_line[region] = line.index
    before = sorted((r for r in regions if outermost[r] in first_line), key=lambda r: -first_line[outermost[r]])
    return before + [r for r in regions if outermost[r] not in first_line]


def _past_article_end(lines: list[Line], title_index: int | None, el) -> bool:
    """Whether ``el`` is read after the title and in another column of the layout (a sidebar
    portlet's title that a profile selector matched, not the article's category)."""
    if title_index is None:
        return False
    holder = el if el.tag in BLOCK_TAGS else next((a for a in el.iterancestors() if a.tag in BLOCK_TAGS), el)
    at = next((line.index for line in lines if line.element is holder or holder in line.ancestors), None)
    if at is None or at <= title_index:
        return False
    return _in_another_column((holder, *holder.iterancestors()), lines[title_index].ancestors)


_COLUMN_DEPTH = 7


def _in_another_column(ancestors, title_ancestors) -> bool:
    """Whether an element with these ancestors stands in another column of the layout than the
    title: the two share no ancestor within seven levels of the title, or they stand in two
    cells of one table row (a legacy layout's left column beside the article's)."""
    around = set(ancestors)
    shared = [a for a in title_ancestors if a in around]
    return len(shared) < len(title_ancestors) - _COLUMN_DEPTH or (
        bool(shared) and shared[-1].tag == "tr" and len(shared) < len(title_ancestors))


def _in_side_column(ancestors, title_ancestors) -> bool:
    """Whether an element with these ancestors stands in a layout column named as one beside the
    title's ("cot-trai", the left column, beside "cot-giua"): its branch off their last shared
    ancestor says so."""
    around = set(title_ancestors)
    branch = next((el for el in ancestors if el not in around and el.getparent() in around), None)
    return branch is not None and bool(_SIDE_COLUMN.search(f"{branch.get('class') or ''} {branch.get('id') or ''}"))


# A layout column named as one beside the main column ("cot-trai", the left column; "sidebar-left"),
# not a grid's numbered column ("col-12" may hold the category heading over the title's "col-md-8").
_SIDE_COLUMN = re.compile(r"(?i)(?:^|[\s_-])(?:sidebar|aside|left|right|trai|phai)(?:[\s_-]|$)")


def _is_tool_icon(lines: list[Line], index: int, meta_lines, base_url: str) -> bool:
    """Whether the image line ``index`` is an article tool's icon (print, email), not a photo nor
    a banner: an icon that opens no page (``javascript:window.print()``, ``mailto:``) or stands in
    the box of the meta line printed just before it (Joomla's ``article-tools``)."""
    image = lines[index].image
    src = image_src(image, base_url)
    if src is not None and is_article_image(image, src):
        return False
    link = image_link(image)
    if link is not None and (link.get("href") or "").strip().lower().startswith(("javascript:", "mailto:")):
        return True
    box = lines[index].ancestors[-3:-1]
    return any(k in meta_lines and any(el in box for el in lines[k].ancestors[-3:-1])
               for k in range(max(0, index - _TOOL_ICONS_AFTER_META), index))


_TOOL_ICONS_AFTER_META = 4


def _last_crumb(text: str, title: str | None = None) -> str | None:
    """The last part of a breadcrumb printed as one line ("Trang chủ / Tin nổi bật"), before the
    article's own title when the path ends in it."""
    parts = [p for p in CRUMB_SEPARATOR.split(_TRAILING_SEPARATOR.sub("", text)) if p and _norm(p) not in HOME_WORDS]
    if any(_norm(part) in SITE_LINKS for part in parts):
        return None  # a menu row ending in "English" or "Liên hệ", not a path
    if len(parts) > 1 and _is_title_crumb(parts[-1], title):
        parts.pop()
    return parts[-1] if parts and len(parts[-1]) <= 80 else None


_TRAILING_SEPARATOR = re.compile(r"\s*(?:>>|::|[/»>›|→])\s*$")  # "Trang chủ > Quốc phòng - An ninh >"
_YOU_ARE_HERE = re.compile(r"(?i)\s*(?:bạn đang ở|vị trí(?: hiện tại| của bạn)?|you are here)\s*[:：]\s*")
_COUNTER_HEADING = re.compile(r"(?i)truy cập|online")  # "Thống kê truy cập": a sidebar's counter box
_PAGER_LINK = re.compile(r"^\s*[«‹←]|[»›→]\s*$")  # "« Bài trước", "Bài sau »": a pager, not a heading
_COUNTER_VALUE = re.compile(r"[:：]\s*\+?\d[\d .,()-]*$")  # "Tất cả: 1.045.332", "Đường dây nóng: 0293.3948 123"

_PATH_LINE_MAX = 300


def _links_away(line: Line, base_url: str) -> bool:
    """A line that is a link to an article page by its id (an item of a "Tin mới" list) or to
    another site (a "Liên kết" list), not a heading (a category's own page is on the portal, and
    has a slug like an article's but rarely an article id)."""
    if line.link_density <= 0.5:
        return False
    host = urlsplit(base_url).hostname
    for a in line.element.iter("a"):
        href = a.get("href") or ""
        if (_ARTICLE_ID_URL.search(href) or (href.startswith(("http://", "https://"))
                                             and urlsplit(href).hostname != host)) \
                and clean_text(text_of(a)) == line.text:
            return True
    return False


_ARTICLE_ID_URL = re.compile(r"(?i)[?&](?:id|newsid|news_id|itemid|articleid|tintucid)=\d+"
                             r"|[a-z]-\d{3,}\.html?(?:$|[?#])")


def _is_menu(line: Line) -> bool:
    """A line of three or more links ("Trang chủ - Giới thiệu - Tin tức - Liên hệ")."""
    if line.link_density <= 0.5:
        return False
    texts = (clean_text(text_of(a)) for a in line.element.iter("a") if a.get("href"))
    return sum(1 for text in texts if text and text in line.text) >= 3


def _breadcrumb(crumbs, title: str | None) -> str | None:
    for el in crumbs:
        if len(text_of(el)) > 400 or is_terminator(_first_text(el)):
            continue  # (a related list classed like a category: "Tin cùng chuyên mục" in "category-news")
        items = [clean_text(text_of(a)) for a in el.iter("a", "li", "span")
                 if len(a) == 0 or a.tag == "a"]
        items = [_category_label(t) or t for t in items if _ALPHANUMERIC.search(t)]  # not a separator ("»", "|", "::")
        if not items:
            own = _category_label(clean_text(text_of(el))) or clean_text(text_of(el))
            items = [own] if own and len(own) <= 80 else []
        items = [t for t in items if _norm(t) not in HOME_WORDS and not _is_title_crumb(t, title)
                 and not t.startswith(_URL_STARTS) and not _is_date_only(t)]
        if items and len(items[-1]) <= 80:
            return items[-1]
    return None


def _is_date_only(text: str) -> bool:
    """A date and nothing else but its weekday ("Thứ Năm, 26/11/2026"): today's date printed in
    the breadcrumb's row, not a part of the path."""
    hits = find_dates(text)
    return bool(hits) and _meta_residue(text, [(hit.start, hit.end) for hit in hits]) == 0


def _first_text(el) -> str:
    """The first piece of text inside ``el`` (a box's heading)."""
    return next((clean_text(text) for text in el.itertext() if text.strip()), "")


_URL_STARTS = ("http://", "https://", "www.")  # "Đường dẫn bài viết: https://…": the page's address, not a path


def _is_title_crumb(item: str, title: str | None) -> bool:
    """The breadcrumb's current item: the title, or the title cut short ("Tập trung triển khai…",
    with an ellipsis or at least half of it), not a category that the title begins with
    ("Investment Promotion" before "Investment promotion conference draws…")."""
    if not title:
        return False
    folded, whole = item.casefold().rstrip(" .…"), title.casefold()
    return folded == whole or (len(folded) >= 20 and whole.startswith(folded) and (
        item.rstrip().endswith(("…", "...")) or len(folded) >= len(whole) / 2))


def _body_html(paragraphs: list[Line]) -> str:
    parts = []
    for line in paragraphs:
        tag = f"h{line.heading}" if 2 <= line.heading <= 4 else "p"
        parts.append(f"<{tag}>{html_lib.escape(line.text, quote=False)}</{tag}>")
    return "\n".join(parts)


def _selected_fields(root, family: Family, published, modified, view_count, author):
    """Date, view count and author from the profile's selectors, where it has them and they match.

    The selected element's text is read with the same cues as any line ("Ngày đăng: …").
    """
    selected = _select_text(root, family.published)
    if selected:
        dates = find_dates(selected[1])
        if dates:
            published = next((h for h in dates if h.label != "modified"), dates[0])
            modified = next((h for h in dates if h.label == "modified" and h is not published), modified)
    selected = _select_text(root, family.view_count)
    if selected:
        found = find_view_count(selected[1])
        digits = re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+|\d+", selected[1])
        view_count = found[0] if found else parse_count(digits.group()) if digits else view_count
    selected = _select_text(root, family.author)
    if selected:
        author = labelled_author(selected[1]) or selected[1]
    return published, modified, view_count, author


def _read_fields(root, meta: PageMetadata, family: Family, skip_chrome: bool,
                 marked_body=None) -> tuple[bool, dict]:
    """Every field that depends on the page's text, read from one flattening of the page, and
    whether the family profile's title or content selectors found their element."""
    lines, crumbs = flatten(root, skip_chrome, meta.og_title or _title_from_head(meta))
    meta_lines = _meta_lines(lines)

    title_index, title, title_from_profile = find_title(lines, meta_lines, meta, root, family,
                                                        frozenset(crumbs.regions))
    if not title:
        raise ExtractionError("no article title found")

    container, content_from_profile = find_container(lines, root, family, marked_body)
    if container is not None and not content_from_profile and container is not marked_body \
            and title_index is not None:
        container = _text_in_title_column(lines, title_index, container)
    blocks = _with_twin_siblings(container, lines, title_index) if container is not None else [root]
    inside = [line.index for line in lines if any(_inside(line, block) for block in blocks)]
    start, end = (inside[0], inside[-1] + 1) if inside else (0, len(lines))
    # Ads and embeds between twin blocks; running text and subheadings there are the article's (a
    # text-with-image block, a page builder's headline block between two text blocks).
    between_blocks = {i for i in set(range(start, end)).difference(inside) if not _is_article_part(lines[i])}
    while end < len(lines) and _is_loose_text(lines[end]):
        end += 1
    end = _text_after_gallery(lines, end, container)
    if title_index is not None and start <= title_index < end:
        start = title_index + 1
    elif title_index is not None and title_index < start and _lead_between(lines, title_index, start):
        start = title_index + 1
    elif title_index is not None and container is not None:
        start = _intro_block_before(lines, title_index, start, container)

    anchor = title_index if title_index is not None else start
    prose_start = _first_prose(lines, anchor)
    page_urls = {url for url in (meta.base_url, meta.canonical_url) if url}
    candidates = _date_candidates(meta_lines, anchor, lines, prose_start)
    published = modified = None
    view_count = None
    meta_author = None
    skip = set()
    if candidates and candidates[0][0] > 0:
        chosen = candidates[0][2]
        published, modified = _pick_dates(chosen)
        skip.add(chosen.line.index)
        if published.label == "modified":
            own_line = _separate_publish_date(candidates, chosen, anchor, meta.base_url, page_urls,
                                                  lines[title_index].element if title_index is not None else None)
            if own_line is not None:
                published, modified = own_line.dates[0], published
                skip.add(own_line.line.index)
        if modified is None:
            modified = _separate_update_date(candidates, chosen, published, lines)
    for score, index, ml in candidates:
        if abs(index - anchor) <= 10 and not ml.line.barrier and ml.residue <= _META_RESIDUE_MAX \
                and (index < prose_start or ml.views is not None
                     or any(h.label == "modified" for h in ml.dates)):
            skip.add(index)
            if view_count is None and ml.views is not None:
                view_count = ml.views
            found = inline_author(ml.line.text)
            if found and meta_author is None:
                meta_author = found[0]
    for index in range(max(0, anchor - 6), min(len(lines), anchor + 12)):
        ml = meta_lines.get(index)
        if ml and ml.views is not None and not ml.line.barrier and ml.residue <= _META_RESIDUE_MAX:
            skip.add(index)
            if view_count is None:
                view_count = ml.views

    image_start = title_index + 1 if title_index is not None and 0 < start - title_index <= 15 else start
    if title_index is not None:
        image_start = min(image_start, _lead_image_over_title(lines, title_index, meta_lines))
    if view_count is None:
        view_count = _view_count_anywhere(meta_lines, anchor, lines, meta.base_url, page_urls)
    published, modified, view_count, meta_author = _selected_fields(
        root, family, published, modified, view_count, meta_author)
    cells_author, cells_source, cells = _byline_cells(lines, anchor + 1, prose_start)  # a meta <dl> under the title
    skip |= cells
    meta_author = meta_author or cells_author
    if meta_author is None and title_index is not None:
        meta_author, byline_index = _author_near_title(lines, title_index, meta_lines)
        if byline_index is not None:
            skip.add(byline_index)
    body = extract_body(lines, start, end, skip | between_blocks, title, meta.base_url, meta_lines,
                        image_start, title_index)
    author, source = meta_author or body.author, body.source or cells_source
    trailing = body.trailing_dates + _dates_after_container(lines, end, meta_lines, meta.base_url)
    if published is None and trailing:  # the meta line under the text (a lone update date is the publish date)
        published = next((hit for hit in trailing if hit.label == "published"), trailing[0])
    if published is not None and modified is None:
        modified = next((hit for hit in trailing if hit.label == "modified" and hit.value != published.value), None)
    if author is None or source is None:
        after_author, after_source = _after_container_byline(lines, end, meta.base_url)
        author, source = author or after_author, source or after_source
    if author is None:
        author = meta.author

    if published is not None:
        published_value, modified_value = published.value, modified.value if modified else None
    else:
        published_value = parse_machine_date(meta.published_text)
        modified_value = parse_machine_date(meta.modified_text)
        if modified_value == published_value:
            modified_value = None

    profile_fits = title_from_profile or content_from_profile or not (family.title or family.content)
    return profile_fits, {
        "category": find_category(lines, title_index, meta_lines, meta, root, crumbs, family, title),
        "title": title,
        "published": published_value,
        "published_raw": published.raw if published else None,
        "modified": modified_value,
        "view_count": view_count,
        "author": author,
        "source": source,
        "body": "\n\n".join(line.text for line in body.paragraphs),
        "body_html": _body_html(body.paragraphs),
        "images": body.images + _gallery_after(lines, end, meta.base_url, body.images),
        "attachments": collect_attachments(blocks + _attachment_box_after(lines, end, container, meta.base_url),
                                           meta.base_url),
    }


_ATTACHMENT_HEADING = re.compile(
    r"(?i)^(?:file|tệp|tập tin|tài liệu|văn bản)?\s*đính kèm\s*[:：]?|^(?:tài liệu )?tải về\s*[:：]?"
    r"|^(?:attachments?|downloads)\s*[:：]?")  # the heading alone, or with the links after a colon


def _attachment_box_after(lines: list[Line], end: int, container, base_url: str) -> list:
    """The "File đính kèm" box set just after the article text, outside its container: the
    nearest element around the heading that holds document links ([] when there is none). Found
    among the lines after the text, or among the elements following the container when the box
    wears a chrome-looking class (a "k-widget" list) and was not read as lines."""
    outside = set(container.iterancestors()) | {container} if container is not None else set()
    for line in lines[end:end + 8]:
        if line.barrier:
            break
        if line.image is None and _ATTACHMENT_HEADING.match(line.text):
            for el in reversed(line.ancestors):
                if el in outside:
                    break
                if collect_attachments([el], base_url):
                    return [el]
            break
    node = container
    for _ in range(_BOX_LEVELS):  # the container or one of its nearest ancestors, then the box
        if node is None:
            break
        for sibling in islice(node.itersiblings(), _BOX_SIBLINGS):
            if isinstance(sibling.tag, str) and _ATTACHMENT_HEADING.match(" ".join(text_of(sibling).split())[:80]) \
                    and collect_attachments([sibling], base_url):
                return [sibling]
        node = node.getparent()
    return []


_BOX_SIBLINGS = 3
# Levels up from the container where the box may stand beside: a Drupal body sits three levels
# inside its field ("field-item" in "field-items" in "field-name-body"), in a column of the node.
_BOX_LEVELS = 5


def _read_fields_with_fallback(root, meta: PageMetadata, family: Family,
                               marked_body=None) -> tuple[bool, dict]:
    """Read the page skipping site chrome; if that leaves no real article, read it all.

    Some templates give the article's own column a chrome-looking class (a Blogger "widget",
    a "with-sidebar" layout); walking everything then finds it.
    """
    try:
        fits, fields = _read_fields(root, meta, family, True, marked_body)
    except ExtractionError:
        return _read_fields(root, meta, family, False, marked_body)
    if len(fields["body"]) >= _SHORT_BODY:
        return fits, fields
    try:
        fallback = _read_fields(root, meta, family, False, marked_body)
    except ExtractionError:
        return fits, fields
    if len(fallback[1]["body"]) >= 3 * max(len(fields["body"]), _SHORT_BODY):
        return fallback
    return fits, fields


def extract_article(html: bytes | str, url: str, *, site: Site | None = None,
                    content_type: str | None = None) -> dict:
    """Extract one article page into an item dict (see docs/field-rules.md).

    ``site`` defaults to the registered portal of ``url``'s host; an unknown host is extracted
    with the generic rules and gets its host as ``site``. ``parser`` names the family profile
    that read the page, or ``generic`` when the profile's title/content selectors found nothing
    usable or it left a core field empty that the generic rules fill (a sign of template drift).
    A Wayback Machine replay is read as the original page, with the capture as provenance.
    """
    text, _encoding, utf8 = decode_html(html, content_type)
    replay = is_replay(url, text)
    page_url = original_url(url) if replay else url
    if replay:
        text, utf8 = without_toolbar(text), None
    if site is None:
        site = default_registry().site_for_url(page_url)
    family = site.profile if site else _GENERIC
    try:
        root = parse_html(text, utf8)
    except (ValueError, etree.LxmlError) as exc:
        raise ExtractionError(f"{url}: not a readable HTML page ({exc})") from None
    if replay:
        restore_original_page(root)
    meta = read_metadata(root, page_url)
    remove_noise(root)
    marked_body = marked_article_body(root, text)
    parser = family.name
    try:
        fits, fields = _read_fields_with_fallback(root, meta, family, marked_body)
    except ExtractionError as exc:
        if family is _GENERIC:
            raise ExtractionError(f"{url}: {exc}") from None
        fits, fields = False, None
    if not fits:
        parser = _GENERIC.name
    if family is not _GENERIC and (fields is None or missing_core_fields(fields)):
        try:
            _, generic = _read_fields_with_fallback(root, meta, _GENERIC, marked_body)
        except ExtractionError as exc:
            if fields is None:
                raise ExtractionError(f"{url}: {exc}") from None
        else:
            if fields is None or len(missing_core_fields(generic)) < len(missing_core_fields(fields)):
                fields, parser = generic, _GENERIC.name
    return {
        "url": page_url,
        "canonical_url": meta.canonical_url or page_url,
        "site": site.key if site else host_of(page_url),
        "parser": parser,
        **fields,
        **(capture_provenance(url) if replay else {}),
    }


CORE_FIELDS = ("published", "body")


def missing_core_fields(item: dict) -> list[str]:
    """The fields every article page has that ``item`` lacks: a sign its profile no longer fits."""
    return [name for name in CORE_FIELDS if not item.get(name)]
