"""The analyst datasets: their schemas and column kinds, the row filters, and the rows streamed
from the store in each dataset's shape."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from vinews_scraper.timestamps import day_of, instant_of, utc_text

if TYPE_CHECKING:
    from vinews_scraper.storage import Store

SCHEMA_VERSION = "1"
DATASETS = ("articles", "article_versions", "view_observations", "images", "attachments", "rejects")
KINDS = ("string", "integer", "date", "timestamp", "strings", "records", "json")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 160  # file names stay well below the usual 255-byte limit


@cache
def dataset_schema(dataset: str) -> dict:
    """The JSON Schema of ``dataset`` shipped in the package."""
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}; choose from {', '.join(DATASETS)}")
    path = resources.files("vinews_scraper").joinpath(f"schema/{dataset}.schema.json")
    return json.loads(path.read_text("utf-8"))


def fields(dataset: str) -> tuple[str, ...]:
    """The dataset's field names in schema order."""
    return tuple(dataset_schema(dataset)["properties"])


@dataclass(frozen=True)
class Column:
    """A field as a typed column: ``kind`` is one of ``KINDS``; ``members`` for records."""

    name: str
    kind: str
    nullable: bool
    members: tuple[Column, ...] = ()


def _column(name: str, spec: Mapping) -> Column:
    types = spec.get("type", "object")
    types = (types,) if isinstance(types, str) else tuple(types)
    nullable = "null" in types
    if "array" in types:
        items = spec["items"]
        if items.get("type") == "object":
            members = tuple(_column(n, s) for n, s in items["properties"].items())
            return Column(name, "records", nullable, members)
        return Column(name, "strings", nullable)
    if "integer" in types:
        return Column(name, "integer", nullable)
    if "object" in types:
        return Column(name, "json", nullable)
    kind = {"date": "date", "date-time": "timestamp"}.get(spec.get("format"), "string")
    return Column(name, kind, nullable)


@cache
def columns(dataset: str) -> tuple[Column, ...]:
    """The dataset's fields as typed columns, derived from its JSON Schema."""
    return tuple(_column(name, spec) for name, spec in dataset_schema(dataset)["properties"].items())


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    return _UNSAFE.sub("-", ascii_text).strip("-")


@dataclass(frozen=True)
class Selection:
    """Which rows an export holds: portals, category, published days, changed since a moment."""

    sites: tuple[str, ...] = ()
    category: str | None = None
    since: str | None = None
    until: str | None = None
    changed_since: datetime | None = None

    def name(self) -> str:
        """``<sites or all>[-category-<slug>][-since-<day>][-until-<day>][-changed-since-<time>]``,
        safe as a file name (a site given by its host, ``127.0.0.1:8080``, becomes ``127.0.0.1-8080``);
        past ``MAX_NAME`` characters, cut and ended with a digest of the whole."""
        name = "+".join(_UNSAFE.sub("-", site) for site in self.sites) or "all"
        if self.category:
            name += f"-category-{_slug(self.category)}"
        if self.since:
            name += f"-since-{self.since}"
        if self.until:
            name += f"-until-{self.until}"
        if self.changed_since:
            name += f"-changed-since-{utc_text(self.changed_since).replace(':', '').replace('-', '')}"
        if len(name) > MAX_NAME:
            name = f"{name[:MAX_NAME - 13]}-{hashlib.sha256(name.encode()).hexdigest()[:12]}"
        return name

    def as_dict(self) -> dict:
        """The filters as JSON values, for the manifest."""
        return {
            "sites": list(self.sites),
            "category": self.category,
            "since": self.since,
            "until": self.until,
            "changed_since": utc_text(self.changed_since) if self.changed_since else None,
        }

    def store_filters(self) -> dict:
        """The filters as the store's ``stream_*`` methods take them."""
        return {"sites": self.sites, "category": self.category, "since": self.since,
                "until": self.until, "changed_since": self.changed_since}

    def keeps_item(self, item: Mapping) -> bool:
        """Whether a (possibly invalid) item's own category and published day pass the filters."""
        day = item.get("published")
        day = day[:10] if isinstance(day, str) else None
        return (
            (self.category is None or item.get("category") == self.category)
            and (self.since is None or (day is not None and day >= self.since))
            and (self.until is None or (day is not None and day <= self.until))
        )


def _article_fields(record: Mapping, dataset: str) -> dict:
    """An article (or version) record in ``dataset``'s shape, timestamps canonical."""
    row = dict(record)
    row["schema_version"] = SCHEMA_VERSION
    for name in ("published", "modified"):
        row[f"{name}_day"] = day_of(record[name])
        row[f"{name}_at"] = instant_of(record[name])
    for name, column in zip(fields(dataset), columns(dataset)):
        if column.kind == "timestamp":
            row[name] = utc_text(row[name]) if row[name] is not None else None
    return {name: row[name] for name in fields(dataset)}


def article_row(record: Mapping) -> dict:
    """A stored article (with its store times) as an ``articles`` row."""
    return _article_fields(record, "articles")


def version_row(record: Mapping) -> dict:
    """A replaced content as an ``article_versions`` row."""
    return _article_fields(record, "article_versions")


def image_rows(record: Mapping) -> Iterator[dict]:
    """The ``images`` rows of one stored article."""
    for position, image in enumerate(record["images"], start=1):
        yield {"schema_version": SCHEMA_VERSION, "article_url": record["url"], "site": record["site"],
               "position": position, "src": image["src"], "alt": image["alt"], "caption": image["caption"]}


def attachment_rows(record: Mapping) -> Iterator[dict]:
    """The ``attachments`` rows of one stored article."""
    for position, document in enumerate(record["attachments"], start=1):
        yield {"schema_version": SCHEMA_VERSION, "article_url": record["url"], "site": record["site"],
               "position": position, "url": document["url"], "title": document["title"]}


def observation_row(record: Mapping) -> dict:
    """A stored view observation as a ``view_observations`` row."""
    return {"schema_version": SCHEMA_VERSION, **record, "observed_at": utc_text(record["observed_at"])}


def reject_row(record: Mapping) -> dict:
    """A stored reject as a ``rejects`` row."""
    return {"schema_version": SCHEMA_VERSION, "url": record["url"], "site": record["site"],
            "rejected_at": utc_text(record["rejected_at"]), "reasons": record["reasons"],
            "item": record["item"]}


def rows(store: Store, dataset: str, selection: Selection) -> Iterator[dict]:
    """The selected rows of ``dataset``, streamed from ``store`` in the dataset's shape.

    ``images`` and ``attachments`` hold those of exactly the articles the ``articles`` dataset
    selects (so an incremental export re-lists every image of a new or changed article).
    """
    filters = selection.store_filters()
    if dataset == "articles":
        yield from map(article_row, store.stream_articles(**filters))
    elif dataset == "article_versions":
        yield from map(version_row, store.stream_article_versions(**filters))
    elif dataset == "view_observations":
        yield from map(observation_row, store.stream_view_observations(**filters))
    elif dataset in ("images", "attachments"):
        explode = image_rows if dataset == "images" else attachment_rows
        for record in store.stream_articles(**filters):
            yield from explode(record)
    elif dataset == "rejects":
        stream = store.stream_rejects(sites=selection.sites, changed_since=selection.changed_since)
        for record in stream:
            item = record["item"]
            if selection.keeps_item(item if isinstance(item, Mapping) else {}):
                yield reject_row(record)
    else:
        raise ValueError(f"unknown dataset {dataset!r}; choose from {', '.join(DATASETS)}")
