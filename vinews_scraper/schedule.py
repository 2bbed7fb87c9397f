"""Scheduled incremental crawls: APScheduler jobs kept in SQLite, one ``vinews crawl`` process each.

A schedule directory (default ``output/schedule``) holds the job store ``jobs.sqlite3``, one lock
file per portal being crawled (``<site>.lock``, holding the crawl's PID) and one log per portal
(``<site>.log``, the crawls' output). A run is refused while the portal's lock names a live
process; a lock whose process is gone is stale and taken over.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

logger = logging.getLogger(__name__)

JOBS_FILE = "jobs.sqlite3"
# Test-only: lets `--every` take seconds ("2s"), which real portals must never see.
TEST_INTERVALS_VARIABLE = "VINEWS_SCHEDULE_TEST_INTERVALS"
_SECONDS = re.compile(r"^(\d+)s$")
_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_WEEKDAY_NUMBER = re.compile(r"(?<![/\d])\d+")  # not a step (*/2)


class ScheduleError(ValueError):
    """A schedule cannot be made as asked."""


def make_trigger(every: str):
    """``daily``, ``weekly``, a five-field crontab line (``0 3 * * 1``), or (tests only) ``<N>s``."""
    if every == "daily":
        return IntervalTrigger(days=1)
    if every == "weekly":
        return IntervalTrigger(weeks=1)
    seconds = _SECONDS.match(every)
    if seconds:
        if os.environ.get(TEST_INTERVALS_VARIABLE) != "1":
            raise ScheduleError(f"intervals in seconds are for tests only (set {TEST_INTERVALS_VARIABLE}=1)")
        return IntervalTrigger(seconds=int(seconds.group(1)))
    fields = every.split()
    if len(fields) != 5:
        raise ScheduleError(f"--every takes daily, weekly or a crontab line, got {every!r}")
    minute, hour, day, month, day_of_week = fields
    try:
        return CronTrigger(minute=minute, hour=hour, day=day, month=month,
                           day_of_week=crontab_weekdays(day_of_week), timezone="UTC")
    except ValueError as exc:
        raise ScheduleError(f"--every takes daily, weekly or a crontab line, got {every!r} ({exc})") from exc


def crontab_weekdays(field: str) -> str:
    """A crontab day-of-week field (0 or 7 = Sunday) in APScheduler's names: its numbers mean
    0 = Monday, so ``from_crontab("0 3 * * 1")`` would run on Tuesdays."""
    return _WEEKDAY_NUMBER.sub(lambda m: _WEEKDAYS[int(m.group()) % 7], field)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def lock_holder(lock: Path) -> int | None:
    """The live PID holding ``lock``, or None when it is free or stale."""
    try:
        pid = int(lock.read_text().strip() or 0)
    except (FileNotFoundError, ValueError):
        return None
    return pid if pid > 0 and _alive(pid) else None


def acquire_lock(lock: Path) -> bool:
    """Take ``lock`` for this process; False when a live process holds it. A stale lock is removed."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = lock_holder(lock)
            if holder is not None:
                return False
            logger.warning("removing stale lock %s", lock)
            lock.unlink(missing_ok=True)
            continue
        with os.fdopen(fd, "w") as handle:
            handle.write(f"{os.getpid()}\n")
        return True
    return False


def _hand_lock_to(lock: Path, pid: int) -> None:
    """Name ``pid`` (the crawl) in ``lock``, replacing it whole."""
    pending = lock.with_name(lock.name + ".tmp")
    pending.write_text(f"{pid}\n")
    os.replace(pending, lock)


def run_scheduled_crawl(directory: str, site: str, crawl_args: list[str]) -> int | None:
    """Run ``vinews crawl SITE *crawl_args`` in its own process under the portal's lock; its
    exit status, or None when another run of the portal holds the lock."""
    lock = Path(directory) / f"{site}.lock"
    if not acquire_lock(lock):
        logger.warning("not starting a crawl of %s: pid %s is still crawling it", site, lock_holder(lock))
        return None
    try:
        with (Path(directory) / f"{site}.log").open("a", encoding="utf-8") as log:
            log.write(f"--- {datetime.now(timezone.utc):%Y-%m-%dT%H:%M:%SZ} vinews crawl {site}\n")
            log.flush()
            process = subprocess.Popen([sys.executable, "-m", "vinews_scraper.cli", "crawl", site, *crawl_args],
                                       stdout=log, stderr=subprocess.STDOUT)
            _hand_lock_to(lock, process.pid)
            logger.info("crawl of %s started (pid %d)", site, process.pid)
            status = process.wait()
    finally:
        lock.unlink(missing_ok=True)
    logger.log(logging.INFO if status == 0 else logging.ERROR, "crawl of %s ended with status %d", site, status)
    return status


def open_scheduler(directory: str | Path, blocking: bool = False):
    """A scheduler on the directory's SQLite job store (not started)."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    path = Path(directory).resolve()
    path.mkdir(parents=True, exist_ok=True)
    scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
    return scheduler_class(jobstores={"default": SQLAlchemyJobStore(url=f"sqlite:///{path / JOBS_FILE}")},
                           job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
                           timezone="UTC")


def add_schedule(directory: str | Path, site: str, every: str, crawl_args: list[str]):
    """Schedule (or reschedule) the crawls of ``site``; returns the stored job."""
    trigger = make_trigger(every)
    scheduler = open_scheduler(directory)
    scheduler.start(paused=True)
    try:
        return scheduler.add_job(run_scheduled_crawl, trigger, args=[str(Path(directory).resolve()), site,
                                                                      list(crawl_args)],
                                 id=site, name=f"vinews crawl {site} every {every}", replace_existing=True)
    finally:
        scheduler.shutdown(wait=False)


def list_schedules(directory: str | Path) -> list[dict]:
    """The stored jobs: site, description, next run time, crawl options."""
    scheduler = open_scheduler(directory)
    scheduler.start(paused=True)
    try:
        return [{"site": job.id, "name": job.name, "next_run_time": job.next_run_time,
                 "crawl_args": job.args[2]} for job in scheduler.get_jobs()]
    finally:
        scheduler.shutdown(wait=False)


def remove_schedule(directory: str | Path, site: str) -> bool:
    """Remove the schedule of ``site``; False when there is none."""
    from apscheduler.jobstores.base import JobLookupError

    scheduler = open_scheduler(directory)
    scheduler.start(paused=True)
    try:
        scheduler.remove_job(site)
    except JobLookupError:
        return False
    finally:
        scheduler.shutdown(wait=False)
    return True


def run_scheduler(directory: str | Path) -> None:
    """Run the stored schedules until interrupted (SIGINT or SIGTERM)."""
    import signal

    scheduler = open_scheduler(directory, blocking=True)

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    logger.info("scheduler running on %s", Path(directory).resolve() / JOBS_FILE)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        logger.info("scheduler stopping")
        scheduler.shutdown(wait=False)
