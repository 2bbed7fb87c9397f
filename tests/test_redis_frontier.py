"""Many workers, one crawl: two real ``vinews crawl`` processes share a frontier in a real
redis-server and a real PostgreSQL store, against the replica portal on 127.0.0.1; one of them
is killed (SIGKILL) mid-crawl and the other finishes its work."""

from __future__ import annotations

import os
import pickle
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import redis
from test_crawl_replica import Replica

from vinews_scraper.demo import check_against_truth
from vinews_scraper.frontier import FrontierKeys
from vinews_scraper.storage import open_store

ARTICLES = 120
KEYS = FrontierKeys.for_site("vinews", "replica")
# Slow enough that a crawl takes seconds and a worker always has requests in flight; a short
# heartbeat so that a killed worker's requests are requeued within seconds.
WORKER_SETTINGS = ["--set", "DOWNLOAD_DELAY=0.05", "--set", "AUTOTHROTTLE_ENABLED=False",
                   "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=4", "--set", "VINEWS_REDIS_HEARTBEAT=5",
                   "--set", "VINEWS_WARC_ENABLED=False", "--log-level", "INFO"]
SUMMARY = re.compile(r"^replica: (\d+) new, (\d+) updated, (\d+) unchanged", re.M)
FRONTIER_SUMMARY = re.compile(r"shared frontier, worker worker-\w: (\d+) requests taken from the queue, "
                              r"(\d+) requeued from stopped workers")


class Worker:
    """One ``vinews crawl`` process of the shared crawl, its output kept in files."""

    def __init__(self, name: str, replica: Replica, store_uri: str, redis_url: str, directory: Path) -> None:
        self.name = name
        self.directory = directory
        self.directory.mkdir()
        env = {k: v for k, v in os.environ.items() if k not in ("VINEWS_DATABASE_URL", "VINEWS_REDIS_URL")}
        env["VINEWS_REDIS_URL"] = redis_url
        self.stdout_path, self.stderr_path = self.directory / "stdout", self.directory / "stderr"
        with self.stdout_path.open("w") as stdout, self.stderr_path.open("w") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "vinews_scraper.cli", "crawl", "replica", "--registry",
                 str(replica.registry), "--store", store_uri, "--output", str(self.directory / "out"),
                 "--set", f"VINEWS_REDIS_WORKER_ID={name}", *WORKER_SETTINGS],
                cwd=self.directory, env=env, stdout=stdout, stderr=stderr)

    def output(self) -> str:
        return self.stdout_path.read_text() + self.stderr_path.read_text()

    def finish(self) -> str:
        """Wait for a successful end; the worker's summary (stdout)."""
        returncode = self.process.wait(timeout=300)
        assert returncode == 0, f"{self.name} exited {returncode}:\n{self.output()[-4000:]}"
        return self.stdout_path.read_text()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)


def stored_articles(store_uri: str) -> list[dict]:
    with open_store(store_uri) as store:
        return list(store.iter_articles(site="replica"))


def new_articles(summary: str) -> int:
    match = SUMMARY.search(summary)
    assert match, summary
    return int(match.group(1))


def frontier_counts(summary: str) -> tuple[int, int]:
    """(requests taken from the queue, requeued from stopped workers)."""
    match = FRONTIER_SUMMARY.search(summary)
    assert match, summary
    return int(match.group(1)), int(match.group(2))


def wait_for(condition, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def assert_every_article_stored_once_and_right(store_uri: str, replica: Replica) -> None:
    stored = stored_articles(store_uri)
    check = check_against_truth(stored, replica.portal.expected_items(replica.base_url))
    assert check.missing == [] and check.unexpected == []
    assert check.mismatches == {}, {k: v[:3] for k, v in check.mismatches.items()}
    assert len(stored) == len({a["url"] for a in stored}) == ARTICLES


def test_two_workers_share_the_crawl_and_each_article_is_fetched_and_stored_once(
        tmp_path, redis_url, postgres_database_uri):
    replica = Replica(tmp_path, articles=ARTICLES)
    try:
        workers = [Worker(name, replica, postgres_database_uri, redis_url, tmp_path / name)
                   for name in ("worker-a", "worker-b")]
        summaries = [worker.finish() for worker in workers]
    finally:
        replica.server.stop()

    assert_every_article_stored_once_and_right(postgres_database_uri, replica)
    fetches = Counter(replica.article_paths(replica.server.requests))
    assert len(fetches) == ARTICLES and set(fetches.values()) == {1}
    stored_by = [new_articles(summary) for summary in summaries]
    assert min(stored_by) > 0 and sum(stored_by) == ARTICLES, stored_by
    taken = [frontier_counts(summary)[0] for summary in summaries]
    assert min(taken) > 0 and sum(taken) >= ARTICLES, taken
    for worker in workers:
        log = worker.output()
        assert urlsplit(redis_url).password not in log
        assert "on redis://:***@127.0.0.1:" in log
    # The last worker out cleared the portal's keys: the next crawl starts afresh.
    assert redis.Redis.from_url(redis_url).keys(KEYS.pattern) == []


def kill_mid_crawl(worker: Worker, server: redis.Redis, store_uri: str) -> list[str]:
    """SIGKILL ``worker`` once 30 articles are stored and it has requests in flight; the URLs of
    the requests it had in flight, as Redis holds them after its death."""
    wait_for(lambda: len(stored_articles(store_uri)) >= 30 and server.zcard(KEYS.inflight(worker.name)) > 0)
    worker.kill()
    in_flight = [pickle.loads(encoded)["url"] for encoded in server.zrange(KEYS.inflight(worker.name), 0, -1)]
    assert in_flight, f"{worker.name} had nothing in flight"
    return in_flight


def assert_requeued_and_crawled(in_flight: list[str], requests_after_kill: list[str], summary: str,
                                log: str, replica: Replica, store_uri: str) -> None:
    """The killed worker's requests were requeued, each fetched again, and only they were fetched
    twice (at least once); every article is stored once."""
    in_flight_paths = {url.removeprefix(replica.base_url) for url in in_flight}
    assert frontier_counts(summary)[1] == len(in_flight)
    assert all(f"requeued {url}, in flight at worker worker-a when its heartbeat stopped" in log
               for url in in_flight)
    assert in_flight_paths <= set(requests_after_kill)
    assert_every_article_stored_once_and_right(store_uri, replica)
    fetches = Counter(replica.article_paths(replica.server.requests))
    assert len(fetches) == ARTICLES
    assert {path for path, count in fetches.items() if count > 1} <= in_flight_paths


def test_a_killed_workers_requests_in_flight_are_requeued_and_crawled_by_the_other(
        tmp_path, redis_url, postgres_database_uri):
    server = redis.Redis.from_url(redis_url)
    replica = Replica(tmp_path, articles=ARTICLES)
    try:
        killed = Worker("worker-a", replica, postgres_database_uri, redis_url, tmp_path / "killed")
        survivor = Worker("worker-b", replica, postgres_database_uri, redis_url, tmp_path / "survivor")
        in_flight = kill_mid_crawl(killed, server, postgres_database_uri)
        requests_at_kill = len(replica.server.requests)
        summary = survivor.finish()
    finally:
        replica.server.stop()

    assert_requeued_and_crawled(in_flight, replica.server.requests[requests_at_kill:], summary,
                                survivor.output(), replica, postgres_database_uri)
    assert server.keys(KEYS.pattern) == []


def test_the_only_worker_killed_and_restarted_resumes_its_crawl(tmp_path, redis_url, postgres_database_uri):
    """Restarted at once under the same worker id: its previous run's requests in flight are
    requeued although that id's heartbeat has not expired."""
    server = redis.Redis.from_url(redis_url)
    replica = Replica(tmp_path, articles=ARTICLES)
    try:
        killed = Worker("worker-a", replica, postgres_database_uri, redis_url, tmp_path / "killed")
        in_flight = kill_mid_crawl(killed, server, postgres_database_uri)
        requests_at_kill = len(replica.server.requests)
        stored_at_kill = len(stored_articles(postgres_database_uri))
        assert server.zcard(KEYS.queue) > 0  # the frontier outlives its only worker
        restarted = Worker("worker-a", replica, postgres_database_uri, redis_url, tmp_path / "restarted")
        summary = restarted.finish()
    finally:
        replica.server.stop()

    assert "as worker worker-a: joining a crawl in progress" in restarted.output()
    assert_requeued_and_crawled(in_flight, replica.server.requests[requests_at_kill:], summary,
                                restarted.output(), replica, postgres_database_uri)
    # The restarted worker stored what was left; the articles stored before the kill stayed as they were.
    assert new_articles(summary) == ARTICLES - stored_at_kill
    assert server.keys(KEYS.pattern) == []


def test_wayback_recovery_refuses_a_shared_frontier(tmp_path):
    """A Wayback recovery pages through the archive's index in its own process: not shareable."""
    result = subprocess.run(
        [sys.executable, "-m", "vinews_scraper.cli", "crawl", "vithuy", "--from-wayback",
         "--redis", "redis://:secret@127.0.0.1:9/0", "--store", f"sqlite:///{tmp_path / 'store.sqlite3'}"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "--from-wayback runs in one process" in result.stderr
    assert not (tmp_path / "store.sqlite3").exists()
