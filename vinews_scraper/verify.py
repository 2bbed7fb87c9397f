"""Check an export against its manifest: every file present with its size, sha256 and row count,
every row valid against its dataset's JSON Schema of the manifest's schema version."""

from __future__ import annotations

from pathlib import Path

from jsonschema import Draft202012Validator

from vinews_scraper.datasets import SCHEMA_VERSION, dataset_schema
from vinews_scraper.formats import read_rows
from vinews_scraper.manifest import read_manifest, sha256_of

MAX_ROW_PROBLEMS = 10


def _row_problems(path: Path, entry: dict) -> list[str]:
    validator = Draft202012Validator(dataset_schema(entry["dataset"]))
    problems, count = [], 0
    for count, row in enumerate(read_rows(path, entry["format"], entry["dataset"]), start=1):
        for error in validator.iter_errors(row):
            if len(problems) < MAX_ROW_PROBLEMS:
                where = "/".join(str(p) for p in error.absolute_path)
                problems.append(f"{entry['path']} row {count} {where}: {error.message}")
    if count != entry["rows"]:
        problems.append(f"{entry['path']}: {count} rows, the manifest says {entry['rows']}")
    return problems


def verify_export(directory: str | Path) -> list[str]:
    """What is wrong with the export in ``directory``; an empty list when nothing is."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    if manifest["schema_version"] != SCHEMA_VERSION:
        return [(f"the export has schema version {manifest['schema_version']}, "
                 f"this vinews reads version {SCHEMA_VERSION}")]
    problems = []
    for entry in manifest["files"]:
        path = directory / entry["path"]
        if not path.is_file():
            problems.append(f"{entry['path']}: missing")
        elif path.stat().st_size != entry["bytes"] or sha256_of(path) != entry["sha256"]:
            problems.append(f"{entry['path']}: size or sha256 differs from the manifest")
        else:
            problems += _row_problems(path, entry)
    return problems
