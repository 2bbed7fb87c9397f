"""Timestamps of the analyst datasets: UTC instants written ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z``."""

from __future__ import annotations

import re
from datetime import datetime, timezone

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UTC_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z$")


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant (``Z`` or an offset; none counts as UTC; a bare day is its UTC midnight)
    as an aware UTC datetime."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def utc_text(value: str | datetime) -> str:
    """The canonical text of an instant: UTC, ``Z``, microseconds only when not zero."""
    if isinstance(value, str) and _UTC_TEXT.match(value):  # already UTC: at most drop a zero fraction
        return value[:-8] + "Z" if value.endswith(".000000Z") else value
    moment = parse_instant(value) if isinstance(value, str) else value.astimezone(timezone.utc)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.{moment.microsecond:06d}Z" if moment.microsecond else f"{text}Z"


def day_of(published: str | None) -> str | None:
    """The local day of a ``published``/``modified`` value (``YYYY-MM-DD`` or a +07:00 time)."""
    return None if published is None else published[:10]


def instant_of(published: str | None) -> str | None:
    """The UTC instant of a ``published``/``modified`` value that has a clock time, else None."""
    if published is None or _DAY.match(published):
        return None
    return utc_text(published)
