"""Exports stream: the memory they take does not grow with the number of rows exported."""

import tracemalloc

from vinews_scraper.export import export_datasets
from vinews_scraper.formats.parquettable import BATCH_ROWS
from vinews_scraper.items import ARTICLE_FIELDS
from vinews_scraper.storage import open_store

SMALL, LARGE = 2_000, 20_000
STORE_TIMES = ("first_seen_at", "last_seen_at", "changed_at")


def add_articles(store, article: dict, start: int, stop: int) -> None:
    """Articles ``start``..``stop - 1`` (about 2 KB of text each), inserted in one transaction."""
    columns = (*ARTICLE_FIELDS, *STORE_TIMES)

    def rows():
        for n in range(start, stop):
            body = f"Đoạn văn {n} của bài viết về hội nghị tổng kết công tác năm. " * 15
            values = {**article, "url": f"https://vithuy.haugiang.gov.vn/tin/{n}.html", "body": body,
                      "body_html": f"<p>{body}</p>", "published": f"20{10 + n % 15}-{1 + n % 12:02d}-01",
                      "images": store._json_param(article["images"]),
                      "attachments": store._json_param(article["attachments"])}
            yield (*(values[c] for c in ARTICLE_FIELDS), *["2024-02-01T03:00:00.000000Z"] * 3)

    with store._transaction() as cur:
        cur.executemany(f"INSERT INTO articles ({', '.join(columns)}) "
                        f"VALUES ({', '.join('?' for _ in columns)})", rows())


def traced_export(store, out) -> tuple[int, int]:
    """(peak traced bytes, bytes written) of exporting articles and images as JSON Lines and Parquet."""
    tracemalloc.start()
    try:
        results = export_datasets(store, out, datasets=["articles", "images"], formats=["jsonl", "parquet"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, sum(r.path.stat().st_size for r in results)


def test_peak_memory_stays_flat_from_2000_to_20000_rows(tmp_path, make_article):
    with open_store(str(tmp_path / "big.sqlite3")) as store:
        add_articles(store, make_article(), 0, 100)
        export_datasets(store, tmp_path / "warm-up", formats=["jsonl", "parquet"])  # lazy imports
        add_articles(store, make_article(), 100, SMALL)
        small_peak, small_size = traced_export(store, tmp_path / "small")
        add_articles(store, make_article(), SMALL, LARGE)
        large_peak, large_size = traced_export(store, tmp_path / "large")
    assert large_size > 9 * small_size > 9 * 4_000_000
    # One Parquet row group (BATCH_ROWS rows) is the most held at once, whatever the row count.
    assert LARGE >= 10 * BATCH_ROWS
    assert large_peak < 1.25 * small_peak + 1_000_000, (small_peak, large_peak)
    assert large_peak < large_size / 4, (large_peak, large_size)
