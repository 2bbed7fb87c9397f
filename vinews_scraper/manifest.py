"""The manifest of an export: what it holds (files, row counts, sha256), under which schema version
and filters, when, from which store, by which vinews."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from vinews_scraper.datasets import SCHEMA_VERSION, Selection
from vinews_scraper.timestamps import utc_text

MANIFEST_NAME = "manifest.json"


def sha256_of(path: Path) -> str:
    """The sha256 hex digest of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_entry(name: str, written: Path, dataset: str, fmt: str, rows: int) -> dict:
    """The manifest entry of one export file, ``written`` being its content on disk."""
    return {"path": name, "dataset": dataset, "format": fmt, "rows": rows,
            "bytes": written.stat().st_size, "sha256": sha256_of(written),
            "schema": f"{dataset}.schema.json"}


def build_manifest(
    files: list[dict], selection: Selection, *, source_store: str, exported_at: datetime, excel: bool
) -> dict:
    """The manifest document of one export."""
    return {
        "schema_version": SCHEMA_VERSION,
        "vinews_version": version("vinews"),
        "exported_at": utc_text(exported_at),
        "source_store": source_store,
        "filters": selection.as_dict(),
        "excel_csv": excel,
        "files": files,
    }


def read_manifest(directory: Path) -> dict:
    """The manifest of the export in ``directory``."""
    return json.loads((directory / MANIFEST_NAME).read_text(encoding="utf-8"))
