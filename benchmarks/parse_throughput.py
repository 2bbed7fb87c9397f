"""Parse+normalize throughput of vinews against bare lxml parsing and trafilatura.

All three run in one process on the same pages, taking turns page by page (so a slow spell of a
shared machine hits all three alike), in repetitions after an untimed warm-up pass; the median of
the repetitions is reported, so a slow first call (imports, regex compilation, caches) or one
noisy pass does not decide the figures.

    .venv/bin/python benchmarks/parse_throughput.py [--pages all|benchmark|corpus|replica]

vinews runs its extraction package as scripts/setup leaves it: compiled with Cython when a C
compiler was there (``VINEWS_PURE_PYTHON=1`` runs the same code from source); the header says which.

What each column times, per page:

* lxml: ``lxml.html.document_fromstring(text)`` of the page already decoded to ``str`` by vinews'
  own decoder (decoding is not lxml's job, so it is done before timing): the floor any
  lxml-based extractor pays.
* vinews: ``normalize_item(extract_article(html_bytes, url))``, decoding included, as in a crawl
  (replica pages also get the replica's registry entry and their Content-Type, as a crawl's do).
* trafilatura: ``bare_extraction(html_bytes, url=url, with_metadata=True,
  include_comments=False)``, decoding included: body and metadata, like vinews.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

import lxml.html
import trafilatura
from lxml import etree

from pipelines.normalize import normalize_item
from vinews_scraper.extraction import ExtractionError, extract_article
from vinews_scraper.extraction.decode import decode_html
from vinews_scraper.registry import Site, default_registry

REPO = Path(__file__).resolve().parent.parent
DEFAULT_BENCHMARK_DIR = REPO.parent / "shared" / "benchmarks" / "article-extraction-benchmark"
CORPUS_DIR = REPO / "tests" / "corpus"
PAGE_SETS = ("benchmark", "corpus", "replica")
EXTRACTORS = ("lxml", "vinews", "trafilatura")


class PagesUnavailable(Exception):
    """A page set cannot be loaded here: its files are missing or no replica answers."""


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    html: bytes
    content_type: str | None = None  # the HTTP Content-Type of a page fetched from a server
    site: Site | None = None  # the registry entry a crawl would use; None: looked up by host


# ---- page sets ----------------------------------------------------------------------------------

def read_benchmark_pages(benchmark_dir: Path) -> list[Page]:
    """The article-extraction-benchmark pages, named by id, with the URL its ground truth gives."""
    truth_file, html_dir = benchmark_dir / "ground-truth.json", benchmark_dir / "html"
    if not truth_file.is_file() or not html_dir.is_dir():
        raise PagesUnavailable(f"no article-extraction-benchmark at {benchmark_dir} "
                               "(ground-truth.json and html/ expected; see --benchmark-dir)")
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    pages = []
    for path in sorted(html_dir.glob("*.html.gz")):
        page_id = path.name.split(".")[0]
        pages.append(Page(page_id, truth[page_id]["url"], gzip.decompress(path.read_bytes())))
    return pages


def read_corpus_pages(corpus_dir: Path) -> list[Page]:
    """``tests/corpus/**/*.html`` with the URL of the neighbouring ``.json``.

    The corpus is written while other work goes on, so a page whose ``.json`` is not there yet is
    skipped with a warning rather than stopping the run.
    """
    pages = []
    for path in sorted(corpus_dir.rglob("*.html")):
        fixture = path.with_suffix(".json")
        if not fixture.is_file():
            print(f"warning: {path} has no {fixture.name}; skipped", file=sys.stderr)
            continue
        url = json.loads(fixture.read_text(encoding="utf-8"))["url"]
        pages.append(Page(str(path.relative_to(corpus_dir)), url, path.read_bytes()))
    if not pages:
        raise PagesUnavailable(f"no corpus pages under {corpus_dir}")
    return pages


def replica_site(entry: dict) -> Site:
    """The registry Site a crawl of the replica uses, from ``Portal.registry_entry``."""
    return Site(key=entry["key"], name=entry["name"], hosts=tuple(entry["hosts"]),
                listing_urls=tuple(entry["listing_urls"]),
                family=default_registry().families[entry["family"]])


def fetch(url: str) -> tuple[bytes, str | None]:
    """The body and Content-Type header of a GET of ``url``."""
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read(), response.headers.get("Content-Type")


def fetch_replica_pages(portal, base_url: str, limit: int | None) -> list[Page]:
    """The portal's article pages as the replica at ``base_url`` serves them over HTTP."""
    base_url = base_url.rstrip("/")
    site = replica_site(portal.registry_entry(base_url))
    pages = []
    for article in portal.articles[:limit]:
        url = base_url + article.path
        try:
            html, content_type = fetch(url)
        except urllib.error.HTTPError as exc:
            raise PagesUnavailable(
                f"the replica at {base_url} answered {exc.code} for {url}: it serves another portal "
                f"than --replica-seed {portal.seed} --replica-articles {len(portal.articles)} generates "
                "(match its --seed and --articles)") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise PagesUnavailable(f"no replica answering at {base_url} ({reason}); start one with "
                                   "`python -m vinews_scraper.replica --port N`") from None
        pages.append(Page(article.path, url, html, content_type, site))
    return pages


def read_replica_pages(replica_url: str | None, seed: int, articles: int, limit: int | None) -> list[Page]:
    """Article pages of a replica portal: a running one at ``replica_url``, else one served here.

    Either way the pages come over HTTP, rendered by the replica's server; the portal generated
    here with the same seed and size says which article URLs exist.
    """
    try:
        from vinews_scraper.replica import Portal, ReplicaServer
    except ImportError as exc:
        raise PagesUnavailable(f"vinews_scraper.replica (Portal, ReplicaServer) is not importable: {exc}")
    portal = Portal.generate(seed=seed, articles=articles)
    if replica_url:
        return fetch_replica_pages(portal, replica_url, limit)
    with ReplicaServer(portal) as server:
        return fetch_replica_pages(portal, server.base_url, limit)


def load_page_set(name: str, args: argparse.Namespace) -> list[Page]:
    if name == "benchmark":
        return read_benchmark_pages(args.benchmark_dir)[:args.limit]
    if name == "corpus":
        return read_corpus_pages(args.corpus_dir)[:args.limit]
    return read_replica_pages(args.replica_url, args.replica_seed, args.replica_articles, args.limit)


# ---- the work timed -------------------------------------------------------------------------

def lxml_input(page: Page) -> str:
    """The page decoded exactly as vinews decodes it: what lxml is given, decoded before timing."""
    return decode_html(page.html, page.content_type).text


def parse_with_lxml(text: str) -> bool:
    lxml.html.document_fromstring(text)
    return True


def parse_with_vinews(page: Page) -> bool:
    """False when vinews rejects the page (it still pays for the attempt, as in a crawl)."""
    try:
        normalize_item(extract_article(page.html, page.url, site=page.site, content_type=page.content_type))
    except ExtractionError:
        return False
    return True


def parse_with_trafilatura(page: Page) -> bool:
    """False when trafilatura finds no article (it returns None)."""
    document = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True,
                                           include_comments=False)
    return document is not None


def time_pass(runs: dict[str, tuple[Callable[[object], bool], Sequence]]) -> dict[str, tuple[float, int]]:
    """(seconds, failures) of each extractor over one pass of the pages. The extractors take
    turns page by page, so a slow spell of a shared machine (seconds long) hits all alike
    instead of deciding one extractor's pass."""
    seconds = dict.fromkeys(runs, 0.0)
    failures = dict.fromkeys(runs, 0)
    gc.collect()
    clock = time.perf_counter
    for i in range(len(next(iter(runs.values()))[1])):
        for name, (parse, inputs) in runs.items():
            start = clock()
            ok = parse(inputs[i])
            seconds[name] += clock() - start
            failures[name] += not ok
    return {name: (seconds[name], failures[name]) for name in runs}


@dataclass(frozen=True)
class Timing:
    seconds: float  # median over the repetitions of one pass over the page set
    pages: int
    failures: int

    @property
    def ms_per_page(self) -> float:
        return 1000 * self.seconds / self.pages

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds


class MeasuredSet(NamedTuple):
    name: str
    pages: list[Page]
    timings: dict[str, Timing]  # by extractor


def measure(pages: list[Page], repeat: int) -> dict[str, Timing]:
    """Median pass time of each extractor over ``pages``: one warm-up pass, then ``repeat``
    passes in which lxml, vinews and trafilatura take turns on each page (``time_pass``)."""
    runs = {
        "lxml": (parse_with_lxml, [lxml_input(page) for page in pages]),
        "vinews": (parse_with_vinews, pages),
        "trafilatura": (parse_with_trafilatura, pages),
    }
    time_pass(runs)
    passes = [time_pass(runs) for _ in range(repeat)]
    return {name: Timing(statistics.median(p[name][0] for p in passes), len(pages), passes[0][name][1])
            for name in runs}


# ---- report -----------------------------------------------------------------------------------

def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def vinews_revision() -> str:
    """The commit measured, flagged when vinews' code differs from it: the figures move with it."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True,
                              check=True).stdout.strip()

    try:
        head = git("rev-parse", "--short", "HEAD")
        changed = git("status", "--porcelain", "--", "vinews_scraper", "pipelines")
    except (OSError, subprocess.CalledProcessError):
        return "unknown revision"
    return f"git {head}" + (" + uncommitted changes" if changed else "")


def machine_lines() -> list[str]:
    """What the figures were measured on, and how busy it was."""
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("lxml", "trafilatura"))
    libxml2 = ".".join(map(str, etree.LIBXML_VERSION))
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return [
        f"machine:  {os.cpu_count()} CPUs, {_cpu_model()}, {platform.system()} {platform.release()}, "
        f"load average {load} (1, 5, 15 min; this run included)",
        f"python:   {platform.python_implementation()} {platform.python_version()}",
        f"packages: vinews {metadata.version('vinews')} ({vinews_revision()}), {versions} (libxml2 {libxml2})",
        f"vinews:   {extraction_build()}",
    ]


def extraction_build() -> str:
    """Whether the extraction modules ran compiled (scripts/compile_extraction.py) or as source."""
    modules = [module for name, module in sys.modules.items()
               if name.startswith("vinews_scraper.extraction.") and getattr(module, "__file__", None)]
    compiled = sum(1 for module in modules if not module.__file__.endswith(".py"))
    if not compiled:
        return f"extraction as Python source ({len(modules)} modules)"
    return f"extraction compiled with Cython ({compiled} of {len(modules)} modules)"


def megabytes(pages: list[Page]) -> float:
    return sum(len(page.html) for page in pages) / 1e6


def table_lines(rows: list[MeasuredSet]) -> list[str]:
    """One row per page set: each extractor's ms/page and pages/s side by side, then time ratios."""
    lines = [
        " " * 25 + "".join(f"{name:>18}" for name in EXTRACTORS) + f"{'time ratios':>33}",
        f"{'page set':<12}{'pages':>6}{'MB':>7}" + f"{'ms/page':>9}{'pages/s':>9}" * len(EXTRACTORS)
        + f"{'vinews÷lxml':>13}{'trafilatura÷vinews':>20}",
    ]
    for name, pages, timings in rows:
        cells = "".join(f"{timings[e].ms_per_page:9.2f}{timings[e].pages_per_second:9.1f}" for e in EXTRACTORS)
        lines.append(
            f"{name:<12}{len(pages):>6}{megabytes(pages):>7.2f}{cells}"
            f"{timings['vinews'].seconds / timings['lxml'].seconds:12.1f}×"
            f"{timings['trafilatura'].seconds / timings['vinews'].seconds:19.2f}×")
    return lines


def failure_lines(rows: list[MeasuredSet]) -> list[str]:
    return [f"  {name}: vinews rejected {timings['vinews'].failures}, trafilatura found no article "
            f"in {timings['trafilatura'].failures} of {len(pages)} pages"
            for name, pages, timings in rows]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", choices=("all",) + PAGE_SETS, default="all",
                        help="page set to time (default: every set available here)")
    parser.add_argument("--benchmark-dir", type=Path, default=DEFAULT_BENCHMARK_DIR,
                        help="the article-extraction-benchmark directory (default: %(default)s)")
    parser.add_argument("--corpus-dir", type=Path, default=CORPUS_DIR, help="default: %(default)s")
    parser.add_argument("--replica-url", help="base URL of a running replica (default: serve one here)")
    parser.add_argument("--replica-seed", type=int, default=2021, help="seed of the replica portal")
    parser.add_argument("--replica-articles", type=int, default=240, help="articles in the replica portal")
    parser.add_argument("--limit", type=int, help="time only the first N pages of each set")
    parser.add_argument("--repeat", type=int, default=5, help="timed repetitions (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.repeat < 1 or (args.limit is not None and args.limit < 1):
        parser.error("--repeat and --limit must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    rows = []
    for name in PAGE_SETS if args.pages == "all" else (args.pages,):
        try:
            pages = load_page_set(name, args)
        except PagesUnavailable as exc:
            if args.pages != "all":
                print(f"error: {exc}", file=sys.stderr)
                return 2
            print(f"skipped page set {name}: {exc}")
            continue
        rows.append(MeasuredSet(name, pages, measure(pages, args.repeat)))
    if not rows:
        print("error: no page set is available", file=sys.stderr)
        return 2
    print("\n".join(machine_lines()))
    print(f"timing:   median of {args.repeat} passes after one warm-up pass, same process, "
          "extractors taking turns page by page")
    print("inputs:   lxml gets the page as str (decoded beforehand by vinews' decoder, untimed); "
          "vinews and trafilatura get the bytes (decoding timed)\n")
    print("\n".join(table_lines(rows)))
    print("\n".join(["failures (timed like any page):"] + failure_lines(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
