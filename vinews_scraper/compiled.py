"""Which modules of a package run compiled (``scripts/compile_extraction.py``) and which as source.

An extension module built from a source that has changed since is stale: the package imports the
source instead, and says so once, so an edit is never shadowed by an old build.
``VINEWS_PURE_PYTHON=1`` makes every module run from source (profilers see into Python code only).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import warnings
from pathlib import Path

PURE_PYTHON_ENV = "VINEWS_PURE_PYTHON"


def built_modules(directory: Path) -> dict[str, Path]:
    """The extension modules beside their sources in ``directory``, by module name."""
    found = {}
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        for built in directory.glob("*" + suffix):
            name = built.name[: -len(suffix)]
            if (directory / f"{name}.py").is_file():
                found[name] = built
    return found


def stale_modules(directory: Path) -> list[str]:
    """Built modules whose source (or type declarations) changed after the build."""
    stale = []
    for name, built in built_modules(directory).items():
        built_at = built.stat().st_mtime
        declarations = directory / f"{name}.pxd"
        if (directory / f"{name}.py").stat().st_mtime > built_at or (
                declarations.is_file() and declarations.stat().st_mtime > built_at):
            stale.append(name)
    return sorted(stale)


class _SourceFinder(importlib.abc.MetaPathFinder):
    """Finds the listed modules of one package as their ``.py`` source."""

    def __init__(self, package: str, directory: Path, names: set[str]) -> None:
        self.prefix, self.directory, self.names = package + ".", directory, names

    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith(self.prefix):
            return None
        name = fullname[len(self.prefix):]
        if name not in self.names:
            return None
        return importlib.util.spec_from_file_location(fullname, self.directory / f"{name}.py")


def prefer_fresh_sources(package: str, directory: Path) -> None:
    """Before a package imports its modules: run stale builds (every build, with
    ``VINEWS_PURE_PYTHON=1``) from their sources."""
    built = built_modules(directory)
    if not built:
        return
    if os.environ.get(PURE_PYTHON_ENV) == "1":
        names = set(built)
    else:
        names = set(stale_modules(directory))
        if names:
            warnings.warn(f"{package}: compiled modules older than their sources ({', '.join(sorted(names))}) "
                          "run from source; scripts/compile_extraction.py compiles them again", stacklevel=2)
    if names:
        sys.meta_path.insert(0, _SourceFinder(package, directory, names))
