"""Exports of real replica crawls: every format gives back the same values and types, and
incremental exports after later crawls hold exactly the new and changed rows."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest
from replica_crawl import CrawledReplica

from vinews_scraper.cli import main
from vinews_scraper.datasets import DATASETS, Selection
from vinews_scraper.demo import check_against_truth
from vinews_scraper.export import export_datasets
from vinews_scraper.formats import FORMATS, read_rows
from vinews_scraper.formats.parquettable import arrow_schema
from vinews_scraper.manifest import read_manifest
from vinews_scraper.storage import open_store
from vinews_scraper.verify import verify_export

# What a fetch refreshes without the article changing (see Store.upsert_article).
NOT_CHANGES = {"fetched_at", "last_seen_at", "changed_at", "wayback_timestamp", "archive_url", "warc_file",
               "warc_record_id"}
EDIT = "Đoạn bổ sung sau khi bài được sửa lại."


def export_all(replica: CrawledReplica, directory):
    with open_store(replica.store_uri) as store:
        export_datasets(store, directory, selection=Selection(sites=("replica",)), formats=FORMATS)


def incremental(replica: CrawledReplica, since: str, directory) -> None:
    """``vinews export --changed-since <previous manifest or run id>``, as an analyst runs it."""
    assert main(["export", "--store", replica.store_uri, "--site", "replica", "--format", "jsonl",
                 "--changed-since", since, "--output", str(directory)]) == 0


def dataset_rows(directory, dataset: str, fmt: str = "jsonl") -> list[dict]:
    (entry,) = [f for f in read_manifest(directory)["files"]
                if f["dataset"] == dataset and f["format"] == fmt]
    return list(read_rows(directory / entry["path"], fmt, dataset))


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    """Crawl 1 → full export; 3 articles published and views bumped, crawl 2 → incremental and
    full exports; one article's text edited, crawl 3 with --refresh → incremental and full exports."""
    tmp = tmp_path_factory.mktemp("replica-exports")
    replica = CrawledReplica(tmp, tmp / "vinews.sqlite3")
    try:
        replica.crawl()
        truth_first = replica.portal.expected_items(replica.base_url)
        with open_store(replica.store_uri) as store:
            store.add_reject(replica.base_url + "/bad", "replica", ["$.title: None is not of type 'string'"],
                             {"url": replica.base_url + "/bad", "title": None}, None)
        export_all(replica, tmp / "full1")
        new = replica.portal.publish(3)
        replica.portal.bump_views(5)
        replica.crawl()
        incremental(replica, str(tmp / "full1" / "manifest.json"), tmp / "changes2")
        with open_store(replica.store_uri) as store:
            second_run = store.runs(site="replica")[0]["run_id"]
        incremental(replica, second_run, tmp / "changes2-run")
        export_all(replica, tmp / "full2")
        edited = replica.portal.articles[7]
        with replica.portal.lock:
            edited.paragraphs.append(EDIT)
        replica.crawl("--refresh")
        incremental(replica, str(tmp / "full2"), tmp / "changes3")
        export_all(replica, tmp / "full3")
        yield {"tmp": tmp, "replica": replica, "truth_first": truth_first,
               "new": [replica.base_url + a.path for a in new], "edited": replica.base_url + edited.path}
    finally:
        replica.stop()


def changed_rows(after: list[dict], before: list[dict]) -> list[dict]:
    """Rows of ``after`` that are new or differ from ``before`` in anything but fetch details."""
    def essence(row):
        return {k: v for k, v in row.items() if k not in NOT_CHANGES}

    previous = {row["url"]: essence(row) for row in before}
    return [row for row in after if previous.get(row["url"]) != essence(row)]


def test_every_format_gives_back_what_the_replica_published(crawls):
    full1 = crawls["tmp"] / "full1"
    for fmt in FORMATS:
        articles = dataset_rows(full1, "articles", fmt)
        check = check_against_truth(articles, crawls["truth_first"])
        assert check.ok and check.stored == 120, (fmt, check.lines())


def test_every_format_round_trips_every_dataset_with_the_same_values(crawls):
    full3 = crawls["tmp"] / "full3"
    assert verify_export(full3) == []
    counts = {}
    for dataset in DATASETS:
        rows = dataset_rows(full3, dataset)
        counts[dataset] = len(rows)
        for fmt in ("json", "csv", "parquet"):
            assert dataset_rows(full3, dataset, fmt) == rows, (dataset, fmt)
    assert counts["articles"] == 123 and counts["article_versions"] == 1 and counts["rejects"] == 1
    assert counts["images"] > 100 and counts["attachments"] > 10 and counts["view_observations"] > 300


def test_parquet_keeps_the_column_types_for_arrow_pandas(crawls):
    full3 = crawls["tmp"] / "full3"
    for dataset in DATASETS:
        assert pq.read_schema(full3 / f"{dataset}-replica.parquet") == arrow_schema(dataset)
    frame = pd.read_parquet(full3 / "articles-replica.parquet", dtype_backend="pyarrow")
    dtypes = {name: str(dtype) for name, dtype in frame.dtypes.items()}
    assert dtypes["view_count"] == "int64[pyarrow]"
    assert dtypes["published_day"] == "date32[day][pyarrow]"
    assert dtypes["published_at"] == dtypes["first_seen_at"] == "timestamp[us, tz=UTC][pyarrow]"
    assert frame["images"].map(len).sum() == len(dataset_rows(full3, "images"))


def test_incremental_export_after_a_second_crawl_holds_exactly_the_new_rows(crawls):
    tmp = crawls["tmp"]
    full1, changes, full2 = tmp / "full1", tmp / "changes2", tmp / "full2"
    articles = dataset_rows(changes, "articles")
    assert articles == changed_rows(dataset_rows(full2, "articles"), dataset_rows(full1, "articles"))
    assert sorted(a["url"] for a in articles) == sorted(crawls["new"])
    for dataset in ("images", "attachments"):
        want = [r for r in dataset_rows(full2, dataset) if r["article_url"] in crawls["new"]]
        assert dataset_rows(changes, dataset) == want
    observations_before = dataset_rows(full1, "view_observations")
    observations = dataset_rows(full2, "view_observations")
    assert observations[:len(observations_before)] == observations_before
    assert dataset_rows(changes, "view_observations") == observations[len(observations_before):]
    assert {o["seen_on"] for o in observations[len(observations_before):]} == {"article", "listing"}
    assert dataset_rows(changes, "article_versions") == dataset_rows(changes, "rejects") == []


def test_changes_since_the_second_run_are_the_changes_since_the_first_export(crawls):
    """Nothing changed between the export after crawl 1 and the start of crawl 2."""
    tmp = crawls["tmp"]
    by_run, by_manifest = tmp / "changes2-run", tmp / "changes2"
    assert read_manifest(by_run)["filters"]["changed_since"] > read_manifest(by_manifest)["filters"]["changed_since"]
    for dataset in DATASETS:
        assert dataset_rows(by_run, dataset) == dataset_rows(by_manifest, dataset), dataset


def test_incremental_export_after_a_refresh_holds_the_changed_rows_and_the_old_content(crawls):
    tmp = crawls["tmp"]
    full2, changes, full3 = tmp / "full2", tmp / "changes3", tmp / "full3"
    articles = dataset_rows(changes, "articles")
    before, after = dataset_rows(full2, "articles"), dataset_rows(full3, "articles")
    assert articles == changed_rows(after, before)
    edited = next(a for a in articles if a["url"] == crawls["edited"])
    assert edited["body"].endswith(EDIT)
    assert all(a["view_count"] is not None for a in articles if a["url"] != crawls["edited"])
    (version,) = dataset_rows(changes, "article_versions")
    old = next(a for a in before if a["url"] == crawls["edited"])
    assert {k: version[k] for k in ("body", "title", "content_hash")} == {
        k: old[k] for k in ("body", "title", "content_hash")}
    assert version["superseded_at"] == edited["changed_at"]
    observations_before = dataset_rows(full2, "view_observations")
    assert dataset_rows(changes, "view_observations") == dataset_rows(full3, "view_observations")[
        len(observations_before):]
