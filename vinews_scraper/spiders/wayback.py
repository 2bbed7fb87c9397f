"""Recover a portal from the Wayback Machine when its own server is gone or changed.

``vinews crawl SITE --from-wayback`` (or ``scrapy crawl wayback -a site=SITE``) lists the portal's
captures with the CDX API, replays each URL's newest capture in the date range raw (``id_``) and
reads it with the same extraction as a live crawl. Items keep the portal's own URLs and say which
capture they came from (``wayback_timestamp``, ``archive_url``).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.spidermiddlewares.httperror import HttpError

from ..extraction import ExtractionError, extract_article
from ..extraction.listing import extract_listing, looks_like_article_url
from ..items import ArticleItem, FailureItem
from ..warc.middleware import capture_of
from ..wayback import (Capture, capture_time, cdx_query, host_of_key, parse_cdx, replay_url,
                       split_replay_url, unique_hosts, url_key, versions_by_url)
from .portal import PortalSpider, failure_details, utc_now

REDIRECTS = [301, 302, 303, 307, 308]
MAX_HOPS = 5


class WaybackSpider(PortalSpider):
    """Recover one portal from its captures: ``scrapy crawl wayback -a site=vithuy``.

    Arguments as for ``portal`` (``since``, ``max_articles``, ``refresh``, ``registry``), plus
    ``from_day``/``to_day`` (YYYY-MM-DD, inclusive) bounding the capture dates.

    Captured pages are told apart by URL, as a live crawl would meet them: a URL that the family's
    article pattern (else the generic article shape) matches is an article; the registered listing
    URLs, their other pages (same path, any query) and the next pages they link are listings, read
    with the listing extraction, whose rows name the other articles; other pages are skipped.
    Each URL's newest capture is read first; when it cannot be replayed or read, the next older
    distinct capture is tried (``VINEWS_WAYBACK_TRIES`` in all).
    """

    name = "wayback"
    custom_settings = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0}  # the archive throttle paces

    def __init__(self, site=None, from_day: str | None = None, to_day: str | None = None, **kwargs):
        super().__init__(site=site, **kwargs)
        self.from_day, self.to_day = from_day or None, to_day or None
        self.hosts = unique_hosts(self.site.hosts)
        self.host_keys = {host_of_key(url_key(f"http://{h}/")) for h in self.hosts}
        pattern = self.site.profile.article_link
        self.article_pattern = re.compile(pattern) if pattern else None
        self.listing_paths = {url_key(u).split("?", 1)[0] for u in self.site.listing_urls}
        self.listings_read: set[str] = set()  # url keys of listing captures requested
        self.captures: list[Capture] = []
        self.versions: dict[str, list[Capture]] = {}
        self.scheduled: set[str] = set()  # url keys taken care of as articles
        self.missing: set[str] = set()  # url keys reported as not archived

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.archive = settings.get("VINEWS_WAYBACK_URL").rstrip("/")
        spider.cdx_limit = settings.getint("VINEWS_WAYBACK_CDX_LIMIT")
        spider.tries = max(1, settings.getint("VINEWS_WAYBACK_TRIES"))
        spider.allowed_domains = [urlsplit(spider.archive).hostname]
        spider.known_keys = {url_key(u) for u in spider.known_urls}
        return spider

    async def start(self):
        yield self._cdx_request(0)

    # -- listing the captures --------------------------------------------------------------

    def _cdx_request(self, host_index: int, resume_key: str | None = None) -> scrapy.Request:
        url = cdx_query(self.archive, self.hosts[host_index], limit=self.cdx_limit,
                        from_day=self.from_day, to_day=self.to_day, resume_key=resume_key)
        return scrapy.Request(url, callback=self.parse_cdx, errback=self.cdx_failed, dont_filter=True,
                              cb_kwargs={"host_index": host_index})

    def parse_cdx(self, response, host_index: int):
        stats = self.crawler.stats
        stats.inc_value("vinews/wayback/cdx_pages")
        try:
            rows, resume_key = parse_cdx(response.body)
        except ValueError as exc:
            yield self._failure(response.url, "wayback", f"unreadable CDX answer: {exc}")
            rows, resume_key = [], None
        stats.inc_value("vinews/wayback/cdx_rows", len(rows))
        self.captures.extend(rows)
        yield from self._after_cdx_page(host_index, resume_key)

    def cdx_failed(self, failure):
        """A CDX page that cannot be had is recorded; the captures listed so far are still read."""
        yield from self.record_failure(failure)
        yield from self._after_cdx_page(failure.request.cb_kwargs["host_index"], None)

    def _after_cdx_page(self, host_index: int, resume_key: str | None):
        if resume_key:
            yield self._cdx_request(host_index, resume_key)
        elif host_index + 1 < len(self.hosts):
            yield self._cdx_request(host_index + 1)
        else:
            yield from self._read_captures()

    def _read_captures(self):
        """Every URL's capture(s) to replay, once the whole list is in."""
        stats = self.crawler.stats
        self.versions = versions_by_url(self.captures)
        unique = sum(len(v) for v in self.versions.values())
        stats.set_value("vinews/wayback/captures", unique)
        stats.set_value("vinews/wayback/duplicate_rows", len(self.captures) - unique)
        stats.set_value("vinews/wayback/urls", len(self.versions))
        self.captures = []
        for key, versions in self.versions.items():
            if self._is_article(versions[0].original):
                yield from self._article(key)
            elif key.split("?", 1)[0] in self.listing_paths:
                yield from self._listing(key)
            else:
                stats.inc_value("vinews/wayback/skipped_pages")

    # -- replaying them --------------------------------------------------------------------

    def _is_article(self, url: str) -> bool:
        return bool(self.article_pattern.search(url)) if self.article_pattern else looks_like_article_url(url)

    def _on_portal(self, url: str) -> bool:
        return host_of_key(url_key(url)) in self.host_keys

    def _article(self, key: str):
        """The replay of the article at ``key`` unless already taken care of, known or over the limit."""
        if key in self.scheduled:
            return
        self.scheduled.add(key)
        if key in self.known_keys:
            self.crawler.stats.inc_value("vinews/articles_known")
            return
        if self.max_articles and self.requested_articles >= self.max_articles:
            return
        self.requested_articles += 1
        yield self._replay(self.versions[key][:self.tries], "article")

    def _listing(self, key: str):
        """The replay of the listing page at ``key`` unless already requested."""
        if key not in self.listings_read:
            self.listings_read.add(key)
            yield self._replay(self.versions[key][:self.tries], "listing")

    def _replay(self, versions: list[Capture], role: str) -> scrapy.Request:
        newest = versions[0]
        return self._request(replay_url(self.archive, newest.timestamp, newest.original), role, versions)

    def _request(self, url: str, role: str, versions: list[Capture], hops: int = 0) -> scrapy.Request:
        """A raw replay; redirects come back to ``parse_capture`` to be told apart."""
        callback = self.parse_article if role == "article" else self.parse_listing
        return scrapy.Request(url, callback=callback, errback=self.replay_failed,
                              dont_filter=True,
                              meta={"dont_redirect": True, "handle_httpstatus_list": REDIRECTS},
                              cb_kwargs={"role": role, "versions": versions, "hops": hops})

    def parse_article(self, response, **kwargs):
        """An article's capture: the callback's name marks its WARC record as an article page, which
        ``vinews parse-warc`` reads again as the original article."""
        return self.parse_capture(response, **kwargs)

    def parse_listing(self, response, **kwargs):
        """A listing's capture (named so for its WARC record, as ``parse_article``)."""
        return self.parse_capture(response, **kwargs)

    def parse_capture(self, response, role: str, versions: list[Capture], hops: int):
        timestamp, original = split_replay_url(response.url)
        if response.status in REDIRECTS:
            yield from self._redirect(response, timestamp, original, role, versions, hops)
        elif role == "listing":
            yield from self._read_listing(response, original, timestamp)
        else:
            yield from self._read_article(response, original, timestamp, versions)

    def _redirect(self, response, timestamp: str, original: str, role: str, versions: list[Capture],
                  hops: int):
        """Follow the portal's own (archived) redirect within the portal, or the archive's
        redirect to another capture of the same URL."""
        stats = self.crawler.stats
        location = urljoin(response.url, response.headers.get("Location", b"").decode("latin-1"))
        replay = split_replay_url(location)
        if hops >= MAX_HOPS:
            yield from self._give_up(role, versions, original, f"more than {MAX_HOPS} redirects")
            return
        if b"Memento-Datetime" not in response.headers:  # the archive's own redirect
            stats.inc_value("vinews/wayback/archive_redirects")
            if replay is None or url_key(replay[1]) != url_key(original):
                yield from self._give_up(role, versions, original,
                                         f"the archive redirected to another URL: {location}")
                return
            yield self._request(location, role, versions, hops + 1)
            return
        stats.inc_value("vinews/wayback/archived_redirects")
        target = replay[1] if replay else location
        key = url_key(target)
        if not self._on_portal(target):
            yield from self._give_up(role, versions, original, f"archived redirect off the portal to {target}")
        elif key == url_key(original):
            yield self._request(replay_url(self.archive, timestamp, target), role, versions, hops + 1)
        elif role == "article" and not self._is_article(target):
            yield from self._give_up(role, versions, original, f"archived redirect to a non-article page {target}")
        elif key in self.versions:  # the target's own captures are read in their own right
            yield from self._article(key) if role == "article" else self._listing(key)
        else:  # a target without captures of its own in range: the archive finds the closest one
            taken = self.scheduled if role == "article" else self.listings_read
            if key not in taken:
                taken.add(key)
                yield self._request(replay_url(self.archive, timestamp, target), role, versions, hops + 1)

    def _read_article(self, response, original: str, timestamp: str, versions: list[Capture]):
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        try:
            item = extract_article(response.body, original, site=self.site, content_type=content_type)
        except ExtractionError as exc:
            yield from self._give_up("article", versions, original, str(exc), kind="parse",
                                     status=response.status)
            return
        if self.since and item["published"] and item["published"][:10] < self.since:
            self.crawler.stats.inc_value("vinews/articles_older_than_since")
            return
        item.update({k: v for k, v in capture_of(response).items() if k != "fetched_at"})
        item["fetched_at"] = capture_time(timestamp)  # when the page was captured, not replayed
        item["wayback_timestamp"] = timestamp
        item["archive_url"] = response.url
        yield ArticleItem(item)

    def _read_listing(self, response, original: str, timestamp: str):
        """A listing capture: its rows' articles are read from their captures, those never
        captured (in the date range) are recorded as not archived; its next page is read too."""
        self.crawler.stats.inc_value("vinews/wayback/listing_pages")
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        try:
            listing = extract_listing(response.body, original, site=self.site, content_type=content_type)
        except ValueError as exc:
            yield self._failure(original, "parse", f"unreadable page: {exc}", response.status)
            return
        for row in listing.rows:
            key = url_key(row.url)
            if key in self.scheduled or key in self.known_keys or not self._on_portal(row.url):
                continue
            if key in self.versions:
                yield from self._article(key)
            elif key not in self.missing:
                self.missing.add(key)
                in_range = " in the date range" if self.from_day or self.to_day else ""
                yield self._failure(row.url, "not_archived",
                                    f"linked from {original} (captured {timestamp}) but never captured{in_range}")
        if listing.next_page and url_key(listing.next_page) in self.versions:
            yield from self._listing(url_key(listing.next_page))

    def replay_failed(self, failure):
        """A replay that failed (after retries): an older capture is tried, else it is recorded."""
        kind, reason, status = failure_details(failure)
        if failure.check(HttpError):
            archived = b"Memento-Datetime" in failure.value.response.headers
            reason += " (the archived page)" if archived else " from the archive"
        request = failure.request
        original = split_replay_url(request.url)[1]
        yield from self._give_up(request.cb_kwargs["role"], request.cb_kwargs["versions"], original,
                                 f"{reason}: {request.url}", kind=kind, status=status)

    def _give_up(self, role: str, versions: list[Capture], original: str, reason: str,
                 kind: str = "wayback", status: int | None = None):
        """Try the next older capture of the URL, or record why it could not be read."""
        if len(versions) > 1:
            self.crawler.stats.inc_value("vinews/wayback/older_captures_tried")
            self.logger.info("capture %s of %s: %s; trying the one of %s", versions[0].timestamp,
                             original, reason, versions[1].timestamp)
            yield self._replay(versions[1:], role)
        else:
            yield self._failure(original, kind, reason, status)

    def _failure(self, url: str, kind: str, reason: str, status: int | None = None) -> FailureItem:
        self.crawler.stats.inc_value(f"vinews/failures/{kind}")
        self.logger.warning("failed %s: %s", url, reason)
        return FailureItem(url=url, site=self.site.key, kind=kind, reason=reason, status=status,
                           failed_at=utc_now())
