"""Crawl extensions."""

from __future__ import annotations

import logging
from collections import Counter

from scrapy import signals

from .extraction.article import CORE_FIELDS, missing_core_fields
from .items import ArticleItem

logger = logging.getLogger(__name__)


class DriftMonitor:
    """Notices when a portal's family profile stops fitting its pages (a template change).

    Counts, per portal, the articles that lack a core field or needed the generic fallback; once
    ``VINEWS_DRIFT_MIN_ITEMS`` articles are in and the share passes ``VINEWS_DRIFT_THRESHOLD``, logs
    an error (once per portal) and counts ``vinews/drift/alerts``.
    """

    def __init__(self, stats, threshold: float, min_items: int):
        self.stats = stats
        self.threshold = threshold
        self.min_items = min_items
        self.seen: Counter = Counter()
        self.drifted: Counter = Counter()
        self.alerted: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        monitor = cls(crawler.stats, crawler.settings.getfloat("VINEWS_DRIFT_THRESHOLD", 0.2),
                      crawler.settings.getint("VINEWS_DRIFT_MIN_ITEMS", 20))
        crawler.signals.connect(monitor.item_scraped, signal=signals.item_scraped)
        return monitor

    def item_scraped(self, item, spider=None, response=None):
        if not isinstance(item, ArticleItem):
            return
        site = item.get("site")
        family = getattr(getattr(spider, "site", None), "family", None)
        missing = missing_core_fields(dict(item))
        fell_back = family is not None and family.name != "generic" and item.get("parser") == "generic"
        for name in missing:
            self.stats.inc_value(f"vinews/drift/missing/{name}")
        if fell_back:
            self.stats.inc_value("vinews/drift/generic_fallback")
        self.seen[site] += 1
        if missing or fell_back:
            self.drifted[site] += 1
        share = self.drifted[site] / self.seen[site]
        if self.seen[site] >= self.min_items and share > self.threshold and site not in self.alerted:
            self.alerted.add(site)
            self.stats.inc_value("vinews/drift/alerts")
            logger.error("DRIFT on %s: %.0f%% of %d articles lacked %s or needed the generic "
                         "fallback; the portal's template may have changed: check its family "
                         "profile in the registry", site, 100 * share, self.seen[site],
                         "/".join(CORE_FIELDS))
