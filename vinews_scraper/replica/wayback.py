"""A local Wayback Machine: captures of a live replica portal, a CDX server and raw replay.

``WaybackArchive`` holds captures, made by fetching pages over HTTP (``capture``) or added as they
are (``add``). ``WaybackServer`` serves them on 127.0.0.1 the way web.archive.org does where vinews
depends on it, and records every request with its arrival time:

- ``/cdx/search/cdx``: ``output=json`` tables with ``url`` + ``matchType`` (exact, prefix, host,
  domain), ``from``/``to``, ``filter=[!]field:regex``, ``collapse=field[:N]`` (adjacent rows),
  ``limit`` (capped at ``cdx_page_size``), ``fl`` and ``showResumeKey``/``resumeKey``;
- ``/web/<timestamp>id_/<url>``: the capture as recorded, with ``Memento-Datetime`` (an archived
  3xx too, its ``Location`` pointing into the archive). A timestamp with no playable capture of
  the URL is answered by a 302 without ``Memento-Datetime`` to the closest playable capture that
  is not a redirect to itself; a URL with none gives 404.

Faults of the real service can be switched on: every ``rate_limit_every``-th request answers 429,
and every ``repeat_row_every``-th CDX row is sent twice.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from typing import NamedTuple
from urllib.parse import parse_qs, quote_plus, unquote_plus, urljoin, urlsplit

from ..wayback import host_of_key, url_key
from .loopback import LoopbackServer, OwnedHTTPServer

CDX_COLUMNS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
_REPLAY_PATH = re.compile(r"^/web/(\d{1,14})(?:[a-z]{2}_)?/(.+)$", re.DOTALL)


@dataclass(frozen=True)
class Snapshot:
    """One capture. ``indexed``: listed by the CDX server; ``playable``: served by replay."""

    original: str
    timestamp: str
    status: int
    content_type: str
    body: bytes
    location: str | None = None
    indexed: bool = True
    playable: bool = True

    @property
    def urlkey(self) -> str:
        return url_key(self.original)

    @property
    def digest(self) -> str:
        return base64.b32encode(hashlib.sha1(self.body).digest()).decode()

    @property
    def row(self) -> dict[str, str]:
        mimetype = self.content_type.split(";")[0].strip().lower() or "unk"
        return {"urlkey": self.urlkey, "timestamp": self.timestamp, "original": self.original,
                "mimetype": mimetype, "statuscode": str(self.status), "digest": self.digest,
                "length": str(len(self.body))}

    @property
    def self_redirect(self) -> bool:
        return self.location is not None and url_key(urljoin(self.original, self.location)) == self.urlkey


def _moment(timestamp: str) -> datetime:
    """A 1-14 digit timestamp as a UTC datetime, missing digits taken as the earliest."""
    full = timestamp + "20000101000000"[len(timestamp):]
    return datetime.strptime(full, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is captured as it is


class WaybackArchive:
    """The captures, and what the CDX server and replay make of them."""

    def __init__(self) -> None:
        self.snapshots: list[Snapshot] = []
        self.lock = threading.Lock()
        self._opener = urllib.request.build_opener(_NoRedirects)

    def add(self, original: str, timestamp: str, status: int = 200,
            content_type: str = "text/html; charset=utf-8", body: bytes = b"",
            location: str | None = None, *, indexed: bool = True, playable: bool = True) -> Snapshot:
        snapshot = Snapshot(original, timestamp, status, content_type, body, location, indexed, playable)
        with self.lock:
            self.snapshots.append(snapshot)
        return snapshot

    def capture(self, url: str, timestamp: str, **flags) -> Snapshot:
        """Fetch ``url`` now (redirects not followed) and keep the answer as captured at ``timestamp``."""
        try:
            with self._opener.open(url, timeout=30) as response:
                status, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        return self.add(url, timestamp, status, headers.get("Content-Type", ""), body,
                        headers.get("Location"), **flags)

    # -- the CDX server --------------------------------------------------------------------

    def cdx(self, params: dict[str, list[str]], page_size: int) -> tuple[list, int]:
        """The JSON table answering a CDX query, and how many capture rows it holds."""
        def one(name: str, default: str | None = None) -> str | None:
            return params.get(name, [default])[-1]

        url, match = one("url", ""), one("matchType", "exact")
        key = url_key(url if "://" in url else f"http://{url}")
        host = host_of_key(key)
        matches = {
            "exact": lambda k: k == key,
            "prefix": lambda k: k.startswith(key),
            "host": lambda k: host_of_key(k) == host,
            "domain": lambda k: host_of_key(k) == host or host_of_key(k).endswith("," + host),
        }[match]
        with self.lock:
            rows = sorted((s.row for s in self.snapshots if s.indexed and matches(s.urlkey)),
                          key=lambda r: (r["urlkey"], r["timestamp"]))
        if one("resumeKey"):
            last_key, last_time = unquote_plus(one("resumeKey")).rstrip("!").split(" ", 1)
            rows = [r for r in rows if (r["urlkey"], r["timestamp"]) > (last_key, last_time)]
        if one("from"):
            rows = [r for r in rows if r["timestamp"] >= one("from").ljust(14, "0")]
        if one("to"):
            rows = [r for r in rows if r["timestamp"][:len(one("to"))] <= one("to")]
        for spec in params.get("filter", []):
            negate, (field, pattern) = spec.startswith("!"), spec.lstrip("!").split(":", 1)
            rows = [r for r in rows if bool(re.fullmatch(pattern, r[field])) != negate]
        for spec in params.get("collapse", []):
            field, _, width = spec.partition(":")
            cut = int(width) if width else None
            values = [r[field][:cut] for r in rows]
            rows = [r for i, r in enumerate(rows) if i == 0 or values[i] != values[i - 1]]
        limit = min(int(one("limit", str(page_size))), page_size)
        page, more = rows[:limit], len(rows) > limit
        fields = one("fl").split(",") if one("fl") else list(CDX_COLUMNS)
        table = [fields, *([r[f] for f in fields] for r in page)]
        if more and one("showResumeKey") == "true":
            table += [[], [quote_plus(f"{page[-1]['urlkey']} {page[-1]['timestamp']}!")]]
        return (table if page else []), len(page)

    # -- replay ----------------------------------------------------------------------------

    def replay(self, timestamp: str, original: str, archive_url: str) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) of ``/web/<timestamp>id_/<original>``."""
        key = url_key(original)
        with self.lock:
            playable = [s for s in self.snapshots if s.playable and s.urlkey == key]
        exact = [s for s in playable if s.timestamp == timestamp]
        if exact:
            snapshot = exact[0]
            headers = {"Content-Type": snapshot.content_type or "application/octet-stream",
                       "Memento-Datetime": format_datetime(_moment(snapshot.timestamp), usegmt=True)}
            if snapshot.location:
                target = urljoin(snapshot.original, snapshot.location)
                headers["Location"] = f"{archive_url}/web/{snapshot.timestamp}id_/{target}"
            return snapshot.status, headers, snapshot.body
        wanted = _moment(timestamp)
        others = [s for s in playable if not s.self_redirect]
        if not others:
            return 404, {"Content-Type": "text/html; charset=utf-8",
                         "X-Archive-Wayback-Runtime-Error": "ResourceNotInArchiveException"}, \
                b"<html><body><p>Wayback Machine has not archived that URL.</p></body></html>"
        closest = min(others, key=lambda s: abs((_moment(s.timestamp) - wanted).total_seconds()))
        return 302, {"Location": f"{archive_url}/web/{closest.timestamp}id_/{closest.original}",
                     "Content-Type": "text/plain"}, b""


class Hit(NamedTuple):
    """One request the server received: when (``time.monotonic()``), what, and the answer's status."""

    at: float
    path: str
    status: int


class _Handler(BaseHTTPRequestHandler):
    server: OwnedHTTPServer

    def do_GET(self) -> None:
        arrived = time.monotonic()
        wayback = self.server.owner
        with wayback.counter_lock:
            wayback.count += 1
            limited = bool(wayback.rate_limit_every) and wayback.count % wayback.rate_limit_every == 0
        if limited:
            status, headers, body = 429, {"Content-Type": "text/html"}, b"<html>Too Many Requests</html>"
        else:
            status, headers, body = self._route(wayback)
        wayback.hits.append(Hit(arrived, self.path, status))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _route(self, wayback: "WaybackServer") -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(self.path)
        if parts.path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n"
        if parts.path == "/cdx/search/cdx":
            params = parse_qs(parts.query, keep_blank_values=True)
            if params.get("output", [""])[-1] != "json":
                return 400, {"Content-Type": "text/plain"}, b"this CDX server answers output=json only"
            table, count = wayback.archive.cdx(params, wayback.cdx_page_size)
            wayback.cdx_rows_sent += count
            if wayback.repeat_row_every and table:
                rows = table[1:1 + count]
                repeated = [r for i, r in enumerate(rows, 1) for _ in range(1 + (i % wayback.repeat_row_every == 0))]
                wayback.cdx_rows_sent += len(repeated) - count
                table = [table[0], *repeated, *table[1 + count:]]
            return 200, {"Content-Type": "application/json"}, json.dumps(table).encode()
        match = _REPLAY_PATH.match(self.path)
        if match:
            return wayback.archive.replay(match.group(1), match.group(2), wayback.base_url)
        return 404, {"Content-Type": "text/plain"}, b"not found"

    def log_message(self, format: str, *args) -> None:
        """Silent: tests read ``WaybackServer.hits``."""


class WaybackServer(LoopbackServer):
    """The archive served from a daemon thread on a loopback address (``port=0``: a free one)."""

    handler = _Handler
    thread_name = "wayback-server"

    def __init__(self, archive: WaybackArchive, *, cdx_page_size: int = 150_000,
                 rate_limit_every: int = 0, repeat_row_every: int = 0,
                 host: str = "127.0.0.1", port: int = 0):
        super().__init__(host, port)
        self.archive = archive
        self.cdx_page_size = cdx_page_size
        self.rate_limit_every, self.repeat_row_every = rate_limit_every, repeat_row_every
        self.hits: list[Hit] = []
        self.cdx_rows_sent = 0
        self.count = 0
        self.counter_lock = threading.Lock()

