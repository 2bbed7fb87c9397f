"""What the store keeps for incremental exports: replaced contents, change and record times."""

from vinews_scraper.storage import open_store

URL = "https://vithuy.haugiang.gov.vn/tin-tuc/hoi-nghi-tong-ket-nam-2023-1234.html"


def stored(store) -> dict:
    (article,) = store.stream_articles()
    return article


def test_fetch_time_alone_is_no_change_but_a_new_view_count_is(store, make_article):
    store.upsert_article(make_article())
    first = stored(store)
    assert store.upsert_article(make_article(fetched_at="2024-03-01T00:00:00Z")) == "unchanged"
    refetched = stored(store)
    assert refetched["changed_at"] == first["changed_at"] < refetched["last_seen_at"]
    assert store.upsert_article(make_article(view_count=999)) == "unchanged"
    counted = stored(store)
    assert counted["changed_at"] == counted["last_seen_at"] > refetched["last_seen_at"]
    assert list(store.stream_article_versions()) == []


def test_each_replaced_content_is_kept_with_when_it_was_stored_and_superseded(store, make_article):
    store.upsert_article(make_article(body="Bản đầu."))
    first = stored(store)
    store.upsert_article(make_article(body="Bản hai."))
    second = stored(store)
    store.upsert_article(make_article(body="Bản ba.", category="Thời sự"))
    third = stored(store)
    versions = list(store.stream_article_versions())
    assert [(v["body"], v["category"]) for v in versions] == [
        ("Bản đầu.", "Tin Tức huyện Vị Thủy"), ("Bản hai.", "Tin Tức huyện Vị Thủy")]
    assert [(v["stored_at"], v["superseded_at"]) for v in versions] == [
        (first["first_seen_at"], second["changed_at"]), (second["changed_at"], third["changed_at"])]
    assert third["body"] == "Bản ba." and third["first_seen_at"] == first["first_seen_at"]
    assert [v["url"] for v in store.stream_article_versions(category="Thời sự")] == []
    assert len(list(store.stream_article_versions(sites=("vithuy",), since="2024-01-22"))) == 2


def test_a_store_made_before_change_tracking_gets_the_columns_backfilled(store_uri, make_article):
    with open_store(store_uri) as store:
        store.upsert_article(make_article())
        store.add_view_observation(URL, "vithuy", "2024-02-01T03:00:00Z", 125, "article")
        store.add_reject(URL, "vithuy", ["bad"], {"url": URL}, "2024-02-01T04:00:00Z")
        with store._transaction() as cur:
            for table, column in (("articles", "changed_at"), ("view_observations", "recorded_at"),
                                  ("rejects", "recorded_at")):
                cur.execute(f"DROP INDEX {table}_{column}")
                cur.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
            cur.execute("DROP TABLE article_versions")
    with open_store(store_uri) as store:
        article = stored(store)
        assert article["changed_at"] == article["last_seen_at"]
        with store._read_cursor() as cur:
            cur.execute("SELECT recorded_at FROM view_observations UNION ALL SELECT recorded_at FROM rejects")
            assert [r[0] for r in cur.fetchall()] == ["2024-02-01T03:00:00.000000Z", "2024-02-01T04:00:00.000000Z"]
        assert store.upsert_article(make_article(body="Đã sửa.")) == "updated"
        assert [v["body"] for v in store.stream_article_versions()] == [make_article()["body"]]
