"""Reading WARC files back into items: ``vinews parse-warc``.

Every HTML response record goes through the same extraction and the same item pipelines as a
crawl, whoever wrote the WARC (vinews, wget, Heritrix, Browsertrix): WARC/1.0 and 1.1, chunked and
compressed HTTP payloads (warcio decodes them), and revisit records, whose payload is read from
the record they refer to when that record is in one of the files read.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader, ChunkedDataException
from warcio.exceptions import ArchiveLoadFailed
from warcio.timeutils import iso_date_to_datetime

from ..extraction import ExtractionError, extract_article
from ..extraction.listing import looks_like_article_url
from ..extraction.replays import original_url
from ..items import ArticleItem, FailureItem
from ..registry import Registry, Site, default_registry, host_of
from ..storage import utc_timestamp
from .capture import PAGE_FIELD

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_SKIPPED = {"listing": "listing or home pages", "not_article": "other HTML pages", "not_html": "not HTML",
            "not_http": "not HTTP", "status": "not 2xx"}


@dataclass(frozen=True)
class Page:
    """One HTTP response read from a WARC, its payload decoded (no chunking, no compression)."""

    url: str
    status: int
    content_type: str | None
    body: bytes
    date: str  # WARC-Date
    file: str
    record_id: str
    role: str | None = None  # what the vinews crawl did with the page (PAGE_FIELD)


@dataclass(frozen=True)
class Unreadable:
    """A WARC file or record that could not be read, and why."""

    file: str
    url: str | None
    reason: str


def _payload(record) -> bytes:
    encoding = (record.http_headers.get_header("Content-Encoding") or "identity").strip().lower()
    if encoding != "identity" and encoding not in BufferedReader.get_supported_decompressors():
        raise ValueError(f"Content-Encoding {encoding!r} cannot be decoded")
    return record.content_stream().read()


def _status(http_headers) -> int | None:
    code = http_headers.get_statuscode() if http_headers else None
    return int(code) if code and code.isdigit() else None


def _page(record, file: str, original: tuple | None = None) -> Page:
    """The page of a response record, or of a revisit record given ``original``: the HTTP headers
    and payload of the response it refers to (whose status and type count when the revisit has
    none or says 304 Not Modified)."""
    headers, http_headers = record.rec_headers, record.http_headers
    if original is None:
        body = _payload(record)
    else:
        original_headers, body = original
        if _status(http_headers) in (None, 304):
            http_headers = original_headers
    return Page(url=headers.get_header("WARC-Target-URI"), status=_status(http_headers) or 0,
                content_type=http_headers.get_header("Content-Type"), body=body,
                date=headers.get_header("WARC-Date"), file=file,
                record_id=headers.get_header("WARC-Record-ID"), role=headers.get_header(PAGE_FIELD))


def _keys(headers) -> list[tuple]:
    """The keys a revisit record may name this response record by."""
    keys = [("id", headers.get_header("WARC-Record-ID")),
            ("capture", headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Date"))]
    digest = headers.get_header("WARC-Payload-Digest")
    return keys + [("digest", digest.lower())] if digest else keys


def _wanted(revisit_headers) -> list[tuple]:
    """The keys of the record a revisit refers to, the most precise first."""
    get = revisit_headers.get_header
    wanted = [("id", get("WARC-Refers-To")),
              ("capture", get("WARC-Refers-To-Target-URI"), get("WARC-Refers-To-Date"))]
    digest = get("WARC-Payload-Digest")
    return wanted + [("digest", digest.lower())] if digest else wanted


def _original(file: str, offset: int) -> tuple:
    """HTTP headers and decoded payload of the response record at ``offset`` of ``file``."""
    with open(file, "rb") as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream)))
        return record.http_headers, _payload(record)


def read_pages(files: Iterable[str], count: Callable[[str], None]) -> Iterator[Page | Unreadable]:
    """Each response (and resolved revisit) record of ``files`` as a Page, in file order.

    A revisit whose original is not read yet waits until every file is read; one whose original is
    in none of the files is Unreadable. ``count`` is called with ``records/<WARC-Type>`` per record.
    """
    seen: dict[tuple, tuple[str, int]] = {}
    waiting: list[tuple[str, object]] = []

    def resolve(file: str, revisit) -> Page | None:
        location = next((seen[key] for key in _wanted(revisit.rec_headers) if key in seen), None)
        if location is None:
            return None
        count("revisits_resolved")
        return _page(revisit, file, _original(*location))

    for file in files:
        try:
            with open(file, "rb") as stream:
                records = ArchiveIterator(stream)
                for record in records:
                    count(f"records/{record.rec_type}")
                    url = record.rec_headers.get_header("WARC-Target-URI")
                    try:
                        if record.rec_type == "response" and record.http_headers is None:
                            count("skipped/not_http")  # e.g. Heritrix's dns: records
                        elif record.rec_type == "response":
                            page = _page(record, file)  # read before the offset: asking it skips the payload
                            for key in _keys(record.rec_headers):
                                seen.setdefault(key, (file, records.get_record_offset()))
                            yield page
                        elif record.rec_type == "revisit":
                            page = resolve(file, record)
                            if page is None:
                                waiting.append((file, record))
                            else:
                                yield page
                    except (ValueError, zlib.error, EOFError, ChunkedDataException, OSError, ArchiveLoadFailed) as exc:
                        yield Unreadable(file, url, f"record {record.rec_headers.get_header('WARC-Record-ID')} "
                                                    f"in {file}: {exc}")
        except (OSError, ArchiveLoadFailed) as exc:
            yield Unreadable(file, None, f"cannot read WARC file {file}: {exc}")
    for file, revisit in waiting:
        page = resolve(file, revisit)
        yield page or Unreadable(
            file, revisit.rec_headers.get_header("WARC-Target-URI"),
            f"revisit record {revisit.rec_headers.get_header('WARC-Record-ID')} in {file} refers to a "
            f"record that is in none of the WARC files read")


def is_html(page: Page) -> bool:
    """An HTML page by its Content-Type, or by its first bytes when it has none."""
    declared = (page.content_type or "").split(";")[0].strip().lower()
    if declared:
        return declared in _HTML_TYPES
    return page.body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))


def is_listing_page(url: str, site: Site | None) -> bool:
    """A portal's home page, or one of the listings the registry gives for it (any page of it)."""
    parts = urlsplit(url)
    if parts.path in ("", "/"):
        return True
    place = (host_of(url), parts.path.rstrip("/"))
    return site is not None and any((host_of(u), urlsplit(u).path.rstrip("/")) == place
                                    for u in site.listing_urls)


def looks_like_article(url: str, site: Site | None) -> bool:
    """The spider's test for an article link: the portal family's pattern or an article-like URL."""
    pattern = site.profile.article_link if site else ""
    return bool(pattern and re.search(pattern, url)) or looks_like_article_url(url)


class WarcSpider(scrapy.Spider):
    """Reads WARC files into items for the pipelines; it downloads nothing.

    A 2xx response is read as an article when the vinews crawl that captured it read it as one
    (``WARC-Vinews-Page: article``); in a WARC of another tool, when it is HTML, neither a portal's
    home page nor a registered listing, and its URL looks like an article's or the page shows a date.
    A page read as an article that extraction cannot read, and every unreadable record, is stored
    as a failure with its reason.
    """

    name = "warc"

    def __init__(self, files: Iterable[str] = (), registry: Registry | None = None, **kwargs):
        super().__init__(**kwargs)
        self.files = list(files)
        self.registry = registry or default_registry()

    async def start(self):
        for page in read_pages(self.files, self._count):
            item = self.item_for(page)
            if item is not None:
                yield item

    def _count(self, key: str) -> None:
        self.crawler.stats.inc_value(f"vinews/warc/{key}")

    def _failure(self, url: str | None, site: Site | None, kind: str, reason: str, status=None) -> FailureItem:
        self.crawler.stats.inc_value(f"vinews/failures/{kind}")
        self.logger.warning("failed %s: %s", url, reason)
        return FailureItem(url=url, site=site.key if site else (host_of(url) if url else None), kind=kind,
                           reason=reason, status=status, failed_at=utc_timestamp())

    def item_for(self, page: Page | Unreadable) -> ArticleItem | FailureItem | None:
        """The item a page gives: an article, a failure, or None (counted) for a page that is no article."""
        if isinstance(page, Unreadable):
            site = self.registry.site_for_url(page.url) if page.url else None
            return self._failure(page.url, site, "warc", page.reason)
        if not 200 <= page.status < 300:
            self._count("skipped/status")
            return None
        if page.role not in (None, "article"):
            self._count(f"skipped/{page.role}")
            return None
        if page.role is None and not is_html(page):  # the crawl read its article pages whatever their type
            self._count("skipped/not_html")
            return None
        site = self.registry.site_for_url(original_url(page.url))  # a Wayback replay is its original page
        if page.role is None and is_listing_page(page.url, site):
            self._count("skipped/listing")
            return None
        expected = page.role == "article" or looks_like_article(page.url, site)
        try:
            fields = extract_article(page.body, page.url, site=site, content_type=page.content_type)
        except ExtractionError as exc:
            if not expected:
                self._count("skipped/not_article")
                return None
            return self._failure(page.url, site, "parse", f"{exc} (record {page.record_id} in {page.file})",
                                 page.status)
        if not expected and not fields["published"]:
            self._count("skipped/not_article")
            return None
        self._count("articles")
        fetched_at = fields.get("fetched_at") or utc_timestamp(iso_date_to_datetime(page.date))  # a replay's capture
        return ArticleItem({**fields, "fetched_at": fetched_at,
                            "warc_file": Path(page.file).name, "warc_record_id": page.record_id})


def replay_warcs(files: list[str], registry: Registry, settings,
                 on_article: Callable[[dict], None] | None = None) -> dict:
    """Run the WARC spider and the item pipelines in a Scrapy process; returns the run's stats.

    ``on_article`` gets every article that came out of the pipelines (stored or refreshed)."""
    from scrapy.crawler import CrawlerProcess

    settings.set("VINEWS_WARC_ENABLED", False, priority="cmdline")  # a replay fetches nothing to capture
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(WarcSpider)

    def scraped(item, response=None, spider=None):
        if isinstance(item, ArticleItem):
            on_article(dict(item))

    if on_article is not None:
        crawler.signals.connect(scraped, signal=signals.item_scraped)
    process.crawl(crawler, files=files, registry=registry)
    process.start()
    return crawler.stats.get_stats()


def summary(stats: dict) -> list[str]:
    """What a replay read and what became of it, for the command's report."""
    def n(key: str) -> int:
        return stats.get(f"vinews/{key}", 0)

    records = sum(v for k, v in stats.items() if k.startswith("vinews/warc/records/"))
    skipped = {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("vinews/warc/skipped/")}
    failed = sum(v for k, v in stats.items() if k.startswith("vinews/failures/"))
    return [
        (f"{records} records read: {n('warc/records/response')} responses, {n('warc/records/revisit')} "
         f"revisits ({n('warc/revisits_resolved')} resolved); {n('warc/articles')} article pages extracted; "
         "not read as articles: "
         + (", ".join(f"{v} {_SKIPPED.get(k, k + ' pages')}" for k, v in sorted(skipped.items())) or "none")),
        (f"{n('articles_new')} new, {n('articles_updated')} updated, {n('articles_unchanged')} unchanged, "
         f"{n('duplicates_dropped')} duplicates dropped, {n('items_rejected')} rejected, {failed} failed; "
         f"finish reason {stats.get('finish_reason')}"),
    ]
