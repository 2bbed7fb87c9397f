"""The dataset JSON Schemas, the docs generated from them, and exports of earlier versions."""

import hashlib
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from vinews_scraper.cli import main
from vinews_scraper.datasets import (
    DATASETS,
    KINDS,
    SCHEMA_VERSION,
    Selection,
    columns,
    dataset_schema,
    fields,
)
from vinews_scraper.export import export_datasets
from vinews_scraper.items import article_schema
from vinews_scraper.manifest import read_manifest
from vinews_scraper.schema_docs import DOC_PATH, render
from vinews_scraper.verify import verify_export

REPO = Path(__file__).resolve().parents[1]
FIXTURE_V1 = Path(__file__).parent / "fixtures" / "export-v1"


@pytest.mark.parametrize("dataset", DATASETS)
def test_each_dataset_schema_is_valid_and_versioned(dataset):
    schema = dataset_schema(dataset)
    Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    assert schema["required"] == list(schema["properties"]) and schema["additionalProperties"] is False
    assert all(name.islower() and name.replace("_", "").isalnum() for name in fields(dataset))
    assert all(c.kind in KINDS for c in columns(dataset))


@pytest.mark.parametrize("dataset", ["articles", "article_versions"])
def test_article_datasets_carry_every_item_field_as_the_item_schema_types_it(dataset):
    item = article_schema()["properties"]
    props = dataset_schema(dataset)["properties"]
    fix = (f"copy the item field's schema into vinews_scraper/schema/{dataset}.schema.json, "
           "then run `vinews schema-docs`")
    for name, spec in item.items():
        assert name in props, f"{dataset} lacks the item field {name}: {fix}"
        assert props[name]["type"] == spec.get("type", "string"), f"{name}: {fix}"
        if name not in ("schema_version", "fetched_at"):
            assert props[name] == spec, f"{name}: {fix}"


def test_timestamps_are_utc_with_an_explicit_zone_and_days_are_dates():
    kinds = {(d, c.name): c.kind for d in DATASETS for c in columns(d)}
    assert kinds[("articles", "published_at")] == kinds[("articles", "fetched_at")] == "timestamp"
    assert kinds[("articles", "published_day")] == "date"
    assert kinds[("view_observations", "observed_at")] == kinds[("rejects", "rejected_at")] == "timestamp"
    validator = Draft202012Validator(dataset_schema("view_observations"))
    row = {"schema_version": "1", "url": "https://a.gov.vn/x.html", "site": "a", "view_count": 1,
           "seen_on": "listing"}
    assert validator.is_valid({**row, "observed_at": "2024-02-01T03:00:00.123456Z"})
    for zoneless in ("2024-02-01T03:00:00", "2024-02-01T10:00:00+07:00", "2024-02-01"):
        assert not validator.is_valid({**row, "observed_at": zoneless})


def test_committed_dataset_docs_are_generated_from_the_schemas():
    assert (REPO / DOC_PATH).read_text(encoding="utf-8") == render(), "run `vinews schema-docs`"
    assert main(["schema-docs", "--check", "--output", str(REPO / DOC_PATH)]) == 0


def test_schema_docs_command_writes_and_checks(tmp_path, capsys):
    target = tmp_path / "datasets.md"
    assert main(["schema-docs", "--check", "--output", str(target)]) == 1
    assert "out of date" in capsys.readouterr().err
    assert main(["schema-docs", "--output", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert text.count("\n## `") == len(DATASETS)
    assert "| `published_at` | timestamp | yes | `timestamp[us, tz=UTC]` |" in text
    assert main(["schema-docs", "--check", "--output", str(target)]) == 0


def test_an_export_made_by_schema_version_1_still_validates():
    """``fixtures/export-v1`` was written by schema version 1. When the version changes, keep it:
    this test must then pass through the migration that reads version 1 exports."""
    manifest = read_manifest(FIXTURE_V1)
    assert manifest["schema_version"] == "1"
    assert {(f["dataset"], f["format"]) for f in manifest["files"]} == {
        (d, f) for d in DATASETS for f in ("jsonl", "json", "csv", "parquet")}
    assert {f["dataset"]: f["rows"] for f in manifest["files"]} == {
        "articles": 3, "article_versions": 1, "view_observations": 2, "images": 4, "attachments": 2,
        "rejects": 1}
    assert verify_export(FIXTURE_V1) == []
    assert main(["verify-export", str(FIXTURE_V1)]) == 0


def test_verify_reports_a_changed_file_a_bad_row_and_another_version(tmp_path, store, make_article):
    store.upsert_article(make_article())
    export_datasets(store, tmp_path, selection=Selection(sites=("vithuy",)), datasets=["articles"])
    assert verify_export(tmp_path) == []
    path = tmp_path / "articles-vithuy.jsonl"
    path.write_text(path.read_text(encoding="utf-8").replace('"view_count": 125', '"view_count": -1'),
                    encoding="utf-8")
    assert verify_export(tmp_path) == ["articles-vithuy.jsonl: size or sha256 differs from the manifest"]
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    entry = next(f for f in manifest["files"] if f["path"] == path.name)
    entry.update(bytes=path.stat().st_size, sha256=hashlib.sha256(path.read_bytes()).hexdigest())
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert verify_export(tmp_path) == ["articles-vithuy.jsonl row 1 view_count: -1 is less than the minimum of 0"]
    manifest["schema_version"] = "0"
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert verify_export(tmp_path) == ["the export has schema version 0, this vinews reads version 1"]
