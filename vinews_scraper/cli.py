"""The ``vinews`` command: sites, crawl, parse, parse-warc, export, demo."""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import sys
from pathlib import Path
from urllib.parse import urlsplit

from .datasets import DATASETS
from .registry import RegistryError, Site, default_registry, load_registry

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _day(value: str) -> str:
    if not _DAY.match(value):
        raise argparse.ArgumentTypeError(f"expected a day as YYYY-MM-DD, got {value!r}")
    return value


def _registry(path: str | None):
    registry = default_registry()
    if path:
        for site in load_registry(path).sites.values():
            registry = registry.with_site(site)
    return registry


def _project_settings(overrides: dict):
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "vinews_scraper.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.update(overrides, priority="cmdline")
    return settings


def _ad_hoc_site(url: str) -> Site:
    """A portal given by its listing URL: crawled with the generic rules, kept on its host."""
    from .registry import host_of

    registry = default_registry()
    host = host_of(url)
    return Site(key=host, name=host, hosts=(host,), listing_urls=(url,), family=registry.families["generic"])


def run_crawl(sites: list[Site], settings_overrides: dict, spider_args: dict,
              spider_class=None) -> dict[str, dict]:
    """Crawl each site in one Scrapy process (with ``PortalSpider`` unless another spider class
    is given); returns each crawl's stats."""
    from scrapy.crawler import CrawlerProcess

    from .spiders.portal import PortalSpider

    settings = _project_settings(settings_overrides)
    process = CrawlerProcess(settings)
    crawlers = {}
    for site in sites:
        crawler = process.create_crawler(spider_class or PortalSpider)
        crawlers[site.key] = crawler
        process.crawl(crawler, site=site, **spider_args)
    process.start()
    return {key: crawler.stats.get_stats() for key, crawler in crawlers.items()}


def _store_uri(args) -> str:
    from .storage import store_uri_for_settings

    overrides = {"VINEWS_STORE_URI": args.store} if args.store else {}
    return store_uri_for_settings(_project_settings(overrides))


def _export(store_uri: str, out_dir: str, **filters):
    from .export import export_articles
    from .storage import open_store

    with open_store(store_uri) as store:
        return export_articles(store, out_dir, **filters)


def _summary_line(key: str, stats: dict) -> str:
    return (f"{key}: {stats.get('vinews/articles_new', 0)} new, "
            f"{stats.get('vinews/articles_updated', 0)} updated, "
            f"{stats.get('vinews/articles_unchanged', 0)} unchanged, "
            f"{stats.get('vinews/articles_known', 0)} known (not fetched), "
            f"{stats.get('vinews/items_rejected', 0)} rejected, "
            f"{sum(v for k, v in stats.items() if k.startswith('vinews/failures/'))} failed; "
            f"finish reason {stats.get('finish_reason')}"
            + (f"; TEMPLATE DRIFT: {stats.get('vinews/drift/generic_fallback', 0)} pages needed the "
               f"generic fallback" if stats.get("vinews/drift/alerts") else ""))


def _wayback_line(stats: dict) -> str:
    return (f"  Wayback Machine: {stats.get('vinews/wayback/captures', 0)} captures of "
            f"{stats.get('vinews/wayback/urls', 0)} URLs listed "
            f"({stats.get('vinews/wayback/duplicate_rows', 0)} duplicate rows dropped), "
            f"{stats.get('vinews/wayback/listing_pages', 0)} listing pages read, "
            f"{stats.get('vinews/wayback/archived_redirects', 0)} archived redirects, "
            f"{stats.get('vinews/wayback/archive_redirects', 0)} archive redirects, "
            f"{stats.get('vinews/wayback/older_captures_tried', 0)} older captures tried, "
            f"{stats.get('vinews/failures/not_archived', 0)} linked articles never captured, "
            f"{stats.get('vinews/wayback/rate_limited', 0)} pauses on 429")


def cmd_sites(args) -> int:
    registry = _registry(args.registry)
    for site in registry.sites.values():
        print(f"{site.key:12} {site.family.name:18} {site.name}")
        print(f"{'':12} hosts: {', '.join(site.hosts)}")
        print(f"{'':12} listings: {', '.join(site.listing_urls)}")
    return 0


def cmd_crawl(args) -> int:
    from .frontier import redis_url_for_settings

    registry = _registry(args.registry)
    try:
        if args.all:
            sites = list(registry.sites.values())
        else:
            sites = [_ad_hoc_site(t) if t.startswith(("http://", "https://")) else registry.site(t)
                     for t in args.targets]
    except RegistryError as exc:
        print(f"vinews: {exc}", file=sys.stderr)
        return 2
    if not sites:
        print("vinews: name a portal (see `vinews sites`), a listing URL, or --all", file=sys.stderr)
        return 2
    if args.from_wayback and (args.max_pages or args.discover or args.full):
        print("vinews: --max-pages, --discover and --full do not apply to --from-wayback", file=sys.stderr)
        return 2
    if not args.from_wayback and (args.from_day or args.to_day):
        print("vinews: --from and --to bound Wayback Machine captures: add --from-wayback", file=sys.stderr)
        return 2
    if args.from_day and args.to_day and args.from_day > args.to_day:
        print("vinews: --from is after --to", file=sys.stderr)
        return 2
    overrides = dict(kv.split("=", 1) for kv in args.set)
    if args.store:
        overrides["VINEWS_STORE_URI"] = args.store
    if args.redis:
        overrides["VINEWS_REDIS_URL"] = args.redis
    overrides["VINEWS_OUTPUT_DIR"] = args.output
    overrides["LOG_LEVEL"] = args.log_level
    if args.from_wayback and redis_url_for_settings(_project_settings(overrides)):
        print("vinews: --from-wayback runs in one process: unset VINEWS_REDIS_URL (and --redis)", file=sys.stderr)
        return 2
    spider_args = {"since": args.since, "max_articles": args.max_articles, "refresh": args.refresh}
    if args.from_wayback:
        from .spiders.wayback import WaybackSpider

        all_stats = run_crawl(sites, overrides, {**spider_args, "from_day": args.from_day,
                                                 "to_day": args.to_day}, WaybackSpider)
    else:
        spider_args.update(max_pages=args.max_pages, discover=True if args.discover else None, full=args.full)
        all_stats = run_crawl(sites, overrides, spider_args)
    store_uri = _store_uri(args)
    failed = False
    for site in sites:
        stats = all_stats[site.key]
        print(_summary_line(site.key, stats))
        if args.from_wayback:
            print(_wayback_line(stats))
        if stats.get("vinews/warc/responses"):
            print(f"  {stats['vinews/warc/responses']} responses captured in "
                  f"{stats.get('vinews/warc/files', 0)} WARC files → {stats.get('vinews/warc/dir')}")
        if stats.get("vinews/frontier/worker"):
            print(f"  shared frontier, worker {stats['vinews/frontier/worker']}: "
                  f"{stats.get('scheduler/dequeued/redis', 0)} requests taken from the queue, "
                  f"{stats.get('vinews/frontier/requeued', 0)} requeued from stopped workers")
        if stats.get("vinews/run/report"):
            print(f"  run {stats['vinews/run/id']}: {stats.get('vinews/run/alerts', 0)} alerts; "
                  f"report → {stats['vinews/run/report']}")
        failed |= stats.get("finish_reason") != "finished"
        for result in _export(store_uri, args.output, site=site.key):
            print(f"  {result.count} articles → {result.path}")
    return 1 if failed else 0


def cmd_parse(args) -> int:
    from pipelines.normalize import normalize_item
    from pipelines.validate import validation_errors

    from .extraction import ExtractionError, extract_article

    registry = _registry(args.registry)
    status = 0
    for name in args.files:
        try:
            data = Path(name).read_bytes() if name != "-" else sys.stdin.buffer.read()
        except OSError as exc:
            print(f"vinews parse: cannot read {name}: {exc.strerror}", file=sys.stderr)
            status = 1
            continue
        url = args.url or _url_from_page(data)
        if not url:
            print(f"vinews parse: {name}: give the page's URL with --url", file=sys.stderr)
            status = 1
            continue
        try:
            item = normalize_item(extract_article(data, url, site=registry.site_for_url(url),
                                                  content_type=args.content_type))
        except ExtractionError as exc:
            print(f"vinews parse: {name}: {exc}", file=sys.stderr)
            status = 1
            continue
        for reason in validation_errors(item):
            print(f"vinews parse: {name}: invalid item: {reason}", file=sys.stderr)
            status = 1
        print(json.dumps(item, ensure_ascii=False))
    return status


def _url_from_page(data: bytes) -> str | None:
    """The canonical URL a saved page declares, so ``--url`` can be left out."""
    m = re.search(rb"""<link[^>]+rel=["']?canonical["']?[^>]*href=["']([^"']+)""", data, re.I) or \
        re.search(rb"""<meta[^>]+property=["']og:url["'][^>]*content=["']([^"']+)""", data, re.I)
    if not m:
        return None
    url = m.group(1).decode("utf-8", "replace")
    return url if urlsplit(url).scheme in ("http", "https") else None


def cmd_parse_warc(args) -> int:
    from .warc.replay import replay_warcs, summary

    overrides = {"LOG_LEVEL": args.log_level}
    if args.store:
        overrides["VINEWS_STORE_URI"] = args.store

    def print_item(item: dict) -> None:
        print(json.dumps(item, ensure_ascii=False), flush=True)

    stats = replay_warcs(args.files, _registry(args.registry), _project_settings(overrides),
                         print_item if args.print else None)
    for line in summary(stats):
        print(f"vinews parse-warc: {line}", file=sys.stderr)
    failed = any(k.startswith("vinews/failures/") for k in stats) or stats.get("vinews/items_rejected")
    return 1 if failed or stats.get("finish_reason") != "finished" else 0


def _changed_since(value: str, store):
    """``--changed-since``: a previous export's manifest.json (or its directory): when that export
    began; an ISO 8601 time (UTC unless it has an offset; a day is its UTC midnight); or a run id
    (``vinews runs``): when that run started, so that its own changes are included."""
    from .manifest import MANIFEST_NAME
    from .timestamps import parse_instant

    path = Path(value)
    if path.is_dir():
        path = path / MANIFEST_NAME
    if path.is_file():
        return parse_instant(json.loads(path.read_text(encoding="utf-8"))["exported_at"])
    try:
        return parse_instant(value)
    except ValueError:
        run = next((r for r in store.runs() if r["run_id"] == value), None)
        if run is None:
            raise
        return parse_instant(run["started_at"])


def _export_formats(chosen: list[str] | None, excel: bool) -> tuple[str, ...]:
    """The formats named (``both`` = JSON Lines and JSON, ``all``); ``--excel`` adds CSV."""
    from .formats import FORMATS

    aliases = {"both": ("jsonl", "json"), "all": FORMATS}
    names = chosen or (["csv"] if excel else ["both"])
    formats = [f for name in names for f in aliases.get(name, (name,))]
    return tuple(dict.fromkeys(formats + (["csv"] if excel else [])))


def cmd_export(args) -> int:
    from .datasets import Selection
    from .export import export_datasets
    from .manifest import MANIFEST_NAME
    from .storage import open_store

    with open_store(_store_uri(args)) as store:
        try:
            changed_since = _changed_since(args.changed_since, store) if args.changed_since else None
        except (ValueError, KeyError) as exc:
            print(f"vinews export: --changed-since: expected a time such as 2025-06-01T08:00:00Z, a "
                  f"manifest.json or a run id (see `vinews runs`), got {args.changed_since!r} ({exc})",
                  file=sys.stderr)
            return 2
        selection = Selection(sites=tuple(dict.fromkeys(args.site or ())), category=args.category,
                              since=args.since, until=args.until, changed_since=changed_since)
        results = export_datasets(store, args.output, selection=selection,
                                  datasets=args.dataset or DATASETS,
                                  formats=_export_formats(args.format, args.excel), excel=args.excel)
    for result in results:
        print(f"{result.count} {result.dataset} rows → {result.path}")
    print(f"manifest → {Path(args.output) / MANIFEST_NAME}")
    return 0


def cmd_verify_export(args) -> int:
    from .verify import verify_export

    try:
        problems = verify_export(args.directory)
    except OSError as exc:
        print(f"vinews verify-export: cannot read the manifest: {exc}", file=sys.stderr)
        return 2
    for problem in problems:
        print(f"vinews verify-export: {problem}", file=sys.stderr)
    if not problems:
        print(f"{args.directory}: every file matches the manifest and every row its schema")
    return 1 if problems else 0


def cmd_schema_docs(args) -> int:
    from .schema_docs import render

    text = render()
    target = Path(args.output)
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"vinews schema-docs: {target} is out of date; run `vinews schema-docs`", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"dataset docs → {target}")
    return 0


def cmd_report(args) -> int:
    from .report import write_report
    from .storage import open_store

    with open_store(_store_uri(args)) as store:
        stats = write_report(store, args.output, sites=args.site or ())
    print(f"report of {stats.articles} articles from {len(stats.portals)} portal(s) → {args.output}")
    return 0


def cmd_runs(args) -> int:
    from .runs import format_runs
    from .storage import open_store

    with open_store(_store_uri(args)) as store:
        rows = store.runs(site=args.site, limit=args.limit)
    for line in format_runs(rows):
        print(line)
    if not rows:
        print("no runs recorded", file=sys.stderr)
    return 0


def cmd_schedule(args) -> int:
    import logging

    from . import schedule

    if args.action == "add":
        try:
            job = schedule.add_schedule(args.dir, args.site, args.every, args.crawl_options)
        except schedule.ScheduleError as exc:
            print(f"vinews schedule: {exc}", file=sys.stderr)
            return 2
        print(f"{job.id}: {job.name}; next run {job.next_run_time:%Y-%m-%d %H:%M:%S %Z}")
    elif args.action == "list":
        for job in schedule.list_schedules(args.dir):
            print(f"{job['site']:12} {job['name']}; next run {job['next_run_time']:%Y-%m-%d %H:%M:%S %Z}"
                  + (f"; crawl options: {' '.join(job['crawl_args'])}" if job["crawl_args"] else ""))
    elif args.action == "remove":
        if not schedule.remove_schedule(args.dir, args.site):
            print(f"vinews schedule: no schedule for {args.site}", file=sys.stderr)
            return 1
        print(f"{args.site}: schedule removed")
    else:
        logging.basicConfig(level=args.log_level, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s")
        schedule.run_scheduler(args.dir)
    return 0


def cmd_demo(args) -> int:
    from .demo import run_demo

    return run_demo(output=Path(args.output), articles=args.articles)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vinews", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("sites", help="list the registered portals")
    p.add_argument("--registry", help="an extra registry TOML file")
    p.set_defaults(func=cmd_sites)

    p = sub.add_parser("crawl", help="crawl portals into the store and export them as JSON")
    p.add_argument("targets", nargs="*", help="registry keys (see `vinews sites`) or listing URLs")
    p.add_argument("--all", action="store_true", help="crawl every registered portal")
    p.add_argument("--since", type=_day, help="only articles published on or after this day")
    p.add_argument("--max-pages", type=int, help="listing pages to walk per listing")
    p.add_argument("--max-articles", type=int, help="new articles to fetch per portal")
    p.add_argument("--refresh", action="store_true", help="fetch stored articles again")
    p.add_argument("--full", action="store_true",
                   help="walk every listing to its end (default: stop after VINEWS_INCREMENTAL_STOP_AFTER "
                        "stored articles in a row, unless no full walk within VINEWS_FULL_REWALK_DAYS)")
    p.add_argument("--discover", action="store_true",
                   help="also read robots.txt/sitemap.xml sitemaps (always on for listing URLs)")
    p.add_argument("--from-wayback", action="store_true",
                   help="recover the portal from its Wayback Machine captures instead of its server")
    p.add_argument("--from", dest="from_day", type=_day, metavar="DAY",
                   help="with --from-wayback: only captures made on or after this day")
    p.add_argument("--to", dest="to_day", type=_day, metavar="DAY",
                   help="with --from-wayback: only captures made on or before this day")
    p.add_argument("--registry", help="an extra registry TOML file")
    p.add_argument("--store", help="store URI (default: VINEWS_DATABASE_URL or output/vinews.sqlite3)")
    p.add_argument("--redis", metavar="URL",
                   help="crawl together with every worker given this Redis URL (default: "
                        "VINEWS_REDIS_URL; see docs/distributed.md)")
    p.add_argument("--output", default="output", help="directory for exports (default: output)")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="override a Scrapy/vinews setting")
    p.add_argument("--log-level", default="INFO")
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("parse", help="extract saved article pages and print one JSON item per line")
    p.add_argument("files", nargs="+", help="saved HTML files ('-' for standard input)")
    p.add_argument("--url", help="the URL the page was saved from (default: its canonical link)")
    p.add_argument("--content-type", help="the page's HTTP Content-Type header, if known")
    p.add_argument("--registry", help="an extra registry TOML file")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("parse-warc", help="read the HTML responses of WARC files into the store")
    p.add_argument("files", nargs="+", help="WARC files (.warc.gz or .warc; WARC/1.0 or 1.1)")
    p.add_argument("--print", action="store_true", help="also print each article as a JSON line")
    p.add_argument("--store", help="store URI (default: VINEWS_DATABASE_URL or output/vinews.sqlite3)")
    p.add_argument("--registry", help="an extra registry TOML file")
    p.add_argument("--log-level", default="WARNING")
    p.set_defaults(func=cmd_parse_warc)

    p = sub.add_parser("export", help="write the datasets as JSON Lines, JSON, CSV or Parquet, "
                                      "with a manifest.json")
    p.add_argument("--dataset", action="append", metavar="NAME", choices=DATASETS,
                   help=f"only this dataset (repeatable; default: all): {', '.join(DATASETS)}")
    p.add_argument("--site", action="append", help="only this portal (repeatable)")
    p.add_argument("--category", help="only articles of this category (as stored)")
    p.add_argument("--since", type=_day, help="published on or after this day")
    p.add_argument("--until", type=_day, help="published on or before this day")
    p.add_argument("--changed-since", metavar="RUN_ID_OR_TIME",
                   help="only rows new or changed since this time, since the start of this run "
                        "(see `vinews runs`), or since the export of this manifest.json began")
    p.add_argument("--format", action="append", choices=("jsonl", "json", "csv", "parquet", "both", "all"),
                   help="repeatable; both = jsonl and json (the default), all = every format")
    p.add_argument("--excel", action="store_true",
                   help="write CSV as UTF-8 with a byte-order mark, for Excel (adds csv to the formats)")
    p.add_argument("--store", help="store URI (default: VINEWS_DATABASE_URL or output/vinews.sqlite3)")
    p.add_argument("--output", default="output", help="directory for the files (default: output)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("verify-export", help="check an export's files against its manifest and schemas")
    p.add_argument("directory", help="the directory holding manifest.json")
    p.set_defaults(func=cmd_verify_export)

    p = sub.add_parser("schema-docs", help="write docs/datasets.md from the dataset JSON Schemas")
    p.add_argument("--output", default="docs/datasets.md", help="where to write (default: docs/datasets.md)")
    p.add_argument("--check", action="store_true", help="only check that the file is up to date")
    p.set_defaults(func=cmd_schema_docs)

    p = sub.add_parser("report", help="write a static HTML report with charts of the store")
    p.add_argument("--site", action="append", help="only this portal (repeatable)")
    p.add_argument("--store", help="store URI (default: VINEWS_DATABASE_URL or output/vinews.sqlite3)")
    p.add_argument("--output", default="output/report.html", help="the page (default: output/report.html)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("runs", help="list the recorded crawl runs, newest first")
    p.add_argument("--site", help="only this portal's runs")
    p.add_argument("--limit", type=int, default=20, help="at most this many runs (default: 20)")
    p.add_argument("--store", help="store URI (default: VINEWS_DATABASE_URL or output/vinews.sqlite3)")
    p.set_defaults(func=cmd_runs)

    p = sub.add_parser("schedule", help="scheduled incremental crawls: add, list, remove, run")
    actions = p.add_subparsers(dest="action", required=True)
    for name, help_text in (("add", "schedule the crawls of a portal (replaces its schedule)"),
                            ("list", "list the schedules and their next runs"),
                            ("remove", "remove a portal's schedule"),
                            ("run", "run the schedules (long-running; each crawl in its own process)")):
        a = actions.add_parser(name, help=help_text)
        a.add_argument("--dir", default="output/schedule",
                       help="job store, locks and crawl logs (default: output/schedule)")
        if name in ("add", "remove"):
            a.add_argument("site", help="registry key of the portal")
        if name == "add":
            a.add_argument("--every", required=True, help="daily, weekly or a crontab line ('0 3 * * 1', UTC)")
            a.add_argument("--crawl-options", type=shlex.split, default=[], metavar="'OPTIONS'",
                           help="options for `vinews crawl`, one string (e.g. '--store URI --max-pages 5')")
        if name == "run":
            a.add_argument("--log-level", default="INFO")
    p.set_defaults(func=cmd_schedule)

    p = sub.add_parser("demo", help="crawl a local replica portal end to end, offline")
    p.add_argument("--output", default="output/demo", help="where the demo's data goes")
    p.add_argument("--articles", type=int, default=240, help="articles in the replica portal")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
