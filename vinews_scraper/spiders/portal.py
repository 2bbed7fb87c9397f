"""The portal spider: walks a portal's news listings, newest first, to its article pages.

It only navigates. What a page says is read by ``vinews_scraper.extraction``; what becomes of an
item is the pipelines' business.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin

import scrapy
from scrapy.spidermiddlewares.httperror import HttpError

from ..extraction import ExtractionError, extract_article
from ..extraction.feeds import feed_entries, sitemap_entries, sitemaps_in_robots
from ..extraction.listing import extract_listing, looks_like_article_url
from ..extraction_pool import ExtractionPool
from ..items import ArticleItem, FailureItem, ViewObservationItem
from ..middlewares import OffsiteRequest, RedirectLoop, RobotsForbidden, redirect_chain
from ..registry import Site, default_registry, load_registry
from ..storage import store_for_crawler
from ..warc.middleware import capture_of

# What a stored article's page answering with these statuses means: the portal took it down.
TAKEN_DOWN_STATUSES = (404, 410)


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# The kind of failure each exception is, first match wins (any other is "network"). Named, not
# imported: Scrapy 2.14+ wraps Twisted's exceptions in its own, older versions raise Twisted's.
FAILURE_KINDS = (
    ("dns", ("scrapy.exceptions.CannotResolveHostError", "twisted.internet.error.DNSLookupError")),
    ("timeout", ("scrapy.exceptions.DownloadTimeoutError", "twisted.internet.error.TimeoutError",
                 "twisted.internet.error.TCPTimedOutError")),
    ("offsite", (OffsiteRequest,)),
    ("robots", (RobotsForbidden,)),
    ("redirect_loop", (RedirectLoop,)),
    ("too_large", ("scrapy.exceptions.DownloadCancelledError", "twisted.internet.defer.CancelledError")),
    ("truncated", ("scrapy.exceptions.ResponseDataLossError",)),
    ("connection", ("scrapy.exceptions.DownloadFailedError", "scrapy.exceptions.DownloadConnectionRefusedError",
                    "twisted.web._newclient.ResponseFailed", "twisted.internet.error.ConnectError",
                    "twisted.internet.error.ConnectionLost", "twisted.internet.error.ConnectionDone")),
)
# Said when the exception says nothing (Scrapy's data-loss and size-limit errors may not).
SILENT_REASONS = {
    "too_large": "download cancelled: the response is over the size limit (DOWNLOAD_MAXSIZE)",
    "truncated": "the body ended before its Content-Length",
}


def failure_details(failure) -> tuple[str, str, int | None]:
    """(kind, reason, HTTP status or None) of a failed request."""
    if failure.check(HttpError):
        status = failure.value.response.status
        return "http", f"HTTP {status}", status
    kind = next((kind for kind, errors in FAILURE_KINDS if failure.check(*errors)), "network")
    message = str(failure.value) or SILENT_REASONS.get(kind, "no message")
    return kind, f"{failure.type.__name__}: {message}", None


def _flag(value) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on")


def _positive(value) -> int | None:
    return int(value) if value not in (None, "", "0", 0) else None


def rewalk_due(last_full_walk: str | None, days: int | None, now: datetime | None = None) -> bool:
    """Whether a crawl must walk every listing to its end: no full walk (``started_at``,
    ``YYYY-MM-DDTHH:MM:SSZ``) within ``days`` days; never when ``days`` is None."""
    if days is None:
        return False
    if last_full_walk is None:
        return True
    last = datetime.strptime(last_full_walk, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    return (now or datetime.now(timezone.utc)) - last >= timedelta(days=days)


class PortalSpider(scrapy.Spider):
    """Crawl one registered portal: ``scrapy crawl portal -a site=vithuy``.

    Arguments: ``since`` (YYYY-MM-DD: stop at older listing rows, skip older articles),
    ``max_pages`` (listing pages per listing), ``max_articles``, ``refresh`` (re-fetch stored
    articles), ``registry`` (an extra registry TOML file whose sites are added), ``discover``
    (also read the sitemaps of robots.txt and /sitemap.xml; on by default for a portal with the
    generic profile), ``full`` (walk every listing to its end). Feeds that listing pages advertise
    are always read.

    Otherwise a listing stops after ``VINEWS_INCREMENTAL_STOP_AFTER`` consecutive stored articles,
    unless the store has no full walk of the portal within ``VINEWS_FULL_REWALK_DAYS`` days, or an
    earlier run did not finish (killed or stopped): it may have stored newer articles and not
    older ones, so only a full walk is sure to reach the rest.
    """

    name = "portal"

    def __init__(self, site: str | Site | None = None, since: str | None = None,
                 max_pages=None, max_articles=None, refresh=False, registry: str | None = None,
                 discover=None, full=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(site, Site):
            self.site = site
        else:
            key = site or getattr(self, "site_key", None)
            if not key:
                raise ValueError("give the portal to crawl: -a site=<registry key>")
            sites = default_registry()
            if registry:
                extra = load_registry(registry)
                for extra_site in extra.sites.values():
                    sites = sites.with_site(extra_site)
            self.site = sites.site(key)
        self.since = since or None
        self.max_pages = _positive(max_pages)
        self.max_articles = _positive(max_articles)
        self.refresh = _flag(refresh)
        self.full = _flag(full)
        self.discover = self.site.family.name == "generic" if discover in (None, "") else _flag(discover)
        self.allowed_domains = sorted({h.split(":")[0] for h in self.site.hosts})
        self.known_urls: set[str] = set()  # stored articles not to fetch again
        self.stored_urls: set[str] = set()
        self.stop_after: int | None = None
        self.requested_articles = 0

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.extraction = ExtractionPool.from_crawler(crawler)
        # Attachments are kept only in the WARC files: fetched only when capture is on.
        spider.fetch_attachments = crawler.settings.getbool("VINEWS_WARC_ENABLED")
        store = store_for_crawler(crawler)
        spider.stored_urls = store.known_article_urls(spider.site.key)
        if not spider.refresh:
            spider.known_urls = spider.stored_urls
        spider.stop_after = _positive(crawler.settings.get("VINEWS_INCREMENTAL_STOP_AFTER"))
        days = _positive(crawler.settings.get("VINEWS_FULL_REWALK_DAYS"))
        unsettled = store.unsettled_runs(spider.site.key)
        if unsettled:
            spider.logger.info("%d earlier run(s) of %s did not finish (the last started %s): "
                               "walking every listing to its end", len(unsettled), spider.site.key,
                               unsettled[-1]["started_at"])
        spider.full = spider.full or bool(unsettled) or rewalk_due(store.last_full_walk(spider.site.key), days)
        return spider

    @property
    def walks_every_listing(self) -> bool:
        """Whether this crawl reaches the end of every listing: a full walk that ``max_pages``,
        ``since`` or ``max_articles`` do not cut short. Only such a walk settles interrupted runs."""
        return self.full and not (self.max_pages or self.since or self.max_articles)

    async def start(self):
        self.crawler.stats.set_value("vinews/full_walk", self.walks_every_listing)  # the run records it
        for url in self.site.listing_urls:
            yield scrapy.Request(url, callback=self.parse_listing, errback=self.record_failure,
                                 cb_kwargs={"page": 1, "known_streak": 0})
        if self.discover:
            root = self.site.listing_urls[0]
            yield scrapy.Request(urljoin(root, "/robots.txt"), callback=self.parse_robots,
                                 errback=self.record_failure, priority=-1)

    def _candidates(self, response, candidates):
        """Requests for the new articles among (url, published, view_count) candidates, and view
        observations of the known ones; False last when an older or over-limit one was reached."""
        stats = self.crawler.stats
        for url, published, view_count in candidates:
            if self.since and published and published[:10] < self.since:
                yield False
                continue
            if url in self.known_urls:
                stats.inc_value("vinews/articles_known")
                if view_count is not None:
                    yield ViewObservationItem(url=url, site=self.site.key, observed_at=utc_now(),
                                              view_count=view_count, seen_on="listing")
                continue
            if self.max_articles and self.requested_articles >= self.max_articles:
                yield False
                return
            self.requested_articles += 1
            yield response.follow(url, callback=self.parse_article, errback=self.record_failure)

    def _known_streak(self, urls, streak: int) -> tuple[int, bool]:
        """The run of consecutive stored articles after ``urls`` (continuing ``streak``), and
        whether a run reached ``stop_after`` among them (never in a full walk)."""
        reached = False
        for url in urls:
            streak = streak + 1 if url in self.known_urls else 0
            reached |= not self.full and self.stop_after is not None and streak >= self.stop_after
        return streak, reached

    async def parse_listing(self, response, page: int, known_streak: int = 0):
        self.crawler.stats.inc_value("vinews/listing_pages")
        try:
            listing = await self.extraction.run(
                extract_listing, response.body, response.url, site=self.site,
                content_type=response.headers.get("Content-Type", b"").decode("latin-1"))
        except Exception as exc:  # noqa: BLE001 (an unreadable listing is recorded, not lost)
            yield self.unreadable(response, exc)
            return
        reached_old = False
        rows = ((row.url, row.published, row.view_count) for row in listing.rows)
        for output in self._candidates(response, rows):
            if output is False:
                reached_old = True
            else:
                yield output
        for feed in listing.feeds:
            yield response.follow(feed, callback=self.parse_feed, errback=self.record_failure)
        streak, caught_up = self._known_streak([row.url for row in listing.rows], known_streak)
        more_pages = self.max_pages is None or page < self.max_pages
        if listing.next_page and caught_up:
            self.crawler.stats.inc_value("vinews/listings_stopped_known")
        elif listing.next_page and more_pages and not reached_old:
            yield response.follow(listing.next_page, callback=self.parse_listing, errback=self.record_failure,
                                  cb_kwargs={"page": page + 1, "known_streak": streak})

    def parse_feed(self, response):
        self.crawler.stats.inc_value("vinews/feeds")
        try:
            entries = feed_entries(response.body, response.url)
        except Exception as exc:  # noqa: BLE001
            yield self.unreadable(response, exc)
            return
        yield from (o for o in self._candidates(response, ((u, p, None) for u, p in entries)) if o is not False)

    def parse_robots(self, response):
        try:
            sitemaps = sitemaps_in_robots(response.body, response.url) or [urljoin(response.url, "/sitemap.xml")]
        except Exception as exc:  # noqa: BLE001
            yield self.unreadable(response, exc)
            return
        for url in sitemaps:
            yield response.follow(url, callback=self.parse_sitemap, errback=self.record_failure)

    def parse_sitemap(self, response):
        self.crawler.stats.inc_value("vinews/sitemaps")
        try:
            pages, children = sitemap_entries(response.body, response.url)
        except Exception as exc:  # noqa: BLE001
            yield self.unreadable(response, exc)
            return
        for url in children:
            yield response.follow(url, callback=self.parse_sitemap, errback=self.record_failure)
        pattern = re.compile(self.site.profile.article_link) if self.site.profile.article_link else None
        articles = ((u, day, None) for u, day in pages
                    if self.site.owns(u) and (pattern.search(u) if pattern else looks_like_article_url(u)))
        yield from (o for o in self._candidates(response, articles) if o is not False)

    async def parse_article(self, response):
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        try:
            item = await self.extraction.run(extract_article, response.body, response.url, site=self.site,
                                             content_type=content_type)
        except ExtractionError as exc:
            self.crawler.stats.inc_value("vinews/failures/parse")
            yield FailureItem(url=response.url, site=self.site.key, kind="parse", reason=str(exc),
                              status=response.status, failed_at=utc_now())
            return
        except Exception as exc:  # noqa: BLE001 (a bug in extraction must not lose the page silently)
            yield self.unreadable(response, exc)
            return
        if self.since and item["published"] and item["published"][:10] < self.since:
            self.crawler.stats.inc_value("vinews/articles_older_than_since")
            return
        item["fetched_at"] = utc_now()
        item.update(capture_of(response))
        yield ArticleItem(item)
        if self.fetch_attachments:
            for attachment in item["attachments"]:
                yield response.follow(attachment["url"], callback=self.parse_attachment,
                                      errback=self.record_failure)

    def parse_attachment(self, response):
        """An attachment is fetched only for the WARC capture to keep it; it makes no item."""
        self.crawler.stats.inc_value("vinews/attachments")

    def unreadable(self, response, exc: Exception) -> FailureItem:
        """A page whose extraction raised something other than ExtractionError (a bug): logged
        with its traceback and recorded as a parse failure, so that it is neither lost nor fatal."""
        self.logger.error("extraction crashed on %s", response.url, exc_info=exc)
        self.crawler.stats.inc_value("vinews/failures/parse")
        return FailureItem(url=response.url, site=self.site.key, kind="parse",
                           reason=f"extraction crashed: {type(exc).__name__}: {exc}",
                           status=response.status, failed_at=utc_now())

    def record_failure(self, failure):
        """Every request that fails is recorded with its reason, never silently dropped, under
        the URL the crawl asked for (the first of its redirects)."""
        url = redirect_chain(failure.request)[0]
        kind, reason, status = failure_details(failure)
        self.crawler.stats.inc_value(f"vinews/failures/{kind}")
        self.logger.warning("failed %s: %s", url, reason)
        failed_at = utc_now()
        if status in TAKEN_DOWN_STATUSES and url in self.stored_urls:
            self.note_taken_down(url, failed_at)
        yield FailureItem(url=url, site=self.site.key, kind=kind, reason=reason,
                          status=status, failed_at=failed_at)

    def note_taken_down(self, url: str, at: str) -> None:
        """A stored article whose page is gone is marked taken down in the store, never deleted."""
        if store_for_crawler(self.crawler).mark_taken_down(url, at):
            self.crawler.stats.inc_value("vinews/articles_taken_down")


def _site_spider(site: Site) -> type[PortalSpider]:
    """A spider class named after a registered portal, so ``scrapy crawl vithuy`` works."""
    return type(f"{site.key.title()}Spider", (PortalSpider,),
                {"name": site.key, "site_key": site.key, "__doc__": f"Crawl {site.name}."})


for _site in default_registry().sites.values():
    globals()[f"{_site.key.title()}Spider"] = _site_spider(_site)
