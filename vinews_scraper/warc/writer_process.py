"""The WARC writer in a process of its own, beside the crawl.

Compressing and digesting every response took a sixth of the crawl process's time (py-spy, a
4000-article replica crawl), and that process is what limits a crawl's rate. The writer process
(``python -m vinews_scraper.warc.writer_process CONFIG``, a ``worker_process.WorkerProcess``)
answers each exchange with where it went; the crawl awaits the answer, so a record is flushed to
its file before the spider sees the response, as with a writer in the crawl process. The writer
closes its file when its stdin ends (a graceful stop, or the crawl process killed); if the writer
dies, its file is finished (cut after its last whole record) and a new writer, in a new file,
writes the exchanges that had no answer.
"""

from __future__ import annotations

import json
import sys

from ..worker_process import WorkerProcess, serve
from .capture import Capture, Exchange, RollingWarcWriter, finish_abandoned

ATTEMPTS = 2


def _died(attempts: int) -> OSError:
    return OSError(f"the WARC writer process died {attempts} times while writing this response")


class WarcWriterProcess:
    """The crawl's side of the writer process (one, so records keep the crawl's order)."""

    def __init__(self, config: dict, on_restart=None) -> None:
        self.config = config
        self.on_restart = on_restart  # told the files a dead writer left, once they are finished
        self.worker = WorkerProcess(__name__, json.dumps(config), attempts=ATTEMPTS, on_restart=self._restarted,
                                    died=_died)

    async def write(self, exchange: Exchange) -> Capture:
        """Where the exchange was written, once it is in the file."""
        file, record_id = await self.worker.call(exchange)
        return Capture(file, record_id, exchange.date)

    def _restarted(self) -> None:
        finished = finish_abandoned(self.config["directory"], self.config["prefix"])
        if self.on_restart is not None:
            self.on_restart(finished)

    def close(self) -> None:
        """End the writer (it closes and renames its file) and wait for it."""
        self.worker.close()


def main(config: dict) -> None:
    writer = RollingWarcWriter(config["directory"], config["prefix"], config["max_size"], config["info"],
                               config["level"])

    def write(exchange: Exchange) -> tuple[str, str]:
        capture = writer.write(exchange)
        return capture.file, capture.record_id

    try:
        serve(write)
    finally:
        writer.close()


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
