"""The portal spider: walks a portal's news listings, newest first, to its article pages.

It only navigates. What a page says is read by ``vinews_scraper.extraction``; what becomes of an
item is the pipelines' business.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import urljoin

import scrapy
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError

from ..extraction import ExtractionError, extract_article
from ..extraction.feeds import feed_entries, sitemap_entries, sitemaps_in_robots
from ..extraction.listing import extract_listing, looks_like_article_url
from ..items import ArticleItem, FailureItem, ViewObservationItem
from ..registry import Site, default_registry, load_registry
from ..storage import store_for_crawler


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _flag(value) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on")


def _positive(value) -> int | None:
    return int(value) if value not in (None, "", "0", 0) else None


class PortalSpider(scrapy.Spider):
    """Crawl one registered portal: ``scrapy crawl portal -a site=vithuy``.

    Arguments: ``since`` (YYYY-MM-DD: stop at older listing rows, skip older articles),
    ``max_pages`` (listing pages per listing), ``max_articles``, ``refresh`` (re-fetch stored
    articles), ``registry`` (an extra registry TOML file whose sites are added), ``discover``
    (also read the sitemaps of robots.txt and /sitemap.xml; on by default for a portal with the
    generic profile). Feeds that listing pages advertise are always read.
    """

    name = "portal"

    def __init__(self, site: str | Site | None = None, since: str | None = None,
                 max_pages=None, max_articles=None, refresh=False, registry: str | None = None,
                 discover=None, **kwargs):
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
        self.discover = self.site.family.name == "generic" if discover in (None, "") else _flag(discover)
        self.allowed_domains = sorted({h.split(":")[0] for h in self.site.hosts})
        self.known_urls: set[str] = set()
        self.requested_articles = 0

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        if not spider.refresh:
            spider.known_urls = store_for_crawler(crawler).known_article_urls(spider.site.key)
        return spider

    async def start(self):
        for url in self.site.listing_urls:
            yield scrapy.Request(url, callback=self.parse_listing, errback=self.record_failure,
                                 cb_kwargs={"page": 1})
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

    def parse_listing(self, response, page: int):
        self.crawler.stats.inc_value("vinews/listing_pages")
        listing = extract_listing(response.body, response.url, site=self.site,
                                  content_type=response.headers.get("Content-Type", b"").decode("latin-1"))
        reached_old = False
        rows = ((row.url, row.published, row.view_count) for row in listing.rows)
        for output in self._candidates(response, rows):
            if output is False:
                reached_old = True
            else:
                yield output
        for feed in listing.feeds:
            yield response.follow(feed, callback=self.parse_feed, errback=self.record_failure)
        more_pages = self.max_pages is None or page < self.max_pages
        if listing.next_page and more_pages and not reached_old:
            yield response.follow(listing.next_page, callback=self.parse_listing,
                                  errback=self.record_failure, cb_kwargs={"page": page + 1})

    def parse_feed(self, response):
        self.crawler.stats.inc_value("vinews/feeds")
        entries = feed_entries(response.body, response.url)
        yield from (o for o in self._candidates(response, ((u, p, None) for u, p in entries)) if o is not False)

    def parse_robots(self, response):
        sitemaps = sitemaps_in_robots(response.body, response.url) or [urljoin(response.url, "/sitemap.xml")]
        for url in sitemaps:
            yield response.follow(url, callback=self.parse_sitemap, errback=self.record_failure)

    def parse_sitemap(self, response):
        self.crawler.stats.inc_value("vinews/sitemaps")
        pages, children = sitemap_entries(response.body, response.url)
        for url in children:
            yield response.follow(url, callback=self.parse_sitemap, errback=self.record_failure)
        pattern = re.compile(self.site.profile.article_link) if self.site.profile.article_link else None
        articles = ((u, day, None) for u, day in pages
                    if self.site.owns(u) and (pattern.search(u) if pattern else looks_like_article_url(u)))
        yield from (o for o in self._candidates(response, articles) if o is not False)

    def parse_article(self, response):
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        try:
            item = extract_article(response.body, response.url, site=self.site, content_type=content_type)
        except ExtractionError as exc:
            self.crawler.stats.inc_value("vinews/failures/parse")
            yield FailureItem(url=response.url, site=self.site.key, kind="parse", reason=str(exc),
                              status=response.status, failed_at=utc_now())
            return
        if self.since and item["published"] and item["published"][:10] < self.since:
            self.crawler.stats.inc_value("vinews/articles_older_than_since")
            return
        item["fetched_at"] = utc_now()
        yield ArticleItem(item)

    def record_failure(self, failure):
        """Every request that fails is recorded with its reason, never silently dropped."""
        request = failure.request
        status = None
        if failure.check(HttpError):
            kind, status = "http", failure.value.response.status
            reason = f"HTTP {status}"
        elif failure.check(DNSLookupError):
            kind, reason = "dns", str(failure.value)
        elif failure.check(TimeoutError, TCPTimedOutError):
            kind, reason = "timeout", str(failure.value)
        else:
            kind, reason = "network", f"{failure.type.__name__}: {failure.value}"
        self.crawler.stats.inc_value(f"vinews/failures/{kind}")
        self.logger.warning("failed %s: %s", request.url, reason)
        yield FailureItem(url=request.url, site=self.site.key, kind=kind, reason=reason,
                          status=status, failed_at=utc_now())


def _site_spider(site: Site) -> type[PortalSpider]:
    """A spider class named after a registered portal, so ``scrapy crawl vithuy`` works."""
    return type(f"{site.key.title()}Spider", (PortalSpider,),
                {"name": site.key, "site_key": site.key, "__doc__": f"Crawl {site.name}."})


for _site in default_registry().sites.values():
    globals()[f"{_site.key.title()}Spider"] = _site_spider(_site)
