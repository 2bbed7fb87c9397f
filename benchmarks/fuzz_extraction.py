"""Fuzz extraction and normalization with hostile input for a while; print what happened.

    .venv/bin/python benchmarks/fuzz_extraction.py --seconds 300 [--seed 7] [--save crashes/] [--minimize]

Every input goes through ``extract_article`` (then ``normalize_item`` and ``validation_errors``),
``extract_listing``, ``feed_entries`` and ``sitemap_entries``. The contract checked is the
project's: an article page gives either a valid item or ``ExtractionError`` with a reason, never
another exception and never a hang; listings, feeds and sitemaps never raise and give URLs and
dates of the documented shapes.

Inputs (``--kinds``, default all): generated tag soup with Vietnamese text, dates, counters,
bylines and hostile URLs (``soup``); real pages of ``tests/corpus`` and ``tests/heldout`` cut at a
random offset (``truncated``) or with random byte edits (``mutated``); re-encodings, wrong declared
charsets, BOMs and NUL bytes (``encoding``); deep nesting (``deep``); huge attributes
(``huge_attr``); random bytes (``binary``); hostile metadata: JSON-LD, meta dates (``metadata``);
RSS/Atom/sitemap XML, also with entities (``xml``).

The last lines printed are the counts: inputs, items, rejections (``ExtractionError``), invalid
items (validation errors), crashes (any other exception) and hangs (an input that took longer than
``--limit`` seconds), then one line per distinct crash (function, exception, where it was raised).
With ``--save DIR`` the first input of each distinct crash is written there (``--minimize``
shrinks it first). Exit status: 0 when no contract was broken, 1 otherwise.

``tests/test_fuzz.py`` imports the generators and the contract checks from here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import signal
import sys
import time
import traceback
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from pipelines.normalize import normalize_item  # noqa: E402
from pipelines.validate import validation_errors  # noqa: E402
from vinews_scraper.extraction import ExtractionError, extract_article  # noqa: E402
from vinews_scraper.extraction.feeds import feed_entries, sitemap_entries, sitemaps_in_robots  # noqa: E402
from vinews_scraper.extraction.listing import Listing, extract_listing  # noqa: E402
from vinews_scraper.registry import host_of  # noqa: E402

NOW = datetime(2024, 5, 1, 3, 0, 0, tzinfo=timezone.utc)
URLS = (
    "https://vithuy.haugiang.gov.vn/tin-tuc/hoi-nghi-tong-ket-cong-tac-nam-2023-1234.html",  # registered
    "https://portal.example.gov.vn/tin-tuc/tin-hoat-dong/bai-viet-5678.aspx",  # unregistered: generic
    "http://127.0.0.1:8765/tin-tuc/a-1.html",
)
DATE_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}\+07:00)?$")
PAGE_DIRS = (REPO / "tests" / "corpus", REPO / "tests" / "heldout")


class Hang(Exception):
    """An input took longer than the time limit."""


class ContractBroken(AssertionError):
    """A result of the documented kind but of the wrong shape (invalid item, odd URL…)."""


@contextmanager
def time_limit(seconds: float):
    """Raise ``Hang`` in the main thread when the block runs longer than ``seconds``."""
    if not seconds or seconds <= 0:
        yield
        return

    def on_alarm(signum, frame):
        raise Hang(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ---- the contracts -----------------------------------------------------------------------------

def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def check_article(data: bytes | str, url: str, content_type: str | None = None) -> str:
    """``"item"`` (a valid item came out) or ``"rejected"`` (``ExtractionError`` with a reason).

    Raises ``ContractBroken`` for an item that is not valid after normalization, and lets any
    other exception (a crash) through.
    """
    try:
        raw = extract_article(data, url, content_type=content_type)
    except ExtractionError as exc:
        if not str(exc).strip():
            raise ContractBroken("ExtractionError without a reason") from None
        return "rejected"
    if not isinstance(raw, dict):
        raise ContractBroken(f"extract_article returned {type(raw).__name__}")
    item = normalize_item(raw, now=NOW)
    errors = validation_errors(item)
    if errors:
        raise ContractBroken(f"invalid item: {errors[:3]}")
    if item["url"] != url:
        raise ContractBroken(f"url changed to {item['url']!r}")
    if normalize_item(item, now=NOW) != item:
        raise ContractBroken("normalize_item is not idempotent on this item")
    for text in _strings(item):
        if "\x00" in text:  # PostgreSQL cannot store NUL in text
            raise ContractBroken(f"NUL character in {text[:60]!r}")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ContractBroken(f"text that is not encodable as UTF-8: {text[:60]!r}") from None
    json.dumps(item, ensure_ascii=False)
    return "item"


def _http_url(value) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


def check_listing(data: bytes | str, url: str, content_type: str | None = None) -> int:
    """The number of rows of a listing; raises ``ContractBroken`` for a malformed result.

    ``ExtractionError`` (an unreadable page) is allowed and gives -1.
    """
    try:
        listing = extract_listing(data, url, content_type=content_type)
    except ExtractionError:
        return -1
    if not isinstance(listing, Listing):
        raise ContractBroken(f"extract_listing returned {type(listing).__name__}")
    host = host_of(url)
    for row in listing.rows:
        if not _http_url(row.url):
            raise ContractBroken(f"row URL {row.url!r} is not http(s)")
        if host_of(row.url) != host:
            raise ContractBroken(f"row URL {row.url!r} is not on {host}")
        if not isinstance(row.title, str):
            raise ContractBroken(f"row title {row.title!r}")
        if row.published is not None and not DATE_VALUE.match(row.published):
            raise ContractBroken(f"row date {row.published!r}")
        if row.view_count is not None and not (isinstance(row.view_count, int) and row.view_count >= 0):
            raise ContractBroken(f"row view count {row.view_count!r}")
    if listing.next_page is not None and not isinstance(listing.next_page, str):
        raise ContractBroken(f"next page {listing.next_page!r}")
    if not all(isinstance(feed, str) for feed in listing.feeds):
        raise ContractBroken(f"feeds {listing.feeds!r}")
    return len(listing.rows)


def check_feed(data: bytes, url: str) -> int:
    """How many entries a feed gives (never an exception); raises ``ContractBroken`` on odd shapes."""
    entries = feed_entries(data, url)
    for link, published in entries:
        if not isinstance(link, str) or (published is not None and not DATE_VALUE.match(published)):
            raise ContractBroken(f"feed entry {(link, published)!r}")
    return len(entries)


def check_sitemap(data: bytes, url: str) -> int:
    pages, children = sitemap_entries(data, url)
    for loc, lastmod in pages:
        if not isinstance(loc, str) or (lastmod is not None and not DATE_VALUE.match(lastmod)):
            raise ContractBroken(f"sitemap entry {(loc, lastmod)!r}")
    if not all(isinstance(child, str) for child in children):
        raise ContractBroken(f"sitemap children {children!r}")
    sitemaps_in_robots(data, url)
    return len(pages) + len(children)


# ---- inputs ------------------------------------------------------------------------------------

TITLES = (
    "Hội nghị tổng kết công tác năm 2023 và triển khai nhiệm vụ năm 2024",
    "HUYỆN VỊ THỦY RA QUÂN THÁNG THANH NIÊN NĂM 2024",
    "Tiếp xúc cử tri trước kỳ họp thứ 7 HĐND tỉnh khóa X",
    "Châu Thành A: Ngày hội đại đoàn kết toàn dân tộc",
    "Phụng Hiệp tổ chức lễ phát động “Tết trồng cây đời đời nhớ ơn Bác Hồ”",
)
SENTENCES = (
    "Sáng ngày 22/01, UBND huyện Vị Thủy tổ chức hội nghị tổng kết công tác năm 2023.",
    "Dự hội nghị có đồng chí Nguyễn Văn A, Phó Chủ tịch UBND huyện cùng lãnh đạo các phòng, ban.",
    "Năm 2023, tổng giá trị sản xuất nông nghiệp đạt 4.215 tỷ đồng, tăng 5,2% so với cùng kỳ.",
    "Theo báo cáo, toàn huyện có 1.234 hộ nghèo, giảm 0,85% so với đầu năm.",
    "Phát biểu chỉ đạo, đồng chí nhấn mạnh: “Cần tiếp tục đẩy mạnh cải cách hành chính”.",
    "Ngày 8/01/2019, Ủy ban nhân dân huyện đã ban hành Kế hoạch số 12/KH-UBND.",
    "Dịp này, 15 tập thể và 32 cá nhân được khen thưởng vì thành tích xuất sắc.",
)
DATES = (
    "Ngày đăng: 22/01/2024", "22/01/2024", "16:20, Thứ Hai, 2-10-2023", "Cập nhật: 10:15 SA 05/06/2023",
    "Thứ Ba, 30/12/2025, 01:00 (GMT+7)", "ngày 5 tháng 6 năm 2023", "2023-06-05T10:00:00+07:00",
    "05.06.2023 08:30:45 CH", "Đăng lúc 7h30 ngày 1/2/2021", "Ngày in: 01/05/2024", "Hôm nay: 01/05/2024",
    "31/02/2023", "99/99/9999", "0/0/0000", "12:99 01/01/2020", "tháng Giêng 3, 2022", "29/02/2024 24:00",
    "2024-13-45T25:61:61Z", "01/01/1989", "01/01/2101",
)
COUNTERS = (
    "Số lần xem: 1.234", "Lượt xem: 1,5K", "123 lượt xem", "Lượt đọc: 0", "Views: 12", "Tổng lượt truy cập: 1.234.567",
    "Đang online: 12", "Hôm nay: 345", "Số lần xem: 99999999999", "Lượt xem: 1.000.000.000.000",
    "Lượt xem: 9,9M", "Lượt xem: -5", "xem: 1e9", "Lượt xem: ١٢٣",
)
BYLINES = (
    "Tin, ảnh: Minh Thư", "Tác giả: Ngọc Hân", "Nguồn: Báo Hậu Giang", "PV Ngọc Hân", "Năng Nguyễn",
    "T/h: BBT", "Văn phòng HĐND-UBND huyện", "Bài và ảnh: Huỳnh Điệp (TX)", "Tin: ", "Nguồn:",
)
FURNITURE = ("Các ý kiến của bạn đọc", "Tin liên quan", "In bài viết", "Chia sẻ", "Trang chủ » Tin tức",
             "Chuyên mục: Tin tức huyện", "Tải về", "»", "Trang sau", "2", "Xem thêm")
CLASSES = ("content", "news-detail", "sidebar", "menu", "footer", "breadcrumb", "title", "news-title",
           "article-body", "chu-thich", "counter", "related", "widget content", "with-sidebar page-content",
           "text-center", "italic", "date", "view", "author", "hidden", "")
GOOD_HREFS = ("/tin-tuc/hoi-nghi-tong-ket-cong-tac-12.html", "tin-tuc/bai-viet-moi-nhat-ve-huyen-13.html",
              "https://vithuy.haugiang.gov.vn/tin-tuc/ra-quan-thang-thanh-nien-14.html",
              "/upload/van-ban/ke-hoach-12.pdf", "/Uploads/Bao cao.docx", "?page=2", "/tin-tuc/trang-2",
              "#top", "javascript:void(0)", "mailto:a@b.vn", "//cdn.example.vn/a.jpg",
              "https://other.example.com/tin-tuc/bai-khac-cung-chu-de-15.html", "", " ", "../../../etc/passwd",
              "/tin-tuc/%E1%BB%A9ng-d%E1%BB%A5ng-16.html", "data:image/png;base64,AAAA", "/a.jpg?x=1&amp;y=2")
# Syntactically broken URLs: the urllib parser raises on these (see tests/test_fuzz.py).
HOSTILE_HREFS = ("http://[::1", "http://[x/a.pdf", "https://vithuy.haugiang.gov.vn:99999/tin-tuc/bai-1.html",
                 "http://]/", "https://a:-1/", "http://[::1]:70000/")
TAGS_BLOCK = ("div", "p", "section", "article", "td", "li", "h1", "h2", "h3", "header", "footer", "nav",
              "aside", "figure", "figcaption", "blockquote", "center", "main", "form", "table", "tr", "ul")
TAGS_INLINE = ("span", "a", "b", "strong", "i", "em", "font", "small", "time", "label", "u")
ENTITIES = ("&nbsp;", "&amp;", "&amp;nbsp;", "&#7863;", "&#x1EA1;", "&quot;", "&lt;", "&gt;", "&#0;",
            "&#xD800;", "&#1114112;", "&bogus;", "&", "&#", "&#x;", "&#99999999999;")


def _text_piece(rng: random.Random) -> str:
    pool = rng.choice((TITLES, SENTENCES, DATES, COUNTERS, BYLINES, FURNITURE, ENTITIES))
    piece = rng.choice(pool)
    if rng.random() < 0.1:
        piece = piece * rng.randint(2, 30)
    if rng.random() < 0.05:
        piece = "".join(rng.choice(("\u200b", "\ufeff", "\x00", "\t", "\r\n", "\u00a0", "\u0301", "\ufffd")) + c
                        for c in piece)
    return piece


def _attrs(rng: random.Random, tag: str, hostile: bool) -> str:
    attrs = []
    if rng.random() < 0.5:
        attrs.append(f'class="{rng.choice(CLASSES)}"')
    if rng.random() < 0.1:
        attrs.append(f'id="{rng.choice(CLASSES)}"')
    if rng.random() < 0.1:
        attrs.append(rng.choice(('style="display:none"', 'style="text-align:center"', 'hidden',
                                 'align="right"', 'style="font-style: italic"')))
    hrefs = GOOD_HREFS + (HOSTILE_HREFS if hostile else ())
    if tag == "a" or rng.random() < 0.05:
        attrs.append(f'href="{rng.choice(hrefs)}"')
    if tag == "time":
        attrs.append(f'datetime="{rng.choice(DATES)}"')
    return (" " + " ".join(attrs)) if attrs else ""


def _element(rng: random.Random, depth: int, budget: list[int], hostile: bool) -> str:
    budget[0] -= 1
    roll = rng.random()
    if depth > 12 or budget[0] <= 0 or roll < 0.3:
        return _text_piece(rng)
    if roll < 0.36:
        src = rng.choice(("/upload/anh-hoi-nghi.jpg", "/logo.png", "21.1a.jpg", "", "data:image/gif;base64,R0l",
                          "/images/blank.gif", "https://cdn.example.vn/x.jpg") + (HOSTILE_HREFS if hostile else ()))
        lazy = f' data-src="{rng.choice(GOOD_HREFS)}"' if rng.random() < 0.2 else ""
        return f'<img src="{src}" alt="{rng.choice(TITLES + ("21.1a.jpg", ""))}"{lazy}>'
    if roll < 0.4:
        return rng.choice(("<br>", "<hr>", "<br/>", "<p>", "</div>", "</p>", "<", ">", "</", "<!--", "-->",
                           "<![CDATA[", "]]>", "<script>var a = '</div>';</script>", "<style>p{}</style>",
                           "<!DOCTYPE html>", "<?xml version='1.0'?>", "<html>", "</body>", "<body>"))
    tag = rng.choice(TAGS_INLINE if rng.random() < 0.4 else TAGS_BLOCK)
    children = "".join(_element(rng, depth + 1, budget, hostile) for _ in range(rng.randint(0, 5)))
    close = f"</{tag}>" if rng.random() < 0.9 else ""
    return f"<{tag}{_attrs(rng, tag, hostile)}>{children}{close}"


def head(rng: random.Random, hostile: bool = False) -> str:
    parts = []
    if rng.random() < 0.7:
        parts.append(f"<title>{rng.choice(TITLES)} - Cổng thông tin điện tử huyện Vị Thủy</title>")
    if rng.random() < 0.3:
        parts.append(f'<meta charset="{rng.choice(("utf-8", "windows-1258", "iso-8859-1", "utf-16", "bogus", ""))}">')
    if rng.random() < 0.3:
        parts.append(f'<link rel="canonical" href="{rng.choice(GOOD_HREFS[:3] + (HOSTILE_HREFS if hostile else ()))}">')
    if rng.random() < 0.2:
        parts.append(f'<meta property="og:title" content="{rng.choice(TITLES)}">')
    if rng.random() < 0.2:
        parts.append(f'<meta property="article:published_time" content="{rng.choice(DATES)}">')
    if rng.random() < 0.1:
        parts.append('<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
                     f'{json.dumps(rng.choice(TITLES))}, "datePublished": {json.dumps(rng.choice(DATES))}, '
                     '"author": [{"@type": "Person", "name": "Minh Thư"}, "BBT"]}</script>')
    if rng.random() < 0.1:
        parts.append('<link rel="alternate" type="application/rss+xml" href="/rss.xml">')
    return "<head>" + "".join(parts) + "</head>"


def soup(rng: random.Random, hostile: bool = False) -> bytes:
    """A generated page: random markup around Vietnamese titles, dates, counters and bylines."""
    budget = [rng.randint(5, 300)]
    body = "".join(_element(rng, 0, budget, hostile) for _ in range(rng.randint(1, 12)))
    page = f"<html>{head(rng, hostile)}<body>{body}</body></html>" if rng.random() < 0.8 else body
    return page.encode(rng.choice(("utf-8", "utf-8", "cp1258", "utf-16")), "replace")


def article_page(rng: random.Random) -> str:
    """A plausible article page (title, meta line, paragraphs, image, byline) as text."""
    paragraphs = "".join(f"<p>{' '.join(rng.sample(SENTENCES, 3))}</p>" for _ in range(rng.randint(2, 6)))
    return (f"<html>{head(rng)}<body><div class='breadcrumb'>Trang chủ » Tin tức</div>"
            f"<div class='news-detail'><h1>{rng.choice(TITLES)}</h1>"
            f"<p class='date'>{rng.choice(DATES[:8])} | {rng.choice(COUNTERS[:5])}</p>{paragraphs}"
            f"<p><img src='/upload/anh.jpg' alt='Quang cảnh hội nghị'></p><p><i>Quang cảnh hội nghị</i></p>"
            f"<p>{rng.choice(BYLINES[:5])}</p></div><div class='related'><h3>Tin liên quan</h3></div></body></html>")


_PAGES: list[tuple[bytes, str, str | None]] | None = None


def real_pages() -> list[tuple[bytes, str, str | None]]:
    """(bytes, url, content type) of every saved page of tests/corpus and tests/heldout."""
    global _PAGES
    if _PAGES is None:
        _PAGES = []
        for directory in PAGE_DIRS:
            for page in sorted(directory.glob("*/*.html")):
                meta_path = page.with_suffix(".json")
                meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
                _PAGES.append((page.read_bytes(), meta.get("url", URLS[0]), meta.get("content_type")))
    return _PAGES


def truncated(rng: random.Random) -> tuple[bytes, str, str | None]:
    data, url, content_type = rng.choice(real_pages())
    return data[: rng.randint(0, len(data))], url, content_type


GARBAGE = (b"\x00", b"\xff", b"\xfe\xff", b"\xef\xbb\xbf", b"\xc3", b"\xe1\xbb", b"\xd2\xcc", b"<", b">", b"&",
           b"\"", b"'", b"</div>", b"<div>", b"<!--", b"<script>", b"\r", b"\x1b", b"\xed\xa0\x80", b"\xf4\x90\x80\x80")


def mutate(rng: random.Random, data: bytes, edits: int | None = None) -> bytes:
    """``data`` with random byte edits: flips, garbage inserts, deletions, duplicated slices."""
    buf = bytearray(data)
    for _ in range(edits if edits is not None else rng.randint(1, 40)):
        if not buf:
            buf += rng.choice(GARBAGE)
            continue
        at = rng.randrange(len(buf))
        op = rng.random()
        if op < 0.3:
            buf[at] = rng.randrange(256)
        elif op < 0.55:
            buf[at:at] = rng.choice(GARBAGE)
        elif op < 0.75:
            del buf[at: at + rng.randint(1, 200)]
        elif op < 0.9:
            end = min(len(buf), at + rng.randint(1, 400))
            buf[at:at] = buf[at:end] * rng.randint(1, 3)
        else:
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 50)))
    return bytes(buf)


def mutated(rng: random.Random) -> tuple[bytes, str, str | None]:
    data, url, content_type = rng.choice(real_pages())
    return mutate(rng, data), url, content_type


BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
CONTENT_TYPES = (None, "text/html", "text/html; charset=utf-8", "text/html; charset=windows-1258",
                 "text/html; charset=cp1258", "text/html; charset=iso-8859-1", "text/html; charset=utf-16",
                 "text/html; charset=bogus", "text/html; charset=", "text/html; charset=\"utf-8\"",
                 "application/octet-stream", "text/html; charset=utf-8; charset=ascii", "\x00")


def encoding_variant(rng: random.Random, text: str) -> tuple[bytes, str | None]:
    """``text`` in a random (possibly wrong, mixed or mislabelled) encoding, with a Content-Type."""
    choice = rng.randrange(7)
    if choice == 0:  # UTF-8 with windows-1258 bytes spliced in
        data = bytearray(text.encode("utf-8"))
        for _ in range(rng.randint(1, 20)):
            at = rng.randrange(len(data) + 1)
            data[at:at] = rng.choice(SENTENCES).encode("cp1258", "replace")[: rng.randint(1, 40)]
        data = bytes(data)
    elif choice == 1:  # windows-1258 declared as UTF-8 (or the reverse)
        data = text.encode("cp1258", "replace")
    elif choice == 2:  # a BOM that contradicts the bytes
        data = rng.choice(BOMS) + text.encode(rng.choice(("utf-8", "cp1258")), "replace")
    elif choice == 3:  # the right BOM, UTF-16/32
        encoding = rng.choice(("utf-16", "utf-16-le", "utf-32", "utf-8-sig"))
        data = text.encode(encoding)
    elif choice == 4:  # NUL bytes sprinkled in
        data = bytearray(text.encode("utf-8"))
        for _ in range(rng.randint(1, 50)):
            data.insert(rng.randrange(len(data) + 1), 0)
        data = bytes(data)
    elif choice == 5:  # a <meta> charset that lies
        lie = rng.choice(("utf-16", "utf-32", "iso-2022-jp", "x-user-defined", "windows-1258", "latin1", "nonsense"))
        data = text.replace("<head>", f'<head><meta http-equiv="Content-Type" content="text/html; charset={lie}">', 1
                            ).encode("utf-8")
    else:  # truncated in the middle of a multi-byte sequence
        data = text.encode("utf-8")
        data = data[: rng.randint(0, len(data))]
    return data, rng.choice(CONTENT_TYPES)


def encoding(rng: random.Random) -> tuple[bytes, str, str | None]:
    data, url, _ = rng.choice(real_pages())
    text = data.decode("utf-8", "replace") if rng.random() < 0.5 else article_page(rng)
    data, content_type = encoding_variant(rng, text)
    return data, url, content_type


def nested(depth: int, tag: str = "div", inner: str | None = None) -> bytes:
    """An article whose text sits inside ``depth`` nested ``tag`` elements."""
    inner = inner or (f"<h1>{TITLES[0]}</h1><p>Ngày đăng: 22/01/2024</p><p>{' '.join(SENTENCES)}</p>")
    return (f"<html><head><title>{TITLES[0]}</title></head><body>" + f"<{tag}>" * depth + inner
            + f"</{tag}>" * depth + "</body></html>").encode("utf-8")


def deep(rng: random.Random) -> tuple[bytes, str, str | None]:
    depth = rng.choice((100, 254, 255, 256, 1000, 5000, 10_000, 30_000))
    tag = rng.choice(("div", "span", "b", "table", "ul", "li", "p", "a", "font", "i"))
    if rng.random() < 0.5:
        return nested(depth, tag), rng.choice(URLS), None
    unclosed = (f"<{tag}>" * depth).encode() + rng.choice(SENTENCES).encode()
    return b"<html><body><h1>" + TITLES[0].encode() + b"</h1>" + unclosed, rng.choice(URLS), None


def huge_attr(rng: random.Random) -> tuple[bytes, str, str | None]:
    size = rng.choice((10_000, 100_000, 1_000_000, 5_000_000))
    name = rng.choice(("class", "style", "href", "src", "alt", "data-x", "content", "title"))
    value = rng.choice(("a", "x ", "&amp;", "đ", "sidebar ", "\"")) * (size // 2)
    tag = rng.choice(("h1", "div", "a", "img", "meta", "link", "p"))
    page = article_page(rng).replace("<h1>", f"<{tag} {name}='{value}'></{tag}><h1>", 1)
    return page.encode("utf-8"), rng.choice(URLS), None


def binary(rng: random.Random) -> tuple[bytes, str, str | None]:
    size = rng.choice((0, 1, 2, 3, 16, 1000, 100_000))
    data = bytes(rng.randrange(256) for _ in range(size)) if size <= 1000 else rng.randbytes(size)
    if rng.random() < 0.3:
        data = rng.choice((b"<html>", b"<", b"\xef\xbb\xbf", b"<?xml", b"%PDF-1.4", b"\x89PNG\r\n\x1a\n",
                           b"\x1f\x8b\x08")) + data
    return data, rng.choice(URLS), rng.choice(CONTENT_TYPES)


def metadata(rng: random.Random, sizes: tuple[int, ...] = (10, 100, 1000)) -> tuple[bytes, str, str | None]:
    """Pages whose machine-readable metadata (JSON-LD, meta and <time> dates) is hostile: values
    repeated ``sizes`` times, JSON-LD cut short."""
    size = rng.choice(sizes)
    value = rng.choice(DATES + ("a 1 ", "1", "Thứ hai 1 ", "[", "{")) * size
    where = rng.randrange(4)
    if where == 0:
        extra = f'<meta property="article:published_time" content="{value}">'
    elif where == 1:
        extra = f'<script type="application/ld+json">{{"@type":"NewsArticle","datePublished":{json.dumps(value)}}}</script>'
    elif where == 2:
        extra = f'<time datetime="{value}">x</time>'
    else:
        opener = rng.choice(("[", "{", '{"@graph":['))
        extra = f'<script type="application/ld+json">{opener}{value[:200]}</script>'
    page = article_page(rng)
    if rng.random() < 0.7:  # no printed date: metadata is read
        page = re.sub(r"<p class='date'>.*?</p>", "", page)
    return page.replace("<head>", "<head>" + extra, 1).encode("utf-8"), rng.choice(URLS), None


FEED_TEMPLATES = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Tin</title>{items}</channel></rss>',
    '<feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{maps}</sitemapindex>',
)
DOCTYPES = (
    "",
    '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1:9/evil">]>',
    '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY x "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    '<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]>',
)


def xml_document(rng: random.Random, hostile: bool = False) -> bytes:
    hrefs = GOOD_HREFS + (HOSTILE_HREFS if hostile else ()) + ("&x;",)
    link = lambda: rng.choice(hrefs)  # noqa: E731
    date = lambda: rng.choice(DATES + ("Fri, 22 Jan 2021 10:00:00 +0700", "&x;", ""))  # noqa: E731
    n = rng.randint(0, 8)
    doc = rng.choice(FEED_TEMPLATES).format(
        items="".join(f"<item><title>{rng.choice(TITLES)}</title><link>{link()}</link><pubDate>{date()}</pubDate></item>"
                      for _ in range(n)),
        entries="".join(f'<entry><link rel="{rng.choice(("alternate", "edit", ""))}" href="{link()}"/>'
                        f"<published>{date()}</published></entry>" for _ in range(n)),
        urls="".join(f"<url><loc>{link()}</loc><lastmod>{date()}</lastmod></url>" for _ in range(n)),
        maps="".join(f"<sitemap><loc>{link()}</loc></sitemap>" for _ in range(n)))
    if rng.random() < 0.5:
        if doc.startswith("<?xml"):
            cut = doc.index("?>") + 2
            doc = doc[:cut] + rng.choice(DOCTYPES) + doc[cut:]
        else:
            doc = rng.choice(DOCTYPES) + doc
    data = doc.encode("utf-8")
    return mutate(rng, data, rng.randint(1, 10)) if rng.random() < 0.3 else data


HOSTILE = {"urls": True}  # --safe-urls turns the broken URLs off, to look for other bugs

GENERATORS = {
    "soup": lambda rng: (soup(rng, hostile=HOSTILE["urls"]), rng.choice(URLS), rng.choice(CONTENT_TYPES[:4])),
    "truncated": truncated,
    "mutated": mutated,
    "encoding": encoding,
    "deep": deep,
    "huge_attr": huge_attr,
    "binary": binary,
    "metadata": metadata,
    "xml": lambda rng: (xml_document(rng, hostile=HOSTILE["urls"]), rng.choice(URLS), None),
}
WEIGHTS = {"soup": 30, "truncated": 15, "mutated": 20, "encoding": 15, "deep": 3, "huge_attr": 2, "binary": 5,
           "metadata": 5, "xml": 15}


# ---- the run -----------------------------------------------------------------------------------

@dataclass
class Crash:
    signature: str
    kind: str
    target: str
    error: str
    data: bytes
    url: str
    content_type: str | None
    count: int = 1


@dataclass
class Tally:
    inputs: int = 0
    items: int = 0
    rejections: int = 0
    invalid: int = 0
    crashes: int = 0
    hangs: int = 0
    listing_rows: int = 0
    feed_entries: int = 0
    by_kind: Counter = field(default_factory=Counter)
    distinct: dict[str, Crash] = field(default_factory=dict)
    slowest: tuple[float, str] = (0.0, "")


_QUOTED = re.compile(r"'[^']*'")
_INDEX = re.compile(r"\[\d+\]")


def signature(target: str, exc: BaseException) -> str:
    """Where a crash comes from: the function under test, the exception type and the innermost
    vinews frame (so one bug counts once however many inputs trigger it); for a broken contract,
    what was wrong."""
    if isinstance(exc, ContractBroken):
        return (target + ": " + _INDEX.sub("[…]", _QUOTED.sub("'…'", str(exc))))[:160]
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "vinews_scraper" in f.filename
              or "pipelines" in f.filename]
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    kind = "Hang" if isinstance(exc, Hang) else type(exc).__name__
    return f"{target}: {kind} at {where}"


TARGETS = {
    "article": lambda data, url, ct: check_article(data, url, ct),
    "listing": lambda data, url, ct: check_listing(data, url, ct),
    "feed": lambda data, url, ct: check_feed(data, url),
    "sitemap": lambda data, url, ct: check_sitemap(data, url),
}


def run_one(target: str, data: bytes, url: str, content_type: str | None, limit: float):
    """(outcome, exception or None) of one target on one input."""
    try:
        with time_limit(limit):
            return TARGETS[target](data, url, content_type), None
    except (Hang, ContractBroken, Exception, RecursionError) as exc:  # noqa: B014 (spelled out on purpose)
        return None, exc


def minimize(target: str, data: bytes, url: str, content_type: str | None, sig: str, limit: float,
             budget_seconds: float = 30.0) -> bytes:
    """A smaller input with the same crash signature (greedy chunk removal)."""
    deadline = time.monotonic() + budget_seconds
    chunk = max(1, len(data) // 2)
    while chunk >= 1 and time.monotonic() < deadline:
        at, shrunk = 0, False
        while at < len(data) and time.monotonic() < deadline:
            candidate = data[:at] + data[at + chunk:]
            _, exc = run_one(target, candidate, url, content_type, limit)
            if exc is not None and signature(target, exc) == sig:
                data, shrunk = candidate, True
            else:
                at += chunk
        if not shrunk:
            chunk //= 2
    return data


def fuzz(seconds: float, seed: int, kinds: list[str], limit: float, save: Path | None = None,
         do_minimize: bool = False, log=print) -> Tally:
    rng = random.Random(seed)
    tally = Tally()
    weights = [WEIGHTS[k] for k in kinds]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        kind = rng.choices(kinds, weights)[0]
        data, url, content_type = GENERATORS[kind](rng)
        tally.inputs += 1
        tally.by_kind[kind] += 1
        targets = ("feed", "sitemap") if kind == "xml" else ("article", "listing")
        for target in targets:
            started = time.monotonic()
            outcome, exc = run_one(target, data, url, content_type, limit)
            took = time.monotonic() - started
            if took > tally.slowest[0]:
                tally.slowest = (took, f"{kind}/{target} ({len(data)} bytes)")
            if exc is None:
                if outcome == "item":
                    tally.items += 1
                elif outcome == "rejected":
                    tally.rejections += 1
                elif target == "listing" and outcome > 0:
                    tally.listing_rows += outcome
                elif target in ("feed", "sitemap"):
                    tally.feed_entries += outcome
                continue
            if isinstance(exc, ContractBroken) and str(exc).startswith("invalid item"):
                tally.invalid += 1
            elif isinstance(exc, Hang):
                tally.hangs += 1
            else:
                tally.crashes += 1
            sig = signature(target, exc)
            if sig in tally.distinct:
                tally.distinct[sig].count += 1
                continue
            crash = Crash(sig, kind, target, f"{type(exc).__name__}: {str(exc)[:200]}", data, url, content_type)
            tally.distinct[sig] = crash
            log(f"new: {sig} ({kind}, {len(data)} bytes): {crash.error}")
            if save is not None:
                if do_minimize and not isinstance(exc, Hang):
                    crash.data = minimize(target, data, url, content_type, sig, limit)
                save.mkdir(parents=True, exist_ok=True)
                stem = hashlib.sha1(sig.encode()).hexdigest()[:12]
                (save / f"{stem}.bin").write_bytes(crash.data)
                (save / f"{stem}.json").write_text(json.dumps(
                    {"signature": sig, "kind": kind, "target": target, "error": crash.error, "url": url,
                     "content_type": content_type, "bytes": len(crash.data)}, ensure_ascii=False, indent=1))
    return tally


def report(tally: Tally, seconds: float) -> list[str]:
    lines = [
        f"inputs {tally.inputs} in {seconds:g} s ({', '.join(f'{k} {n}' for k, n in sorted(tally.by_kind.items()))})",
        f"items {tally.items}, rejections {tally.rejections}, invalid items {tally.invalid}, "
        f"crashes {tally.crashes}, hangs {tally.hangs}",
        f"listing rows {tally.listing_rows}, feed/sitemap entries {tally.feed_entries}; "
        f"slowest input {tally.slowest[0]:.2f} s ({tally.slowest[1]})",
    ]
    for crash in sorted(tally.distinct.values(), key=lambda c: -c.count):
        lines.append(f"  {crash.count:6d} x {crash.signature}  e.g. {crash.error[:120]!r}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to fuzz (default 60)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: time-based, printed)")
    parser.add_argument("--kinds", default=",".join(GENERATORS), help="comma-separated input kinds")
    parser.add_argument("--limit", type=float, default=10.0, help="seconds after which an input counts as a hang")
    parser.add_argument("--save", type=Path, help="directory for the first input of each distinct crash")
    parser.add_argument("--minimize", action="store_true", help="shrink saved crash inputs first")
    parser.add_argument("--safe-urls", action="store_true",
                        help="no syntactically broken URLs in generated pages (they crash the urllib parser: "
                             "leave them out to look for other bugs)")
    args = parser.parse_args(argv)
    HOSTILE["urls"] = not args.safe_urls
    seed = args.seed if args.seed is not None else int(time.time())
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in GENERATORS]
    if unknown:
        parser.error(f"unknown kinds {unknown}; known: {', '.join(GENERATORS)}")
    print(f"fuzzing {', '.join(kinds)} for {args.seconds:g} s, seed {seed}, hang limit {args.limit:g} s", flush=True)
    started = time.monotonic()
    tally = fuzz(args.seconds, seed, kinds, args.limit, args.save, args.minimize,
                 log=lambda line: print(line, flush=True))
    for line in report(tally, round(time.monotonic() - started, 1)):
        print(line)
    return 1 if (tally.crashes or tally.hangs or tally.invalid) else 0


if __name__ == "__main__":
    sys.exit(main())
