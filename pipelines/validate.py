"""Validate article items against the article JSON Schema; invalid ones become RejectItems."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator

from vinews_scraper.items import ArticleItem, RejectItem, article_schema
from vinews_scraper.storage import utc_timestamp

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = article_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def validation_errors(item: Mapping) -> list[str]:
    """Why ``item`` breaks the article schema, one ``<JSON path>: <reason>`` per problem; [] when valid."""
    errors = _validator().iter_errors(dict(item))
    return sorted(f"{error.json_path}: {error.message}" for error in errors)


class ValidatePipeline:
    """Replaces an invalid ArticleItem by a RejectItem (kept by the store), never dropping it silently."""

    def __init__(self, stats) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler) -> "ValidatePipeline":
        return cls(crawler.stats)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        reasons = validation_errors(item)
        if not reasons:
            return item
        logger.warning("rejected article %s: %s", item.get("url"), "; ".join(reasons))
        self.stats.inc_value("vinews/items_rejected")
        return RejectItem(
            url=item.get("url"),
            site=item.get("site"),
            reasons=reasons,
            item=dict(item),
            rejected_at=utc_timestamp(),
        )
