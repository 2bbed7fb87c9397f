"""Runs and reports: the ``runs`` table, the per-run report with coverage and alerts, ``vinews runs``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_crawl_replica import Replica, vinews

from vinews_scraper.replica.portal import Article
from vinews_scraper.runs import (
    alerts,
    archive_gaps,
    coverage,
    format_runs,
    progress_line,
)
from vinews_scraper.storage import open_store


def _report(tmp: Path, run_id: str) -> dict:
    return json.loads((tmp / "out" / "reports" / f"{run_id}.json").read_text(encoding="utf-8"))


def _months(items: list[dict]) -> dict[str, int]:
    months: dict[str, int] = {}
    for item in items:
        months[item["published"][:7]] = months.get(item["published"][:7], 0) + 1
    return months


def test_archive_gaps_are_the_empty_months_inside_the_history():
    assert archive_gaps({"2023-11": 2, "2024-02": 1, "2024-03": 4}) == ["2023-12", "2024-01"]
    assert archive_gaps({"2024-03": 4}) == [] == archive_gaps({})


def test_coverage_counts_empty_text_and_empty_lists_as_missing():
    items = [{"title": "A", "images": [], "author": ""}, {"title": "B", "images": [{"src": "x"}], "author": "C"}]
    shares = coverage(items)
    assert shares["title"] == 1.0 and shares["images"] == 0.5 and shares["author"] == 0.5
    assert shares["published"] == 0.0
    assert set(coverage([]).values()) == {None}


def test_alerts_name_low_coverage_gaps_and_an_unfinished_run():
    run = {"finish_reason": "shutdown"}
    found = alerts(run, {"title": 1.0, "published": 0.85, "body": None}, {"title": 1.0, "published": 0.9,
                                                                        "body": 0.95}, ["2024-01"])
    assert [(a["kind"], a.get("field")) for a in found] == [
        ("coverage", "published"), ("archive_gap", None), ("finish_reason", None)]
    assert found[0]["message"] == "published coverage 85.0% is below 90%: the template may have changed"
    assert found[2]["message"] == "the run ended with 'shutdown', not 'finished'"
    assert alerts({"finish_reason": "finished"}, {"title": 1.0}, {"title": 1.0}, []) == []


def test_progress_line_sums_failures_of_every_kind():
    stats = {"vinews/run/listing_pages": 4, "vinews/run/article_pages": 9, "vinews/articles_new": 8,
             "vinews/items_rejected": 1, "vinews/failures/http": 2, "vinews/failures/parse": 1}
    assert progress_line(stats) == ("4 listing pages, 9 article pages, 8 new, 0 updated, 0 unchanged, "
                                    "1 rejected, 3 failures")


def test_runs_round_trip_in_both_backends(store):
    base = {"site": "vithuy", "finish_reason": "finished", "listing_pages": 3, "article_pages": 7,
            "items_new": 6, "items_updated": 1, "items_unchanged": 0, "items_rejected": 0, "report": None}
    store.add_run({**base, "run_id": "vithuy-1", "started_at": "2025-01-01T00:00:00Z",
                   "finished_at": "2025-01-01T00:05:00Z", "failures": {"http": 2, "timeout": 1}})
    store.add_run({**base, "run_id": "vithuy-2", "started_at": "2025-01-08T00:00:00Z",
                   "finished_at": "2025-01-08T00:01:00Z", "failures": {}})
    store.add_run({**base, "run_id": "other-1", "site": "other", "started_at": "2025-01-09T00:00:00Z",
                   "finished_at": "2025-01-09T00:01:00Z", "failures": {}})
    assert [r["run_id"] for r in store.runs()] == ["other-1", "vithuy-2", "vithuy-1"]
    assert [r["run_id"] for r in store.runs(site="vithuy", limit=1)] == ["vithuy-2"]
    oldest = store.runs(site="vithuy")[-1]
    assert oldest["failures"] == {"http": 2, "timeout": 1} and oldest["article_pages"] == 7


def test_published_month_counts_in_both_backends(store, make_article):
    for n, day in enumerate(("2024-01-22", "2024-01-30", "2024-04-02T08:00:00+07:00")):
        store.upsert_article(make_article(url=f"https://vithuy.haugiang.gov.vn/a-{n}.html", published=day,
                                          title=f"Tin {n}", body=f"Nội dung {n}"))
    assert store.published_month_counts("vithuy") == {"2024-01": 2, "2024-04": 1}
    assert store.published_month_counts("other") == {}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """A full crawl of a 30-article replica, then an incremental one after 2 new articles."""
    replica = Replica(tmp_path_factory.mktemp("runs"), articles=30)
    first = replica.crawl()
    truth_first = replica.portal.expected_items(replica.base_url)
    listing_pages = sum(replica.portal.page_count(c) for c in replica.portal.categories)
    replica.portal.publish(2)
    second = replica.crawl()
    with open_store(replica.store_uri) as store:
        runs = store.runs(site="replica")
    yield {"replica": replica, "first": first, "second": second, "truth_first": truth_first,
           "listing_pages": listing_pages, "runs": runs}
    replica.server.stop()


def test_each_crawl_leaves_a_runs_row_with_exact_counts(two_runs):
    assert two_runs["first"].returncode == 0, two_runs["first"].stderr[-2000:]
    assert two_runs["second"].returncode == 0, two_runs["second"].stderr[-2000:]
    second, first = two_runs["runs"]
    assert first["started_at"] <= first["finished_at"] <= second["started_at"]
    counts = ("finish_reason", "listing_pages", "article_pages", "items_new", "items_updated",
              "items_unchanged", "items_rejected", "failures")
    assert {k: first[k] for k in counts} == {
        "finish_reason": "finished", "listing_pages": two_runs["listing_pages"], "article_pages": 30,
        "items_new": 30, "items_updated": 0, "items_unchanged": 0, "items_rejected": 0, "failures": {}}
    # Incremental: only the two new articles are fetched; the listings are walked again.
    assert second["article_pages"] == 2 and second["items_new"] == 2 and second["items_unchanged"] == 0
    assert second["listing_pages"] >= two_runs["listing_pages"]
    assert f"run {first['run_id']}: 1 alerts; report → " in two_runs["first"].stdout


def test_the_report_gives_exact_coverage_counts_and_archive_gaps(two_runs):
    replica, truth = two_runs["replica"], two_runs["truth_first"]
    first = two_runs["runs"][1]
    report = _report(replica.tmp, first["run_id"])
    assert first["report"] == str(replica.tmp / "out" / "reports" / f"{first['run_id']}.json")
    assert report["coverage"] == coverage(truth)
    assert report["coverage"]["title"] == report["coverage"]["published"] == 1.0
    assert report["coverage"]["view_count"] == round(sum(i["view_count"] is not None for i in truth) / 30, 4)
    assert report["coverage"]["author"] == round(sum(bool(i["author"]) for i in truth) / 30, 4) < 1.0
    assert report["portals"] == {"replica": {
        "listing_pages": two_runs["listing_pages"], "article_pages": 30, "items_new": 30,
        "items_updated": 0, "items_unchanged": 0, "items_rejected": 0, "articles_in_store": 30}}
    assert report["errors"] == {}
    gaps = archive_gaps(_months(truth))
    assert report["archive_gaps"] == gaps and len(gaps) > 10
    assert [a["kind"] for a in report["alerts"]] == ["archive_gap"]
    text = (replica.tmp / "out" / "reports" / f"{first['run_id']}.md").read_text(encoding="utf-8")
    assert "| replica | " + f"{two_runs['listing_pages']} | 30 | 30 | 0 | 0 | 0 |" in text
    assert "| title | 100.0% |" in text and gaps[0] in text


def test_runs_command_lists_the_runs_newest_first(two_runs):
    replica = two_runs["replica"]
    result = vinews("runs", "--site", "replica", "--store", replica.store_uri, cwd=replica.tmp)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == format_runs(two_runs["runs"])
    assert result.stdout.splitlines()[1].startswith(two_runs["runs"][1]["run_id"] + "  ")
    assert "30 new, 0 updated, 0 unchanged, 0 rejected; failures none" in result.stdout
    limited = vinews("runs", "--limit", "1", "--store", replica.store_uri, cwd=replica.tmp)
    assert limited.stdout.splitlines() == format_runs(two_runs["runs"][:1])


def test_a_template_change_hiding_dates_raises_a_coverage_alert(tmp_path, monkeypatch):
    """The portal's date line changes wording so that the date cue no longer finds it: published
    coverage collapses and the report says the template may have changed."""
    monkeypatch.setattr(Article, "published_text", property(lambda article: "đang cập nhật"))
    replica = Replica(tmp_path, articles=20)
    try:
        result = replica.crawl("--set", "VINEWS_REPORTS_DIR=" + str(tmp_path / "out" / "reports"))
        assert result.returncode == 0, result.stderr[-2000:]
        with open_store(replica.store_uri) as store:
            (run,) = store.runs()
        report = _report(tmp_path, run["run_id"])
        dated = sum(1 for item in replica.stored() if item["published"])
        share = report["coverage"]["published"]
        assert run["items_new"] == 20 and share == dated / 20 <= 0.1
        assert report["coverage"]["title"] == report["coverage"]["body"] == 1.0
        message = f"published coverage {share:.1%} is below 90%: the template may have changed"
        assert [a for a in report["alerts"] if a["kind"] == "coverage"] == [{
            "kind": "coverage", "field": "published", "coverage": share, "threshold": 0.9,
            "message": message}]
        assert f"ALERT on replica: {message}" in result.stderr
    finally:
        replica.server.stop()


def test_a_failed_listing_is_a_counted_error_not_a_page_read(tmp_path):
    replica = Replica(tmp_path, articles=20)
    try:
        missing = replica.base_url + "/tin-tuc/chuyen-muc-khong-ton-tai"
        replica.add_listing_url(missing)
        result = replica.crawl()
        assert result.returncode == 0, result.stderr[-2000:]
        with open_store(replica.store_uri) as store:
            (run,) = store.runs()
        pages = sum(replica.portal.page_count(c) for c in replica.portal.categories)
        assert (run["listing_pages"], run["article_pages"], run["failures"]) == (pages, 20, {"http": 1})
        report = _report(tmp_path, run["run_id"])
        assert report["errors"] == {"http": 1}
        assert "- http: 1" in (tmp_path / "out" / "reports" / f"{run['run_id']}.md").read_text(encoding="utf-8")
    finally:
        replica.server.stop()
