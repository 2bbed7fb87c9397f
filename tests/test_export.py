"""`export_datasets` and `vinews export` on small stores of both backends."""

import hashlib
import json
import re
from datetime import datetime, timezone
from importlib.metadata import version

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from vinews_scraper.atomic import PendingFile, remove_abandoned
from vinews_scraper.cli import main
from vinews_scraper.datasets import DATASETS, Selection, fields
from vinews_scraper.export import ExportResult, export_articles, export_datasets
from vinews_scraper.formats import read_rows
from vinews_scraper.manifest import read_manifest
from vinews_scraper.timestamps import utc_text

VITHUY = "https://vithuy.haugiang.gov.vn"
CHAU_THANH = "https://chauthanh.haugiang.gov.vn/tin-tuc/hoi-nghi-tong-ket-nam-2023-99.html"
STORE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z$")
REASONS = ["$.title: None is not of type 'string'"]


@pytest.fixture
def filled_store(store, make_article):
    dated = (("c.html", "2024-03-01"), ("a.html", "2024-01-05T07:30:00+07:00"), ("b.html", "2023-12-30"))
    for name, published in dated:
        store.upsert_article(make_article(url=f"{VITHUY}/{name}", published=published))
    store.upsert_article(make_article(url=CHAU_THANH, site="chauthanh", published="2024-01-10",
                                      category="Thời sự", images=[], attachments=[]))
    store.add_view_observation(f"{VITHUY}/a.html", "vithuy", "2024-02-01T03:00:00Z", 125, "article")
    store.add_view_observation(CHAU_THANH, "chauthanh", "2024-02-02T03:00:00Z", 140, "listing")
    bad = {"url": f"{VITHUY}/bad.html", "title": None, "category": "Tin Tức huyện Vị Thủy",
           "published": "2024-01-02"}
    store.add_reject(bad["url"], "vithuy", REASONS, bad, "2024-02-01T04:00:00Z")
    return store


def jsonl(path):
    return list(read_rows(path, "jsonl", path.name.split("-", 1)[0]))


def names_and_counts(results):
    return [(r.path.name, r.count) for r in results]


def test_selection_names_are_short_safe_file_names():
    assert Selection(sites=("127.0.0.1:8080", "vithuy")).name() == "127.0.0.1-8080+vithuy"
    assert Selection(category="Tin Tức huyện Vị Thủy", until="2024-01-31").name() == (
        "all-category-tin-tuc-huyen-vi-thuy-until-2024-01-31")
    long, longer = Selection(sites=("x" * 300,)).name(), Selection(sites=("x" * 301,)).name()
    assert len(long) == len(longer) == 160 and long != longer and long.startswith("x" * 140)


def test_exports_every_dataset_with_a_manifest(filled_store, tmp_path):
    out = tmp_path / "out"
    results = export_datasets(filled_store, out)
    counts = {"articles": 4, "article_versions": 0, "view_observations": 2, "images": 3,
              "attachments": 3, "rejects": 1}
    assert names_and_counts(results) == [
        (f"{d}-all.{f}", counts[d]) for d in DATASETS for f in ("jsonl", "json")]
    assert sorted(p.name for p in out.iterdir()) == sorted(["manifest.json", *(r.path.name for r in results)])
    manifest = read_manifest(out)
    assert manifest["schema_version"] == "1"
    assert manifest["vinews_version"] == version("vinews")
    assert manifest["source_store"] == filled_store.description
    assert STORE_TIME.match(manifest["exported_at"])
    assert manifest["filters"] == {"sites": [], "category": None, "since": None, "until": None,
                                   "changed_since": None}
    for entry, result in zip(manifest["files"], results, strict=True):
        data = result.path.read_bytes()
        assert entry == {"path": result.path.name, "dataset": result.dataset, "format": result.format,
                         "rows": result.count, "bytes": len(data),
                         "sha256": hashlib.sha256(data).hexdigest(),
                         "schema": f"{result.dataset}.schema.json"}


def test_article_rows_carry_days_utc_instants_and_store_times(filled_store, tmp_path):
    export_datasets(filled_store, tmp_path, datasets=["articles"])
    rows = jsonl(tmp_path / "articles-all.jsonl")
    assert all(list(row) == list(fields("articles")) for row in rows)
    assert [r["url"].rsplit("/", 1)[1] for r in rows] == ["b.html", "a.html", CHAU_THANH.rsplit("/", 1)[1],
                                                          "c.html"]
    b, a = rows[0], rows[1]
    assert (a["published"], a["published_day"], a["published_at"]) == (
        "2024-01-05T07:30:00+07:00", "2024-01-05", "2024-01-05T00:30:00Z")
    assert (b["published_day"], b["published_at"], b["modified_day"], b["modified_at"]) == (
        "2023-12-30", None, None, None)
    assert a["schema_version"] == "1" and a["fetched_at"] == "2024-02-01T03:00:00Z"
    assert a["images"] == [{"src": f"{VITHUY}/upload/hn.jpg", "alt": None, "caption": "Quang cảnh hội nghị"}]
    assert STORE_TIME.match(a["first_seen_at"]) and a["changed_at"] == a["first_seen_at"] == a["last_seen_at"]


def test_json_holds_the_same_rows_as_json_lines_in_utf8(filled_store, tmp_path):
    export_datasets(filled_store, tmp_path)
    for dataset in DATASETS:
        as_json = json.loads((tmp_path / f"{dataset}-all.json").read_text(encoding="utf-8"))
        assert as_json == jsonl(tmp_path / f"{dataset}-all.jsonl")
    raw = (tmp_path / "articles-all.jsonl").read_bytes()
    assert "Hội nghị tổng kết".encode() in raw and b"\\u" not in raw


def test_images_attachments_observations_and_rejects_rows(filled_store, make_article, tmp_path):
    two = [{"src": f"{VITHUY}/upload/{n}.jpg", "alt": f"{n}.jpg", "caption": None} for n in (1, 2)]
    filled_store.upsert_article(make_article(url=f"{VITHUY}/two.html", published="2024-05-01", images=two))
    export_datasets(filled_store, tmp_path)
    images = jsonl(tmp_path / "images-all.jsonl")
    assert [(i["article_url"].rsplit("/", 1)[1], i["position"], i["src"].rsplit("/", 1)[1], i["caption"])
            for i in images] == [("b.html", 1, "hn.jpg", "Quang cảnh hội nghị"),
                                 ("a.html", 1, "hn.jpg", "Quang cảnh hội nghị"),
                                 ("c.html", 1, "hn.jpg", "Quang cảnh hội nghị"),
                                 ("two.html", 1, "1.jpg", None), ("two.html", 2, "2.jpg", None)]
    (attachment, *_) = jsonl(tmp_path / "attachments-all.jsonl")
    assert attachment == {"schema_version": "1", "article_url": f"{VITHUY}/b.html", "site": "vithuy",
                          "position": 1, "url": f"{VITHUY}/upload/bao-cao.pdf", "title": "Báo cáo tổng kết"}
    assert jsonl(tmp_path / "view_observations-all.jsonl") == [
        {"schema_version": "1", "url": f"{VITHUY}/a.html", "site": "vithuy",
         "observed_at": "2024-02-01T03:00:00Z", "view_count": 125, "seen_on": "article"},
        {"schema_version": "1", "url": CHAU_THANH, "site": "chauthanh",
         "observed_at": "2024-02-02T03:00:00Z", "view_count": 140, "seen_on": "listing"}]
    (reject,) = jsonl(tmp_path / "rejects-all.jsonl")
    assert reject["reasons"] == REASONS and reject["rejected_at"] == "2024-02-01T04:00:00Z"
    assert reject["item"]["title"] is None and reject["url"] == f"{VITHUY}/bad.html"


def test_filters_by_sites_category_and_published_days(filled_store, tmp_path):
    january = Selection(sites=("vithuy",), since="2024-01-02", until="2024-03-01")
    results = export_datasets(filled_store, tmp_path, selection=january, formats=["jsonl"])
    name = "vithuy-since-2024-01-02-until-2024-03-01"
    assert [r.path.name for r in results] == [f"{d}-{name}.jsonl" for d in DATASETS]
    by_dataset = {r.dataset: jsonl(r.path) for r in results}
    assert [a["url"] for a in by_dataset["articles"]] == [f"{VITHUY}/a.html", f"{VITHUY}/c.html"]
    assert [i["article_url"] for i in by_dataset["images"]] == [f"{VITHUY}/a.html", f"{VITHUY}/c.html"]
    assert [o["url"] for o in by_dataset["view_observations"]] == [f"{VITHUY}/a.html"]
    assert [r["url"] for r in by_dataset["rejects"]] == [f"{VITHUY}/bad.html"]
    assert read_manifest(tmp_path)["filters"]["sites"] == ["vithuy"]

    results = export_datasets(filled_store, tmp_path, selection=Selection(category="Thời sự"),
                              formats=["jsonl"])
    by_dataset = {r.dataset: jsonl(r.path) for r in results}
    assert results[0].path.name == "articles-all-category-thoi-su.jsonl"
    assert [a["url"] for a in by_dataset["articles"]] == [CHAU_THANH]
    assert [o["url"] for o in by_dataset["view_observations"]] == [CHAU_THANH]
    assert by_dataset["rejects"] == [] and by_dataset["images"] == []

    both = Selection(sites=("vithuy", "chauthanh"), since="2024-01-06")
    (articles,) = export_datasets(filled_store, tmp_path, selection=both, datasets=["articles"],
                                  formats=["jsonl"])
    assert articles.path.name == "articles-vithuy+chauthanh-since-2024-01-06.jsonl"
    assert [a["url"] for a in jsonl(articles.path)] == [CHAU_THANH, f"{VITHUY}/c.html"]


def test_changed_since_holds_exactly_the_new_and_changed_rows(filled_store, make_article, tmp_path):
    before = {a["url"]: a for a in filled_store.stream_articles()}
    moment = datetime.now(timezone.utc)
    filled_store.upsert_article(make_article(url=f"{VITHUY}/d.html", published="2024-04-01"))
    filled_store.upsert_article(make_article(url=f"{VITHUY}/c.html", published="2024-03-01", view_count=300))
    filled_store.upsert_article(make_article(url=f"{VITHUY}/b.html", published="2023-12-30",
                                             fetched_at="2024-06-01T00:00:00Z"))
    filled_store.upsert_article(make_article(url=f"{VITHUY}/a.html", published="2024-01-05T07:30:00+07:00",
                                             body="Nội dung đã sửa."))
    filled_store.add_view_observation(f"{VITHUY}/d.html", "vithuy", "2024-06-01T00:00:00Z", 7, "article")
    filled_store.add_reject(None, "vithuy", REASONS, {"title": None}, None)
    results = export_datasets(filled_store, tmp_path, selection=Selection(changed_since=moment),
                              formats=["jsonl"])
    rows = {r.dataset: jsonl(r.path) for r in results}
    short = [a["url"].rsplit("/", 1)[1] for a in rows["articles"]]
    assert short == ["a.html", "c.html", "d.html"]
    assert [(a["body"], a["view_count"]) for a in rows["articles"][:2]] == [
        ("Nội dung đã sửa.", 125), (before[f"{VITHUY}/c.html"]["body"], 300)]
    (old,) = rows["article_versions"]
    original = before[f"{VITHUY}/a.html"]
    assert (old["url"], old["body"], old["content_hash"]) == (
        original["url"], original["body"], original["content_hash"])
    assert old["stored_at"] == utc_text(original["first_seen_at"])
    assert old["superseded_at"] == rows["articles"][0]["changed_at"]
    assert [i["article_url"].rsplit("/", 1)[1] for i in rows["images"]] == short
    assert [(o["url"], o["view_count"]) for o in rows["view_observations"]] == [(f"{VITHUY}/d.html", 7)]
    assert [r["item"] for r in rows["rejects"]] == [{"title": None}]
    suffix = utc_text(moment).replace(":", "").replace("-", "")
    assert results[0].path.name == f"articles-all-changed-since-{suffix}.jsonl"
    assert read_manifest(tmp_path)["filters"]["changed_since"] == utc_text(moment)


def test_csv_is_flat_utf8_and_excel_gets_a_byte_order_mark(filled_store, tmp_path):
    export_datasets(filled_store, tmp_path / "plain", formats=["csv", "jsonl"])
    export_datasets(filled_store, tmp_path / "excel", formats=["csv"], excel=True)
    plain = (tmp_path / "plain" / "articles-all.csv").read_bytes()
    excel = (tmp_path / "excel" / "articles-all.csv").read_bytes()
    assert excel == b"\xef\xbb\xbf" + plain and not plain.startswith(b"\xef\xbb\xbf")
    header = plain.decode("utf-8").splitlines()[0]
    assert header.split(",") == list(fields("articles"))
    assert '"[{""src"": ""https://vithuy.haugiang.gov.vn/upload/hn.jpg"", ""alt"": null,' in plain.decode()
    assert read_manifest(tmp_path / "excel")["excel_csv"] is True
    for dataset in DATASETS:
        jsonl_rows = jsonl(tmp_path / "plain" / f"{dataset}-all.jsonl")
        assert list(read_rows(tmp_path / "plain" / f"{dataset}-all.csv", "csv", dataset)) == jsonl_rows
        assert list(read_rows(tmp_path / "excel" / f"{dataset}-all.csv", "csv", dataset)) == jsonl_rows


def test_parquet_columns_are_typed_and_carry_the_schema_version(filled_store, tmp_path):
    export_datasets(filled_store, tmp_path, formats=["parquet", "jsonl"])
    articles = pq.read_schema(tmp_path / "articles-all.parquet")
    assert articles.field("published_day").type == pa.date32()
    assert articles.field("published_at").type == pa.timestamp("us", tz="UTC")
    assert articles.field("view_count").type == pa.int64()
    assert articles.field("images").type == pa.list_(pa.struct(
        [pa.field("src", pa.string(), nullable=False), ("alt", pa.string()), ("caption", pa.string())]))
    assert not articles.field("url").nullable and articles.field("author").nullable
    assert articles.metadata == {b"vinews.dataset": b"articles", b"vinews.schema_version": b"1"}
    assert pq.read_schema(tmp_path / "rejects-all.parquet").field("reasons").type == pa.list_(pa.string())
    table = pq.read_table(tmp_path / "articles-all.parquet")
    assert table.column("published_at").to_pylist()[1] == datetime(2024, 1, 5, 0, 30, tzinfo=timezone.utc)
    for dataset in DATASETS:
        assert list(read_rows(tmp_path / f"{dataset}-all.parquet", "parquet", dataset)) == jsonl(
            tmp_path / f"{dataset}-all.jsonl")


def fail_in(store, monkeypatch, method: str, count: int, error: Exception) -> None:
    """Make ``store.<method>`` yield ``count`` real rows, then fail with ``error``."""
    real = getattr(store, method)

    def interrupted(**filters):
        stream = real(**filters)
        for _ in range(count):
            yield next(stream)
        stream.close()
        raise error

    monkeypatch.setattr(store, method, interrupted)


def test_failure_mid_write_leaves_no_file_and_no_temp_file(filled_store, tmp_path, monkeypatch):
    fail_in(filled_store, monkeypatch, "stream_articles", 2, ConnectionError("database connection lost"))
    with pytest.raises(ConnectionError, match="connection lost"):
        export_datasets(filled_store, tmp_path / "exports", formats=["jsonl", "parquet"])
    assert list((tmp_path / "exports").iterdir()) == []


def test_failure_in_the_last_dataset_removes_the_finished_ones_too(filled_store, tmp_path, monkeypatch):
    fail_in(filled_store, monkeypatch, "stream_rejects", 0, OSError("No space left on device"))
    with pytest.raises(OSError, match="No space left"):
        export_datasets(filled_store, tmp_path / "exports", formats=["csv", "parquet"])
    assert list((tmp_path / "exports").iterdir()) == []


def test_failed_export_keeps_the_previous_files_and_manifest(filled_store, tmp_path, monkeypatch):
    out = tmp_path / "out"
    export_datasets(filled_store, out, formats=["json"])
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    fail_in(filled_store, monkeypatch, "stream_view_observations", 1, OSError("No space left on device"))
    with pytest.raises(OSError, match="No space left"):
        export_datasets(filled_store, out, formats=["json"])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_unknown_format_or_dataset_is_refused_before_writing(store, tmp_path):
    with pytest.raises(ValueError, match="unknown export format"):
        export_datasets(store, tmp_path / "exports", formats=["xlsx"])
    with pytest.raises(ValueError, match="unknown dataset"):
        export_datasets(store, tmp_path / "exports", datasets=["articles", "comments"])
    assert not (tmp_path / "exports").exists()


def test_empty_export_writes_valid_empty_files(store, tmp_path):
    results = export_datasets(store, tmp_path, datasets=["articles"], formats=["jsonl", "json", "csv", "parquet"])
    assert [r.count for r in results] == [0, 0, 0, 0]
    assert (tmp_path / "articles-all.jsonl").read_text(encoding="utf-8") == ""
    assert json.loads((tmp_path / "articles-all.json").read_text(encoding="utf-8")) == []
    assert (tmp_path / "articles-all.csv").read_text(encoding="utf-8").strip() == ",".join(fields("articles"))
    assert pq.read_table(tmp_path / "articles-all.parquet").num_rows == 0


def test_crawl_export_writes_one_portals_articles_without_a_manifest(filled_store, tmp_path):
    results = export_articles(filled_store, tmp_path, site="vithuy")
    assert results == [ExportResult(tmp_path / "articles-vithuy.jsonl", "articles", "jsonl", 3),
                       ExportResult(tmp_path / "articles-vithuy.json", "articles", "json", 3)]
    assert not (tmp_path / "manifest.json").exists()


def test_export_command_takes_formats_datasets_and_a_previous_manifest(filled_store, make_article,
                                                                       store_uri, tmp_path, capsys):
    first = ["export", "--store", store_uri, "--format", "all", "--excel", "--dataset", "articles",
             "--dataset", "images", "--output", str(tmp_path / "full")]
    assert main(first) == 0
    assert sorted(p.name for p in (tmp_path / "full").iterdir()) == sorted(
        ["manifest.json", *(f"{d}-all.{f}" for d in ("articles", "images")
                            for f in ("jsonl", "json", "csv", "parquet"))])
    assert (tmp_path / "full" / "articles-all.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "4 articles rows → " in capsys.readouterr().out
    filled_store.upsert_article(make_article(url=f"{VITHUY}/new.html", published="2024-07-01"))
    again = ["export", "--store", store_uri, "--changed-since", str(tmp_path / "full" / "manifest.json"),
             "--site", "vithuy", "--format", "jsonl", "--output", str(tmp_path / "changes")]
    assert main(again) == 0
    manifest = read_manifest(tmp_path / "changes")
    assert manifest["filters"]["changed_since"] == read_manifest(tmp_path / "full")["exported_at"]
    articles = tmp_path / "changes" / manifest["files"][0]["path"]
    assert [a["url"] for a in jsonl(articles)] == [f"{VITHUY}/new.html"]
    assert main(["export", "--store", store_uri, "--changed-since", "last tuesday",
                 "--output", str(tmp_path / "never")]) == 2
    assert "expected a time such as 2025-06-01T08:00:00Z, a manifest.json or a run id" in capsys.readouterr().err
    assert not (tmp_path / "never").exists()


def test_an_export_removes_what_a_killed_one_left_and_never_a_live_writers_file(store, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    abandoned = out / ".articles-all.jsonl.k1ll3d_x.tmp"  # a writer's pending file, its lock gone with it
    abandoned.write_text('{"url": "half a row', encoding="utf-8")
    unrelated = out / ".notes.tmp"
    unrelated.write_text("not a pending file", encoding="utf-8")
    live = PendingFile(out / "report.md")
    export_datasets(store, out, datasets=["articles"], formats=["jsonl"])
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [live.temp_path.name, ".notes.tmp", "articles-all.jsonl", "manifest.json"])
    live.commit()
    assert remove_abandoned(out) == []
    assert (out / "report.md").exists()
