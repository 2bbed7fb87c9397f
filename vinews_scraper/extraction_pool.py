"""Extraction in worker processes, beside the crawl.

A crawl process is CPU-bound on Scrapy's own work for each request; extraction is pure
((bytes, URL) → item) and needs nothing of the crawl, so worker processes
(``VINEWS_EXTRACTION_PROCESSES``, default 1; 0 extracts in the crawl process) read the pages
while the crawl goes on downloading, on a CPU the crawl leaves idle. Each is a
``worker_process.WorkerProcess`` (``python -m vinews_scraper.extraction_pool``): started afresh,
never forked from the crawl process; it ignores Ctrl-C, so the pages in flight are still read when
the crawl stops gracefully, and it ends with the crawl, even one killed with SIGKILL. A worker
that dies (killed, out of memory, a crash in libxml2) is replaced and the pages it held are read
again; a page that kills its worker twice is an ``ExtractionError`` (recorded as a failure of kind
"parse"), never a lost page.
"""

from __future__ import annotations

from scrapy import signals

from .extraction import ExtractionError
from .worker_process import WorkerProcess, serve

ATTEMPTS = 2


def _died(attempts: int) -> ExtractionError:
    return ExtractionError(f"the extraction process died {attempts} times while reading this page "
                           "(killed, out of memory, or crashed)")


class ExtractionPool:
    """Runs extraction functions in worker processes (or in this one with ``processes=0``)."""

    def __init__(self, processes: int, crawler=None) -> None:
        self.processes = max(0, processes)
        self.crawler = crawler  # counts restarts in its stats
        self._workers = [WorkerProcess(__name__, attempts=ATTEMPTS, on_restart=self._restarted, died=_died)
                         for _ in range(self.processes)]

    @classmethod
    def from_crawler(cls, crawler) -> "ExtractionPool":
        pool = cls(crawler.settings.getint("VINEWS_EXTRACTION_PROCESSES"), crawler)
        crawler.signals.connect(pool.close, signal=signals.engine_stopped)
        return pool

    async def run(self, function, *args, **kwargs):
        """``function(*args, **kwargs)``, in the least busy worker process when there are any."""
        if not self._workers:
            return function(*args, **kwargs)
        worker = min(self._workers, key=lambda w: w.pending)
        return await worker.call((function, args, kwargs))

    def _restarted(self) -> None:
        if self.crawler is not None:
            self.crawler.stats.inc_value("vinews/extraction/pool_restarts")

    def close(self) -> None:
        """Stop the workers (when the crawl's engine stops)."""
        for worker in self._workers:
            worker.close()


def _call(request: tuple):
    function, args, kwargs = request
    return function(*args, **kwargs)


if __name__ == "__main__":
    serve(_call)
