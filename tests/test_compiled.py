"""The extraction package compiled with Cython (scripts/compile_extraction.py) reads every page
exactly as its Python source does, and a source edited after the build is never shadowed by it."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from vinews_scraper.compiled import built_modules, stale_modules
from vinews_scraper.extraction import dom

REPO = Path(__file__).resolve().parent.parent
EXTRACTION = REPO / "vinews_scraper" / "extraction"
COMPILED = bool(built_modules(EXTRACTION))
needs_build = pytest.mark.skipif(not COMPILED, reason="extraction not compiled here (no Cython or C compiler)")

READ_PAGES = """
import json, sys
from pathlib import Path
from vinews_scraper.extraction import extract_article, dom
pages = sorted(Path(sys.argv[1]).glob("tests/corpus/*/*.html"))
items = [extract_article(p.read_bytes(), json.loads(p.with_suffix(".json").read_text())["url"]) for p in pages]
print(json.dumps({"dom": Path(dom.__file__).name, "items": items}, ensure_ascii=False, sort_keys=True))
"""


def _read_corpus(root: Path, **env) -> dict:
    done = subprocess.run([sys.executable, "-c", READ_PAGES, str(REPO)], cwd=root, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(root), **env}, timeout=300, check=True)
    return {"stderr": done.stderr, **json.loads(done.stdout)}


@needs_build
def test_the_build_is_current_and_in_use():
    assert stale_modules(EXTRACTION) == []
    assert Path(dom.__file__).name == built_modules(EXTRACTION)["dom"].name


@needs_build
def test_compiled_and_source_modules_give_the_same_items():
    compiled = _read_corpus(REPO)
    source = _read_corpus(REPO, VINEWS_PURE_PYTHON="1")
    assert (compiled["dom"], source["dom"]) == (built_modules(EXTRACTION)["dom"].name, "dom.py")
    assert len(compiled["items"]) == 32
    assert compiled["items"] == source["items"]


@needs_build
def test_a_source_edited_after_the_build_runs_from_source(tmp_path):
    copy = tmp_path / "vinews_scraper"
    shutil.copytree(REPO / "vinews_scraper", copy, ignore=shutil.ignore_patterns("__pycache__"))
    edited = copy / "extraction" / "dom.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    later = built_modules(copy / "extraction")["dom"].stat().st_mtime + 10
    os.utime(edited, (later, later))
    result = _read_corpus(tmp_path)
    assert result["dom"] == "dom.py"
    assert "compiled modules older than their sources (dom) run from source" in result["stderr"]
    assert result["items"] == _read_corpus(REPO)["items"]
