"""Drop repeats of an article within one crawl and link copies of articles from other portals."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from vinews_scraper.items import ArticleItem
from vinews_scraper.storage import Store, store_for_crawler


class DedupePipeline:
    """Keeps the first ArticleItem per canonical_url of a crawl; links copies of other portals' articles."""

    def __init__(self, store: Store, stats) -> None:
        self.store = store
        self.stats = stats
        self.first_url_by_canonical: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler) -> "DedupePipeline":
        return cls(store_for_crawler(crawler), crawler.stats)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        canonical = item["canonical_url"]
        if canonical in self.first_url_by_canonical:
            self.stats.inc_value("vinews/duplicates_dropped")
            raise DropItem(
                f"duplicate article {item['url']}: canonical_url {canonical} "
                f"was already crawled from {self.first_url_by_canonical[canonical]}"
            )
        self.first_url_by_canonical[canonical] = item["url"]
        item["duplicate_of"] = self.copied_from(item)
        if item["duplicate_of"] is not None:
            self.stats.inc_value("vinews/cross_site_copies")
        return item

    def copied_from(self, item: ArticleItem) -> str | None:
        """Url of the first stored article on another portal with the same text, or None.

        An article already stored with this text keeps the link decided when it was first
        stored, so an original is never made a copy of a later copy.
        """
        stored = self.store.get_article(item["url"])
        if stored is not None and stored["content_hash"] == item["content_hash"]:
            return stored["duplicate_of"]
        return self.store.first_url_with_hash(item["content_hash"], exclude_site=item["site"])
