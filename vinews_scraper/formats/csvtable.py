"""CSV: one flat row per record, a header of field names; lists and objects as JSON text, null as
an empty cell; UTF-8 (with a byte-order mark for Excel when asked)."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from vinews_scraper.datasets import Column, columns

_JSON_KINDS = ("strings", "records", "json")


def cell(value: Any, column: Column) -> str:
    """The CSV text of one value."""
    if value is None:
        return ""
    if column.kind in _JSON_KINDS:
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def value(text: str, column: Column) -> Any:
    """The JSON value of one CSV cell."""
    if text == "" and column.nullable:
        return None
    if column.kind == "integer":
        return int(text)
    if column.kind in _JSON_KINDS:
        return json.loads(text)
    return text


class CsvWriter:
    """A CSV file of one dataset."""

    def __init__(self, path: Path, dataset: str, *, excel: bool = False) -> None:
        self.columns = columns(dataset)
        self.stream = path.open("w", encoding="utf-8-sig" if excel else "utf-8", newline="")
        self.writer = csv.writer(self.stream)
        self.writer.writerow(c.name for c in self.columns)

    def write(self, row: dict) -> None:
        self.writer.writerow(cell(row[c.name], c) for c in self.columns)

    def finish(self) -> None:
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()

    def abort(self) -> None:
        self.stream.close()


def read_csv(path: Path, dataset: str) -> Iterator[dict]:
    """The rows of a vinews CSV file (with or without a byte-order mark)."""
    by_name = {c.name: c for c in columns(dataset)}
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        for cells in reader:
            yield {name: value(text, by_name[name]) for name, text in zip(header, cells)}
