"""A helper process beside the crawl, spoken to over its stdin and stdout.

The crawl process is what limits a crawl's rate, so work that needs nothing of it (reading pages,
writing WARC records) runs in helper processes. Each request and each answer is one
length-prefixed pickle; the crawl's side is two asyncio pipe transports, so it never blocks, and
no thread of its own (``concurrent.futures`` needs two, whose hand-offs cost the crawl more CPU
than the work they moved: measured, see the README). Answers come back in the order of the
requests. A helper ignores SIGINT and SIGTERM (the crawl stops gracefully, then closes the
helper's stdin) and ends when its stdin ends, which is also what happens when the crawl process
is killed. If a helper dies, a new one is started and gets the requests that had no answer, each
at most ``attempts`` times in all.
"""

from __future__ import annotations

import asyncio
import collections
import os
import pickle
import signal
import struct
import subprocess
import sys
from collections.abc import Callable

FRAME = struct.Struct("!I")


def serve(handle: Callable, stdin=None, stdout=None) -> None:
    """The helper's loop: each request given to ``handle``; its result, or the exception it
    raised, sent back."""
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, signal.SIG_IGN)
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout.buffer
    while (header := stdin.read(FRAME.size)) and len(header) == FRAME.size:
        request = pickle.loads(stdin.read(FRAME.unpack(header)[0]))
        try:
            answer = (True, handle(request))
        except Exception as exc:  # sent back to be raised in the crawl, as the worker raised it
            answer = (False, exc)
        data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        stdout.write(FRAME.pack(len(data)) + data)
        stdout.flush()


class _Answers(asyncio.Protocol):
    """Reads the helper's answers and hands each, whole, to ``on_answer``."""

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


class WorkerProcess:
    """The crawl's side of one helper process (``python -m <module> <argument>``).

    ``on_restart`` is called after the helper died and before a new one starts;
    ``died(attempts)`` makes the exception for a request that every attempt lost."""

    def __init__(self, module: str, argument: str = "", *, attempts: int = 2, on_restart=None,
                 died: Callable[[int], Exception]) -> None:
        self.command = [sys.executable, "-m", module, *([argument] if argument else [])]
        self.attempts = attempts
        self.on_restart = on_restart
        self.died = died
        self._process: subprocess.Popen | None = None
        self._requests: asyncio.WriteTransport | None = None
        self._starting: asyncio.Future | None = None
        self._waiting: collections.deque = collections.deque()  # [future, request, attempts], in order

    @property
    def pending(self) -> int:
        return len(self._waiting)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    async def call(self, request):
        """The helper's answer to ``request`` (its exception raised here)."""
        if self._requests is None:
            await self._start()
        future = asyncio.get_running_loop().create_future()
        self._waiting.append([future, request, 1])
        self._send(request)
        return await future

    async def _start(self) -> None:
        if self._starting is None:
            self._starting = asyncio.ensure_future(self._open())
        await asyncio.shield(self._starting)

    async def _open(self) -> None:
        loop = asyncio.get_running_loop()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}  # what the crawl imports
        self._process = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0,
                                         env=env)
        self._requests, _ = await loop.connect_write_pipe(asyncio.Protocol, self._process.stdin)
        process = self._process
        await loop.connect_read_pipe(lambda: _Answers(self._answered, lambda: self._ended(process)), process.stdout)

    def _send(self, request) -> None:
        data = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        self._requests.write(FRAME.pack(len(data)) + data)

    def _answered(self, answer: tuple) -> None:
        future = self._waiting.popleft()[0]
        if future.done():  # its caller was cancelled
            return
        ok, value = answer
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)

    def _ended(self, process: subprocess.Popen) -> None:
        """``process``'s stdout closed: it died, unless ``close`` ended it (it is no longer ours)."""
        if process is not self._process:
            return
        self._process.wait()
        self._drop_requests()
        self._starting = None
        if self.on_restart is not None:
            self.on_restart()
        waiting, self._waiting = self._waiting, collections.deque()
        retry = []
        for entry in waiting:
            if entry[0].done():
                continue
            if entry[2] >= self.attempts:
                entry[0].set_exception(self.died(self.attempts))
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
        """End the helper (it finishes its work in hand) and wait for it."""
        if self._process is None:
            return
        self._drop_requests()
        self._process.stdin.close()  # now: the loop does not run again before the helper is done
        self._process.wait()
        self._process = self._starting = None

    def _drop_requests(self) -> None:
        """Let go of the pipe to the helper; asyncio closes a pipe whose reader went away by
        itself, and a second close would report an error."""
        if self._requests is not None and not self._requests.is_closing():
            self._requests.abort()
        self._requests = None
