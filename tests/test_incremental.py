"""Incremental recrawls and taken-down articles in the store: the full-walk rule, ``taken_down_at``."""

from __future__ import annotations

from datetime import datetime, timezone

from vinews_scraper.spiders.portal import rewalk_due
from vinews_scraper.storage import open_store
from vinews_scraper.storage.base import settled_by

NOW = datetime(2025, 3, 31, 12, 0, tzinfo=timezone.utc)


def test_a_full_walk_is_due_without_one_within_the_days():
    assert rewalk_due(None, 30, NOW)
    assert not rewalk_due("2025-03-02T12:00:01Z", 30, NOW)
    assert rewalk_due("2025-03-01T12:00:00Z", 30, NOW)
    assert not rewalk_due(None, None, NOW)


def test_last_full_walk_is_the_newest_full_run_of_the_site(store):
    base = {"finished_at": "2025-01-01T01:00:00Z", "finish_reason": "finished", "listing_pages": 1,
            "article_pages": 1, "items_new": 0, "items_updated": 0, "items_unchanged": 0,
            "items_rejected": 0, "failures": {}}
    assert store.last_full_walk("vithuy") is None
    store.add_run({**base, "run_id": "v1", "site": "vithuy", "started_at": "2025-01-01T00:00:00Z", "full_walk": 1})
    store.add_run({**base, "run_id": "v2", "site": "vithuy", "started_at": "2025-01-05T00:00:00Z", "full_walk": 0})
    store.add_run({**base, "run_id": "o1", "site": "other", "started_at": "2025-01-09T00:00:00Z", "full_walk": 1})
    store.add_run({**base, "run_id": "v3", "site": "vithuy", "started_at": "2025-01-07T00:00:00Z"})
    assert store.last_full_walk("vithuy") == "2025-01-01T00:00:00Z"
    assert [r["full_walk"] for r in store.runs(site="vithuy")] == [None, 0, 1]


def test_taken_down_is_set_once_and_cleared_by_a_successful_fetch(store, make_article):
    item = make_article()
    store.upsert_article(item)
    assert store.mark_taken_down(item["url"], "2025-02-01T00:00:00Z")
    assert not store.mark_taken_down(item["url"], "2025-02-08T00:00:00Z")
    assert not store.mark_taken_down("https://vithuy.haugiang.gov.vn/khong-co.html", "2025-02-08T00:00:00Z")
    assert store.taken_down("vithuy") == {item["url"]: "2025-02-01T00:00:00Z"}
    assert store.get_article(item["url"]) == item
    assert store.upsert_article(item) == "unchanged"
    assert store.taken_down("vithuy") == {}


def test_stores_made_before_are_given_the_new_columns(store_uri, make_article):
    item = make_article()
    with open_store(store_uri) as store:
        store.upsert_article(item)
        store._conn.execute("ALTER TABLE articles DROP COLUMN taken_down_at")
        store._conn.execute("ALTER TABLE runs DROP COLUMN full_walk")
    with open_store(store_uri) as store:
        assert store.mark_taken_down(item["url"], "2025-02-01T00:00:00Z")
        assert store.taken_down("vithuy") == {item["url"]: "2025-02-01T00:00:00Z"}
        assert store.last_full_walk("vithuy") is None


def test_a_run_stays_unsettled_until_it_finishes_or_a_full_walk_of_its_portal_does(store):
    def run(run_id: str, site: str = "vithuy", **ended):
        store.start_run(run_id, site, f"2025-01-0{run_id[-1]}T00:00:00Z")
        if ended:
            store.add_run({"run_id": run_id, "site": site, "started_at": f"2025-01-0{run_id[-1]}T00:00:00Z",
                           "finished_at": "2025-01-09T00:00:00Z", "listing_pages": 1, "article_pages": 1,
                           "items_new": 0, "items_updated": 0, "items_unchanged": 0, "items_rejected": 0,
                           "failures": {}, **ended})

    def unsettled(site: str = "vithuy") -> list[str]:
        return [r["run_id"] for r in store.unsettled_runs(site)]

    run("v1", finish_reason="finished", full_walk=0)
    run("v2")  # killed: never recorded
    run("v3", finish_reason="shutdown", full_walk=1)
    run("v4", finish_reason="finished", full_walk=0)
    run("o5", site="other")
    assert unsettled() == ["v2", "v3"]
    assert store.last_full_walk("vithuy") is None  # v3 stopped before the end of the listings
    run("v6", finish_reason="finished", full_walk=1)
    assert unsettled() == []
    assert unsettled("other") == ["o5"]
    assert store.last_full_walk("vithuy") == "2025-01-06T00:00:00Z"


def test_what_an_ended_run_settles():
    assert settled_by({"finish_reason": "finished", "full_walk": 1}) == "site"
    assert settled_by({"finish_reason": "finished", "full_walk": 0}) == "run"
    assert settled_by({"finish_reason": "finished", "full_walk": None}) == "run"
    assert settled_by({"finish_reason": "shutdown", "full_walk": 1}) is None
    assert settled_by({"finish_reason": "closespider_timeout", "full_walk": 0}) is None
