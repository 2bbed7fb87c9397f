"""Fault injection for the replica portal: which article pages misbehave, how, on which attempts,
and what a crawl must end up with for each (the article stored, or a failure of a given kind).

The plan is drawn from a seed when the portal is served, so a test knows the truth before it
crawls. Each fault is given to a UTF-8 page of the classic layout outside the section robots.txt
disallows, so that the fault is the only odd thing about its page. The timings and sizes below
assume a crawl with ``DOWNLOAD_TIMEOUT=3`` and ``DOWNLOAD_MAXSIZE=200000`` (docs/faults.md).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from . import render
from .portal import Portal
from .server import Delivery, Response, respond

STALL_SECONDS = 5.0  # a timeout: the server answers only after this long
SLOW_SECONDS = 0.5  # a slow response, still well within the timeout
OVERSIZE_BYTES = 300_000  # padding that puts a page over the size limit
RETRY_AFTER = "1"  # seconds, in the Retry-After header of a 429 that has one
LOOP_QUERY = "vong=1"  # a looping page redirects to itself with this query, which redirects back
STRAY_BYTES = b"<p>\xff\xfe \xc3( \xe1\xba</p>"  # bytes that are not UTF-8


@dataclass(frozen=True)
class Mode:
    """One way a page misbehaves: on its first ``spoils`` attempts (None: on every attempt), and
    what the crawl must record for it: ``failure`` (kind, HTTP status), None when the article
    must be stored."""

    name: str
    spoils: int | None
    failure: tuple[str, int | None] | None = None


MODES = {mode.name: mode for mode in (
    Mode("error_500", 1),
    Mode("error_503", 2),
    Mode("error_503_always", None, ("http", 503)),
    Mode("throttled_retry_after", 1),  # 429 with Retry-After
    Mode("throttled", 1),  # 429 without Retry-After
    Mode("timeout", 1),
    Mode("timeout_always", None, ("timeout", None)),
    Mode("reset", 1),
    Mode("reset_always", None, ("connection", None)),
    Mode("truncated", 1),
    Mode("truncated_always", None, ("truncated", None)),
    Mode("wrong_charset", None),  # windows-1258 bytes declared UTF-8 in the header and a meta tag
    Mode("missing_charset", None),  # UTF-8 declared nowhere
    Mode("invalid_utf8", None),  # UTF-8 declared nowhere, with a few bytes that are not UTF-8
    Mode("too_large", None, ("too_large", None)),
    Mode("redirect_loop", None, ("redirect_loop", None)),
    Mode("not_found", None, ("http", 404)),
    Mode("gone", None, ("http", 410)),
    Mode("slow", None),
)}
ROBOTS_FAILURE = ("robots", None)


def _error(status: int, *headers: tuple[str, str]) -> Response:
    body = f"<!DOCTYPE html><html><body><h1>{status}</h1></body></html>".encode()
    return Response(status, "text/html; charset=utf-8", body, headers)


def _undeclared(page: bytes) -> bytes:
    return page.replace(b'<meta charset="utf-8">', b"", 1)


def _loop(target: str, base_url: str) -> Response:
    """A redirect to the page with ``LOOP_QUERY``, which redirects back to the page."""
    parts = urlsplit(target)
    back = parts.path if parts.query else f"{parts.path}?{LOOP_QUERY}"
    return Response(302, "text/html; charset=utf-8", b"", (("Location", base_url + back),))


STALLS = {"timeout": STALL_SECONDS, "timeout_always": STALL_SECONDS, "slow": SLOW_SECONDS}
CUTS = {"reset": "reset", "reset_always": "reset", "truncated": "truncate", "truncated_always": "truncate"}
STATUSES = {"error_500": 500, "error_503": 503, "error_503_always": 503, "throttled": 429,
            "not_found": 404, "gone": 410}


def misbehave(mode: str, page: Response, target: str, base_url: str) -> tuple[Response, Delivery]:
    """How a page whose usual answer is ``page`` is answered under ``mode``."""
    if mode in STALLS:
        return page, Delivery(delay=STALLS[mode])
    if mode in CUTS:
        return page, Delivery(cut=CUTS[mode])
    if mode in STATUSES:
        return _error(STATUSES[mode]), Delivery()
    return _rewritten(mode, page, target, base_url), Delivery()


def _rewritten(mode: str, page: Response, target: str, base_url: str) -> Response:
    """The answer of a mode that changes what is sent rather than whether or when."""
    if mode == "throttled_retry_after":
        return _error(429, ("Retry-After", RETRY_AFTER))
    if mode == "wrong_charset":
        return page._replace(body=render.encode(page.body.decode("utf-8"), "header")[0])
    if mode == "missing_charset":
        return page._replace(content_type="text/html", body=_undeclared(page.body))
    if mode == "invalid_utf8":
        body = _undeclared(page.body).replace(b"</body>", STRAY_BYTES + b"</body>")
        return page._replace(content_type="text/html", body=body)
    if mode == "too_large":
        return page._replace(body=page.body + b"<!-- " + b"x" * OVERSIZE_BYTES + b" -->")
    if mode == "redirect_loop":
        return _loop(target, base_url)
    raise ValueError(f"unknown fault mode {mode!r}")


@dataclass(frozen=True)
class FaultPlan:
    """Which article page (by path) misbehaves in which mode, and the section (a path prefix)
    robots.txt disallows."""

    seed: int
    modes: dict[str, str] = field(default_factory=dict)
    robots_section: str = ""

    @classmethod
    def draw(cls, portal: Portal, seed: int = 7) -> "FaultPlan":
        """One page per mode and a disallowed category, the same for the same portal and seed."""
        rng = random.Random(seed)
        section = rng.choice(portal.categories).path + "/"
        plain = [a.path for a in portal.articles
                 if a.layout == "classic" and a.charset == "utf-8" and not a.path.startswith(section)]
        if len(plain) < len(MODES):
            raise ValueError(f"the portal has {len(plain)} plain pages for {len(MODES)} faults: generate more articles")
        return cls(seed, dict(zip(rng.sample(plain, len(MODES)), MODES)), section)

    def answer(self, portal: Portal, target: str, base_url: str, attempt: int) -> tuple[Response, Delivery] | None:
        """The answer to the ``attempt``-th GET of ``target`` if it misbehaves (robots.txt
        disallowing the section counts), else None."""
        path = unquote(urlsplit(target).path)
        if path == "/robots.txt":
            text = render.robots(base_url, (self.robots_section,))
            return Response(200, "text/plain; charset=utf-8", text.encode()), Delivery()
        mode = MODES.get(self.modes.get(path, ""))
        if mode is None or (mode.spoils is not None and attempt > mode.spoils):
            return None
        return misbehave(mode.name, respond(portal, target, base_url), target, base_url)

    def path_of(self, mode: str) -> str:
        return next(path for path, name in self.modes.items() if name == mode)

    def expected_failures(self, portal: Portal, base_url: str) -> dict[str, tuple[str, int | None]]:
        """(kind, HTTP status) of the failure a crawl must record, by article URL."""
        failures = {}
        for article in portal.articles:
            mode = MODES.get(self.modes.get(article.path, ""))
            if article.path.startswith(self.robots_section):
                failures[base_url + article.path] = ROBOTS_FAILURE
            elif mode and mode.failure:
                failures[base_url + article.path] = mode.failure
        return failures

    def recoverable_items(self, portal: Portal, base_url: str) -> list[dict]:
        """The expected items of the articles a crawl must store despite the faults."""
        failing = self.expected_failures(portal, base_url)
        return [item for item in portal.expected_items(base_url) if item["url"] not in failing]
