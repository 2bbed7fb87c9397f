"""``vinews demo``: the whole pipeline against a local replica portal, offline.

Starts the replica on 127.0.0.1, crawls it with the real spider and pipelines into a fresh SQLite
store, exports every dataset in every format with a manifest, writes the HTML report, and checks
every stored article field by field against the replica's truth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

CHECKED_FIELDS = ("canonical_url", "site", "category", "title", "published", "published_raw",
                  "modified", "view_count", "author", "source", "body", "images", "attachments")


@dataclass
class TruthCheck:
    """How stored articles compare with what the replica published."""

    expected: int
    stored: int
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    mismatches: dict[str, list[str]] = field(default_factory=dict)  # field → URLs

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unexpected or self.mismatches)

    def lines(self) -> list[str]:
        out = [f"{self.stored} stored of {self.expected} published; "
               f"{len(self.missing)} missing, {len(self.unexpected)} unexpected"]
        for name in CHECKED_FIELDS:
            wrong = self.mismatches.get(name, [])
            out.append(f"  {name:14} {self.expected - len(self.missing) - len(wrong)}/"
                       f"{self.expected - len(self.missing)} right"
                       + (f"  (e.g. {wrong[0]})" if wrong else ""))
        return out


def check_against_truth(stored: list[dict], expected: list[dict]) -> TruthCheck:
    """Compare stored items with the replica's expected items, field by field."""
    by_url = {item["url"]: item for item in stored}
    truth = {item["url"]: item for item in expected}
    check = TruthCheck(expected=len(truth), stored=len(by_url))
    check.missing = sorted(set(truth) - set(by_url))
    check.unexpected = sorted(set(by_url) - set(truth))
    for url, want in truth.items():
        got = by_url.get(url)
        if got is None:
            continue
        for name in CHECKED_FIELDS:
            if name in want and got.get(name) != want[name]:
                check.mismatches.setdefault(name, []).append(url)
    return check


def run_demo(output: Path, articles: int = 240) -> int:
    from .cli import run_crawl
    from .datasets import Selection
    from .export import export_datasets
    from .formats import FORMATS
    from .registry import load_registry
    from .replica.portal import Portal
    from .replica.server import ReplicaServer
    from .report import write_report
    from .storage import open_store

    output.mkdir(parents=True, exist_ok=True)
    database = output / "vinews-demo.sqlite3"
    for stale in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        stale.unlink(missing_ok=True)
    portal = Portal.generate(articles=articles)
    with ReplicaServer(portal) as server:
        base_url = server.base_url
        registry_file = output / "replica-sites.toml"
        registry_file.write_text(portal.registry_toml(base_url), encoding="utf-8")
        site = load_registry(registry_file).site("replica")
        print(f"replica portal with {articles} articles serving at {base_url}")
        store_uri = f"sqlite:///{database}"
        stats = run_crawl([site], {
            "VINEWS_STORE_URI": store_uri, "LOG_LEVEL": "WARNING", "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
            "VINEWS_REPORTS_DIR": str(output / "reports"),
        }, {})["replica"]
        expected = portal.expected_items(base_url)
    with open_store(store_uri) as store:
        stored = list(store.iter_articles(site="replica"))
        exports = export_datasets(store, output, selection=Selection(sites=("replica",)), formats=FORMATS)
        write_report(store, output / "report.html")
        counts = store.counts()
    check = check_against_truth(stored, expected)
    print(f"crawl finished ({stats.get('finish_reason')}): "
          f"{stats.get('vinews/articles_new', 0)} new articles, "
          f"{stats.get('vinews/listing_pages', 0)} listing pages, "
          f"{counts.get('view_observations', 0)} view observations, "
          f"{counts.get('rejects', 0)} rejects, {counts.get('failures', 0)} failures")
    print(f"store:  {database}")
    for dataset in dict.fromkeys(r.dataset for r in exports):
        files = [r for r in exports if r.dataset == dataset]
        print(f"export: {dataset:17} {files[0].count:4} rows → "
              f"{files[0].path.with_suffix('')}.{{{','.join(r.format for r in files)}}}")
    print(f"manifest: {output / 'manifest.json'}")
    print(f"report: {output / 'report.html'}")
    print("check against the replica's truth:")
    for line in check.lines():
        print("  " + line)
    return 0 if check.ok and stats.get("finish_reason") == "finished" else 1
