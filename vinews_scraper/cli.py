"""The ``vinews`` command: sites, crawl, parse, export, demo."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

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


def run_crawl(sites: list[Site], settings_overrides: dict, spider_args: dict) -> dict[str, dict]:
    """Crawl each site in one Scrapy process; returns each crawl's stats."""
    from scrapy.crawler import CrawlerProcess

    from .spiders.portal import PortalSpider

    settings = _project_settings(settings_overrides)
    process = CrawlerProcess(settings)
    crawlers = {}
    for site in sites:
        crawler = process.create_crawler(PortalSpider)
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


def cmd_sites(args) -> int:
    registry = _registry(args.registry)
    for site in registry.sites.values():
        print(f"{site.key:12} {site.family.name:18} {site.name}")
        print(f"{'':12} hosts: {', '.join(site.hosts)}")
        print(f"{'':12} listings: {', '.join(site.listing_urls)}")
    return 0


def cmd_crawl(args) -> int:
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
    overrides = dict(kv.split("=", 1) for kv in args.set)
    if args.store:
        overrides["VINEWS_STORE_URI"] = args.store
    overrides["VINEWS_OUTPUT_DIR"] = args.output
    overrides["LOG_LEVEL"] = args.log_level
    spider_args = {"since": args.since, "max_pages": args.max_pages,
                   "max_articles": args.max_articles, "refresh": args.refresh,
                   "discover": True if args.discover else None}
    all_stats = run_crawl(sites, overrides, spider_args)
    store_uri = _store_uri(args)
    failed = False
    for site in sites:
        stats = all_stats[site.key]
        print(_summary_line(site.key, stats))
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


def cmd_export(args) -> int:
    store_uri = _store_uri(args)
    formats = ("jsonl", "json") if args.format == "both" else (args.format,)
    sites = args.site or [None]
    for site in sites:
        for result in _export(store_uri, args.output, site=site, since=args.since,
                              until=args.until, formats=formats):
            print(f"{result.count} articles → {result.path}")
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
    p.add_argument("--discover", action="store_true",
                   help="also read robots.txt/sitemap.xml sitemaps (always on for listing URLs)")
    p.add_argument("--registry", help="an extra registry TOML file")
    p.add_argument("--store", help="store URI (default: VINEWS_DATABASE_URL or output/vinews.sqlite3)")
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

    p = sub.add_parser("export", help="write stored articles as JSON Lines and JSON")
    p.add_argument("--site", action="append", help="only this portal (repeatable)")
    p.add_argument("--since", type=_day, help="published on or after this day")
    p.add_argument("--until", type=_day, help="published on or before this day")
    p.add_argument("--format", choices=("jsonl", "json", "both"), default="both")
    p.add_argument("--store", help="store URI (default: VINEWS_DATABASE_URL or output/vinews.sqlite3)")
    p.add_argument("--output", default="output", help="directory for the files (default: output)")
    p.set_defaults(func=cmd_export)

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
