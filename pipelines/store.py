"""Persist every kind of item in the crawl's store."""

from __future__ import annotations

import logging
from typing import Any

from vinews_scraper.items import (
    ArticleItem,
    FailureItem,
    RejectItem,
    ViewObservationItem,
)
from vinews_scraper.storage import Store, store_for_crawler

logger = logging.getLogger(__name__)
# The largest count the stores' BIGINT column holds (the article schema has the same maximum).
MAX_VIEW_COUNT = 2**63 - 1


class StorePipeline:
    """Writes articles (with their own view count), view observations, rejects and failures."""

    def __init__(self, store: Store, stats) -> None:
        self.store = store
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler) -> "StorePipeline":
        return cls(store_for_crawler(crawler), crawler.stats)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if isinstance(item, ArticleItem):
            self.store_article(item)
        elif isinstance(item, ViewObservationItem):
            self.store_view_observation(
                item["url"], item.get("site"), item.get("observed_at"), item["view_count"], item["seen_on"]
            )
        elif isinstance(item, RejectItem):
            self.store.add_reject(
                item.get("url"), item.get("site"), item["reasons"], item["item"], item.get("rejected_at")
            )
            self.stats.inc_value("vinews/rejects_stored")
        elif isinstance(item, FailureItem):
            self.store.add_failure(
                item.get("url"),
                item.get("site"),
                item["kind"],
                item.get("reason"),
                item.get("status"),
                item.get("failed_at"),
            )
            self.stats.inc_value("vinews/failures_stored")
        return item

    def store_article(self, item: ArticleItem) -> None:
        """The article and the view count its page shows, in one transaction."""
        observed = item.get("view_count") is not None and self.storable(item["url"], item["view_count"], "article")
        status = self.store.upsert_article(dict(item), with_view_observation=observed)
        self.stats.inc_value(f"vinews/articles_{status}")
        if observed:
            self.stats.inc_value("vinews/view_observations_stored")

    def store_view_observation(
        self, url: str, site: str | None, observed_at: Any, view_count: int, seen_on: str
    ) -> None:
        if self.storable(url, view_count, seen_on):
            self.store.add_view_observation(url, site, observed_at, view_count, seen_on)
            self.stats.inc_value("vinews/view_observations_stored")

    def storable(self, url: str, view_count: Any, seen_on: str) -> bool:
        """Whether ``view_count`` is a count a store can hold; one that is not is logged and counted."""
        if isinstance(view_count, int) and 0 <= view_count <= MAX_VIEW_COUNT:
            return True
        logger.warning("view count %r of %s (seen on %s) not stored: not a count a store can hold",
                       view_count, url, seen_on)
        self.stats.inc_value("vinews/view_observations_out_of_range")
        return False
