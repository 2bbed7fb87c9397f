"""Where crawled articles, view counts, rejects and failures are kept: SQLite or PostgreSQL.

``open_store`` picks the backend from a URI; ``store_for_crawler`` gives the one store that the
pipelines and the spider of a crawl share.
"""

from __future__ import annotations

import logging
import os
import re
from urllib.parse import urlsplit, urlunsplit

from scrapy import signals

from vinews_scraper.storage.base import STORE_SCHEMA_VERSION, Store, StoreError, utc_timestamp
from vinews_scraper.storage.postgres import PostgresStore
from vinews_scraper.storage.sqlite import SQLiteStore

__all__ = [
    "DEFAULT_STORE_URI",
    "STORE_SCHEMA_VERSION",
    "PostgresStore",
    "SQLiteStore",
    "Store",
    "StoreError",
    "mask_uri",
    "open_store",
    "store_for_crawler",
    "store_uri_for_settings",
    "utc_timestamp",
]

logger = logging.getLogger(__name__)

DEFAULT_STORE_URI = "sqlite:///output/vinews.sqlite3"
DATABASE_URL_VARIABLE = "VINEWS_DATABASE_URL"
_CRAWLER_ATTRIBUTE = "vinews_store"
_PASSWORD_PARAMETER = re.compile(r"(?i)(\bpassword=)[^&\s]*")


def mask_uri(uri: str) -> str:
    """``uri`` with any password replaced by ``***``, fit for logs."""
    parts = urlsplit(uri)
    if parts.password is not None:
        user_info, _, host = parts.netloc.rpartition("@")
        uri = urlunsplit(parts._replace(netloc=f"{user_info.split(':', 1)[0]}:***@{host}"))
    return _PASSWORD_PARAMETER.sub(r"\1***", uri)


def open_store(uri: str) -> Store:
    """Open (creating tables as needed) the store at ``uri``.

    ``sqlite:///relative/path.sqlite3``, ``sqlite:////absolute/path.sqlite3`` or a bare file path
    give SQLite; ``postgresql://…`` or ``postgres://…`` give PostgreSQL.
    """
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme in ("postgresql", "postgres"):
        return PostgresStore(uri, mask_uri(uri))
    if scheme == "sqlite":
        if not uri.lower().startswith("sqlite:///"):
            raise StoreError(f"SQLite URI must look like sqlite:///path.sqlite3, got {uri!r}")
        path = uri[len("sqlite:///"):]
    elif scheme:
        raise StoreError(f"unsupported store URI scheme {scheme!r} (use sqlite:/// or postgresql://)")
    else:
        path = uri
    if not path:
        raise StoreError(f"store URI {uri!r} names no database file")
    return SQLiteStore(path)


def store_uri_for_settings(settings) -> str:
    """The store URI: ``VINEWS_DATABASE_URL`` from the environment, else setting ``VINEWS_STORE_URI``."""
    return os.environ.get(DATABASE_URL_VARIABLE) or settings.get("VINEWS_STORE_URI") or DEFAULT_STORE_URI


def store_for_crawler(crawler) -> Store:
    """The crawler's store, opened on first use, shared by its components, closed when the spider closes."""
    store = getattr(crawler, _CRAWLER_ATTRIBUTE, None)
    if store is None:
        uri = store_uri_for_settings(crawler.settings)
        store = open_store(uri)
        logger.info("vinews store: %s", store.description)
        setattr(crawler, _CRAWLER_ATTRIBUTE, store)
        crawler.signals.connect(store.close, signal=signals.spider_closed)
    return store
