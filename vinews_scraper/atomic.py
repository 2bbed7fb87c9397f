"""Files that appear whole or not at all: written beside the target, fsynced, then renamed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class PendingFile:
    """A temporary file beside ``target`` that becomes the target only when committed; readable by
    all, writable by its owner, like a file the user writes."""

    def __init__(self, target: Path) -> None:
        self.target = target
        fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.fchmod(fd, 0o644)
        os.close(fd)
        self.temp_path = Path(temp_name)

    def commit(self) -> None:
        os.replace(self.temp_path, self.target)

    def discard(self) -> None:
        self.temp_path.unlink(missing_ok=True)


def pending_text(target: Path, text: str) -> PendingFile:
    """``text`` written as UTF-8 and fsynced to a pending file for ``target``."""
    pending = PendingFile(target)
    try:
        with pending.temp_path.open("w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        pending.discard()
        raise
    return pending


def fsync_directory(directory: Path) -> None:
    """Make renames in ``directory`` durable (where the platform can open a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_text_atomically(target: Path, text: str) -> None:
    """Replace ``target`` with ``text`` in one rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    pending_text(target, text).commit()
    fsync_directory(target.parent)
