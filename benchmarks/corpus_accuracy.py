"""Field accuracy of the vinews extraction over the development corpus (tests/corpus).

For every page ``tests/corpus/<family>/<name>.html`` with its ``<name>.json``
(``{"url": ..., "expected": {...}}``) this runs ``normalize_item(extract_article(html, url))`` and
counts, per field, the share of pages where the field is exactly the expected value; then the
results per family and the list of mismatches (expected vs got, truncated).

    .venv/bin/python benchmarks/corpus_accuracy.py [--corpus DIR] [--trafilatura] [--family NAME] [--width N]

``--corpus DIR`` scores another corpus of the same layout instead (e.g. ``tests/heldout``); a page whose
JSON records the HTTP ``content_type`` is extracted with it, as the crawler would.

``--trafilatura`` also scores ``trafilatura.bare_extraction`` (with metadata) in the same run on the
fields it has: title, the published day (``published`` cut to YYYY-MM-DD, as trafilatura gives no
time), author and body (its lines taken as paragraphs). vinews is scored on the same derived
"published day" so the two columns compare. The exit code is always 0: this is a report, not a gate.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import traceback
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
FIELDS = (
    "title", "published", "published_raw", "modified", "view_count", "author", "source", "category",
    "body", "images", "attachments", "canonical_url",
)
TRAFILATURA_FIELDS = ("title", "published_day", "author", "body")
WHITESPACE = re.compile(r"[\s\u00a0\u200b\u2000-\u200a\u202f\u205f\u3000\ufeff]+")

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@dataclass
class Page:
    family: str
    name: str
    url: str
    html: bytes
    expected: dict
    content_type: str | None = None

    @property
    def id(self) -> str:
        return f"{self.family}/{self.name}"


@dataclass
class Score:
    """Per-field hits over pages, plus the mismatches."""

    hits: dict = field(default_factory=lambda: defaultdict(int))
    totals: dict = field(default_factory=lambda: defaultdict(int))
    mismatches: list = field(default_factory=list)
    errors: dict = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, page: Page, name: str, expected, got) -> bool:
        self.totals[name] += 1
        if expected == got:
            self.hits[name] += 1
            return True
        self.mismatches.append((page.id, name, expected, got))
        return False


def load_pages(corpus: Path, family: str | None) -> list[Page]:
    pages = []
    for spec in sorted(corpus.glob("*/*.json")):
        if family and spec.parent.name != family:
            continue
        data = json.loads(spec.read_text(encoding="utf-8"))
        pages.append(Page(spec.parent.name, spec.stem, data["url"], spec.with_suffix(".html").read_bytes(),
                          data["expected"], data.get("content_type")))
    return pages


def clean(text: str | None) -> str:
    return unicodedata.normalize("NFC", WHITESPACE.sub(" ", text or "")).strip()


def published_day(value: str | None) -> str | None:
    return value[:10] if value else None


def short(value, width: int) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def shown_pair(expected, got, width: int) -> tuple[str, str, str]:
    """Expected and got, truncated; long strings are cut around their first difference."""
    if not (isinstance(expected, str) and isinstance(got, str)) or max(len(expected), len(got)) <= width - 2:
        return short(expected, width), short(got, width), ""
    at = next((i for i, (a, b) in enumerate(zip(expected, got)) if a != b), min(len(expected), len(got)))
    start = max(0, at - width // 3)

    def cut(text: str) -> str:
        piece = text[start:start + width - 2]
        return ("…" if start else "") + repr(piece)[1:-1] + ("…" if start + width - 2 < len(text) else "")
    paragraph = expected[:at].count("\n\n") + 1
    return cut(expected), cut(got), f" (first difference at character {at}, paragraph {paragraph})"


# ------------------------------------------------------------------------------------------------
# vinews


def score_vinews(pages: list[Page]) -> tuple[Score, dict]:
    """Score the project's extraction; returns the score and per-family (fields right, fields, pages right)."""
    score = Score()
    families: dict = defaultdict(lambda: [0, 0, 0, 0])  # fields right, fields, pages right, pages
    try:
        from pipelines.normalize import normalize_item
        from vinews_scraper.extraction import extract_article
    except Exception as exc:  # the extractor may not exist yet: score everything as wrong
        message = f"import failed: {type(exc).__name__}: {exc}"
        extract = None
    else:
        message = None

        def extract(page: Page) -> dict:
            if page.content_type is not None:
                return normalize_item(extract_article(page.html, page.url, content_type=page.content_type))
            return normalize_item(extract_article(page.html, page.url))

    start = time.perf_counter()
    for page in pages:
        got: dict = {}
        if extract is None:
            score.errors[page.id] = message
        else:
            try:
                got = extract(page)
            except Exception as exc:
                where = traceback.extract_tb(exc.__traceback__)[-1]
                score.errors[page.id] = (f"{type(exc).__name__}: {exc} "
                                         f"(at {Path(where.filename).name}:{where.lineno} in {where.name})")
        right = 0
        for name in FIELDS:
            value = got.get(name, "<error>") if got else "<error>"
            right += score.add(page, name, page.expected[name], value)
        score.add(page, "published_day", published_day(page.expected["published"]),
                  published_day(got.get("published")) if got else "<error>")
        fam = families[page.family]
        fam[0] += right
        fam[1] += len(FIELDS)
        fam[2] += right == len(FIELDS)
        fam[3] += 1
    score.seconds = time.perf_counter() - start
    return score, families


# ------------------------------------------------------------------------------------------------
# trafilatura


def score_trafilatura(pages: list[Page]) -> Score:
    score = Score()
    try:
        import trafilatura
    except ImportError as exc:
        score.errors["*"] = f"trafilatura is not installed: {exc}"
        return score
    start = time.perf_counter()
    for page in pages:
        got: dict = {}
        try:
            doc = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True, include_comments=False)
            if doc is not None:
                got = doc if isinstance(doc, dict) else (doc.as_dict() if hasattr(doc, "as_dict") else vars(doc))
        except Exception as exc:
            score.errors[page.id] = f"{type(exc).__name__}: {exc}"
        lines = [clean(line) for line in (got.get("text") or "").split("\n")]
        body = "\n\n".join(line for line in lines if line)
        score.add(page, "title", page.expected["title"], clean(got.get("title")) or None)
        score.add(page, "published_day", published_day(page.expected["published"]), got.get("date") or None)
        score.add(page, "author", page.expected["author"], clean(got.get("author")) or None)
        score.add(page, "body", page.expected["body"], body)
    score.seconds = time.perf_counter() - start
    return score


# ------------------------------------------------------------------------------------------------
# report


def pct(hits: int, total: int) -> str:
    return f"{100 * hits / total:5.1f}% ({hits}/{total})" if total else "    -"


def report(pages: list[Page], vinews: Score, families: dict, trafi: Score | None, width: int,
           corpus: Path = CORPUS) -> None:
    n = len(pages)
    print(f"Corpus: {n} pages in {len({p.family for p in pages})} families ({_shown_path(corpus)})")
    print(f"vinews extraction: {vinews.seconds:.2f}s" + (f"; trafilatura: {trafi.seconds:.2f}s" if trafi else ""))
    print()
    header = f"{'field':<16} {'vinews':>18}"
    if trafi:
        header += f" {'trafilatura':>18}"
    print(header)
    print("-" * len(header))
    for name in (*FIELDS, "published_day"):
        line = f"{name:<16} {pct(vinews.hits[name], vinews.totals[name]):>18}"
        if trafi:
            line += f" {pct(trafi.hits[name], trafi.totals[name]) if name in TRAFILATURA_FIELDS else '':>18}"
        print(line)
    all_right = sum(v[2] for v in families.values())
    print(f"{'all fields':<16} {pct(all_right, n):>18}   (pages with every field right)")
    print()
    print(f"{'family':<26} {'pages':>5} {'pages all right':>16} {'fields right':>20}")
    for fam in sorted(families):
        right, total, pages_right, count = families[fam]
        print(f"{fam:<26} {count:>5} {pages_right:>16} {pct(right, total):>20}")
    messages = set(vinews.errors.values())
    if len(vinews.errors) == n and len(messages) == 1 and next(iter(messages)).startswith("import failed"):
        print()
        print(f"vinews extraction unavailable ({next(iter(messages))}); every field is scored wrong.")
        shown = []
    else:
        if vinews.errors:
            print()
            print(f"Extraction errors ({len(vinews.errors)}):")
            for page_id, message in vinews.errors.items():
                print(f"  {page_id}: {short(message, width * 2)}")
        print()
        shown = [m for m in vinews.mismatches if m[1] != "published_day"]
        print(f"vinews mismatches ({len(shown)}):")
    for page_id, name, expected, got in shown:
        if page_id in vinews.errors and got == "<error>":
            continue
        want, have, where = shown_pair(expected, got, width)
        print(f"  {page_id} [{name}]{where}")
        print(f"      expected: {want}")
        print(f"      got:      {have}")
    if trafi:
        print()
        if trafi.errors:
            for page_id, message in trafi.errors.items():
                print(f"  trafilatura error {page_id}: {short(message, width)}")
        print(f"trafilatura mismatches ({len(trafi.mismatches)}):")
        for page_id, name, expected, got in trafi.mismatches:
            want, have, where = shown_pair(expected, got, width)
            print(f"  {page_id} [{name}]{where}")
            print(f"      expected: {want}")
            print(f"      got:      {have}")


def _shown_path(path: Path) -> Path:
    try:
        return path.resolve().relative_to(ROOT)
    except ValueError:
        return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trafilatura", action="store_true", help="also score trafilatura.bare_extraction")
    parser.add_argument("--corpus", type=Path, default=CORPUS,
                        help="corpus directory of <family>/<name>.html + .json pages (default: tests/corpus)")
    parser.add_argument("--family", help="only the pages of this family (a subdirectory of the corpus)")
    parser.add_argument("--width", type=int, default=160, help="truncate shown values to this many characters")
    args = parser.parse_args(argv)
    pages = load_pages(args.corpus, args.family)
    if not pages:
        print(f"no corpus pages found under {args.corpus}" + (f" for family {args.family!r}" if args.family else ""))
        return 0
    vinews, families = score_vinews(pages)
    trafi = score_trafilatura(pages) if args.trafilatura else None
    report(pages, vinews, families, trafi, args.width, args.corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
