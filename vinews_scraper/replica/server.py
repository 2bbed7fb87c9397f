"""Serve a replica portal over HTTP on the loopback interface, recording every requested path."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from typing import NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

from . import media, render
from .loopback import LoopbackServer, OwnedHTTPServer
from .portal import Portal


class Response(NamedTuple):
    status: int
    content_type: str
    body: bytes


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
        replica = self.server.owner
        replica.requests.append(self.path)  # list.append is atomic: safe from handler threads
        response = respond(replica.portal, self.path, replica.base_url)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if send_body:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args) -> None:
        """Silent: tests assert on ``ReplicaServer.requests`` instead."""


class ReplicaServer(LoopbackServer):
    """The portal served from a daemon thread on a loopback address; ``port=0`` picks a free port.

    >>> with ReplicaServer(Portal.generate()) as server:
    ...     server.base_url  # e.g. http://127.0.0.1:41234
    """

    handler = _Handler
    thread_name = "replica-server"

    def __init__(self, portal: Portal, host: str = "127.0.0.1", port: int = 0):
        super().__init__(host, port)
        self.portal = portal
        self.requests: list[str] = []  # every requested path (with its query), in arrival order
