"""The WARC writer in a process of its own, beside the crawl.

Compressing and digesting every response took a sixth of the crawl process's time (py-spy, a
4000-article replica crawl), and that process is what limits a crawl's rate. The writer process
(``python -m vinews_scraper.warc.writer_process``) reads exchanges from its stdin and answers on
its stdout where each went, in order, one length-prefixed pickle each way; the crawl's side is two
asyncio pipe transports, so the crawl never blocks on it. The crawl awaits each exchange's answer,
so a record is flushed to its file before the spider sees the response, as with a writer in the
crawl process. The writer ignores SIGINT and SIGTERM and ends when its stdin closes (a graceful stop, or the
crawl process killed), closing its file; if the writer dies, its file is finished (cut after its
last whole record) and a new writer writes the exchanges that had no answer.
"""

from __future__ import annotations

import asyncio
import collections
import json
import pickle
import signal
import struct
import subprocess
import sys

from .capture import Capture, Exchange, RollingWarcWriter, finish_abandoned

FRAME = struct.Struct("!I")
ATTEMPTS = 2


def serve(config: dict, stdin, stdout) -> None:
    """The writer process's loop: exchanges in, ``(file, record id, error)`` out, until stdin ends."""
    writer = RollingWarcWriter(config["directory"], config["prefix"], config["max_size"], config["info"],
                               config["level"])
    try:
        while (header := stdin.read(FRAME.size)) and len(header) == FRAME.size:
            exchange = pickle.loads(stdin.read(FRAME.unpack(header)[0]))
            try:
                capture = writer.write(exchange)
                answer = (capture.file, capture.record_id, None)
            except OSError as exc:  # disk full, a file removed: this response fails with the reason
                answer = (None, None, f"cannot write the WARC record: {exc}")
            data = pickle.dumps(answer)
            stdout.write(FRAME.pack(len(data)) + data)
            stdout.flush()
    finally:
        writer.close()


class _Answers(asyncio.Protocol):
    """Reads the writer's answers and hands each, whole, to ``on_answer``."""

    def __init__(self, on_answer, on_end) -> None:
        self.on_answer = on_answer
        self.on_end = on_end
        self.buffer = bytearray()

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while len(self.buffer) >= FRAME.size:
            size = FRAME.unpack_from(self.buffer)[0]
            if len(self.buffer) < FRAME.size + size:
                return
            answer = pickle.loads(self.buffer[FRAME.size:FRAME.size + size])
            del self.buffer[:FRAME.size + size]
            self.on_answer(answer)

    def connection_lost(self, exc) -> None:
        self.on_end()


class WarcWriterProcess:
    """The crawl's side of a writer process (one at a time, so records keep the crawl's order)."""

    def __init__(self, config: dict, on_restart=None) -> None:
        self.config = config
        self.on_restart = on_restart  # told the files a dead writer left, once they are finished
        self._process: subprocess.Popen | None = None
        self._requests: asyncio.WriteTransport | None = None
        self._starting: asyncio.Future | None = None
        self._waiting: collections.deque = collections.deque()  # [future, exchange, attempts], in order
        self._closing = False

    async def write(self, exchange: Exchange) -> Capture:
        """Where the exchange was written, once it is in the file."""
        if self._requests is None:
            await self._start()
        future = asyncio.get_running_loop().create_future()
        entry = [future, exchange, 1]
        self._waiting.append(entry)
        self._send(exchange)
        return await future

    async def _start(self) -> None:
        if self._starting is None:
            self._starting = asyncio.ensure_future(self._open())
        await asyncio.shield(self._starting)

    async def _open(self) -> None:
        loop = asyncio.get_running_loop()
        self._process = subprocess.Popen([sys.executable, "-m", __name__, json.dumps(self.config)],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
        self._requests, _ = await loop.connect_write_pipe(asyncio.Protocol, self._process.stdin)
        await loop.connect_read_pipe(lambda: _Answers(self._answered, self._ended), self._process.stdout)

    def _send(self, exchange: Exchange) -> None:
        data = pickle.dumps(exchange, protocol=pickle.HIGHEST_PROTOCOL)
        self._requests.writelines((FRAME.pack(len(data)), data))

    def _answered(self, answer: tuple) -> None:
        future, exchange, _ = self._waiting.popleft()
        file, record_id, error = answer
        if future.done():
            return
        if error:
            future.set_exception(OSError(error))
        else:
            future.set_result(Capture(file, record_id, exchange.date))

    def _ended(self) -> None:
        """The writer's stdout closed: it finished after ``close``, or it died."""
        if self._closing:
            return
        self._process.wait()
        self._requests.abort()
        self._requests = self._starting = None
        finished = finish_abandoned(self.config["directory"], self.config["prefix"])
        if self.on_restart is not None:
            self.on_restart(finished)
        waiting, self._waiting = self._waiting, collections.deque()
        retry = []
        for entry in waiting:
            if entry[0].done():  # its request was cancelled meanwhile
                continue
            if entry[2] >= ATTEMPTS:
                entry[0].set_exception(OSError(f"the WARC writer process died {ATTEMPTS} times while "
                                               "writing this response"))
            else:
                entry[2] += 1
                retry.append(entry)
        if retry:
            asyncio.ensure_future(self._resend(retry))

    async def _resend(self, entries: list) -> None:
        await self._start()
        for entry in entries:
            self._waiting.append(entry)
            self._send(entry[1])

    def close(self) -> None:
        """End the writer (it closes and renames its file) and wait for it."""
        if self._process is None:
            return
        self._closing = True
        self._process.stdin.close()  # now: the loop does not run again before the writer is done
        self._process.wait()


def main() -> None:
    for stop in (signal.SIGINT, signal.SIGTERM):  # the crawl stops gracefully, then closes stdin
        signal.signal(stop, signal.SIG_IGN)
    serve(json.loads(sys.argv[1]), sys.stdin.buffer, sys.stdout.buffer)


if __name__ == "__main__":
    main()
