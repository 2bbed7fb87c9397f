"""Serve a replica portal over HTTP on the loopback interface, recording every requested path and
when it arrived; with a fault plan (``faults.FaultPlan``) some pages misbehave."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler
from typing import NamedTuple, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from . import media, render
from .loopback import LoopbackServer, OwnedHTTPServer
from .portal import Portal


class Response(NamedTuple):
    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()  # besides Content-Type and Content-Length


class Delivery(NamedTuple):
    """How the handler sends a response: after ``delay`` seconds, and whole unless ``cut`` says
    "reset" (no response: the connection is reset) or "truncate" (half the body, then close)."""

    delay: float = 0.0
    cut: str | None = None


class Arrival(NamedTuple):
    path: str  # with its query
    at: float  # time.monotonic() when the request arrived


class Faults(Protocol):
    """What the server asks a fault plan: how to answer the ``attempt``-th GET of ``target``
    (1 for the first), or None to answer as usual."""

    def answer(self, portal: Portal, target: str, base_url: str, attempt: int) -> tuple[Response, Delivery] | None:
        ...


def _html(status: int, page: str, charset: str = "utf-8") -> Response:
    body, content_type = render.encode(page, charset)
    return Response(status, content_type, body)


def respond(portal: Portal, target: str, base_url: str) -> Response:
    """The response to a GET of ``target`` (path and query) on the portal's current state."""
    parts = urlsplit(target)
    path = unquote(parts.path)
    with portal.lock:
        if path == "/robots.txt":
            return Response(200, "text/plain; charset=utf-8", render.robots(base_url).encode())
        if path == "/rss.xml":
            return Response(200, "application/rss+xml; charset=utf-8", render.rss(portal, base_url).encode())
        if path == "/sitemap.xml":
            return Response(200, "application/xml; charset=utf-8", render.sitemap_index(base_url).encode())
        if path == "/sitemap-articles.xml":
            return Response(200, "application/xml; charset=utf-8",
                            render.sitemap_articles(portal, base_url).encode())
        if path in ("/static/banner.jpg", "/static/print.jpg"):
            return Response(200, media.CONTENT_TYPES["jpg"], media.jpeg(path, 240, 48))
        found = portal.media_at(path)
        if found:
            kind, text = found
            body = media.jpeg(text) if kind == "jpg" else media.MAKERS[kind](text)
            return Response(200, media.CONTENT_TYPES[kind], body)
        portal.record_visit()
        if path == "/admin" or path.startswith("/admin/"):
            return _html(200, render.admin(portal))
        if path == "/":
            return _html(200, render.home(portal))
        if portal.is_taken_down(path):
            return _html(410, render.not_found(portal))
        article = portal.article_at(path)
        if article:
            return _html(200, render.article_page(portal, article, base_url), article.charset)
        category = portal.category_at(path)
        page = parse_qs(parts.query).get("page", ["1"])[-1]
        if category and page.isdigit() and 1 <= int(page) <= portal.page_count(category):
            return _html(200, render.listing(portal, category, int(page)))
        return _html(404, render.not_found(portal))


class _Handler(BaseHTTPRequestHandler):
    server: OwnedHTTPServer

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        response, delivery = self.server.owner.answer(self.path)
        time.sleep(delivery.delay)
        if delivery.cut == "reset":
            self._reset()
            return
        body = response.body[:len(response.body) // 2] if delivery.cut == "truncate" else response.body
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            for name, value in response.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first (its timeout, or a body over its size limit)

    def _reset(self) -> None:
        """Drop the connection with a TCP reset (SO_LINGER 0) before sending a byte."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()
        self.connection.close()
        self.close_connection = True

    def log_message(self, format: str, *args) -> None:
        """Silent: tests assert on ``ReplicaServer.requests`` instead."""


class ReplicaServer(LoopbackServer):
    """The portal served from a daemon thread on a loopback address; ``port=0`` picks a free port.
    With ``faults`` (a ``faults.FaultPlan``), the pages it names misbehave as it says.

    >>> with ReplicaServer(Portal.generate()) as server:
    ...     server.base_url  # e.g. http://127.0.0.1:41234
    """

    handler = _Handler
    thread_name = "replica-server"

    def __init__(self, portal: Portal, host: str = "127.0.0.1", port: int = 0, faults: Faults | None = None):
        super().__init__(host, port)
        self.portal = portal
        self.faults = faults
        self.requests: list[str] = []  # every requested path (with its query), in arrival order
        self.arrivals: list[Arrival] = []  # the same, with when each arrived
        self._attempts: Counter[str] = Counter()
        self._attempts_lock = threading.Lock()

    def answer(self, target: str) -> tuple[Response, Delivery]:
        """Record a GET of ``target`` and say how to answer it."""
        with self._attempts_lock:
            self._attempts[target] += 1
            attempt = self._attempts[target]
            self.requests.append(target)
            self.arrivals.append(Arrival(target, time.monotonic()))
        faulty = self.faults.answer(self.portal, target, self.base_url, attempt) if self.faults else None
        return faulty or (respond(self.portal, target, self.base_url), Delivery())
