import inspect
import sqlite3
from pathlib import Path

import psycopg
import pytest
from scrapy import signals
from scrapy.utils.test import get_crawler

from vinews_scraper.items import ARTICLE_FIELDS
from vinews_scraper.storage import (
    STORE_SCHEMA_VERSION,
    StoreError,
    mask_uri,
    open_store,
    store_for_crawler,
)
from vinews_scraper.storage.postgres import PostgresStore
from vinews_scraper.storage.sqlite import SQLiteStore

CHAU_THANH = "https://chauthanh.haugiang.gov.vn/tin-tuc/hoi-nghi-tong-ket-nam-2023-99.html"


def test_new_article_reads_back_as_the_same_schema_dict(store, make_article):
    item = make_article()
    assert store.upsert_article(item) == "new"
    (stored,) = store.iter_articles()
    assert stored == item
    assert list(stored) == list(ARTICLE_FIELDS)
    assert list(stored["images"][0]) == ["src", "alt", "caption"]
    assert store.get_article(item["url"]) == item
    assert store.get_article("https://vithuy.haugiang.gov.vn/khong-co.html") is None


def test_same_text_refreshes_only_fetch_time_and_views(store, make_article):
    store.upsert_article(make_article())
    again = make_article(view_count=300, fetched_at="2024-03-01T00:00:00Z", category="Khác")
    assert store.upsert_article(again) == "unchanged"
    stored = store.get_article(again["url"])
    assert stored["view_count"] == 300
    assert stored["fetched_at"] == "2024-03-01T00:00:00Z"
    assert stored["category"] == "Tin Tức huyện Vị Thủy"


def test_changed_text_updates_every_field(store, make_article):
    store.upsert_article(make_article())
    edited = make_article(body="Nội dung đã được cập nhật.", category="Thời sự", images=[])
    assert store.upsert_article(edited) == "updated"
    assert store.get_article(edited["url"]) == edited
    assert store.counts()["articles"] == 1


def test_known_urls_and_first_url_with_hash(store, make_article):
    original = make_article()
    copy = make_article(url=CHAU_THANH, site="chauthanh")
    later_copy = make_article(url="https://ngabay.haugiang.gov.vn/tin-tuc/hoi-nghi-5.html", site="ngabay")
    for item in (original, copy, later_copy):
        store.upsert_article(item)
    assert store.known_article_urls("vithuy") == {original["url"]}
    assert store.known_article_urls("longmy") == set()
    assert store.first_url_with_hash(original["content_hash"], exclude_site="ngabay") == original["url"]
    assert store.first_url_with_hash(original["content_hash"], exclude_site="vithuy") == CHAU_THANH
    assert store.first_url_with_hash("0" * 64, exclude_site="vithuy") is None


def test_iter_articles_filters_and_orders(store, make_article):
    items = [
        make_article(url="https://vithuy.haugiang.gov.vn/b.html", published="2024-01-22T08:00:00+07:00"),
        make_article(url="https://vithuy.haugiang.gov.vn/a.html", published="2024-01-22"),
        make_article(url="https://vithuy.haugiang.gov.vn/z.html", published="2023-12-31"),
        make_article(url="https://vithuy.haugiang.gov.vn/n.html", published=None),
        make_article(url=CHAU_THANH, site="chauthanh", published="2024-02-05"),
    ]
    for item in items:
        store.upsert_article(item)
    urls = [a["url"].rsplit("/", 1)[1] for a in store.iter_articles()]
    assert urls == ["z.html", "a.html", "b.html", CHAU_THANH.rsplit("/", 1)[1], "n.html"]
    vithuy_january = store.iter_articles(site="vithuy", since="2024-01-01", until="2024-01-22")
    assert [a["url"].rsplit("/", 1)[1] for a in vithuy_january] == ["a.html", "b.html"]
    assert [a["url"] for a in store.iter_articles(since="2024-02-01")] == [CHAU_THANH]
    with pytest.raises(ValueError, match="since must be a YYYY-MM-DD date"):
        list(store.iter_articles(since="22/01/2024"))


def test_iter_articles_streams_rows_instead_of_fetching_all(store, make_article):
    for n in range(3):
        store.upsert_article(make_article(url=f"https://vithuy.haugiang.gov.vn/{n}.html"))
    stream = store.iter_articles()
    assert inspect.isgenerator(stream)
    assert next(stream)["url"] == "https://vithuy.haugiang.gov.vn/0.html"
    if isinstance(store, PostgresStore):
        open_cursors = "SELECT count(*) FROM pg_cursors WHERE name LIKE 'vinews_stream_%'"
        assert store._conn.execute(open_cursors).fetchone()[0] == 1
    stream.close()
    if isinstance(store, PostgresStore):
        assert store._conn.execute(open_cursors).fetchone()[0] == 0
    assert store.upsert_article(make_article(url="https://vithuy.haugiang.gov.vn/3.html")) == "new"
    assert store.counts()["articles"] == 4


def test_view_observations_rejects_and_failures(store, make_article):
    url = make_article()["url"]
    store.add_view_observation(url, "vithuy", "2024-02-01T03:00:00Z", 125, "article")
    store.add_view_observation(url, "vithuy", "2024-02-02T03:00:00Z", 140, "listing")
    reasons = ["$.title: None is not of type 'string'"]
    store.add_reject(url, "vithuy", reasons, {"url": url, "title": None}, None)
    store.add_failure(CHAU_THANH, "chauthanh", "http", "HTTP 503", 503, "2024-02-01T04:00:00Z")
    observations = store.view_observations(url)
    assert [(o["view_count"], o["seen_on"]) for o in observations] == [(125, "article"), (140, "listing")]
    (reject,) = store.rejects()
    assert reject["reasons"] == reasons
    assert reject["item"] == {"url": url, "title": None}
    assert reject["rejected_at"].endswith("Z")
    assert store.failures() == [
        {"url": CHAU_THANH, "site": "chauthanh", "kind": "http", "reason": "HTTP 503", "status": 503,
         "failed_at": "2024-02-01T04:00:00Z"}
    ]
    assert store.counts() == {"articles": 0, "view_observations": 2, "rejects": 1, "failures": 1}


def test_failed_write_leaves_no_partial_row(store, make_article):
    broken = make_article()
    broken["title"] = None  # violates NOT NULL inside the insert
    with pytest.raises((sqlite3.IntegrityError, psycopg.errors.NotNullViolation)):
        store.upsert_article(broken)
    assert store.counts()["articles"] == 0
    assert store.upsert_article(make_article()) == "new"


def test_an_article_and_its_own_view_observation_are_stored_together_or_not_at_all(store, make_article):
    item = make_article(view_count=321, fetched_at="2024-02-03T05:00:00Z")
    assert store.upsert_article(item, with_view_observation=True) == "new"
    assert [(o["view_count"], o["seen_on"], o["observed_at"]) for o in store.view_observations(item["url"])] == \
        [(321, "article", "2024-02-03T05:00:00Z")]
    no_count = make_article(url=CHAU_THANH, site="chauthanh", view_count=None)
    with pytest.raises((sqlite3.IntegrityError, psycopg.errors.NotNullViolation)):
        store.upsert_article(no_count, with_view_observation=True)  # the observation cannot be stored
    assert store.get_article(CHAU_THANH) is None
    assert store.counts() == {"articles": 1, "view_observations": 1, "rejects": 0, "failures": 0}


def test_reopening_keeps_data_and_checks_the_store_version(store_uri, make_article):
    with open_store(store_uri) as first:
        first.upsert_article(make_article())
    with open_store(store_uri) as second:
        assert second.counts()["articles"] == 1
        with second._transaction() as cur:
            cur.execute(second._sql("UPDATE meta SET value = ? WHERE key = ?"), ("999", "store_schema_version"))
    with pytest.raises(StoreError, match=f"version 999, this vinews writes version {STORE_SCHEMA_VERSION}"):
        open_store(store_uri)


def test_sqlite_store_uses_wal_and_normal_sync(tmp_path):
    with open_store(str(tmp_path / "deep" / "dir" / "v.sqlite3")) as store:
        assert isinstance(store, SQLiteStore)
        assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store._conn.execute("PRAGMA synchronous").fetchone()[0] == 1
        assert store._conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000


def test_open_store_chooses_backend_by_uri(tmp_path, monkeypatch, postgres_database_uri):
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///rel/v.sqlite3") as store:
        assert isinstance(store, SQLiteStore)
    assert (tmp_path / "rel" / "v.sqlite3").is_file()
    with open_store(postgres_database_uri.replace("postgresql://", "postgres://", 1)) as store:
        assert isinstance(store, PostgresStore)
    with pytest.raises(StoreError, match="unsupported store URI scheme 'mysql'"):
        open_store("mysql://db/vinews")


def test_mask_uri_hides_passwords():
    masked = mask_uri("postgresql://vinews:s3cr%40t@db.local:5432/vinews")
    assert masked == "postgresql://vinews:***@db.local:5432/vinews"
    assert mask_uri("postgres://db.local/vinews?sslmode=require&password=s3cr3t") == (
        "postgres://db.local/vinews?sslmode=require&password=***"
    )
    assert mask_uri("sqlite:///output/vinews.sqlite3") == "sqlite:///output/vinews.sqlite3"


def test_store_for_crawler_is_shared_and_closed_with_the_spider(tmp_path, monkeypatch):
    monkeypatch.delenv("VINEWS_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    crawler = get_crawler(settings_dict={"VINEWS_STORE_URI": "sqlite:///out/crawl.sqlite3"})
    store = store_for_crawler(crawler)
    assert store_for_crawler(crawler) is store
    assert (tmp_path / "out" / "crawl.sqlite3").is_file()
    crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="finished")
    with pytest.raises(sqlite3.ProgrammingError):
        store.counts()


def test_database_url_environment_overrides_the_setting(tmp_path, monkeypatch, postgres_database_uri, caplog):
    password_uri = postgres_database_uri.replace("postgres@", "postgres:hunter2@", 1)
    monkeypatch.setenv("VINEWS_DATABASE_URL", password_uri)
    crawler = get_crawler(settings_dict={"VINEWS_STORE_URI": f"sqlite:///{tmp_path / 'unused.sqlite3'}"})
    with caplog.at_level("INFO", logger="vinews_scraper.storage"):
        store = store_for_crawler(crawler)
    try:
        assert isinstance(store, PostgresStore)
        assert not (tmp_path / "unused.sqlite3").exists()
        assert "postgres:***@127.0.0.1" in caplog.text
        assert "hunter2" not in caplog.text and "hunter2" not in repr(store)
    finally:
        store.close()


def test_default_store_is_output_vinews_sqlite3(tmp_path, monkeypatch):
    monkeypatch.delenv("VINEWS_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    store = store_for_crawler(get_crawler())
    store.close()
    assert Path("output/vinews.sqlite3").is_file()
