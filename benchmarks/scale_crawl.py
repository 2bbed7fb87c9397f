"""Crawl rate and memory of a whole ``vinews crawl`` of a large replica portal, side by side with
bare Scrapy crawls of the same replica in the same run.

    .venv/bin/python benchmarks/scale_crawl.py [--articles 20000] [--checkpoints 5000,10000,20000]
    .venv/bin/python benchmarks/scale_crawl.py --tiny    # 300 articles: a check that it runs

The replica (``scale_replica.py``) is served from its own process and counts the article pages it
serves. The three crawls run one after the other, each in its own process, in reversed order
in even ``--rounds``, so they see the same machine load:

* vinews: ``vinews crawl replica`` with every pipeline (normalize, validate, dedupe, store in a
  fresh SQLite file), WARC capture on (attachments fetched for it), run report and export after
  the crawl;
* bare+att: ``bare_crawl.py --attachments``, the same requests as vinews (listing pages,
  article pages and the documents they link to; vinews also reads the portal's RSS feed) with the same concurrency, robots.txt and
  user-agent settings, and nothing else: the floor the ≥ 70% target is measured against;
* bare: ``bare_crawl.py``, the listing and article pages only (no attachments: about 22% fewer
  requests), for reference.

Pages/s is article pages served ÷ seconds from the crawl process's start to its last article page
(startup counted, vinews' export after the crawl not); req/s is every request the replica served
(listings, robots.txt, and vinews' attachments, fetched for WARC capture) ÷ the process's wall time
(vinews' export included). The crawl's resident memory (VmRSS of the crawl
process and the processes it started: vinews' extraction workers and WARC writer) is read from /proc every 0.2 s
and noted when the served article count passes each checkpoint; the peak is the highest of those
readings and the kernel's high-water mark of the crawl process (``ru_maxrss``), export included.
CPU seconds are the crawl process's and those of its workers and writer, which it waits for.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS))

from bare_crawl import FAST, bare_settings  # noqa: E402
from parse_throughput import _cpu_model, vinews_revision  # noqa: E402

SAMPLE_SECONDS = 0.2
TARGET_RATIO, TARGET_PEAK_MB = 0.70, 300
TINY = {"articles": 300, "checkpoints": "100,200,300"}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Crawl:
    """What one crawl process did and cost."""

    name: str
    returncode: int = 0
    articles: int = 0
    requests: int = 0
    to_last_article: float = 0.0  # seconds from process start to its last article page
    wall: float = 0.0
    cpu: float = 0.0  # user + system seconds of the crawl process
    server_cpu: float = 0.0  # user + system seconds of the replica process meanwhile
    peak_mb: float = 0.0
    last_article_mb: float = 0.0
    load: float = 0.0  # 1-minute load average when the crawl ended
    at_checkpoint: dict[int, tuple[float, float]] = field(default_factory=dict)  # articles → (s, MB)

    @property
    def pages_per_second(self) -> float:
        return self.articles / self.to_last_article if self.to_last_article else 0.0

    @property
    def requests_per_second(self) -> float:
        """Every request the replica served (listings, robots.txt, vinews' attachments) per wall second."""
        return self.requests / self.wall if self.wall else 0.0


# ---- the replica process ------------------------------------------------------------------------

class Replica:
    """``scale_replica.py`` in a child process, and its running counts read from its output."""

    def __init__(self, articles: int, seed: int) -> None:
        self.process = subprocess.Popen([sys.executable, str(BENCHMARKS / "scale_replica.py"),
                                         "--articles", str(articles), "--seed", str(seed)],
                                        stdout=subprocess.PIPE, text=True)
        self.info = json.loads(self.process.stdout.readline())
        self.articles = self.requests = 0
        self.article_served_at = time.monotonic()  # when the article count last grew
        threading.Thread(target=self._read_counts, daemon=True).start()

    def _read_counts(self) -> None:
        for line in self.process.stdout:
            _, articles, requests = line.split()
            if int(articles) > self.articles:
                self.article_served_at = time.monotonic()
            self.articles, self.requests = int(articles), int(requests)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


# ---- one crawl process --------------------------------------------------------------------------

def proc_field_mb(pid: int, name: str) -> float:
    """A memory figure (``VmRSS``, ``VmHWM``) of a live process from /proc, in MB (10⁶ bytes)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1]) * 1024 / 1e6
    except (OSError, ValueError):
        pass
    return 0.0


def descendants(pid: int) -> list[int]:
    """The live processes started by ``pid``, and theirs (vinews' extraction workers)."""
    try:
        children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (OSError, ValueError):
        return []
    return children + [d for child in children for d in descendants(child)]


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and every process it started, in MB."""
    return sum(proc_field_mb(p, "VmRSS") for p in [pid, *descendants(pid)])


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a live process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def run_crawl(name: str, command: list[str], replica: Replica, checkpoints: list[int], cwd: Path) -> Crawl:
    """Run ``command`` to its end, sampling its memory and the replica's counts as it goes."""
    crawl = Crawl(name)
    env = {k: v for k, v in os.environ.items() if k != "VINEWS_DATABASE_URL"}
    first_article, first_request = replica.articles, replica.requests
    server_cpu = cpu_seconds(replica.process.pid)
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = []
    threading.Thread(target=lambda: stderr.extend(process.stderr), daemon=True).start()
    pending = list(checkpoints)
    rss = 0.0  # the last reading while the process lived: a checkpoint passed as it exits gets it
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        served = replica.articles - first_article
        rss = rss if pid else tree_rss_mb(process.pid) or rss
        crawl.peak_mb = max(crawl.peak_mb, rss)
        while pending and served >= pending[0]:
            crawl.at_checkpoint[pending.pop(0)] = (time.monotonic() - started, rss)
        if served > crawl.articles:
            crawl.articles, crawl.last_article_mb = served, rss
        if pid:
            break
        time.sleep(SAMPLE_SECONDS)
    process.returncode = os.waitstatus_to_exitcode(status)
    crawl.wall = time.monotonic() - started
    crawl.articles = replica.articles - first_article
    crawl.requests = replica.requests - first_request
    crawl.to_last_article = replica.article_served_at - started
    crawl.returncode = process.returncode
    crawl.cpu = usage.ru_utime + usage.ru_stime
    crawl.server_cpu = cpu_seconds(replica.process.pid) - server_cpu
    crawl.peak_mb = max(crawl.peak_mb, usage.ru_maxrss * 1024 / 1e6)
    crawl.load = os.getloadavg()[0]
    if crawl.returncode:
        print(f"{name} crawl exited {crawl.returncode}:\n" + b"".join(stderr).decode(errors="replace")[-3000:],
              file=sys.stderr)
    return crawl


def vinews_command(registry: Path, work: Path) -> list[str]:
    fast = [arg for name, value in FAST.items() for arg in ("--set", f"{name}={value}")]
    return [sys.executable, "-m", "vinews_scraper.cli", "crawl", "replica", "--registry", str(registry),
            "--store", f"sqlite:///{work / 'vinews.sqlite3'}", "--output", str(work / "output"),
            *fast, "--log-level", "WARNING"]


def bare_command(listing_urls: list[str], attachments: bool) -> list[str]:
    return [sys.executable, str(BENCHMARKS / "bare_crawl.py"), *(["--attachments"] if attachments else []),
            *listing_urls]


CRAWLS = ("bare", "bare+att", "vinews")


def crawl_all(replica: Replica, rounds: int, checkpoints: list[int], scratch: Path) -> list[tuple[int, Crawl]]:
    """Each round runs the three crawls, bare first in odd rounds and vinews first in even ones."""
    results = []
    for number in range(1, rounds + 1):
        order = CRAWLS if number % 2 else CRAWLS[::-1]
        for name in order:
            work = scratch / f"{name}-{number}"
            work.mkdir()
            registry = work / "replica-sites.toml"
            registry.write_text(replica.info["registry"], encoding="utf-8")
            command = (vinews_command(registry, work) if name == "vinews"
                       else bare_command(replica.info["listing_urls"], attachments=name == "bare+att"))
            results.append((number, run_crawl(name, command, replica, checkpoints, work)))
    return results


# ---- report -------------------------------------------------------------------------------------

def machine_lines() -> list[str]:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return [f"machine:  {os.cpu_count()} CPUs, {_cpu_model()}, load average {load} (1, 5, 15 min)",
            f"python:   {sys.version.split()[0]}; vinews {vinews_revision()}"]


def table_lines(results: list[tuple[int, Crawl]], checkpoints: list[int]) -> list[str]:
    """One row per crawl: counts, rate, time, CPU, memory at each checkpoint and at its peak."""
    marks = "".join(f"{'@' + str(c):>9}" for c in checkpoints)
    lines = [f"{'round':<6}{'crawl':<9}{'articles':>9}{'requests':>9}{'pages/s':>9}{'req/s':>7}{'to last s':>10}"
             f"{'wall s':>8}{'cpu s':>7}{'server cpu s':>13}{'load':>6}   RSS MB{marks}{'last':>7}{'peak':>7}"]
    for number, crawl in results:
        at = "".join(f"{crawl.at_checkpoint[c][1]:9.0f}" if c in crawl.at_checkpoint else f"{'—':>9}"
                     for c in checkpoints)
        lines.append(f"{number:<6}{crawl.name:<9}{crawl.articles:>9}{crawl.requests:>9}{crawl.pages_per_second:9.1f}{crawl.requests_per_second:7.1f}"
                     f"{crawl.to_last_article:10.1f}{crawl.wall:8.1f}{crawl.cpu:7.1f}{crawl.server_cpu:13.1f}"
                     f"{crawl.load:6.2f}{'':9}{at}{crawl.last_article_mb:7.0f}{crawl.peak_mb:7.0f}")
    return lines


def verdict_lines(results: list[tuple[int, Crawl]]) -> list[str]:
    """Per round, vinews' rate as a share of bare Scrapy's making the same requests (the target)
    and of bare Scrapy's without attachments, and vinews' peak memory, against the targets."""
    lines = []
    for number in sorted({n for n, _ in results}):
        crawls = {crawl.name: crawl for n, crawl in results if n == number}
        same, bare, vinews = crawls["bare+att"], crawls["bare"], crawls["vinews"]

        def share(floor: Crawl) -> str:
            return f"{vinews.pages_per_second / floor.pages_per_second:.0%}" if floor.pages_per_second else "—"

        lines.append(f"round {number}: vinews {vinews.pages_per_second:.1f} pages/s = {share(same)} of bare "
                     f"Scrapy's {same.pages_per_second:.1f} making the same requests (target ≥ {TARGET_RATIO:.0%}), "
                     f"{share(bare)} of its {bare.pages_per_second:.1f} without attachments; vinews peak RSS "
                     f"{vinews.peak_mb:.0f} MB, bare {max(same.peak_mb, bare.peak_mb):.0f} MB "
                     f"(target < {TARGET_PEAK_MB} MB)")
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000, help="replica size (default: %(default)s)")
    parser.add_argument("--checkpoints", default="5000,10000,20000",
                        help="article counts at which to note RSS (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=1, help="pairs of crawls (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=2021, help="replica seed (default: %(default)s)")
    parser.add_argument("--tiny", action="store_true",
                        help=f"{TINY['articles']} articles, checkpoints {TINY['checkpoints']}")
    args = parser.parse_args(argv)
    if args.tiny:
        args.articles, args.checkpoints = TINY["articles"], TINY["checkpoints"]
    args.checkpoints = sorted(int(c) for c in args.checkpoints.split(","))
    if args.rounds < 1 or args.articles < 10:
        parser.error("--rounds must be at least 1 and --articles at least 10")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    print("\n".join(machine_lines()), flush=True)
    replica = Replica(args.articles, args.seed)
    try:
        print(f"replica:  {args.articles} articles (seed {args.seed}) served from its own process "
              f"(generated in {replica.info['generate_seconds']} s)")
        print("settings: " + ", ".join(f"{k}={v}" for k, v in FAST.items()) + f", CONCURRENT_REQUESTS={bare_settings()['CONCURRENT_REQUESTS']}, "
              f"ROBOTSTXT_OBEY={bare_settings()['ROBOTSTXT_OBEY']}, log level WARNING (all crawls)")
        print("vinews:   all pipelines (normalize, validate, dedupe, SQLite store), WARC capture on, "
              "run report and export after the crawl\n", flush=True)
        with tempfile.TemporaryDirectory(prefix="vinews-scale-") as scratch:
            results = crawl_all(replica, args.rounds, args.checkpoints, Path(scratch))
    finally:
        replica.stop()
    print("\n".join(table_lines(results, args.checkpoints)))
    print("\n".join(verdict_lines(results)))
    print(f"total wall time {time.monotonic() - started:.0f} s; " + machine_lines()[0].split(", ", 2)[2])
    complete = all(c.returncode == 0 and c.articles >= args.articles for _, c in results)
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
