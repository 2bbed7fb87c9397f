"""docs/analysts.md: every Python and SQL snippet, and every `vinews export` command, runs as
written against an export of a replica crawl laid out like the demo's (output/demo)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import duckdb
import pytest
from replica_crawl import CrawledReplica, vinews

from vinews_scraper.datasets import Selection
from vinews_scraper.export import export_datasets
from vinews_scraper.formats import FORMATS
from vinews_scraper.manifest import read_manifest
from vinews_scraper.storage import open_store

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "analysts.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def snippets() -> list[tuple[str, str]]:
    """(language, code) of every fenced block of the guide, in order."""
    return BLOCK.findall(GUIDE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """``output/demo`` as `vinews demo` leaves it, then a second crawl (3 new articles, more views)."""
    tmp = tmp_path_factory.mktemp("guide")
    demo = tmp / "output" / "demo"
    demo.mkdir(parents=True)
    replica = CrawledReplica(tmp, demo / "vinews-demo.sqlite3")
    try:
        replica.crawl()
        with open_store(replica.store_uri) as store:
            export_datasets(store, demo, selection=Selection(sites=("replica",)), formats=FORMATS)
        replica.portal.publish(3)
        replica.portal.bump_views(5)
        replica.crawl()
    finally:
        replica.stop()
    return tmp


def test_the_guide_has_python_sql_and_export_snippets():
    languages = [language for language, _ in snippets()]
    assert languages.count("python") >= 6 and languages.count("sql") >= 3
    assert any("vinews export" in code for language, code in snippets() if language == "sh")


def test_every_snippet_runs_against_a_replica_export(workdir, monkeypatch):
    monkeypatch.chdir(workdir)
    namespace: dict = {"__name__": "analysts_guide"}
    for language, code in snippets():
        if language == "python":
            exec(compile(code, str(GUIDE), "exec"), namespace)  # noqa: S102 - running them is the test
        elif language == "sql":
            assert duckdb.sql(code).fetchall(), code
        elif language == "sh":
            for line in code.splitlines():
                if line.startswith("vinews export"):
                    result = vinews(*shlex.split(line)[1:], cwd=workdir)
                    assert result.returncode == 0, result.stderr[-2000:]
    assert len(namespace["articles"]) == 120
    assert len(namespace["changed"]) == 3 and len(namespace["merged"]) == 123
    observed = [f["rows"] for directory in ("output/demo", "output/demo-changes")
                for f in read_manifest(workdir / directory)["files"]
                if f["dataset"] == "view_observations" and f["format"] == "parquet"]
    assert len(namespace["observations"]) == sum(observed) and min(observed) > 100
