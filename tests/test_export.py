import json

import pytest

from vinews_scraper.export import ExportResult, export_articles
from vinews_scraper.items import ARTICLE_FIELDS

CHAU_THANH = "https://chauthanh.haugiang.gov.vn/tin-tuc/hoi-nghi-tong-ket-nam-2023-99.html"


@pytest.fixture
def filled_store(store, make_article):
    dated = (("c.html", "2024-03-01"), ("a.html", "2024-01-05T07:30:00+07:00"), ("b.html", "2023-12-30"))
    for url, published in dated:
        store.upsert_article(make_article(url=f"https://vithuy.haugiang.gov.vn/{url}", published=published))
    store.upsert_article(make_article(url=CHAU_THANH, site="chauthanh", published="2024-01-10"))
    return store


def read_jsonl(path):
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def test_exports_every_article_as_jsonl_and_json(filled_store, tmp_path):
    results = export_articles(filled_store, tmp_path / "exports")
    jsonl, json_file = tmp_path / "exports" / "articles-all.jsonl", tmp_path / "exports" / "articles-all.json"
    assert results == [ExportResult(jsonl, "jsonl", 4), ExportResult(json_file, "json", 4)]
    lines = read_jsonl(jsonl)
    assert [a["published"][:10] for a in lines] == ["2023-12-30", "2024-01-05", "2024-01-10", "2024-03-01"]
    assert json.loads(json_file.read_text(encoding="utf-8")) == lines
    assert all(list(a) == list(ARTICLE_FIELDS) for a in lines)


def test_text_is_written_as_utf8_not_escaped(filled_store, tmp_path):
    (result, _) = export_articles(filled_store, tmp_path)
    raw = result.path.read_bytes()
    assert "Hội nghị tổng kết".encode("utf-8") in raw
    assert b"\\u" not in raw


def test_filters_by_site_and_inclusive_date_range(filled_store, tmp_path):
    results = export_articles(filled_store, tmp_path, site="vithuy", since="2024-01-05", until="2024-03-01")
    assert [r.path.name for r in results] == [
        "articles-vithuy-since-2024-01-05-until-2024-03-01.jsonl",
        "articles-vithuy-since-2024-01-05-until-2024-03-01.json",
    ]
    urls = [a["url"] for a in json.loads(results[1].path.read_text(encoding="utf-8"))]
    assert urls == ["https://vithuy.haugiang.gov.vn/a.html", "https://vithuy.haugiang.gov.vn/c.html"]
    (chauthanh,) = export_articles(
        filled_store, tmp_path, site="chauthanh", until="2024-01-10", formats=("jsonl",)
    )
    assert [a["url"] for a in read_jsonl(chauthanh.path)] == [CHAU_THANH]


def test_empty_export_is_a_valid_empty_array(store, tmp_path):
    results = export_articles(store, tmp_path, name="nothing")
    assert [(r.path.name, r.count) for r in results] == [("nothing.jsonl", 0), ("nothing.json", 0)]
    assert json.loads((tmp_path / "nothing.json").read_text(encoding="utf-8")) == []
    assert (tmp_path / "nothing.jsonl").read_text(encoding="utf-8") == ""


def fail_after(store, monkeypatch, count: int, error: Exception) -> None:
    """Make ``store.iter_articles`` yield ``count`` real articles, then fail with ``error``."""
    real_iter_articles = store.iter_articles

    def interrupted(**filters):
        stream = real_iter_articles(**filters)
        for _ in range(count):
            yield next(stream)
        stream.close()
        raise error

    monkeypatch.setattr(store, "iter_articles", interrupted)


def test_failure_mid_write_leaves_no_file_and_no_temp_file(filled_store, tmp_path, monkeypatch):
    fail_after(filled_store, monkeypatch, 2, ConnectionError("database connection lost"))
    with pytest.raises(ConnectionError, match="connection lost"):
        export_articles(filled_store, tmp_path / "exports")
    assert list((tmp_path / "exports").iterdir()) == []


def test_failed_export_keeps_the_previous_file_untouched(filled_store, tmp_path, monkeypatch):
    (previous,) = export_articles(filled_store, tmp_path / "exports", formats=("json",))
    before = previous.path.read_bytes()
    fail_after(filled_store, monkeypatch, 1, OSError("No space left on device"))
    with pytest.raises(OSError, match="No space left"):
        export_articles(filled_store, tmp_path / "exports", formats=("json",))
    assert previous.path.read_bytes() == before
    assert [p.name for p in (tmp_path / "exports").iterdir()] == [previous.path.name]


def test_unknown_format_is_refused_before_writing(store, tmp_path):
    with pytest.raises(ValueError, match="unknown export format"):
        export_articles(store, tmp_path / "exports", formats=("csv",))
    assert not (tmp_path / "exports").exists()
