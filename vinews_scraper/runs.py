"""Runs and their reports: one ``runs`` row and one report (JSON and Markdown) per crawl of a portal.

``RunRecorder`` is a Scrapy extension: it notes the articles a run stored and the pages it read,
and at spider close records the run in the store and writes its report under
``VINEWS_REPORTS_DIR`` (empty: ``<VINEWS_OUTPUT_DIR>/reports``). ``CrawlProgress`` logs a progress
line every ``VINEWS_PROGRESS_INTERVAL`` seconds. The figures and alerts are pure functions.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from scrapy import signals
from twisted.internet import task

from .atomic import remove_abandoned, write_text_atomically
from .items import ArticleItem
from .storage import (
    open_store,
    store_for_crawler,
    store_uri_for_settings,
    utc_timestamp,
)

logger = logging.getLogger(__name__)

COVERAGE_FIELDS = ("title", "body", "published", "modified", "category", "view_count", "author",
                   "source", "images", "attachments")
STORED = ("new", "updated", "unchanged")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._+-]")


def run_id_of(site: str, started: datetime) -> str:
    """The id of the run of ``site`` started at ``started``; also the name of its report files."""
    return f"{_SAFE_NAME.sub('-', site)}-{started:%Y%m%dT%H%M%S.%fZ}"


def page_kind(request) -> str | None:
    """``listing`` or ``article`` for a request of one, from its callback's name."""
    name = getattr(request.callback, "__name__", "")
    return {"parse_listing": "listing", "parse_article": "article"}.get(name)


def failure_counts(stats: dict) -> dict[str, int]:
    """Failures by kind from a crawl's stats (``vinews/failures/<kind>``)."""
    prefix = "vinews/failures/"
    return {k[len(prefix):]: v for k, v in sorted(stats.items()) if k.startswith(prefix)}


def fields_present(item) -> list[str]:
    """The coverage fields ``item`` has (a value that is not None, empty text or an empty list)."""
    return [name for name in COVERAGE_FIELDS if item.get(name) not in (None, "", [])]


def coverage_of_counts(present: Counter, total: int) -> dict[str, float | None]:
    """Each field's share of ``total`` items from how many have it; None when there are no items."""
    return {name: round(present[name] / total, 4) if total else None for name in COVERAGE_FIELDS}


def coverage(items: list[dict]) -> dict[str, float | None]:
    """The share of ``items`` having each field."""
    return coverage_of_counts(Counter(n for item in items for n in fields_present(item)), len(items))


def archive_gaps(month_counts: dict[str, int]) -> list[str]:
    """Months (``YYYY-MM``) with no article between the first and the last month that have some."""
    if not month_counts:
        return []
    first, last = min(month_counts), max(month_counts)
    year, month = int(first[:4]), int(first[5:7])
    gaps = []
    while f"{year:04d}-{month:02d}" < last:
        key = f"{year:04d}-{month:02d}"
        if not month_counts.get(key):
            gaps.append(key)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return gaps


def alerts(run: dict, field_coverage: dict, thresholds: dict[str, float], gaps: list[str]) -> list[dict]:
    """What an archivist should look at: low coverage, archive gaps, an unfinished run."""
    found = []
    for name, minimum in thresholds.items():
        share = field_coverage.get(name)
        if share is not None and share < float(minimum):
            found.append({"kind": "coverage", "field": name, "coverage": share, "threshold": float(minimum),
                          "message": f"{name} coverage {share:.1%} is below {float(minimum):.0%}: "
                                     "the template may have changed"})
    if gaps:
        found.append({"kind": "archive_gap", "months": gaps,
                      "message": f"{len(gaps)} month(s) without articles inside the published "
                                 f"history: {', '.join(gaps)}"})
    if run["finish_reason"] != "finished":
        found.append({"kind": "finish_reason", "finish_reason": run["finish_reason"],
                      "message": f"the run ended with {run['finish_reason']!r}, not 'finished'"})
    return found


def build_report(run: dict, field_coverage: dict, thresholds: dict, month_counts: dict) -> dict:
    """The report of one run: its counts, the coverage of its articles, errors and alerts."""
    gaps = archive_gaps(month_counts)
    return {
        "run": {k: v for k, v in run.items() if k not in ("failures", "report")},
        "portals": {run["site"]: {
            "listing_pages": run["listing_pages"], "article_pages": run["article_pages"],
            **{f"items_{s}": run[f"items_{s}"] for s in (*STORED, "rejected")},
            "articles_in_store": sum(month_counts.values()),
        }},
        "coverage": field_coverage,
        "errors": dict(run["failures"]),
        "archive_gaps": gaps,
        "alerts": alerts(run, field_coverage, thresholds, gaps),
    }


def render_markdown(report: dict) -> str:
    """The report as Markdown for people."""
    run = report["run"]
    lines = [f"# Run {run['run_id']}", "",
             (f"Portal `{run['site']}`, {run['started_at']} → {run['finished_at']}, "
              f"finish reason `{run['finish_reason']}`."), "", "## Counts", "",
             "| portal | listing pages | article pages | new | updated | unchanged | rejected |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for site, c in report["portals"].items():
        lines.append(f"| {site} | {c['listing_pages']} | {c['article_pages']} | {c['items_new']} | "
                     f"{c['items_updated']} | {c['items_unchanged']} | {c['items_rejected']} |")
    lines += ["", "## Field coverage of the run's articles", "", "| field | coverage |", "|---|---:|"]
    lines += [f"| {name} | {'–' if share is None else f'{share:.1%}'} |"
              for name, share in report["coverage"].items()]
    lines += ["", "## Errors", ""]
    lines += [f"- {kind}: {count}" for kind, count in report["errors"].items()] or ["none"]
    lines += ["", "## Alerts", ""]
    lines += [f"- **{a['kind']}**: {a['message']}" for a in report["alerts"]] or ["none"]
    return "\n".join(lines) + "\n"


def write_report(report: dict, directory: Path) -> Path:
    """Write ``<run_id>.json`` and ``<run_id>.md`` into ``directory``; returns the JSON path."""
    directory.mkdir(parents=True, exist_ok=True)
    remove_abandoned(directory)  # a killed run's half-written report
    target = directory / f"{report['run']['run_id']}.json"
    write_text_atomically(target, json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    write_text_atomically(target.with_suffix(".md"), render_markdown(report))
    return target


class RunRecorder:
    """Records each crawl of a portal as a ``runs`` row and writes its report when the spider closes."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.settings = crawler.settings
        self.started = datetime.now(timezone.utc)
        self.pages: Counter = Counter()
        self.present: Counter = Counter()
        self.articles = 0

    @classmethod
    def from_crawler(cls, crawler):
        recorder = cls(crawler)
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.response_received, signal=signals.response_received)
        crawler.signals.connect(recorder.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    def spider_opened(self, spider):
        self.started = datetime.now(timezone.utc)
        site = getattr(getattr(spider, "site", None), "key", None)
        if site is not None:  # unsettled until recorded: a kill leaves it for the next run to make good
            store_for_crawler(self.crawler).start_run(run_id_of(site, self.started), site, self.started)

    def response_received(self, response, request, spider):
        kind = page_kind(request)
        if kind and response.status < 400:  # an error page is a failure, not a page read
            self.pages[kind] += 1
            self.crawler.stats.inc_value(f"vinews/run/{kind}_pages")

    def item_scraped(self, item, spider=None, response=None):
        if isinstance(item, ArticleItem):
            self.articles += 1
            self.present.update(fields_present(item))

    def spider_closed(self, spider, reason):
        site = getattr(getattr(spider, "site", None), "key", None)
        if site is None:  # not the crawl of one portal (e.g. a WARC replay)
            return
        stats = self.crawler.stats.get_stats()
        run = {
            "run_id": run_id_of(site, self.started),
            "site": site,
            "started_at": utc_timestamp(self.started),
            "finished_at": utc_timestamp(),
            "finish_reason": reason,
            "listing_pages": self.pages["listing"],
            "article_pages": self.pages["article"],
            **{f"items_{s}": stats.get(f"vinews/articles_{s}", 0) for s in STORED},
            "items_rejected": stats.get("vinews/items_rejected", 0),
            "failures": failure_counts(stats),
            "full_walk": int(stats["vinews/full_walk"]) if "vinews/full_walk" in stats else None,
        }
        directory = Path(self.settings.get("VINEWS_REPORTS_DIR")
                         or Path(self.settings.get("VINEWS_OUTPUT_DIR", "output")) / "reports")
        thresholds = self.settings.getdict("VINEWS_COVERAGE_THRESHOLDS")
        with open_store(store_uri_for_settings(self.settings)) as store:
            report = build_report(run, coverage_of_counts(self.present, self.articles), thresholds,
                                  store.published_month_counts(site))
            path = write_report(report, directory)
            store.add_run({**run, "report": str(path)})
        self.crawler.stats.set_value("vinews/run/id", run["run_id"])
        self.crawler.stats.set_value("vinews/run/report", str(path))
        self.crawler.stats.set_value("vinews/run/alerts", len(report["alerts"]))
        for alert in report["alerts"]:
            logger.warning("ALERT on %s: %s", site, alert["message"])
        logger.info("run %s recorded; report → %s", run["run_id"], path)


class CrawlProgress:
    """Logs pages read, articles stored and failures every ``VINEWS_PROGRESS_INTERVAL`` seconds."""

    def __init__(self, stats, interval: float):
        self.stats = stats
        self.interval = interval
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        progress = cls(crawler.stats, crawler.settings.getfloat("VINEWS_PROGRESS_INTERVAL", 60.0))
        if progress.interval > 0:
            crawler.signals.connect(progress.spider_opened, signal=signals.spider_opened)
            crawler.signals.connect(progress.spider_closed, signal=signals.spider_closed)
        return progress

    def spider_opened(self, spider):
        self.loop = task.LoopingCall(self.log, spider)
        self.loop.start(self.interval, now=False)

    def log(self, spider):
        logger.info("progress %s", progress_line(self.stats.get_stats()), extra={"spider": spider})

    def spider_closed(self, spider, reason):
        if self.loop and self.loop.running:
            self.loop.stop()


def progress_line(stats: dict) -> str:
    """One line of a crawl's progress from its stats."""
    return (f"{stats.get('vinews/run/listing_pages', 0)} listing pages, "
            f"{stats.get('vinews/run/article_pages', 0)} article pages, "
            + ", ".join(f"{stats.get(f'vinews/articles_{s}', 0)} {s}" for s in STORED)
            + f", {stats.get('vinews/items_rejected', 0)} rejected, "
            f"{sum(failure_counts(stats).values())} failures")


def format_runs(rows: list[dict]) -> list[str]:
    """``vinews runs`` lines: one per run, newest first."""
    return [f"{r['run_id']}  {r['started_at']} → {r['finished_at']}  {r['finish_reason']}  "
            f"listing {r['listing_pages']}, articles {r['article_pages']} pages; "
            f"{r['items_new']} new, {r['items_updated']} updated, {r['items_unchanged']} unchanged, "
            f"{r['items_rejected']} rejected; failures "
            f"{json.dumps(r['failures'], sort_keys=True) if r['failures'] else 'none'}"
            for r in rows]

