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
# Outputs of one response processed in parallel. A page yields at most a listing's rows, and the
# pipelines are synchronous: Scrapy's 100 starts 100 asyncio tasks per response for nothing.
CONCURRENT_ITEMS = 8
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
    # Requests and redirects stay on the portal's registry hosts, port included; an off-site
    # redirect is recorded as a failure (kind "offsite"), not followed.
    "vinews_scraper.middlewares.PortalHostsMiddleware": 60,
    # A page robots.txt disallows is recorded as a failure of kind "robots".
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "vinews_scraper.middlewares.PortalRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "vinews_scraper.middlewares.OnSiteRedirectMiddleware": 600,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "vinews_scraper.middlewares.OnSiteMetaRefreshMiddleware": 580,
    "vinews_scraper.throttle.ArchiveThrottleMiddleware": 950,
    "vinews_scraper.warc.middleware.WarcCaptureMiddleware": 940,
}

# WARC capture: every downloaded response, with its request, in gzip-per-record WARC/1.1 files
# under VINEWS_WARC_DIR (empty: <VINEWS_OUTPUT_DIR>/warc), a new file once one reaches
# VINEWS_WARC_MAX_SIZE bytes. Article attachments are fetched only when capture is on.
VINEWS_WARC_ENABLED = True
VINEWS_WARC_DIR = ""
VINEWS_WARC_MAX_SIZE = 1_000_000_000
# zlib level of each record's gzip member (compressed by zlib-ng): 6, gzip's default, for files
# 0.8% larger than at 9 in 0.46× the CPU; 1 for files 41% larger in 0.34× of 6's CPU (181
# benchmark pages).
VINEWS_WARC_GZIP_LEVEL = 6

# Recovery from the Wayback Machine (`vinews crawl SITE --from-wayback`). Requests to the archive
# go one at a time, at most VINEWS_WAYBACK_RATE per second (counted from the end of one to the
# start of the next) across the whole crawl; a 429 pauses them all for VINEWS_WAYBACK_429_PAUSE
# seconds; 5xx answers back off like retries do.
VINEWS_WAYBACK_URL = "https://web.archive.org"
VINEWS_WAYBACK_RATE = 1.0
VINEWS_WAYBACK_429_PAUSE = 60.0
VINEWS_WAYBACK_CDX_LIMIT = 5000  # CDX rows per page (resume keys fetch the rest)
VINEWS_WAYBACK_TRIES = 3  # captures of one URL tried, newest first, before recording a failure

ITEM_PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 100,
    "pipelines.validate.ValidatePipeline": 200,
    "pipelines.dedupe.DedupePipeline": 300,
    "pipelines.store.StorePipeline": 400,
}

# Article and listing pages are read in this many worker processes beside the crawl (0: in the
# crawl process itself); see vinews_scraper/extraction_pool.py.
VINEWS_EXTRACTION_PROCESSES = 1

# Where data goes. VINEWS_DATABASE_URL in the environment (e.g. a PostgreSQL DSN) overrides
# VINEWS_STORE_URI, so credentials never need to be on a command line.
VINEWS_OUTPUT_DIR = "output"
VINEWS_STORE_URI = "sqlite:///output/vinews.sqlite3"

EXTENSIONS = {
    "vinews_scraper.extensions.DriftMonitor": 500,
    "vinews_scraper.runs.RunRecorder": 510,
    "vinews_scraper.runs.CrawlProgress": 520,
}
# Alert when more than this share of a portal's articles lack a core field or needed the
# generic fallback (checked once this many articles are in).
VINEWS_DRIFT_THRESHOLD = 0.2
VINEWS_DRIFT_MIN_ITEMS = 20
# Each crawl of a portal is recorded in the store's `runs` table and reported (JSON and Markdown)
# under VINEWS_REPORTS_DIR (empty: <VINEWS_OUTPUT_DIR>/reports). A field whose share of the run's
# articles falls below its threshold raises a "template may have changed" alert.
VINEWS_REPORTS_DIR = ""
VINEWS_COVERAGE_THRESHOLDS = {"title": 1.0, "body": 0.95, "published": 0.9}
VINEWS_PROGRESS_INTERVAL = 60.0  # seconds between progress log lines (0: none)
# Incremental crawls: a listing is walked no further once this many consecutive rows are stored
# articles (0: always to the end); every listing is walked to its end (a full walk, also
# `vinews crawl --full`) when the store has no full walk of the portal within this many days (0: never).
VINEWS_INCREMENTAL_STOP_AFTER = 20
VINEWS_FULL_REWALK_DAYS = 30

# Many workers, one crawl (docs/distributed.md): with a Redis URL (VINEWS_REDIS_URL in the
# environment, or this setting; credentials are masked in logs) every worker crawling a portal
# shares one request queue and one dupefilter, under VINEWS_REDIS_KEY_PREFIX:<portal>:*. A
# worker renews a heartbeat every third of VINEWS_REDIS_HEARTBEAT seconds; the requests in flight
# at a worker silent for that long are queued again for the others. VINEWS_REDIS_WORKER_ID
# names this worker in the keys (empty: host name, process id and a random part).
ADDONS = {"vinews_scraper.frontier.RedisFrontier": 0}
VINEWS_REDIS_URL = ""
VINEWS_REDIS_KEY_PREFIX = "vinews"
VINEWS_REDIS_HEARTBEAT = 30.0
VINEWS_REDIS_WORKER_ID = ""

TELNETCONSOLE_ENABLED = False
# Scrapy's check for ``return value`` in generator callbacks re-parses the callback's source for
# nearly every response (its cache is keyed by short-lived bound methods): 4% of a crawl's CPU.
WARN_ON_GENERATOR_RETURN_VALUE = False
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
