"""Scheduled crawls: triggers, per-portal locks, and a scheduler that crawls the replica on its own."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from test_crawl_replica import FAST, Replica, vinews

from vinews_scraper.schedule import (
    TEST_INTERVALS_VARIABLE,
    ScheduleError,
    acquire_lock,
    lock_holder,
    make_trigger,
    run_scheduled_crawl,
)
from vinews_scraper.storage import open_store


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_every_takes_daily_weekly_or_a_crontab(monkeypatch):
    assert make_trigger("daily").interval.total_seconds() == 86400
    assert make_trigger("weekly").interval.total_seconds() == 7 * 86400
    thursday = datetime(2026, 11, 26, tzinfo=timezone.utc)
    for line, first in (("0 3 * * 1", "2026-11-30 03:00 Monday"), ("30 4 * * 0", "2026-11-29 04:30 Sunday"),
                        ("0 3 * * 7", "2026-11-29 03:00 Sunday"), ("0 3 * * 5-6", "2026-11-27 03:00 Friday"),
                        ("0 */6 * * *", "2026-11-26 00:00 Thursday")):
        cron = make_trigger(line)
        assert isinstance(cron, CronTrigger)
        assert f"{cron.get_next_fire_time(None, thursday):%Y-%m-%d %H:%M %A}" == first, line
    with pytest.raises(ScheduleError, match="crontab"):
        make_trigger("0 3 * * mon-funday")
    with pytest.raises(ScheduleError, match="crontab"):
        make_trigger("fortnightly")
    monkeypatch.delenv(TEST_INTERVALS_VARIABLE, raising=False)
    with pytest.raises(ScheduleError, match="tests only"):
        make_trigger("2s")
    monkeypatch.setenv(TEST_INTERVALS_VARIABLE, "1")
    trigger = make_trigger("2s")
    assert isinstance(trigger, IntervalTrigger) and trigger.interval.total_seconds() == 2


def test_a_live_lock_refuses_a_second_run_and_a_stale_one_is_taken_over(tmp_path):
    lock = tmp_path / "replica.lock"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock.write_text(f"{sleeper.pid}\n")
        assert lock_holder(lock) == sleeper.pid
        assert run_scheduled_crawl(str(tmp_path), "replica", []) is None  # refused, nothing started
        assert lock.read_text() == f"{sleeper.pid}\n" and not (tmp_path / "replica.log").exists()
    finally:
        sleeper.kill()
        sleeper.wait()
    assert lock_holder(lock) is None  # the crawl that held it is gone: stale
    lock.write_text(f"{_dead_pid()}\n")
    assert acquire_lock(lock) and lock.read_text() == f"{os.getpid()}\n"
    assert not acquire_lock(lock)  # held by this (live) process now


def _wait_for_runs(store_uri: str, count: int, timeout: float = 120) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Path(store_uri.removeprefix("sqlite:///")).exists():
            with open_store(store_uri) as store:
                runs = store.runs()
            if len(runs) >= count:
                return runs
        time.sleep(0.5)
    pytest.fail(f"fewer than {count} scheduled runs after {timeout} s")


def _start_scheduler(directory: Path, cwd: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "vinews_scraper.cli", "schedule", "run", "--dir", str(directory)],
                            cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _stop(scheduler: subprocess.Popen, lock: Path) -> str:
    """Stop the scheduler between crawls (no crawl left running) and return its log."""
    deadline = time.monotonic() + 60
    while lock.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    scheduler.send_signal(signal.SIGTERM)
    output, _ = scheduler.communicate(timeout=120)
    return output


def test_the_scheduler_crawls_on_its_own_and_keeps_its_job_across_restarts(tmp_path):
    replica = Replica(tmp_path, articles=20)
    directory = tmp_path / "schedule"
    env = {**{k: v for k, v in os.environ.items() if k != "VINEWS_DATABASE_URL"}, TEST_INTERVALS_VARIABLE: "1"}
    options = shlex.join(["--registry", str(replica.registry), "--store", replica.store_uri,
                          "--output", str(tmp_path / "out"), *FAST])
    try:
        added = subprocess.run([sys.executable, "-m", "vinews_scraper.cli", "schedule", "add", "replica",
                                "--every", "2s", "--dir", str(directory), "--crawl-options", options],
                               cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False)
        assert added.returncode == 0, added.stderr
        assert added.stdout.startswith("replica: vinews crawl replica every 2s; next run ")
        lock = directory / "replica.lock"

        scheduler = _start_scheduler(directory, tmp_path, env)
        first = _wait_for_runs(replica.store_uri, 1)[-1]
        log = _stop(scheduler, lock)
        assert first["items_new"] == 20 and first["finish_reason"] == "finished"
        assert len(replica.stored()) == 20
        assert "crawl of replica started (pid " in log and "crawl of replica ended with status 0" in log
        assert "replica: 20 new, 0 updated" in (directory / "replica.log").read_text(encoding="utf-8")

        listed = vinews("schedule", "list", "--dir", str(directory), cwd=tmp_path)
        assert listed.stdout.startswith("replica      vinews crawl replica every 2s; next run ")
        assert f"crawl options: {options}" in listed.stdout

        runs_before = len(_wait_for_runs(replica.store_uri, 1))
        scheduler = _start_scheduler(directory, tmp_path, env)  # a restart: the job is still there
        runs = _wait_for_runs(replica.store_uri, runs_before + 1)
        _stop(scheduler, lock)
        assert runs[0]["items_new"] == 0 and runs[0]["article_pages"] == 0  # incremental

        removed = vinews("schedule", "remove", "replica", "--dir", str(directory), cwd=tmp_path)
        assert removed.stdout == "replica: schedule removed\n"
        assert vinews("schedule", "list", "--dir", str(directory), cwd=tmp_path).stdout == ""
    finally:
        replica.server.stop()
