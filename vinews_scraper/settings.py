"""Scrapy settings for vinews. Polite by default: these portals are small public servers.

Project settings use the ``VINEWS_`` prefix; every one can be overridden with ``-s NAME=VALUE``
(Scrapy) or ``--set NAME=VALUE`` (``vinews crawl``).
"""

import os

BOT_NAME = "vinews"
SPIDER_MODULES = ["vinews_scraper.spiders"]
NEWSPIDER_MODULE = "vinews_scraper.spiders"

VINEWS_CONTACT = os.environ.get("VINEWS_CONTACT", "https://github.com/vinews-archive/vinews")
USER_AGENT = f"vinews/0.1 (+{VINEWS_CONTACT}; archiving Vietnamese local-government news)"

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Exponential backoff between retries (seconds): base * 2**(attempt-1), capped; Retry-After wins.
VINEWS_RETRY_BACKOFF_BASE = 2.0
VINEWS_RETRY_BACKOFF_MAX = 120.0

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "vinews_scraper.middlewares.BackoffRetryMiddleware": 550,
}

ITEM_PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 100,
    "pipelines.validate.ValidatePipeline": 200,
    "pipelines.dedupe.DedupePipeline": 300,
    "pipelines.store.StorePipeline": 400,
}

# Where data goes. VINEWS_DATABASE_URL in the environment (e.g. a PostgreSQL DSN) overrides
# VINEWS_STORE_URI, so credentials never need to be on a command line.
VINEWS_OUTPUT_DIR = "output"
VINEWS_STORE_URI = "sqlite:///output/vinews.sqlite3"

EXTENSIONS = {
    "vinews_scraper.extensions.DriftMonitor": 500,
}
# Alert when more than this share of a portal's articles lack a core field or needed the
# generic fallback (checked once this many articles are in).
VINEWS_DRIFT_THRESHOLD = 0.2
VINEWS_DRIFT_MIN_ITEMS = 20

TELNETCONSOLE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
