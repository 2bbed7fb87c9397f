"""Hard kill: the real ``vinews crawl`` is killed with SIGKILL at many points (while pages are
fetched, while articles are stored, while its export is written) and stopped with SIGINT, and
restarted with the same command each time. It must converge to the complete archive: every
article of the replica portal exactly once and right, an intact store (SQLite's integrity check,
or PostgreSQL's amcheck of every index), whole exports and readable WARC files holding the record
every article row names. Each test runs against SQLite and against a PostgreSQL server."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import psycopg
import pytest
from warcio.archiveiterator import ArchiveIterator

from vinews_scraper.demo import check_against_truth
from vinews_scraper.replica.portal import Portal
from vinews_scraper.replica.server import ReplicaServer
from vinews_scraper.storage import open_store

SEED = 6  # issue 6: the kill points' random draws
FIRST_ARTICLES, PUBLISHED_LATER = 20, 100
TOTAL = FIRST_ARTICLES + PUBLISHED_LATER
# Fast, but slow enough for kills to land inside a crawl. A listing stops after 5 known articles,
# so a restart that trusted an interrupted run's newer articles would never reach the older ones.
CRAWL_SETTINGS = ("--set", "DOWNLOAD_DELAY=0.01", "--set", "AUTOTHROTTLE_ENABLED=False",
                  "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=4", "--set", "VINEWS_INCREMENTAL_STOP_AFTER=5",
                  "--log-level", "DEBUG")
POLL_SECONDS = 0.001
PAGE_FETCHED = "Crawled (200)"  # Scrapy's debug line for each downloaded page


class Archive:
    """A replica portal served on 127.0.0.1 and the store, exports, WARC files and logs of the
    ``vinews`` processes run against it."""

    def __init__(self, directory: Path, postgres_uri: str | None = None) -> None:
        self.directory = directory
        self.portal = Portal.generate(articles=FIRST_ARTICLES)
        self.server = ReplicaServer(self.portal)
        self.base_url = self.server.start()
        self.registry = directory / "sites.toml"
        self.registry.write_text(self.portal.registry_toml(self.base_url), encoding="utf-8")
        if postgres_uri:
            self.store_uri, self.probe = postgres_uri, PostgresProbe(postgres_uri)
        else:
            database = directory / "vinews.sqlite3"
            self.store_uri, self.probe = f"sqlite:///{database}", SQLiteProbe(database)
        self.output = directory / "out"
        self.processes = 0

    def start(self, *args: str) -> tuple[subprocess.Popen, Path, Path]:
        """Start ``vinews *args``; returns the process and the files its stdout and stderr go to."""
        self.processes += 1
        stdout, stderr = (self.directory / f"process-{self.processes}.{name}" for name in ("out", "err"))
        env = {k: v for k, v in os.environ.items() if k != "VINEWS_DATABASE_URL"}
        with stdout.open("w") as out, stderr.open("w") as err:
            process = subprocess.Popen([sys.executable, "-m", "vinews_scraper.cli", *args], cwd=self.directory,
                                       env=env, stdout=out, stderr=err, start_new_session=True)
        return process, stdout, stderr

    def start_crawl(self) -> tuple[subprocess.Popen, Path, Path]:
        return self.start("crawl", "replica", "--registry", str(self.registry), "--store", self.store_uri,
                          "--output", str(self.output), *CRAWL_SETTINGS)

    def crawl(self) -> str:
        """One crawl left to end; returns its standard output."""
        process, stdout, stderr = self.start_crawl()
        assert process.wait(timeout=120) == 0, stdout.read_text()[-2000:] + stderr.read_text()[-3000:]
        return stdout.read_text()

    def truth(self) -> list[dict]:
        return self.portal.expected_items(self.base_url)

    def stop(self) -> None:
        self.server.stop()
        self.probe.close()


class SQLiteProbe:
    """The SQLite store as another process sees it: committed rows, and the file's integrity."""

    def __init__(self, database: Path) -> None:
        self.database = database

    def committed(self) -> int:
        try:
            with closing(sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=5)) as db:
                return db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        except sqlite3.OperationalError:  # no store file or no table yet
            return 0

    def integrity(self) -> str:
        with closing(sqlite3.connect(self.database)) as db:
            return db.execute("PRAGMA integrity_check").fetchone()[0]

    def close(self) -> None:
        pass


class PostgresProbe:
    """The PostgreSQL store from a connection of its own: committed rows, and its indexes checked
    against their tables by PostgreSQL's amcheck (``bt_index_check`` with ``heapallindexed``)."""

    def __init__(self, uri: str) -> None:
        self.connection = psycopg.connect(uri, autocommit=True)

    def committed(self) -> int:
        try:
            return self.connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        except psycopg.errors.UndefinedTable:
            return 0

    def integrity(self) -> str:
        self.connection.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        indexes = self.connection.execute(
            "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE a.amname = 'btree' AND n.nspname = 'public'").fetchall()
        try:
            for oid, _name in indexes:
                self.connection.execute("SELECT bt_index_check(%s, true)", (oid,))
        except psycopg.Error as exc:
            return str(exc)
        return "ok" if indexes else "no indexes to check"

    def close(self) -> None:
        self.connection.close()


class LogLines:
    """Counts lines of a growing log file holding a text, reading only what was added."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.text = path, text
        self.offset, self.count, self.partial = 0, 0, ""

    def seen(self) -> int:
        with self.path.open(encoding="utf-8", errors="replace") as stream:
            stream.seek(self.offset)
            added = stream.read()
            self.offset = stream.tell()
        *lines, self.partial = (self.partial + added).split("\n")
        self.count += sum(self.text in line for line in lines)
        return self.count


def pending_files(directory: Path) -> list[str]:
    """Files of ``directory`` that a writer has not finished: pending exports and open WARC files."""
    return sorted(p.name for p in directory.rglob("*") if p.name.endswith((".tmp", ".open")))


def signal_when(process: subprocess.Popen, reached: Callable[[], bool], sig: int) -> bool:
    """Send ``sig`` to ``process`` and every process it started (its extraction worker and WARC
    writer: its process group, as Ctrl-C in a terminal or a power cut would reach
    them) as soon as ``reached()`` holds, and wait for it to end; False when it ended before (the
    signal then is not sent)."""
    deadline = time.monotonic() + 120
    while process.poll() is None:
        assert time.monotonic() < deadline, "the trigger never came"
        if reached():
            os.killpg(process.pid, sig)
            process.wait(timeout=60)
            return sig != signal.SIGKILL or process.returncode == -signal.SIGKILL
        time.sleep(POLL_SECONDS)
    return False


def kill_points(rng: random.Random, archive: Archive):
    """The SIGKILL triggers, each made when its run starts: (what it interrupts, trigger factory)."""
    def pages(low: int, high: int):
        def trigger(stderr: Path):
            lines, wanted = LogLines(stderr, PAGE_FETCHED), rng.randint(low, high)
            return lambda: lines.seen() >= wanted
        return trigger

    def stored(low: int, high: int):
        def trigger(stderr: Path):  # a few articles before the last at most: it must land in the crawl
            wanted = min(archive.probe.committed() + rng.randint(low, high), TOTAL - 5)
            return lambda: archive.probe.committed() >= wanted
        return trigger

    def after(low: float, high: float):
        def trigger(stderr: Path):
            at = time.monotonic() + rng.uniform(low, high)
            return lambda: time.monotonic() >= at
        return trigger

    return [("page", pages(2, 10)), ("time", after(0.2, 1.2)), ("store", stored(5, 15)),
            ("page", pages(15, 40)), ("store", stored(3, 12)), ("time", after(0.8, 2.0)),
            ("store", stored(5, 15)), ("store", stored(1, 6))]


def export_pending(directory: Path) -> Callable[[], bool]:
    """A trigger: some export file in ``directory`` is being written (not yet renamed into place)."""
    def reached() -> bool:
        try:
            return any(name.endswith(".tmp") for name in os.listdir(directory))
        except FileNotFoundError:
            return False
    return reached


def kill_during_export(archive: Archive, start: Callable, directory: Path, tries: int = 5) -> bool:
    """SIGKILL a process started by ``start`` while it writes an export into ``directory``, and
    see that it left a pending file; tries again when the export was too quick to be caught."""
    for _ in range(tries):
        process, _, _ = start()
        if signal_when(process, export_pending(directory), signal.SIGKILL) and \
                any(name.endswith(".tmp") for name in os.listdir(directory)):
            return True
    return False


def warc_records(warc_dir: Path) -> dict[str, str]:
    """The file of every response record in the WARC files of ``warc_dir``, by record id; every
    record is read to its end, so a cut or corrupt file fails here."""
    files = {}
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream, check_digests="raise"):
                record.content_stream().read()
                if record.rec_type == "response":
                    files[record.rec_headers.get_header("WARC-Record-ID")] = path.name
    return files


def assert_complete_archive(archive: Archive) -> None:
    """Every article exactly once with the right fields, every URL done or failed with a reason,
    an intact store, whole exports, every WARC file finished and holding its articles' records."""
    assert archive.probe.integrity() == "ok"
    with open_store(archive.store_uri) as store:
        stored = list(store.iter_articles(site="replica"))
        failures = store.failures()
        versions = list(store.stream_article_versions(sites=("replica",)))
        observed = {o["url"] for o in store.stream_view_observations(sites=("replica",)) if o["seen_on"] == "article"}
        unsettled = store.unsettled_runs("replica")
        newest_run = store.runs(site="replica")[0]
    truth = archive.truth()
    check = check_against_truth(stored, truth)
    assert check.ok, check.lines()
    assert len(stored) == len({a["url"] for a in stored}) == len(truth) == TOTAL
    assert versions == []  # refetching an unchanged article after a kill makes no new version
    assert {a["url"] for a in stored if a["view_count"] is not None} <= observed
    assert all(f["kind"] and f["reason"] for f in failures)
    assert {i["url"] for i in truth} <= {a["url"] for a in stored} | {f["url"] for f in failures}
    assert unsettled == []
    assert newest_run["finish_reason"] == "finished"
    assert pending_files(archive.output) == []
    records = warc_records(archive.output / "warc")
    assert {a["url"]: records.get(a["warc_record_id"]) for a in stored} == \
        {a["url"]: a["warc_file"] for a in stored}
    lines = (archive.output / "articles-replica.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(line)["url"] for line in lines) == sorted(i["url"] for i in truth)
    whole = json.loads((archive.output / "articles-replica.json").read_text(encoding="utf-8"))
    assert sorted(a["url"] for a in whole) == sorted(i["url"] for i in truth)


@pytest.fixture(params=["sqlite", "postgresql"])
def archive(request, tmp_path):
    """An Archive storing into SQLite, or into a PostgreSQL database of its own."""
    postgres_uri = request.getfixturevalue("postgres_database_uri") if request.param == "postgresql" else None
    archive = Archive(tmp_path, postgres_uri)
    yield archive
    archive.stop()


def test_crawl_killed_at_random_points_converges_to_the_complete_archive(archive, tmp_path):
    archive.crawl()  # a full walk of the first articles: later crawls are incremental
    archive.portal.publish(PUBLISHED_LATER)
    points = kill_points(random.Random(SEED), archive)
    landed, stored_after, fetching, open_warcs_left = [], [], 0, 0
    for point, make_trigger in points:
        process, _, stderr = archive.start_crawl()
        if signal_when(process, make_trigger(stderr), signal.SIGKILL):
            landed.append(point)
        fetching += LogLines(stderr, PAGE_FETCHED).seen() > 0
        assert archive.probe.integrity() == "ok"
        open_warcs_left += len(list((archive.output / "warc").glob("*.warc.gz.open")))
        stored_after.append(archive.probe.committed())
    assert landed == [point for point, _ in points], stored_after
    assert stored_after == sorted(stored_after)  # a kill never undoes what was committed
    assert open_warcs_left >= 5  # kills mid-crawl left WARC files open, for the next run to finish
    with open_store(archive.store_uri) as store:
        # every run killed once it fetched pages is owed; one killed while starting may not be
        assert fetching <= len(store.unsettled_runs("replica")) <= len(landed)
        assert len(store.known_article_urls("replica")) < TOTAL

    assert kill_during_export(archive, archive.start_crawl, archive.output)
    archive.crawl()
    assert_complete_archive(archive)
    with open_store(archive.store_uri) as store:
        finished = [r["full_walk"] for r in store.runs(site="replica")[::-1] if r["finish_reason"] == "finished"]
    # the first run after the kills walked every listing; once it finished, the last one needed not
    assert (finished[:2], finished[-1]) == ([1, 1], 0)

    exports = tmp_path / "exports"
    export = ("export", "--store", archive.store_uri, "--output", str(exports), "--format", "all")
    assert kill_during_export(archive, lambda: archive.start(*export), exports)
    assert not (exports / "manifest.json").exists()
    process, stdout, stderr = archive.start(*export)
    assert process.wait(timeout=120) == 0, stderr.read_text()[-3000:]
    assert pending_files(exports) == []
    process, stdout, stderr = archive.start("verify-export", str(exports))
    assert process.wait(timeout=120) == 0, stderr.read_text()[-3000:]


def test_sigint_stops_gracefully_and_the_next_crawl_resumes(archive):
    archive.crawl()
    archive.portal.publish(PUBLISHED_LATER)
    process, stdout, _ = archive.start_crawl()
    wanted = FIRST_ARTICLES + random.Random(SEED).randint(10, 40)
    assert signal_when(process, lambda: archive.probe.committed() >= wanted, signal.SIGINT)
    assert process.returncode == 1
    assert "finish reason shutdown" in stdout.read_text()
    with open_store(archive.store_uri) as store:
        stopped = store.runs(site="replica")[0]
        assert stopped["finish_reason"] == "shutdown"
        assert [r["run_id"] for r in store.unsettled_runs("replica")] == [stopped["run_id"]]
        stored_before = store.known_article_urls("replica")
    assert wanted <= len(stored_before) < TOTAL
    assert pending_files(archive.output) == []  # a graceful stop closes its WARC file and exports
    lines = (archive.output / "articles-replica.jsonl").read_text(encoding="utf-8").splitlines()
    assert {json.loads(line)["url"] for line in lines} == stored_before

    del archive.server.requests[:]
    archive.crawl()
    refetched = {archive.base_url + path for path in archive.server.requests} & stored_before
    assert refetched == set()
    assert_complete_archive(archive)
