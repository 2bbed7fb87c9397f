"""``docs/datasets.md``, generated from the dataset JSON Schemas shipped in the package."""

from __future__ import annotations

from vinews_scraper.datasets import (
    DATASETS,
    SCHEMA_VERSION,
    Column,
    columns,
    dataset_schema,
)
from vinews_scraper.formats.parquettable import BATCH_ROWS, arrow_type

DOC_PATH = "docs/datasets.md"

_INTRO = f"""# vinews datasets (schema version {SCHEMA_VERSION})

<!-- Generated from vinews_scraper/schema/<dataset>.schema.json by `vinews schema-docs`;
     do not edit by hand (a test checks this file is up to date). -->

`vinews export` writes each dataset to `<dataset>-<selection>.<format>`, where the selection is
`all` or the portals joined by `+`, followed by the filters (`-category-…`, `-since-…`,
`-until-…`, `-changed-since-…`), and writes `manifest.json` beside them. Every row carries
`schema_version`; every dataset has a JSON Schema (draft 2020-12) in the package:
`vinews_scraper/schema/<dataset>.schema.json`. Field names are stable snake_case; every field is
present in every row (null when there is no value).

## Types in each format

| type | JSON / JSON Lines | CSV | Parquet |
|---|---|---|---|
| string | string | text | `string` |
| integer | number | decimal digits | `int64` |
| date | `"YYYY-MM-DD"` | `YYYY-MM-DD` | `date32` |
| timestamp | `"YYYY-MM-DDTHH:MM:SSZ"`, UTC, `.ffffff` when not whole seconds | same text | `timestamp[us, tz=UTC]` |
| list of strings | array | JSON text | `list<string>` |
| list of records | array of objects | JSON text | `list<struct<…>>` |
| object | object | JSON text | `string` holding JSON text |

Null is JSON `null`, an empty CSV cell (CSV cannot tell an empty text from null; vinews never
stores empty optional text) and a Parquet null. CSV files are UTF-8 with a header row (`--excel`
adds a byte-order mark so Excel reads them as UTF-8). Excel shows at most 32,767 characters in a
cell, and evaluates a cell that starts with `=`, `+`, `-` or `@` as a formula when a CSV file is
opened directly: import it with Data → From Text/CSV instead, which keeps text as text. Parquet
files are written in row groups of {BATCH_ROWS:,} rows and carry `vinews.dataset` and
`vinews.schema_version` in their metadata.

`published`/`modified` keep the article's own format (`YYYY-MM-DD` when the page shows only a day,
`YYYY-MM-DDTHH:MM:SS+07:00` when it shows a time); `*_day` is that local day as a date and `*_at`
the UTC instant when there is a clock time.

## The manifest

`manifest.json` lists the export's `files` (`path`, `dataset`, `format`, `rows`, `bytes`,
`sha256`, `schema`), and records `schema_version`, `vinews_version`, `exported_at` (UTC, when the
export began), `source_store` (password masked), `filters` (`sites`, `category`, `since`, `until`,
`changed_since`) and `excel_csv`. It is renamed into place after every file it lists.
`vinews verify-export DIR` checks the files against it and every row against its schema.
"""


def type_name(column: Column) -> str:
    """How the docs name a column's type."""
    if column.kind == "records":
        members = ", ".join(f"{m.name}{'?' if m.nullable else ''}" for m in column.members)
        return f"list of records {{{members}}}"
    return {"strings": "list of strings", "json": "object"}.get(column.kind, column.kind)


def _notes(spec: dict) -> str:
    notes = [spec.get("description", "")]
    if "const" in spec:
        notes.append(f"Always `{spec['const']}`.")
    if "enum" in spec:
        notes.append("One of " + ", ".join(f"`{v}`" for v in spec["enum"]) + ".")
    if "minimum" in spec:
        notes.append(f"At least {spec['minimum']}.")
    return " ".join(n for n in notes if n).replace("|", "\\|").replace("<", "&lt;")


def dataset_section(dataset: str) -> str:
    schema = dataset_schema(dataset)
    lines = [f"## `{dataset}`", "", schema["description"], "",
             "| field | type | null | Parquet | meaning |", "|---|---|---|---|---|"]
    for column, spec in zip(columns(dataset), schema["properties"].values()):
        lines.append(f"| `{column.name}` | {type_name(column)} | {'yes' if column.nullable else 'no'} "
                     f"| `{arrow_type(column)}` | {_notes(spec)} |")
    return "\n".join(lines) + "\n"


def render() -> str:
    """The whole of ``docs/datasets.md``."""
    return "\n".join([_INTRO, *(dataset_section(d) for d in DATASETS)])
