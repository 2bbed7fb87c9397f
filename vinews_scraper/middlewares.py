"""Downloader middlewares."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from datetime import datetime, timezone

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from twisted.internet import reactor
from twisted.internet.task import deferLater

DELAY_KEY = "vinews_retry_delay"


def retry_after_seconds(value: bytes | str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def backoff_seconds(attempt: int, base: float, cap: float) -> float:
    """Exponential backoff for the ``attempt``-th retry (1-based)."""
    return min(cap, base * 2 ** (attempt - 1))


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, waiting longer before each new attempt and honouring Retry-After."""

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("VINEWS_RETRY_BACKOFF_BASE", 2.0)
        self.backoff_max = settings.getfloat("VINEWS_RETRY_BACKOFF_MAX", 120.0)

    async def process_request(self, request, spider=None):
        delay = request.meta.pop(DELAY_KEY, None)
        if delay:
            await deferLater(reactor, delay, lambda: None)
        return None

    def _delay(self, request, response=None) -> float:
        attempt = request.meta.get("retry_times", 0) + 1
        delay = backoff_seconds(attempt, self.backoff_base, self.backoff_max)
        if response is not None:
            advised = retry_after_seconds(response.headers.get("Retry-After"))
            if advised is not None:
                delay = min(max(advised, 0.0), self.backoff_max * 5)
        return delay

    def process_response(self, request, response, spider=None):
        result = super().process_response(request, response)
        if isinstance(result, Request):
            result.meta[DELAY_KEY] = self._delay(request, response)
        return result

    def process_exception(self, request, exception, spider=None):
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            result.meta[DELAY_KEY] = self._delay(request)
        return result
