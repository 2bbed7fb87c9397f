"""Export the datasets of the store: every file is written to a temporary file beside its target,
fsynced and renamed, so it appears whole or not at all; the manifest is renamed into place last."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from vinews_scraper.atomic import (
    PendingFile,
    fsync_directory,
    pending_text,
    remove_abandoned,
)
from vinews_scraper.datasets import DATASETS, Selection, rows
from vinews_scraper.formats import FORMATS, Writer, open_writer
from vinews_scraper.manifest import MANIFEST_NAME, build_manifest, file_entry
from vinews_scraper.storage import Store

DEFAULT_FORMATS = ("jsonl", "json")
ALL = Selection()


@dataclass(frozen=True)
class ExportResult:
    """One written export file and how many rows it holds."""

    path: Path
    dataset: str
    format: str
    count: int


class _PendingExport(PendingFile):
    """A pending data file with its writer and row count."""

    def __init__(self, target: Path, dataset: str, fmt: str, excel: bool) -> None:
        super().__init__(target)
        self.dataset, self.format, self.count = dataset, fmt, 0
        try:
            self.writer: Writer | None = open_writer(fmt, self.temp_path, dataset, excel=excel)
        except BaseException:
            super().discard()
            raise

    def write(self, row: dict) -> None:
        self.writer.write(row)
        self.count += 1

    def finish(self) -> None:
        self.writer.finish()
        self.writer = None

    def discard(self) -> None:
        if self.writer is not None:
            self.writer.abort()
        super().discard()

    def result(self) -> ExportResult:
        return ExportResult(self.target, self.dataset, self.format, self.count)


def _checked(values: Iterable[str], known: tuple[str, ...], what: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(values))
    unknown = [v for v in chosen if v not in known]
    if unknown or not chosen:
        raise ValueError(f"unknown {what}(s) {unknown}; choose one or more of {known}")
    return chosen


def export_datasets(
    store: Store,
    out_dir: str | os.PathLike,
    *,
    selection: Selection = ALL,
    datasets: Iterable[str] = DATASETS,
    formats: Iterable[str] = DEFAULT_FORMATS,
    excel: bool = False,
    manifest: bool = True,
) -> list[ExportResult]:
    """Write each selected dataset to ``<dataset>-<selection name>.<format>`` in ``out_dir``, and
    (unless ``manifest`` is false) ``manifest.json`` describing them.

    Rows stream from the store to every format of a dataset in one pass, never held all at once.
    On any error every temporary file is removed and no target file is created or changed; the
    temporary files of an earlier export that was killed are removed first.
    """
    datasets = _checked(datasets, DATASETS, "dataset")
    formats = _checked(formats, FORMATS, "export format")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_abandoned(out_dir)  # what an export killed before its renames left
    exported_at = datetime.now(timezone.utc)
    pending: list[PendingFile] = []
    data_files: list[_PendingExport] = []
    try:
        for dataset in datasets:
            stem = f"{dataset}-{selection.name()}"
            for fmt in formats:
                pending.append(_PendingExport(out_dir / f"{stem}.{fmt}", dataset, fmt, excel))
            files = pending[-len(formats):]
            for row in rows(store, dataset, selection):
                for pending_file in files:
                    pending_file.write(row)
            for pending_file in files:
                pending_file.finish()
            data_files += files
        if manifest:
            entries = [file_entry(f.target.name, f.temp_path, f.dataset, f.format, f.count)
                       for f in data_files]
            document = build_manifest(entries, selection, source_store=store.description,
                                      exported_at=exported_at, excel=excel)
            manifest_text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
            pending.append(pending_text(out_dir / MANIFEST_NAME, manifest_text))
        for pending_file in pending:
            pending_file.commit()
    except BaseException:
        for pending_file in pending:
            pending_file.discard()
        raise
    fsync_directory(out_dir)
    return [f.result() for f in data_files]


def export_name(site: str | None = None, since: str | None = None, until: str | None = None) -> str:
    """The file stem of a portal's ``articles`` export: ``articles-<site or all>[-since-…][-until-…]``,
    safe as a file name (``127.0.0.1:8080`` becomes ``127.0.0.1-8080``)."""
    return f"articles-{Selection(sites=(site,) if site else (), since=since, until=until).name()}"


def export_articles(
    store: Store,
    out_dir: str | os.PathLike,
    *,
    site: str | None = None,
    since: str | None = None,
    until: str | None = None,
    formats: Iterable[str] = DEFAULT_FORMATS,
) -> list[ExportResult]:
    """The ``articles`` dataset of one portal (or all), without a manifest: a crawl's quick export."""
    selection = Selection(sites=(site,) if site else (), since=since, until=until)
    return export_datasets(store, out_dir, selection=selection, datasets=("articles",),
                           formats=formats, manifest=False)
