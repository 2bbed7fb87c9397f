"""Validate article items against the article JSON Schema; invalid ones become RejectItems."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator

from vinews_scraper.items import ArticleItem, RejectItem, article_schema
from vinews_scraper.storage import utc_timestamp

logger = logging.getLogger(__name__)


# The keywords the article schema uses (type, properties, required, additionalProperties, items,
# const, pattern, minLength, minimum, maximum) mean the same in draft 7, which fastjsonschema
# compiles to Python code; tests/test_pipelines.py keeps the two validators agreeing.
_DRAFT_7 = "http://json-schema.org/draft-07/schema#"


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = article_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@lru_cache(maxsize=1)
def _fast_check():
    """A compiled validity check, about eight times faster than jsonschema on a valid item (most
    are); jsonschema then only explains the invalid ones."""
    return fastjsonschema.compile({**article_schema(), "$schema": _DRAFT_7})


def validation_errors(item: Mapping) -> list[str]:
    """Why ``item`` breaks the article schema, one ``<JSON path>: <reason>`` per problem; [] when valid."""
    data = dict(item)
    try:
        _fast_check()(data)
    except fastjsonschema.JsonSchemaException:
        errors = _validator().iter_errors(data)
        return sorted(f"{error.json_path}: {error.message}" for error in errors)
    return []


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
