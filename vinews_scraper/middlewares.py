"""Downloader middlewares."""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import (
    MetaRefreshMiddleware,
    RedirectMiddleware,
)
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
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
            # Not at import: Scrapy installs the reactor first.
            from twisted.internet import reactor

            await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))
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


class OffsiteRequest(IgnoreRequest):
    """A request (or a redirect) to a host outside the portal's registry entry: not sent."""


def may_request(spider, url: str) -> bool:
    """Whether ``spider`` may send a request to ``url``.

    A portal crawl requests only its registry hosts, port included (Scrapy's OffsiteMiddleware
    compares host names only, and lets subdomains through). A spider whose ``allowed_domains`` name
    hosts that are not the portal's (the Wayback spider reads the archive) may also request those.
    Spiders without a portal (``site``) are not restricted here.
    """
    site = getattr(spider, "site", None)
    archive = getattr(spider, "archive", None)  # the Wayback spider's archive, port included
    if site is None or site.owns(url) or (archive and url.startswith(f"{archive}/")):
        return True
    try:
        hostname = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    portal_hostnames = set()
    for host in site.hosts:
        try:
            portal_hostnames.add((urlsplit(f"//{host}").hostname or "").lower())
        except ValueError:
            continue
    others = {d.lower() for d in getattr(spider, "allowed_domains", None) or ()} - portal_hostnames
    return bool(hostname) and hostname in others


class PortalHostsMiddleware:
    """Refuses every request to a host (or port) outside the portal's registry entry.

    Runs right after Scrapy's OffsiteMiddleware, before robots.txt is fetched for the request's
    host. The refused request's errback gets an ``OffsiteRequest``: the spider records it as a
    failure of kind ``offsite``.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        if not may_request(self.crawler.spider, request.url):
            self.crawler.stats.inc_value("vinews/offsite/requests_refused")
            raise OffsiteRequest(f"off-site request to {request.url} refused: not a host of the portal")
        return None


class RedirectLoop(IgnoreRequest):
    """A redirect back to a URL already in its own chain: not followed."""


class RobotsForbidden(IgnoreRequest):
    """A request that robots.txt disallows: not sent."""


class PortalRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, refusing with ``RobotsForbidden`` so that the spider records
    a disallowed page as a failure of kind ``robots`` rather than as an unexplained ignored request."""

    def process_request_2(self, rp, request) -> None:
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest as refusal:
            raise RobotsForbidden(f"{request.url} is disallowed by robots.txt") from refusal


def redirect_chain(request) -> list[str]:
    """The URLs ``request`` was redirected through, itself last."""
    return [*request.meta.get("redirect_urls", []), request.url]


class _OnSiteRedirects:
    """Follows a redirect only to the portal's own hosts and never around a loop. An off-site one
    fails the request (``OffsiteRequest``, an ``offsite`` failure) and a loop fails it
    (``RedirectLoop``, a ``redirect_loop`` failure) instead of the scheduler dropping the
    redirect without a trace (the looping URL was already seen)."""

    def _redirect(self, redirected, request, *args):
        if not may_request(self.crawler.spider, redirected.url):
            self.crawler.stats.inc_value("vinews/offsite/redirects_refused")
            raise OffsiteRequest(f"redirect from {request.url} to off-site {redirected.url} not followed")
        chain = redirect_chain(request)
        if redirected.url in chain:
            raise RedirectLoop(f"redirect loop: {' -> '.join([*chain, redirected.url])}")
        return super()._redirect(redirected, request, *args)


class OnSiteRedirectMiddleware(_OnSiteRedirects, RedirectMiddleware):
    """Scrapy's 3xx redirects, kept on the portal's hosts."""


class OnSiteMetaRefreshMiddleware(_OnSiteRedirects, MetaRefreshMiddleware):
    """Scrapy's <meta http-equiv="refresh"> redirects, kept on the portal's hosts."""
