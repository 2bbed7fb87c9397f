"""Scrapy items: what spiders hand to the pipelines.

Extraction itself returns plain dicts (see ``vinews_scraper.extraction``); these classes only tell
the pipelines which kind of record they hold. Field meanings are documented in
``schema/article.schema.json`` and the README.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import scrapy

SCHEMA_VERSION = "1"


@lru_cache(maxsize=1)
def article_schema() -> dict:
    """The article JSON Schema shipped in the package."""
    text = resources.files("vinews_scraper").joinpath("schema/article.schema.json").read_text("utf-8")
    return json.loads(text)


ARTICLE_FIELDS = tuple(article_schema()["properties"])


class ArticleItem(scrapy.Item):
    """One article page, fields as in the article JSON Schema."""

    locals().update({name: scrapy.Field() for name in ARTICLE_FIELDS})


class ViewObservationItem(scrapy.Item):
    """A view count seen for an article at a moment (on its page or on a listing row)."""

    url = scrapy.Field()
    site = scrapy.Field()
    observed_at = scrapy.Field()
    view_count = scrapy.Field()
    seen_on = scrapy.Field()  # "article" or "listing"


class RejectItem(scrapy.Item):
    """An article that failed validation, kept with the reasons instead of being dropped."""

    url = scrapy.Field()
    site = scrapy.Field()
    reasons = scrapy.Field()
    item = scrapy.Field()
    rejected_at = scrapy.Field()


class FailureItem(scrapy.Item):
    """A page that could not be fetched or parsed, recorded with its reason."""

    url = scrapy.Field()
    site = scrapy.Field()
    kind = scrapy.Field()  # "http", "network", "parse", …
    reason = scrapy.Field()
    status = scrapy.Field()
    failed_at = scrapy.Field()
