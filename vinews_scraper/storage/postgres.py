"""PostgreSQL backend (psycopg 3): JSONB columns and a server-side cursor for exports."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from vinews_scraper.storage.base import Store, dumps

_cursor_numbers = itertools.count(1)
# Any constant key works: it only has to be the same for every vinews process.
_SCHEMA_LOCK_KEY = 0x76696E657773


class PostgresStore(Store):
    """The store in a PostgreSQL database."""

    id_column = "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    json_type = "JSONB"
    binary_collation = ' COLLATE "C"'
    lock_clause = " FOR UPDATE"
    stream_batch_size = 500

    def __init__(self, uri: str, description: str) -> None:
        super().__init__(psycopg.connect(uri, autocommit=True), description)

    @contextmanager
    def _transaction(self) -> Iterator[psycopg.Cursor]:
        with self._conn.transaction(), self._conn.cursor() as cursor:
            yield cursor

    @contextmanager
    def _streaming_cursor(self) -> Iterator[psycopg.ServerCursor]:
        name = f"vinews_stream_{next(_cursor_numbers)}"
        with self._conn.transaction(), self._conn.cursor(name=name) as cursor:
            cursor.itersize = self.stream_batch_size
            yield cursor

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s")

    def _json_param(self, value: Any) -> Jsonb:
        return Jsonb(value, dumps=dumps)

    def _json_value(self, value: Any) -> Any:
        return value

    def _column_names(self, cursor: psycopg.Cursor, table: str) -> set[str]:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s",
            (table,),
        )
        return {name for (name,) in cursor.fetchall()}

    def _lock_schema(self, cursor: psycopg.Cursor) -> None:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK_KEY,))
