"""One pace for every request to the Wayback Machine in this process, whatever crawl sends it.

Requests to the archive (URLs under ``VINEWS_WAYBACK_URL``) go one at a time, and each starts at
least ``1 / VINEWS_WAYBACK_RATE`` seconds after the previous one ended. A 429 answer pauses every
archive request for ``VINEWS_WAYBACK_429_PAUSE`` seconds (longer if ``Retry-After`` says so);
consecutive 5xx answers back off exponentially. Retrying is left to the retry middleware.
"""

from __future__ import annotations

import logging
import time

from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer
from twisted.internet.task import deferLater

from .middlewares import backoff_seconds, retry_after_seconds

logger = logging.getLogger(__name__)

_HELD = "vinews_archive_turn"


class _Pace:
    """The shared state: whose turn it is and when the next request may start."""

    def __init__(self) -> None:
        self.turn = defer.DeferredLock()
        self.ready_at = 0.0
        self.server_errors = 0


_PACES: dict[str, _Pace] = {}  # one per archive, shared by every crawler of the process


class ArchiveThrottleMiddleware:
    """Downloader middleware pacing the archive's requests; last before the download handler."""

    def __init__(self, archive: str, rate: float, pause_429: float, backoff_base: float,
                 backoff_max: float, stats) -> None:
        if rate <= 0:
            raise ValueError(f"VINEWS_WAYBACK_RATE must be positive, got {rate}")
        self.archive = archive.rstrip("/") + "/"
        self.interval = 1.0 / rate
        self.pause_429 = pause_429
        self.backoff_base, self.backoff_max = backoff_base, backoff_max
        self.stats = stats
        self.pace = _PACES.setdefault(self.archive, _Pace())

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(s.get("VINEWS_WAYBACK_URL"), s.getfloat("VINEWS_WAYBACK_RATE"),
                   s.getfloat("VINEWS_WAYBACK_429_PAUSE"), s.getfloat("VINEWS_RETRY_BACKOFF_BASE"),
                   s.getfloat("VINEWS_RETRY_BACKOFF_MAX"), crawler.stats)

    async def process_request(self, request, spider=None):
        if not request.url.startswith(self.archive):
            return None
        await maybe_deferred_to_future(self.pace.turn.acquire())
        request.meta[_HELD] = True
        wait = self.pace.ready_at - time.monotonic()
        if wait > 0:
            from twisted.internet import reactor  # not at import: Scrapy installs the reactor first

            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        return None

    def process_response(self, request, response, spider=None):
        if request.meta.pop(_HELD, False):
            self._end(self._rest_after(response))
        return response

    def process_exception(self, request, exception, spider=None):
        if request.meta.pop(_HELD, False):
            self._end(self.interval)

    def _rest_after(self, response) -> float:
        """Seconds until the next archive request may start, given this answer."""
        if response.status == 429:
            advised = retry_after_seconds(response.headers.get("Retry-After")) or 0.0
            pause = max(self.pause_429, advised)
            self.stats.inc_value("vinews/wayback/rate_limited")
            self.stats.inc_value("vinews/wayback/paused_seconds", pause)
            logger.warning("the archive answered 429 Too Many Requests: pausing %.1f s", pause)
            return pause
        if response.status >= 500:
            self.pace.server_errors += 1
            return max(self.interval, backoff_seconds(self.pace.server_errors, self.backoff_base,
                                                      self.backoff_max))
        self.pace.server_errors = 0
        return self.interval

    def _end(self, rest: float) -> None:
        self.pace.ready_at = time.monotonic() + rest
        self.pace.turn.release()
