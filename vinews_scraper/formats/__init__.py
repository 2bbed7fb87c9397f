"""Export file formats: a writer that streams rows into a file and a reader that gives them back
as the same JSON values, one module per family."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from vinews_scraper.formats import csvtable, jsontext

FORMATS = ("jsonl", "json", "csv", "parquet")


def _parquet():
    """The Parquet module, imported when first used: pyarrow adds some 75 MB to the memory of a
    process that never writes Parquet, such as ``vinews crawl`` exporting JSON after its crawl."""
    from vinews_scraper.formats import parquettable

    return parquettable


class Writer(Protocol):
    """Streams one dataset's rows into a file."""

    def write(self, row: dict) -> None: ...

    def finish(self) -> None:
        """Complete the file, flush it and fsync it."""

    def abort(self) -> None:
        """Close the file without completing it."""


def open_writer(fmt: str, path: Path, dataset: str, *, excel: bool = False) -> Writer:
    """A writer of ``dataset`` rows in format ``fmt`` into ``path`` (``excel``: CSV with a BOM)."""
    if fmt == "jsonl":
        return jsontext.JsonLinesWriter(path)
    if fmt == "json":
        return jsontext.JsonArrayWriter(path)
    if fmt == "csv":
        return csvtable.CsvWriter(path, dataset, excel=excel)
    if fmt == "parquet":
        return _parquet().ParquetTableWriter(path, dataset)
    raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")


def read_rows(path: Path, fmt: str, dataset: str) -> Iterator[dict]:
    """The rows of an export file as JSON values, as they were before they were written."""
    if fmt == "jsonl":
        return jsontext.read_json_lines(path)
    if fmt == "json":
        return jsontext.read_json_array(path)
    if fmt == "csv":
        return csvtable.read_csv(path, dataset)
    if fmt == "parquet":
        return _parquet().read_parquet(path, dataset)
    raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
