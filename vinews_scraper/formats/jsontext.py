"""JSON Lines (one object per line) and JSON (an array of the same objects), UTF-8, not escaped."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path


class JsonLinesWriter:
    """One JSON object per line."""

    def __init__(self, path: Path) -> None:
        self.stream = path.open("w", encoding="utf-8", newline="\n")

    def write(self, row: dict) -> None:
        self.stream.write(json.dumps(row, ensure_ascii=False) + "\n")

    def finish(self) -> None:
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()

    def abort(self) -> None:
        self.stream.close()


class JsonArrayWriter(JsonLinesWriter):
    """A JSON array with one object per line."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.stream.write("[")
        self.empty = True

    def write(self, row: dict) -> None:
        self.stream.write(("\n" if self.empty else ",\n") + json.dumps(row, ensure_ascii=False))
        self.empty = False

    def finish(self) -> None:
        self.stream.write("]\n" if self.empty else "\n]\n")
        super().finish()


def read_json_lines(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            yield json.loads(line)


def read_json_array(path: Path) -> Iterator[dict]:
    """The array's objects (the file is parsed whole)."""
    with path.open(encoding="utf-8") as stream:
        yield from json.load(stream)
