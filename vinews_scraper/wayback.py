"""The Wayback Machine's two interfaces as pure functions: CDX capture lists and raw replay URLs.

The CDX server (``/cdx/search/cdx``) lists captures: ``output=json`` gives a header row of field
names, one row per capture and, with ``showResumeKey=true``, an empty row and the key that resumes
the query. A capture is replayed unmodified with the ``id_`` form ``/web/<timestamp>id_/<URL>``.
A replay response that carries ``Memento-Datetime`` is the archived response itself, so an archived
3xx is the portal's own redirect; a redirect without it is the archive sending the client to
another capture (usually the same URL at a nearby timestamp).
"""

from __future__ import annotations

import ipaddress
import json
import re
from datetime import datetime, timezone
from typing import NamedTuple
from urllib.parse import urlencode, urlsplit, urlunsplit

CDX_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest")
# Pages only: 2xx and 3xx captures of HTML ("unk" is how the CDX often types a redirect).
CDX_FILTERS = ("statuscode:[23]..", r"mimetype:text/html|application/xhtml\+xml|unk")
_REPLAY = re.compile(r"/web/(\d{14})(?:[a-z]{2}_)?/+(https?):/*(.*)$", re.IGNORECASE | re.DOTALL)
_WWW = re.compile(r"^www\d*\.")


class Capture(NamedTuple):
    """One CDX row: a capture of ``original`` at ``timestamp`` (14 digits, UTC)."""

    urlkey: str
    timestamp: str
    original: str
    mimetype: str
    statuscode: str
    digest: str


def cdx_query(archive: str, host: str, *, limit: int, from_day: str | None = None,
              to_day: str | None = None, resume_key: str | None = None) -> str:
    """The CDX query URL for every page capture on ``host`` (a prefix query on ``host/``).

    ``collapse=digest`` drops consecutive identical captures of a URL; ``from_day``/``to_day``
    (``YYYY-MM-DD``, inclusive) bound the capture dates.
    """
    params = [("url", f"{host}/"), ("matchType", "prefix"), ("output", "json"),
              ("fl", ",".join(CDX_FIELDS)), *(("filter", f) for f in CDX_FILTERS),
              ("collapse", "digest"), ("showResumeKey", "true"), ("limit", str(limit))]
    if from_day:
        params.append(("from", from_day.replace("-", "")))
    if to_day:
        params.append(("to", to_day.replace("-", "")))
    if resume_key:
        params.append(("resumeKey", resume_key))
    return f"{archive.rstrip('/')}/cdx/search/cdx?{urlencode(params)}"


def parse_cdx(body: bytes | str) -> tuple[list[Capture], str | None]:
    """The captures of one ``output=json`` CDX answer and its resume key (None on the last page).

    Fields are read by the header's names, so their order does not matter. Raises ValueError
    when the answer is not such a JSON table.
    """
    data = json.loads(body or "[]")
    if not isinstance(data, list):
        raise ValueError("the CDX answer is not a JSON array")
    if not data:  # nothing matched: the CDX server sends [] without a header
        return [], None
    header, rows = data[0], data[1:]
    resume_key = None
    if len(rows) >= 2 and rows[-2] == [] and len(rows[-1]) == 1:
        resume_key, rows = rows[-1][0], rows[:-2]
    try:
        columns = [header.index(name) for name in CDX_FIELDS]
    except ValueError:
        raise ValueError(f"the CDX header {header!r} lacks one of {', '.join(CDX_FIELDS)}") from None
    return [Capture(*(str(row[i]) for i in columns)) for row in rows if row], resume_key


def clean_original(url: str) -> str:
    """``url`` without a default port (the CDX often records ``http://host:80/``)."""
    parts = urlsplit(url)
    if (parts.scheme.lower(), parts.port) in (("http", 80), ("https", 443)):
        netloc = parts.netloc.rsplit(":", 1)[0]
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def url_key(url: str) -> str:
    """The archive's canonical key of ``url`` (SURT-like): no scheme, no ``www.``, the host's labels
    reversed (not an IP address's), default port dropped, lower case, query parameters sorted."""
    parts = urlsplit(clean_original(url.strip()))
    host = _WWW.sub("", (parts.hostname or "").lower())
    try:
        ipaddress.ip_address(host)
        surt = host
    except ValueError:
        surt = ",".join(reversed(host.split(".")))
    if parts.port:
        surt += f":{parts.port}"
    query = "&".join(sorted(parts.query.lower().split("&"))) if parts.query else ""
    return f"{surt}){(parts.path or '/').lower()}" + (f"?{query}" if query else "")


def host_of_key(key: str) -> str:
    """The host part of a ``url_key``."""
    return key.split(")", 1)[0]


def unique_hosts(hosts) -> list[str]:
    """``hosts`` without those the archive treats as the same (``www.`` or not)."""
    first: dict[str, str] = {}
    for host in hosts:
        first.setdefault(host_of_key(url_key(f"http://{host}/")), host)
    return list(first.values())


def unique_captures(captures) -> list[Capture]:
    """The captures without repeats: one per urlkey and digest, the newest (repeated rows and
    re-captures of unchanged content add nothing)."""
    newest: dict[tuple[str, str], Capture] = {}
    for capture in captures:
        seen = newest.get((capture.urlkey, capture.digest))
        if seen is None or capture.timestamp > seen.timestamp:
            newest[(capture.urlkey, capture.digest)] = capture
    return list(newest.values())


def versions_by_url(captures) -> dict[str, list[Capture]]:
    """Each URL's (by ``url_key``) distinct captures, newest first."""
    versions: dict[str, list[Capture]] = {}
    for capture in unique_captures(captures):
        versions.setdefault(url_key(capture.original), []).append(capture)
    for found in versions.values():
        found.sort(key=lambda c: c.timestamp, reverse=True)
    return versions


def replay_url(archive: str, timestamp: str, original: str) -> str:
    """The raw (``id_``) replay URL of the capture of ``original`` at ``timestamp``."""
    return f"{archive.rstrip('/')}/web/{timestamp}id_/{clean_original(original)}"


def split_replay_url(url: str) -> tuple[str, str] | None:
    """``(timestamp, original URL)`` of a replay URL, or None when ``url`` is not one."""
    match = _REPLAY.search(url)
    if not match:
        return None
    timestamp, scheme, rest = match.groups()
    return timestamp, f"{scheme.lower()}://{rest}"


def capture_time(timestamp: str) -> str:
    """A 14-digit capture timestamp as ``YYYY-MM-DDTHH:MM:SSZ`` (Wayback timestamps are UTC)."""
    moment = datetime.strptime(timestamp, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
