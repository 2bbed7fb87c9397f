"""The store shared by both backends: tables, queries and upsert logic written once.

SQL is written with ``?`` placeholders; a backend only says how to connect, how to run a
transaction or a streaming query, and the few type names that differ (id column, JSON type).
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, closing
from datetime import datetime, timezone
from functools import partial
from typing import Any

from vinews_scraper.items import ARTICLE_FIELDS, article_schema

STORE_SCHEMA_VERSION = "1"

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_JSON_FIELDS = ("images", "attachments")
_NESTED_KEYS = {
    name: tuple(article_schema()["properties"][name]["items"]["properties"]) for name in _JSON_FIELDS
}
_UPDATED_FIELDS = tuple(f for f in ARTICLE_FIELDS if f != "url")
_ARTICLE_TIMES = ("first_seen_at", "last_seen_at", "changed_at")
# What describes the fetch rather than the text: refreshed even when the text is unchanged.
_FETCH_FIELDS = ("fetched_at", "view_count", "wayback_timestamp", "archive_url", "warc_file", "warc_record_id")

dumps = partial(json.dumps, ensure_ascii=False, default=str)


class StoreError(RuntimeError):
    """The store cannot be opened or used as asked."""


def utc_timestamp(value: datetime | str | None = None) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` for ``value`` (a naive datetime counts as UTC), now when None.

    A string is taken as already formatted and returned unchanged.
    """
    if isinstance(value, str):
        return value
    moment = value or datetime.now(timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _clock_text(moment: datetime) -> str:
    """``moment`` in the store's clock format: UTC with microseconds (a naive datetime counts as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _store_clock() -> str:
    """When the store saw a row: UTC with microseconds, so that rows written in one second sort."""
    return _clock_text(datetime.now(timezone.utc))


def _day(value: str | None, name: str) -> str | None:
    if value is not None and not _DAY.match(value):
        raise ValueError(f"{name} must be a YYYY-MM-DD date, got {value!r}")
    return value


def _view_observation_row(
    url: str, site: str | None, observed_at: datetime | str | None, view_count: int, seen_on: str
) -> dict[str, Any]:
    return {
        "url": url,
        "site": site,
        "observed_at": utc_timestamp(observed_at),
        "view_count": view_count,
        "seen_on": seen_on,
        "recorded_at": _store_clock(),
    }


def settled_by(run: Mapping) -> str | None:
    """Which unsettled runs an ended ``run`` makes good: "site" (a finished full walk reached every
    article of its portal, so every earlier interruption is made good), "run" (a finished
    incremental run: only itself), or None (stopped early: it stays owed)."""
    if run.get("finish_reason") != "finished":
        return None
    return "site" if run.get("full_walk") else "run"


def _where(clauses: list[str]) -> str:
    return f" WHERE {' AND '.join(clauses)}" if clauses else ""


def _ordered(entry: Any, keys: tuple[str, ...]) -> Any:
    """A JSON object with ``keys`` first in schema order (JSONB does not keep key order)."""
    if not isinstance(entry, Mapping):
        return entry
    return {**{k: entry[k] for k in keys if k in entry}, **entry}


class Store(ABC):
    """Articles, view observations, rejects and failures in one SQL database."""

    id_column: str
    json_type: str
    binary_collation: str = ""
    lock_clause: str = ""

    def __init__(self, connection: Any, description: str) -> None:
        self._conn = connection
        self.description = description
        try:
            self._create_schema()
        except BaseException:
            connection.close()
            raise

    # -- backend hooks ---------------------------------------------------------------------

    @abstractmethod
    def _transaction(self) -> AbstractContextManager[Any]:
        """A cursor inside one write transaction, committed on success, rolled back on error."""

    @abstractmethod
    def _streaming_cursor(self) -> AbstractContextManager[Any]:
        """A cursor whose rows are fetched as they are iterated, not all at once."""

    def _read_cursor(self) -> AbstractContextManager[Any]:
        """A cursor for one read (the connection is in autocommit mode)."""
        return closing(self._conn.cursor())

    def _sql(self, sql: str) -> str:
        """``sql`` with ``?`` placeholders turned into the driver's own."""
        return sql

    def _json_param(self, value: Any) -> Any:
        return dumps(value)

    def _json_value(self, value: Any) -> Any:
        return None if value is None else json.loads(value)

    def _lock_schema(self, cursor: Any) -> None:
        """Serialize concurrent schema creation (SQLite's write lock already does)."""

    @abstractmethod
    def _column_names(self, cursor: Any, table: str) -> set[str]:
        """The names of ``table``'s columns."""

    # -- schema ----------------------------------------------------------------------------

    def _ddl(self) -> list[str]:
        schema = article_schema()
        not_null = {
            name for name in schema["required"] if "null" not in schema["properties"][name].get("type", ())
        }

        def column(name: str) -> str:
            return f"{name} {self._column_type(name)}{' NOT NULL' if name in not_null else ''}"

        article_columns = ",\n  ".join(column(f) for f in _UPDATED_FIELDS)
        return [
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            f"""CREATE TABLE IF NOT EXISTS articles (
  url TEXT PRIMARY KEY,
  {article_columns},
  first_seen_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL)""",
            f"""CREATE TABLE IF NOT EXISTS view_observations (
  id {self.id_column}, url TEXT NOT NULL, site TEXT, observed_at TEXT NOT NULL,
  view_count BIGINT NOT NULL, seen_on TEXT NOT NULL)""",
            f"""CREATE TABLE IF NOT EXISTS rejects (
  id {self.id_column}, url TEXT, site TEXT, reasons {self.json_type} NOT NULL,
  item {self.json_type} NOT NULL, rejected_at TEXT NOT NULL)""",
            f"""CREATE TABLE IF NOT EXISTS failures (
  id {self.id_column}, url TEXT, site TEXT, kind TEXT NOT NULL, reason TEXT,
  status INTEGER, failed_at TEXT NOT NULL)""",
            "CREATE INDEX IF NOT EXISTS articles_site ON articles (site)",
            "CREATE INDEX IF NOT EXISTS articles_content_hash ON articles (content_hash)",
            "CREATE INDEX IF NOT EXISTS view_observations_url ON view_observations (url)",
            f"""CREATE TABLE IF NOT EXISTS article_versions (
  id {self.id_column}, url TEXT NOT NULL,
  {article_columns},
  stored_at TEXT NOT NULL,
  superseded_at TEXT NOT NULL)""",
            "CREATE INDEX IF NOT EXISTS article_versions_url ON article_versions (url)",
        ]

    def _column_type(self, name: str) -> str:
        if name in _JSON_FIELDS:
            return self.json_type
        return "BIGINT" if name == "view_count" else "TEXT"

    def _add_article_columns(self, cursor: Any) -> None:
        """Give tables made before an optional article field existed a column for it (a field
        added to the schema later is optional, so its column is nullable)."""
        for table in ("articles", "article_versions"):
            present = self._column_names(cursor, table)
            for name in _UPDATED_FIELDS:
                if name not in present:
                    cursor.execute(f"ALTER TABLE {table} ADD COLUMN {name} {self._column_type(name)}")

    def _add_change_tracking(self, cursor: Any) -> None:
        """Give ``articles`` its ``changed_at`` column and ``view_observations``/``rejects`` their
        ``recorded_at`` (store clock), for incremental exports; rows of a store made before they
        existed are backfilled (``last_seen_at``; the observed or rejected second)."""
        if "changed_at" not in self._column_names(cursor, "articles"):
            cursor.execute("ALTER TABLE articles ADD COLUMN changed_at TEXT")
            cursor.execute("UPDATE articles SET changed_at = last_seen_at")
        cursor.execute("CREATE INDEX IF NOT EXISTS articles_changed_at ON articles (changed_at)")
        for table, moment in (("view_observations", "observed_at"), ("rejects", "rejected_at")):
            if "recorded_at" not in self._column_names(cursor, table):
                cursor.execute(f"ALTER TABLE {table} ADD COLUMN recorded_at TEXT")
                cursor.execute(f"UPDATE {table} SET recorded_at = substr({moment}, 1, 19) || '.000000Z'")
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {table}_recorded_at ON {table} (recorded_at)")

    def _add_runs_table(self, cursor: Any) -> None:
        """Create the ``runs`` table (one row per crawl of one portal) in stores made before it."""
        cursor.execute(
            f"""CREATE TABLE IF NOT EXISTS runs (
  run_id TEXT PRIMARY KEY, site TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT NOT NULL,
  finish_reason TEXT, listing_pages BIGINT NOT NULL, article_pages BIGINT NOT NULL,
  items_new BIGINT NOT NULL, items_updated BIGINT NOT NULL, items_unchanged BIGINT NOT NULL,
  items_rejected BIGINT NOT NULL, failures {self.json_type} NOT NULL, report TEXT)"""
        )
        cursor.execute("CREATE INDEX IF NOT EXISTS runs_site_started ON runs (site, started_at)")
        if "full_walk" not in self._column_names(cursor, "runs"):  # 1: every listing walked to its end
            cursor.execute("ALTER TABLE runs ADD COLUMN full_walk INTEGER")
        # Runs started and not yet made good: in progress, killed, or stopped early (see ``unsettled_runs``).
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS unsettled_runs (run_id TEXT PRIMARY KEY, site TEXT NOT NULL, "
            "started_at TEXT NOT NULL)"
        )

    def _add_taken_down(self, cursor: Any) -> None:
        """Give ``articles`` its nullable ``taken_down_at`` (when a stored article's page went 404/410)."""
        if "taken_down_at" not in self._column_names(cursor, "articles"):
            cursor.execute("ALTER TABLE articles ADD COLUMN taken_down_at TEXT")

    def _create_schema(self) -> None:
        with self._transaction() as cur:
            self._lock_schema(cur)
            for statement in self._ddl():
                cur.execute(statement)
            self._add_article_columns(cur)
            self._add_change_tracking(cur)
            self._add_runs_table(cur)
            self._add_taken_down(cur)
            cur.execute(
                self._sql("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING"),
                ("store_schema_version", STORE_SCHEMA_VERSION),
            )
            cur.execute(self._sql("SELECT value FROM meta WHERE key = ?"), ("store_schema_version",))
            (version,) = cur.fetchone()
        if version != STORE_SCHEMA_VERSION:
            raise StoreError(
                f"{self.description} holds store schema version {version}, "
                f"this vinews writes version {STORE_SCHEMA_VERSION}"
            )

    # -- articles --------------------------------------------------------------------------

    def _article_params(self, item: Mapping) -> dict[str, Any]:
        return {
            f: self._json_param(item.get(f) or []) if f in _JSON_FIELDS else item.get(f)
            for f in ARTICLE_FIELDS
        }

    def _article(self, row: tuple) -> dict:
        article = dict(zip(ARTICLE_FIELDS, row))
        for name in _JSON_FIELDS:
            article[name] = [_ordered(e, _NESTED_KEYS[name]) for e in self._json_value(article[name])]
        return article

    def upsert_article(self, item: Mapping, with_view_observation: bool = False) -> str:
        """Insert or refresh one article by url: "new", "updated" (content changed) or "unchanged".

        An update first keeps the replaced content in ``article_versions``; ``changed_at`` moves
        when the content or the view count changes. A successful fetch clears ``taken_down_at``.
        ``with_view_observation`` also records the item's view count as seen on its own page at
        its ``fetched_at``, in the same transaction: a kill cannot keep one without the other.
        """
        params = self._article_params(item)
        now = _store_clock()
        with self._transaction() as cur:
            status = self._upsert(cur, params, now)
            if with_view_observation:
                self._insert_row(cur, "view_observations", _view_observation_row(
                    item["url"], item.get("site"), item.get("fetched_at"), item["view_count"], "article"))
        return status

    def _upsert(self, cur: Any, params: dict[str, Any], now: str) -> str:
        """The insert or refresh of ``upsert_article`` inside its transaction; returns its status."""
        columns = ", ".join(ARTICLE_FIELDS)
        marks = ", ".join("?" for _ in ARTICLE_FIELDS)
        cur.execute(
            self._sql(
                f"INSERT INTO articles ({columns}, first_seen_at, last_seen_at, changed_at) "
                f"VALUES ({marks}, ?, ?, ?) ON CONFLICT (url) DO NOTHING"
            ),
            (*params.values(), now, now, now),
        )
        if cur.rowcount == 1:
            return "new"
        cur.execute(
            self._sql(f"SELECT content_hash, view_count FROM articles WHERE url = ?{self.lock_clause}"),
            (params["url"],),
        )
        stored_hash, stored_views = cur.fetchone()
        if stored_hash == params["content_hash"]:
            changed, status = _FETCH_FIELDS, "unchanged"
        else:
            self._keep_version(cur, params["url"], now)
            changed, status = _UPDATED_FIELDS, "updated"
        changed_at = now if status == "updated" or stored_views != params["view_count"] else None
        assignments = ", ".join(f"{f} = ?" for f in changed)
        cur.execute(
            self._sql(
                f"UPDATE articles SET {assignments}, last_seen_at = ?, "
                "changed_at = COALESCE(?, changed_at), taken_down_at = NULL WHERE url = ?"
            ),
            (*(params[f] for f in changed), now, changed_at, params["url"]),
        )
        return status

    def _keep_version(self, cursor: Any, url: str, now: str) -> None:
        """Copy the stored content of ``url`` into ``article_versions`` before it is replaced.

        ``stored_at`` is when that content was first stored: the previous version's
        ``superseded_at``, else the article's ``first_seen_at``.
        """
        columns = ", ".join(ARTICLE_FIELDS)
        cursor.execute(
            self._sql(
                f"INSERT INTO article_versions ({columns}, stored_at, superseded_at) "
                f"SELECT {columns}, COALESCE((SELECT MAX(superseded_at) FROM article_versions "
                "WHERE url = ?), first_seen_at), ? FROM articles WHERE url = ?"
            ),
            (url, now, url),
        )

    def get_article(self, url: str) -> dict | None:
        """The stored article at ``url`` as a schema dict, or None."""
        with self._read_cursor() as cur:
            cur.execute(self._sql(f"SELECT {', '.join(ARTICLE_FIELDS)} FROM articles WHERE url = ?"), (url,))
            row = cur.fetchone()
        return None if row is None else self._article(row)

    def known_article_urls(self, site: str) -> set[str]:
        """Urls of every stored article of ``site``."""
        with self._read_cursor() as cur:
            cur.execute(self._sql("SELECT url FROM articles WHERE site = ?"), (site,))
            return {url for (url,) in cur.fetchall()}

    def mark_taken_down(self, url: str, at: datetime | str | None = None) -> bool:
        """Note that the stored article at ``url`` answered 404/410; True when newly noted (the
        first time is kept, the article is never deleted)."""
        with self._transaction() as cur:
            cur.execute(
                self._sql("UPDATE articles SET taken_down_at = ? WHERE url = ? AND taken_down_at IS NULL"),
                (utc_timestamp(at), url),
            )
            return cur.rowcount == 1

    def taken_down(self, site: str) -> dict[str, str]:
        """``taken_down_at`` of each stored article of ``site`` whose page was taken down, by url."""
        with self._read_cursor() as cur:
            cur.execute(
                self._sql("SELECT url, taken_down_at FROM articles WHERE site = ? AND taken_down_at IS NOT NULL"),
                (site,),
            )
            return dict(cur.fetchall())

    def first_url_with_hash(self, content_hash: str, exclude_site: str) -> str | None:
        """Url of the earliest-seen article with ``content_hash`` on a site other than ``exclude_site``."""
        with self._read_cursor() as cur:
            cur.execute(
                self._sql(
                    "SELECT url FROM articles WHERE content_hash = ? AND site <> ? "
                    f"ORDER BY first_seen_at, url{self.binary_collation} LIMIT 1"
                ),
                (content_hash, exclude_site),
            )
            row = cur.fetchone()
        return None if row is None else row[0]

    def iter_articles(
        self, site: str | None = None, since: str | None = None, until: str | None = None
    ) -> Iterator[dict]:
        """Stored articles as schema dicts, ordered by published then url, streamed from the database.

        ``since``/``until`` are inclusive ``YYYY-MM-DD`` bounds on the published day; articles
        without a published date are left out when either is given.
        """
        conditions, params = [], []
        for clause, value in (
            ("site = ?", site),
            ("substr(published, 1, 10) >= ?", _day(since, "since")),
            ("substr(published, 1, 10) <= ?", _day(until, "until")),
        ):
            if value is not None:
                conditions.append(clause)
                params.append(value)
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        c = self.binary_collation
        sql = (
            f"SELECT {', '.join(ARTICLE_FIELDS)} FROM articles{where} "
            f"ORDER BY published IS NULL, published{c}, url{c}"
        )
        with self._streaming_cursor() as cur:
            cur.execute(self._sql(sql), params)
            for row in cur:
                yield self._article(row)

    # -- filtered streams for exports -----------------------------------------------------

    def _stream(self, sql: str, params: list) -> Iterator[tuple]:
        """The rows of one query, fetched as they are iterated."""
        with self._streaming_cursor() as cur:
            cur.execute(self._sql(sql), params)
            yield from cur

    @staticmethod
    def _filters(
        alias: str, sites: Sequence[str], category: str | None, since: str | None, until: str | None
    ) -> tuple[list[str], list]:
        """WHERE clauses and parameters on ``alias``'s site, category and inclusive published days."""
        clauses, params = [], []
        if sites:
            clauses.append(f"{alias}.site IN ({', '.join('?' for _ in sites)})")
            params.extend(sites)
        for clause, value in (
            (f"{alias}.category = ?", category),
            (f"substr({alias}.published, 1, 10) >= ?", _day(since, "since")),
            (f"substr({alias}.published, 1, 10) <= ?", _day(until, "until")),
        ):
            if value is not None:
                clauses.append(clause)
                params.append(value)
        return clauses, params

    def stream_articles(
        self,
        *,
        sites: Sequence[str] = (),
        category: str | None = None,
        since: str | None = None,
        until: str | None = None,
        changed_since: datetime | None = None,
    ) -> Iterator[dict]:
        """Articles with their store times (``first_seen_at``, ``last_seen_at``, ``changed_at``),
        ordered like ``iter_articles``; ``changed_since`` keeps those new or changed since then."""
        clauses, params = self._filters("a", sites, category, since, until)
        if changed_since is not None:
            clauses.append("a.changed_at >= ?")
            params.append(_clock_text(changed_since))
        c = self.binary_collation
        sql = (
            f"SELECT {', '.join(f'a.{f}' for f in ARTICLE_FIELDS)}, "
            f"a.{', a.'.join(_ARTICLE_TIMES)} FROM articles a{_where(clauses)} "
            f"ORDER BY a.published IS NULL, a.published{c}, a.url{c}"
        )
        width = len(ARTICLE_FIELDS)
        for row in self._stream(sql, params):
            yield {**self._article(row[:width]), **dict(zip(_ARTICLE_TIMES, row[width:]))}

    def stream_article_versions(
        self,
        *,
        sites: Sequence[str] = (),
        category: str | None = None,
        since: str | None = None,
        until: str | None = None,
        changed_since: datetime | None = None,
    ) -> Iterator[dict]:
        """Replaced contents of articles with ``stored_at`` and ``superseded_at``, by url then age;
        filters apply to the version's own fields, ``changed_since`` to ``superseded_at``."""
        clauses, params = self._filters("v", sites, category, since, until)
        if changed_since is not None:
            clauses.append("v.superseded_at >= ?")
            params.append(_clock_text(changed_since))
        c = self.binary_collation
        sql = (
            f"SELECT {', '.join(f'v.{f}' for f in ARTICLE_FIELDS)}, v.stored_at, v.superseded_at "
            f"FROM article_versions v{_where(clauses)} ORDER BY v.url{c}, v.superseded_at, v.id"
        )
        width = len(ARTICLE_FIELDS)
        for row in self._stream(sql, params):
            yield {**self._article(row[:width]), "stored_at": row[width], "superseded_at": row[width + 1]}

    def stream_view_observations(
        self,
        *,
        sites: Sequence[str] = (),
        category: str | None = None,
        since: str | None = None,
        until: str | None = None,
        changed_since: datetime | None = None,
    ) -> Iterator[dict]:
        """View observations in the order recorded; category and days filter by the observed
        article, ``changed_since`` keeps those recorded at or after then."""
        clauses, params = self._filters("a", (), category, since, until)
        if sites:
            clauses.append(f"o.site IN ({', '.join('?' for _ in sites)})")
            params.extend(sites)
        if changed_since is not None:
            clauses.append("o.recorded_at >= ?")
            params.append(_clock_text(changed_since))
        sql = (
            "SELECT o.url, o.site, o.observed_at, o.view_count, o.seen_on FROM view_observations o "
            f"LEFT JOIN articles a ON a.url = o.url{_where(clauses)} ORDER BY o.id"
        )
        names = ("url", "site", "observed_at", "view_count", "seen_on")
        for row in self._stream(sql, params):
            yield dict(zip(names, row))

    def stream_rejects(
        self, *, sites: Sequence[str] = (), changed_since: datetime | None = None
    ) -> Iterator[dict]:
        """Rejects in the order stored, reasons and item decoded; ``changed_since`` keeps those
        recorded at or after then."""
        clauses, params = [], []
        if sites:
            clauses.append(f"site IN ({', '.join('?' for _ in sites)})")
            params.extend(sites)
        if changed_since is not None:
            clauses.append("recorded_at >= ?")
            params.append(_clock_text(changed_since))
        sql = f"SELECT url, site, reasons, item, rejected_at FROM rejects{_where(clauses)} ORDER BY id"
        for url, site, reasons, item, rejected_at in self._stream(sql, params):
            yield {
                "url": url,
                "site": site,
                "reasons": self._json_value(reasons),
                "item": _ordered(self._json_value(item), ARTICLE_FIELDS),
                "rejected_at": rejected_at,
            }

    # -- observations, rejects, failures ---------------------------------------------------

    def _insert_row(self, cur: Any, table: str, row: dict[str, Any]) -> None:
        cur.execute(
            self._sql(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})"),
            tuple(row.values()),
        )

    def _insert(self, table: str, row: dict[str, Any]) -> None:
        with self._transaction() as cur:
            self._insert_row(cur, table, row)

    def _rows(self, sql: str, params: tuple = ()) -> list[dict]:
        with self._read_cursor() as cur:
            cur.execute(self._sql(sql), params)
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row)) for row in cur.fetchall()]

    def add_view_observation(
        self, url: str, site: str | None, observed_at: datetime | str | None, view_count: int, seen_on: str
    ) -> None:
        """Record that ``url`` showed ``view_count`` views at ``observed_at`` (on "article" or "listing")."""
        self._insert("view_observations", _view_observation_row(url, site, observed_at, view_count, seen_on))

    def add_reject(
        self,
        url: str | None,
        site: str | None,
        reasons: list[str],
        item: Mapping,
        rejected_at: datetime | str | None,
    ) -> None:
        """Keep an article that failed validation, with why."""
        self._insert(
            "rejects",
            {
                "url": url,
                "site": site,
                "reasons": self._json_param(list(reasons)),
                "item": self._json_param(dict(item)),
                "rejected_at": utc_timestamp(rejected_at),
                "recorded_at": _store_clock(),
            },
        )

    def add_failure(
        self,
        url: str | None,
        site: str | None,
        kind: str,
        reason: str | None,
        status: int | None,
        failed_at: datetime | str | None,
    ) -> None:
        """Record a page that could not be fetched or parsed."""
        self._insert(
            "failures",
            {
                "url": url,
                "site": site,
                "kind": kind,
                "reason": reason,
                "status": status,
                "failed_at": utc_timestamp(failed_at),
            },
        )

    def view_observations(self, url: str) -> list[dict]:
        """Every view observation of ``url``, oldest first."""
        return self._rows(
            "SELECT url, site, observed_at, view_count, seen_on FROM view_observations "
            "WHERE url = ? ORDER BY observed_at, id",
            (url,),
        )

    def rejects(self) -> list[dict]:
        """Every reject in the order stored, reasons and item decoded."""
        rows = self._rows("SELECT url, site, reasons, item, rejected_at FROM rejects ORDER BY id")
        for row in rows:
            row["reasons"] = self._json_value(row["reasons"])
            row["item"] = _ordered(self._json_value(row["item"]), ARTICLE_FIELDS)
        return rows

    def failures(self) -> list[dict]:
        """Every failure in the order stored."""
        return self._rows("SELECT url, site, kind, reason, status, failed_at FROM failures ORDER BY id")

    def counts(self) -> dict[str, int]:
        """Row counts of the four data tables."""
        tables = ("articles", "view_observations", "rejects", "failures")
        with self._read_cursor() as cur:
            result = {}
            for table in tables:
                cur.execute(f"SELECT COUNT(*) FROM {table}")
                result[table] = cur.fetchone()[0]
        return result

    # -- runs ------------------------------------------------------------------------------

    def start_run(self, run_id: str, site: str, started_at: datetime | str) -> None:
        """Note that a crawl of ``site`` began: unsettled until ``add_run`` records it finished."""
        self._insert("unsettled_runs", {"run_id": run_id, "site": site, "started_at": utc_timestamp(started_at)})

    def add_run(self, run: Mapping) -> None:
        """Record one ended crawl of one portal (``failures``: counts by kind), and in the same
        transaction settle what it made good (``settled_by``)."""
        row = {**run, "failures": self._json_param(dict(run["failures"]))}
        with self._transaction() as cur:
            self._insert_row(cur, "runs", row)
            settled = settled_by(run)
            if settled == "site":
                cur.execute(self._sql("DELETE FROM unsettled_runs WHERE site = ?"), (run["site"],))
            elif settled == "run":
                cur.execute(self._sql("DELETE FROM unsettled_runs WHERE run_id = ?"), (run["run_id"],))

    def unsettled_runs(self, site: str) -> list[dict]:
        """Runs of ``site`` that were started and not made good, oldest first: killed (never
        recorded), stopped early (recorded with another finish reason than "finished"), or in
        progress. Articles they did not reach may lie below stored ones in the listings."""
        return self._rows(
            "SELECT run_id, site, started_at FROM unsettled_runs WHERE site = ? ORDER BY started_at, run_id",
            (site,),
        )

    def runs(self, site: str | None = None, limit: int | None = None) -> list[dict]:
        """Recorded runs, newest first; ``site`` and ``limit`` narrow them."""
        sql = "SELECT * FROM runs" + (" WHERE site = ?" if site else "") + " ORDER BY started_at DESC, run_id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        rows = self._rows(sql, (site,) if site else ())
        for row in rows:
            row["failures"] = self._json_value(row["failures"])
        return rows

    def last_full_walk(self, site: str) -> str | None:
        """``started_at`` of the newest full walk of ``site`` that finished, or None (a walk
        stopped early did not reach the end of the listings)."""
        with self._read_cursor() as cur:
            cur.execute(
                self._sql(
                    "SELECT MAX(started_at) FROM runs WHERE site = ? AND full_walk = 1 AND finish_reason = 'finished'"
                ),
                (site,),
            )
            return cur.fetchone()[0]

    def published_month_counts(self, site: str) -> dict[str, int]:
        """Stored articles of ``site`` per published month (``YYYY-MM``), months with none left out."""
        with self._read_cursor() as cur:
            cur.execute(
                self._sql(
                    "SELECT substr(published, 1, 7), COUNT(*) FROM articles "
                    "WHERE site = ? AND published IS NOT NULL GROUP BY substr(published, 1, 7)"
                ),
                (site,),
            )
            return {month: count for month, count in cur.fetchall()}

    # -- lifetime --------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection; closing twice is harmless."""
        self._conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.description}>"
