"""The downloader middleware that captures a crawl: every response, with its request, written to
WARC files by a writer process (``writer_process``); where each went is kept for the items."""

from __future__ import annotations

import logging
import os
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import NotConfigured

from ..storage import utc_timestamp
from .capture import CAPTURE_LIMITS, Exchange, finish_abandoned
from .writer_process import WarcWriterProcess

logger = logging.getLogger(__name__)

_META_KEY = "vinews_warc"


def _header_list(headers) -> list[tuple[str, str]]:
    return [(name.decode("latin-1"), value.decode("utf-8", "replace"))
            for name, values in headers.items() for value in values]


def _host_header(url: str) -> str:
    parts = urlsplit(url)
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    host = parts.hostname or ""
    return host if parts.port in (None, default_port) else f"{host}:{parts.port}"


def exchange_of(request: scrapy.Request, response: scrapy.http.Response, date: datetime) -> Exchange:
    """The exchange to record for ``request`` and the ``response`` the downloader returned.

    The body is de-chunked already, so Transfer-Encoding is dropped and a Content-Length added:
    the recorded message must say how its body is framed."""
    response_headers = [(k, v) for k, v in _header_list(response.headers) if k.lower() != "transfer-encoding"]
    if not any(k.lower() == "content-length" for k, _ in response_headers):
        response_headers.append(("Content-Length", str(len(response.body))))
    request_headers = _header_list(request.headers)
    if not any(k.lower() == "host" for k, _ in request_headers):
        request_headers.insert(0, ("Host", _host_header(request.url)))
    callback = getattr(request.callback, "__name__", "")
    return Exchange(
        url=response.url, method=request.method, request_headers=request_headers,
        request_body=request.body, protocol=response.protocol or "HTTP/1.1", status=response.status,
        response_headers=response_headers, body=response.body, date=date,
        ip_address=str(response.ip_address) if response.ip_address else None,
        page=callback[len("parse_"):] if callback.startswith("parse_") else None)


def warcinfo_fields(settings, site_key: str) -> dict[str, str]:
    """The warcinfo record of every file: who captured what, how, and what a capture made inside
    Scrapy cannot preserve."""
    return {
        "software": f"vinews/{version('vinews')} (Scrapy/{scrapy.__version__}; warcio/{version('warcio')})",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "isPartOf": f"vinews crawl of {site_key}",
        "operator": settings.get("VINEWS_CONTACT"),
        "http-header-user-agent": settings.get("USER_AGENT"),
        "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
        "description": CAPTURE_LIMITS,
    }


def capture_of(response: scrapy.http.Response) -> dict[str, str]:
    """``warc_file``, ``warc_record_id`` and ``fetched_at`` (the WARC-Date, to the second) of the
    capture of ``response``, so an item read again from the WARC is the same; empty when not captured."""
    capture = response.meta.get(_META_KEY)
    if capture is None:
        return {}
    return {"warc_file": capture.file, "warc_record_id": capture.record_id,
            "fetched_at": utc_timestamp(capture.date)}


class WarcCaptureMiddleware:
    """Downloader middleware that writes every downloaded response, with its request, to WARC files.

    It sits near the downloader (order 940, above decompression at 590 and redirects at 600), so it
    sees each body before Scrapy decompresses it and every response, redirects and retried errors
    included. Settings: ``VINEWS_WARC_ENABLED``, ``VINEWS_WARC_DIR`` (default
    ``<VINEWS_OUTPUT_DIR>/warc``), ``VINEWS_WARC_MAX_SIZE`` (bytes), ``VINEWS_WARC_GZIP_LEVEL``.
    """

    def __init__(self, crawler, directory: str, max_size: int, level: int):
        self.crawler = crawler
        self.stats = crawler.stats
        self.directory = directory
        self.max_size = max_size
        self.level = level
        self.writer: WarcWriterProcess | None = None
        self.files: set[str] = set()  # the files written to

    @classmethod
    def from_crawler(cls, crawler) -> WarcCaptureMiddleware:
        settings = crawler.settings
        if not settings.getbool("VINEWS_WARC_ENABLED"):
            raise NotConfigured
        directory = settings.get("VINEWS_WARC_DIR") or os.path.join(settings.get("VINEWS_OUTPUT_DIR", "output"), "warc")
        middleware = cls(crawler, directory, settings.getint("VINEWS_WARC_MAX_SIZE"),
                         settings.getint("VINEWS_WARC_GZIP_LEVEL"))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider) -> None:
        site = getattr(getattr(spider, "site", None), "key", None) or spider.name
        finished = finish_abandoned(self.directory, f"vinews-{site}")
        self.stats.set_value("vinews/warc/abandoned_files_finished", len(finished))
        config = {"directory": self.directory, "prefix": f"vinews-{site}", "max_size": self.max_size,
                  "info": warcinfo_fields(self.crawler.settings, site), "level": self.level}
        self.writer = WarcWriterProcess(config, on_restart=self._writer_restarted)

    async def process_response(self, request, response, spider=None):
        if "cached" in response.flags:  # served by the HTTP cache: not a fetch
            return response
        capture = await self.writer.write(exchange_of(request, response, datetime.now(timezone.utc)))
        request.meta[_META_KEY] = capture
        self.files.add(capture.file)
        self.stats.inc_value("vinews/warc/records", 2)
        self.stats.inc_value("vinews/warc/responses")
        return response

    def _writer_restarted(self, finished: list[Path]) -> None:
        self.stats.inc_value("vinews/warc/writer_restarts")
        logger.error("the WARC writer process died; its file was finished (%s) and a new writer started",
                     ", ".join(map(str, finished)) or "nothing to keep")

    def spider_closed(self, spider) -> None:
        self.writer.close()
        self.stats.set_value("vinews/warc/files", len(self.files))
        self.stats.set_value("vinews/warc/dir", self.directory)
