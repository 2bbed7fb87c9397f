"""Files that appear whole or not at all: written beside the target, fsynced, then renamed.

A pending file is locked by its writer while it exists, so the pending files a killed writer left
behind (the kernel drops its locks) can be told from live ones and removed (``remove_abandoned``).
"""

from __future__ import annotations

import fcntl
import os
import re
import tempfile
from pathlib import Path

# ``.<target name>.<8 characters of mkstemp>.tmp``: the name of a pending file.
_PENDING_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


class PendingFile:
    """A temporary file beside ``target`` that becomes the target only when committed; readable by
    all, writable by its owner, like a file the user writes. Locked until committed or discarded."""

    def __init__(self, target: Path) -> None:
        self.target = target
        fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.fchmod(fd, 0o644)
        self._lock_fd: int | None = fd
        self.temp_path = Path(temp_name)

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def commit(self) -> None:
        os.replace(self.temp_path, self.target)
        self._unlock()

    def discard(self) -> None:
        self.temp_path.unlink(missing_ok=True)
        self._unlock()


def remove_abandoned(directory: Path) -> list[Path]:
    """Remove the pending files in ``directory`` that no live writer holds: what a writer killed
    before its rename left. Returns the removed files."""
    removed = []
    for path in sorted(directory.iterdir()) if directory.is_dir() else ():
        if not _PENDING_NAME.match(path.name):
            continue
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:  # committed or removed meanwhile
            continue
        try:
            if not held_by_live_writer(fd):
                path.unlink(missing_ok=True)
                removed.append(path)
        finally:
            os.close(fd)
    return removed


def held_by_live_writer(fd) -> bool:
    """Whether a live writer holds the exclusive lock on ``fd``'s file. When none does, the lock
    is now the caller's: the file was abandoned by a killed writer and is the caller's to finish."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    return False


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
