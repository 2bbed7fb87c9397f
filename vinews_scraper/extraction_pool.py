"""Extraction in worker processes, beside the crawl.

A crawl process is CPU-bound on Scrapy's own work for each request; extraction is pure
((bytes, URL) → item) and needs nothing of the crawl, so worker processes
(``VINEWS_EXTRACTION_PROCESSES``, default 1; 0 extracts in the crawl process) read the pages
while the crawl goes on downloading, on a CPU the crawl leaves idle.

Workers are started afresh ("spawn"), never forked from the crawl process (forking a process
that runs threads can deadlock); they ignore SIGINT, so Ctrl-C stops the crawl gracefully and the
pages in flight are still read, and they exit as soon as the crawl process is gone, even killed
with SIGKILL, so no worker outlives its crawl. A worker that dies
(killed, out of memory, a crash in libxml2) breaks the pool: a fresh pool is started and the
pages the broken one held are tried once more; a page that breaks the pool twice is an
``ExtractionError`` (recorded as a failure of kind "parse"), never a lost page.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from scrapy import signals

from .extraction import ExtractionError

ATTEMPTS = 2
PARENT_CHECK_SECONDS = 0.5


def _worker_started(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_without_parent, args=(parent,), daemon=True).start()


def _exit_without_parent(parent: int) -> None:
    """End this worker once the crawl process that started it is gone (the worker is then
    adopted by another process and its parent id changes)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


class ExtractionPool:
    """Runs extraction functions in worker processes (or in this one with ``processes=0``)."""

    def __init__(self, processes: int, crawler=None) -> None:
        self.processes = max(0, processes)
        self.crawler = crawler  # counts restarts in its stats
        self._executor: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler) -> "ExtractionPool":
        pool = cls(crawler.settings.getint("VINEWS_EXTRACTION_PROCESSES"), crawler)
        crawler.signals.connect(pool.close, signal=signals.engine_stopped)
        return pool

    def _started(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_worker_started, initargs=(os.getpid(),))
        return self._executor

    async def run(self, function, *args, **kwargs):
        """``function(*args, **kwargs)``, in a worker process when there are any."""
        if not self.processes:
            return function(*args, **kwargs)
        for _ in range(ATTEMPTS):
            executor = self._started()
            try:
                return await asyncio.wrap_future(executor.submit(function, *args, **kwargs))
            except BrokenProcessPool:
                if self._executor is executor:  # the first of its pages to hear starts a new one
                    self._executor = None
                    executor.shutdown(wait=False, cancel_futures=True)
                    if self.crawler is not None:
                        self.crawler.stats.inc_value("vinews/extraction/pool_restarts")
        raise ExtractionError(f"the extraction process died {ATTEMPTS} times while reading this page "
                              "(killed, out of memory, or crashed)")

    def close(self) -> None:
        """Stop the workers (when the crawl's engine stops)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
