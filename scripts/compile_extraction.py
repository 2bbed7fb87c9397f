"""Compile the extraction package with Cython, in place: the same Python code, read faster.

    .venv/bin/python scripts/compile_extraction.py [--force]

Every module of ``vinews_scraper/extraction`` is compiled to an extension module beside its
source (``dom.py`` → ``dom.cpython-311-….so``); ``dom.pxd`` declares the types of the page walk.
Only modules whose ``.py`` or ``.pxd`` changed since their last build are compiled again. Python
imports the compiled module in place of the source, unless the source is newer
(``vinews_scraper/extraction/__init__.py``) or ``VINEWS_PURE_PYTHON=1`` is set. Without Cython or
a C compiler nothing is built and vinews runs the same code as plain Python.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "vinews_scraper" / "extraction"
DIRECTIVES = {"language_level": 3, "annotation_typing": False}  # annotations document, never check


def sources() -> list[Path]:
    return sorted(path for path in PACKAGE.glob("*.py") if path.name != "__init__.py")


def compile_in_place(force: bool = False) -> int:
    """Build the extension modules; 0 when built (or up to date), 1 when they cannot be."""
    try:
        from Cython.Build import cythonize
        from setuptools import Distribution
    except ImportError as exc:
        print(f"compile_extraction: {exc.name} is not installed; extraction runs as plain Python", file=sys.stderr)
        return 1
    os.chdir(PACKAGE.parent.parent)  # module names follow the paths: vinews_scraper.extraction.dom
    modules = [str(path.relative_to(Path.cwd())) for path in sources()]
    extensions = cythonize(modules, compiler_directives=DIRECTIVES, force=force, quiet=True)
    distribution = Distribution({"name": "vinews-extraction", "ext_modules": extensions})
    build = distribution.get_command_obj("build_ext")
    build.inplace, build.force, build.parallel = True, force, os.cpu_count() or 1
    distribution.script_args = []
    try:
        distribution.run_command("build_ext")
    except Exception as exc:  # setuptools reports a missing or failing compiler in several ways
        print(f"compile_extraction: the build failed ({exc}); extraction runs as plain Python", file=sys.stderr)
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="compile every module again")
    return compile_in_place(parser.parse_args().force)


if __name__ == "__main__":
    sys.exit(main())
