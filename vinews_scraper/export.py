"""Export stored articles to JSON Lines and JSON files, each written whole or not at all."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from vinews_scraper.items import ARTICLE_FIELDS
from vinews_scraper.storage import Store

FORMATS = ("jsonl", "json")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class ExportResult:
    """One written export file and how many articles it holds."""

    path: Path
    format: str
    count: int


def export_name(site: str | None = None, since: str | None = None, until: str | None = None) -> str:
    """``articles-<site or all>[-since-<day>][-until-<day>]``, safe as a file name (a site given
    by its host, ``127.0.0.1:8080``, becomes ``127.0.0.1-8080``)."""
    name = f"articles-{_UNSAFE.sub('-', site) if site else 'all'}"
    if since:
        name += f"-since-{since}"
    if until:
        name += f"-until-{until}"
    return name


class _ExportFile:
    """A temporary file beside the target that becomes the target only once complete."""

    def __init__(self, target: Path, fmt: str) -> None:
        self.target = target
        self.format = fmt
        self.count = 0
        fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        self.temp_path = Path(temp_name)
        self.stream: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        if fmt == "json":
            self.stream.write("[")

    def write(self, article: dict) -> None:
        text = json.dumps(article, ensure_ascii=False)
        if self.format == "json":
            text = ("\n" if self.count == 0 else ",\n") + text
        else:
            text += "\n"
        self.stream.write(text)
        self.count += 1

    def finish(self) -> None:
        """Close the array, flush and fsync; the file is then ready to be moved into place."""
        if self.format == "json":
            self.stream.write("\n]\n" if self.count else "]\n")
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()

    def discard(self) -> None:
        self.stream.close()
        self.temp_path.unlink(missing_ok=True)


def _fsync_directory(directory: Path) -> None:
    """Make the renames durable (where the platform can open a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def export_articles(
    store: Store,
    out_dir: str | os.PathLike,
    *,
    site: str | None = None,
    since: str | None = None,
    until: str | None = None,
    formats: Iterable[str] = FORMATS,
    name: str | None = None,
) -> list[ExportResult]:
    """Write the stored articles (filtered by site and published day) in one pass to each format.

    Articles are streamed from the store to the files, never held in memory all at once. On any
    error every temporary file is removed and no target file is created or changed.
    """
    formats = tuple(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"unknown export format(s) {unknown}; choose one or more of {FORMATS}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    base = name or export_name(site, since, until)
    files: list[_ExportFile] = []
    try:
        for fmt in formats:
            files.append(_ExportFile(out_dir / f"{base}.{fmt}", fmt))
        for article in store.iter_articles(site=site, since=since, until=until):
            ordered = {field: article[field] for field in ARTICLE_FIELDS}
            for export_file in files:
                export_file.write(ordered)
        for export_file in files:
            export_file.finish()
        for export_file in files:
            os.replace(export_file.temp_path, export_file.target)
    except BaseException:
        for export_file in files:
            export_file.discard()
        raise
    _fsync_directory(out_dir)
    return [ExportResult(f.target, f.format, f.count) for f in files]
