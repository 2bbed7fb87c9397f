"""Parquet: typed columns (timestamps as timestamp[us, UTC], days as date32, integers as int64,
lists as list<string> or list<struct>, free-form objects as JSON text), written in row groups of
``BATCH_ROWS`` rows so memory stays flat."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from vinews_scraper.datasets import SCHEMA_VERSION, Column, columns
from vinews_scraper.timestamps import utc_text

BATCH_ROWS = 2_000


def arrow_type(column: Column) -> pa.DataType:
    """The Arrow type of a dataset column."""
    if column.kind == "records":
        return pa.list_(pa.struct([arrow_field(member) for member in column.members]))
    return {
        "string": pa.string(),
        "json": pa.string(),
        "integer": pa.int64(),
        "date": pa.date32(),
        "timestamp": pa.timestamp("us", tz="UTC"),
        "strings": pa.list_(pa.string()),
    }[column.kind]


def arrow_field(column: Column) -> pa.Field:
    return pa.field(column.name, arrow_type(column), nullable=column.nullable)


def arrow_schema(dataset: str) -> pa.Schema:
    """The Parquet schema of ``dataset``, with the dataset and schema version as metadata."""
    schema = pa.schema([arrow_field(c) for c in columns(dataset)])
    return schema.with_metadata({"vinews.dataset": dataset, "vinews.schema_version": SCHEMA_VERSION})


def arrow_array(values: list, column: Column) -> pa.Array:
    """One column's JSON values as an Arrow array of the column's type (days and instants are
    parsed by Arrow from their ISO 8601 text)."""
    if column.kind in ("date", "timestamp"):
        return pa.array(values, pa.string()).cast(arrow_type(column))
    if column.kind == "json":
        values = [None if v is None else json.dumps(v, ensure_ascii=False) for v in values]
    return pa.array(values, arrow_type(column))


def from_arrow(value: Any, column: Column) -> Any:
    """An Arrow column's Python value as the JSON value it was written from."""
    if value is None:
        return None
    if column.kind == "date":
        return value.isoformat()
    if column.kind == "timestamp":
        return utc_text(value)
    if column.kind == "json":
        return json.loads(value)
    return value


class ParquetTableWriter:
    """A Parquet file of one dataset, one row group per ``BATCH_ROWS`` rows."""

    def __init__(self, path: Path, dataset: str, batch_rows: int = BATCH_ROWS) -> None:
        self.path = path
        self.columns = columns(dataset)
        self.schema = arrow_schema(dataset)
        self.writer = pq.ParquetWriter(path, self.schema)
        self.batch_rows = batch_rows
        self.pending: list[dict] = []

    def write(self, row: dict) -> None:
        self.pending.append(row)
        if len(self.pending) >= self.batch_rows:
            self._flush()

    def _flush(self) -> None:
        if self.pending:
            arrays = [arrow_array([row[c.name] for row in self.pending], c) for c in self.columns]
            self.writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=self.schema))
            self.pending = []

    def finish(self) -> None:
        self._flush()
        self.writer.close()
        fd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def abort(self) -> None:
        self.pending = []
        self.writer.close()


def read_parquet(path: Path, dataset: str) -> Iterator[dict]:
    """The rows of a vinews Parquet file, one row group batch at a time."""
    by_name = {c.name: c for c in columns(dataset)}
    for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS):
        for row in batch.to_pylist():
            yield {name: from_arrow(v, by_name[name]) for name, v in row.items()}
