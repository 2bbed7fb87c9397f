"""End-to-end: the real spider, pipelines and store against the replica portal on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vinews_scraper.demo import check_against_truth
from vinews_scraper.replica.portal import Portal
from vinews_scraper.replica.server import ReplicaServer
from vinews_scraper.storage import open_store

REPO = Path(__file__).resolve().parents[1]
FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False",
        "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "--log-level", "WARNING"]


def vinews(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "VINEWS_DATABASE_URL"}
    return subprocess.run([sys.executable, "-m", "vinews_scraper.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


class Replica:
    def __init__(self, tmp: Path, articles: int = 240):
        self.portal = Portal.generate(articles=articles)
        self.server = ReplicaServer(self.portal)
        self.base_url = self.server.start()
        self.tmp = tmp
        self.registry = tmp / "replica-sites.toml"
        self.registry.write_text(self.portal.registry_toml(self.base_url), encoding="utf-8")
        self.store_uri = f"sqlite:///{tmp / 'vinews.sqlite3'}"

    def crawl(self, *extra: str) -> subprocess.CompletedProcess:
        return vinews("crawl", "replica", "--registry", str(self.registry), "--store", self.store_uri,
                      "--output", str(self.tmp / "out"), *FAST, *extra, cwd=self.tmp)

    def add_listing_url(self, url: str) -> None:
        """Put ``url`` first among the registry entry's listing URLs."""
        entry = self.registry.read_text(encoding="utf-8")
        self.registry.write_text(entry.replace("listing_urls = [", f'listing_urls = ["{url}", '), encoding="utf-8")

    def stored(self) -> list[dict]:
        with open_store(self.store_uri) as store:
            return list(store.iter_articles(site="replica"))

    def article_paths(self, requests) -> list[str]:
        article_urls = {item["url"] for item in self.portal.expected_items(self.base_url)}
        return [p for p in requests if self.base_url + p in article_urls]

    def listing_paths(self, requests) -> list[str]:
        categories = {c.path for c in self.portal.categories}
        return [p for p in requests if p.split("?")[0] in categories]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """A full crawl of the replica, then a second one after 3 new articles and more views."""
    replica = Replica(tmp_path_factory.mktemp("replica"))
    first = replica.crawl()
    first_requests = list(replica.server.requests)
    stored_first = replica.stored()
    expected_first = replica.portal.expected_items(replica.base_url)
    replica.portal.publish(3)
    replica.portal.bump_views(5)
    del replica.server.requests[:]
    second = replica.crawl()
    yield {"replica": replica, "first": first, "first_requests": first_requests,
           "stored_first": stored_first, "expected_first": expected_first, "second": second,
           "second_requests": list(replica.server.requests)}
    replica.server.stop()


def test_first_crawl_stores_every_article_with_every_field_right(crawled):
    assert crawled["first"].returncode == 0, crawled["first"].stderr[-3000:]
    check = check_against_truth(crawled["stored_first"], crawled["expected_first"])
    assert check.missing == [] and check.unexpected == []
    assert check.mismatches == {}, {k: v[:3] for k, v in check.mismatches.items()}
    assert len(crawled["stored_first"]) == len(crawled["expected_first"]) >= 240


def test_a_crawl_that_reads_pages_in_its_own_process_stores_every_field_right(tmp_path):
    """``VINEWS_EXTRACTION_PROCESSES=0``: no worker process; the same articles as with one."""
    replica = Replica(tmp_path)
    try:
        result = replica.crawl("--set", "VINEWS_EXTRACTION_PROCESSES=0")
        assert result.returncode == 0, result.stderr[-3000:]
        check = check_against_truth(replica.stored(), replica.portal.expected_items(replica.base_url))
    finally:
        replica.server.stop()
    assert check.missing == [] and check.unexpected == [] and check.mismatches == {}


def test_first_crawl_fetches_each_article_once_and_exports_json(crawled):
    replica = crawled["replica"]
    paths = replica.article_paths(crawled["first_requests"])
    assert len(paths) == len(set(paths)) == len(crawled["expected_first"])
    out = replica.tmp / "out"
    lines = (out / "articles-replica.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(crawled["expected_first"]) + 3  # the export after the second crawl
    exported = json.loads((out / "articles-replica.json").read_text(encoding="utf-8"))
    assert {item["url"] for item in exported} == {json.loads(line)["url"] for line in lines}


def test_second_crawl_fetches_only_new_articles(crawled):
    assert crawled["second"].returncode == 0, crawled["second"].stderr[-3000:]
    replica = crawled["replica"]
    fetched = replica.article_paths(crawled["second_requests"])
    known = {item["url"] for item in crawled["stored_first"]}
    new = [replica.base_url + p for p in fetched]
    assert len(new) == 3 and not set(new) & known
    check = check_against_truth(replica.stored(), replica.portal.expected_items(replica.base_url))
    assert check.missing == [] and check.mismatches.keys() <= {"view_count"}


def test_second_crawl_records_current_view_counts_from_listings(crawled):
    replica = crawled["replica"]
    expected = {i["url"]: i["view_count"] for i in replica.portal.expected_items(replica.base_url)}
    with open_store(replica.store_uri) as store:
        for item in crawled["stored_first"][-20:]:  # the newest: an incremental crawl stops before old ones
            observations = store.view_observations(item["url"])
            seen = [o["view_count"] for o in observations]
            if item["view_count"] is None:
                continue
            assert seen[0] == item["view_count"]
            assert seen[-1] == expected[item["url"]] == item["view_count"] + 5


def test_crawl_options_limit_what_is_fetched(tmp_path):
    replica = Replica(tmp_path, articles=60)
    try:
        result = replica.crawl("--max-articles", "7")
        assert result.returncode == 0, result.stderr[-2000:]
        first = {i["url"] for i in replica.stored()}
        assert len(first) == 7
        truth = {i["url"]: i for i in replica.portal.expected_items(replica.base_url)}
        days = sorted((i["published"][:10] for i in truth.values()), reverse=True)
        since = days[20]
        del replica.server.requests[:]
        result = replica.crawl("--since", since)
        assert result.returncode == 0, result.stderr[-2000:]
        fetched = {replica.base_url + p for p in replica.article_paths(replica.server.requests)}
        want = {url for url, i in truth.items() if i["published"][:10] >= since}
        assert fetched == want - first
        assert {i["url"] for i in replica.stored()} == want | first
    finally:
        replica.server.stop()


def test_recrawl_stops_after_known_articles_and_full_walks_every_page(tmp_path):
    replica = Replica(tmp_path, articles=60)
    try:
        result = replica.crawl()
        assert result.returncode == 0, result.stderr[-2000:]
        all_pages = sorted(replica.listing_paths(replica.server.requests))
        first_pages = sorted(c.path for c in replica.portal.categories)
        assert len(all_pages) == 10 and len(first_pages) == 5
        new = sorted(a.path for a in replica.portal.publish(3))
        del replica.server.requests[:]
        result = replica.crawl("--set", "VINEWS_INCREMENTAL_STOP_AFTER=5")
        assert result.returncode == 0, result.stderr[-2000:]
        assert sorted(replica.listing_paths(replica.server.requests)) == first_pages
        assert sorted(replica.article_paths(replica.server.requests)) == new
        del replica.server.requests[:]
        result = replica.crawl("--full", "--set", "VINEWS_INCREMENTAL_STOP_AFTER=5")
        assert result.returncode == 0, result.stderr[-2000:]
        assert sorted(replica.listing_paths(replica.server.requests)) == all_pages
        assert replica.article_paths(replica.server.requests) == []
        with open_store(replica.store_uri) as store:
            assert [r["full_walk"] for r in store.runs(site="replica")] == [1, 0, 1]
        assert len(replica.stored()) == 63
    finally:
        replica.server.stop()


def test_taken_down_article_is_kept_marked_and_exported(tmp_path):
    replica = Replica(tmp_path, articles=20)
    try:
        assert replica.crawl().returncode == 0
        gone = replica.portal.articles[4]
        url = replica.base_url + gone.path
        replica.portal.take_down(gone)
        result = replica.crawl("--refresh")
        assert result.returncode == 0, result.stderr[-2000:]
        assert "1 failed" in result.stdout
        with open_store(replica.store_uri) as store:
            (failure,) = store.failures()
            assert (failure["url"], failure["status"], failure["reason"]) == (url, 410, "HTTP 410")
            assert store.taken_down("replica") == {url: failure["failed_at"]}
            assert store.get_article(url)["title"] == gone.title
        assert len(replica.stored()) == 20
        lines = (tmp_path / "out" / "articles-replica.jsonl").read_text(encoding="utf-8").splitlines()
        assert url in {json.loads(line)["url"] for line in lines} and len(lines) == 20
    finally:
        replica.server.stop()


def test_scrapy_crawl_works_from_the_project_directory(tmp_path):
    replica = Replica(tmp_path, articles=40)
    try:
        env = {**os.environ, "VINEWS_DATABASE_URL": replica.store_uri}
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", "site=replica",
             "-a", f"registry={replica.registry}", "-a", "max_articles=5",
             "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING",
             "-s", f"VINEWS_WARC_DIR={tmp_path / 'warc'}", "-s", f"VINEWS_REPORTS_DIR={tmp_path / 'reports'}"],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-2000:]
        assert len(replica.stored()) == 5
    finally:
        replica.server.stop()


def test_parse_command_prints_the_item_of_a_saved_replica_page(tmp_path):
    replica = Replica(tmp_path, articles=30)
    try:
        truth = replica.portal.expected_items(replica.base_url)[0]
        import urllib.request

        with urllib.request.urlopen(truth["url"]) as response:
            page = tmp_path / "page.html"
            page.write_bytes(response.read())
            content_type = response.headers["Content-Type"]
        result = vinews("parse", str(page), "--url", truth["url"], "--content-type", content_type,
                        "--registry", str(replica.registry), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        item = json.loads(result.stdout)
        assert check_against_truth([item], [truth]).ok
    finally:
        replica.server.stop()


def test_demo_runs_offline_and_reports_every_field_right(tmp_path):
    result = vinews("demo", "--output", str(tmp_path / "demo"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "240 stored of 240 published; 0 missing, 0 unexpected" in result.stdout
    assert (tmp_path / "demo" / "articles-replica.jsonl").exists()


def test_crawl_into_postgresql_stores_the_same_articles(tmp_path, postgres_database_uri):
    replica = Replica(tmp_path, articles=30)
    try:
        replica.store_uri = postgres_database_uri
        result = replica.crawl()
        assert result.returncode == 0, result.stderr[-2000:]
        check = check_against_truth(replica.stored(), replica.portal.expected_items(replica.base_url))
        assert check.stored == 30 and check.ok, check.lines()
    finally:
        replica.server.stop()


def test_export_command_filters_by_site_and_dates(crawled, tmp_path):
    replica = crawled["replica"]
    items = replica.stored()
    days = sorted(i["published"][:10] for i in items)
    since, until = days[50], days[150]
    result = vinews("export", "--site", "replica", "--since", since, "--until", until,
                    "--store", replica.store_uri, "--output", str(tmp_path), "--format", "jsonl",
                    cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / f"articles-replica-since-{since}-until-{until}.jsonl"
    exported = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    want = [i["url"] for i in items if since <= i["published"][:10] <= until]
    assert [i["url"] for i in exported] == want and len(want) >= 101
    assert not (tmp_path / f"articles-replica-since-{since}-until-{until}.json").exists()


def test_failed_fetches_are_recorded_with_their_reason(tmp_path):
    replica = Replica(tmp_path, articles=20)
    try:
        missing = replica.base_url + "/tin-tuc/chuyen-muc-khong-ton-tai"
        replica.add_listing_url(missing)
        result = replica.crawl()
        assert result.returncode == 0, result.stderr[-2000:]
        assert "1 failed" in result.stdout
        with open_store(replica.store_uri) as store:
            failures = store.failures()
        assert [(f["url"], f["kind"], f["status"], f["reason"]) for f in failures] == [
            (missing, "http", 404, "HTTP 404")]
        assert len(replica.stored()) == 20
    finally:
        replica.server.stop()


def test_parse_command_rejects_unreadable_input_with_a_clear_error(tmp_path):
    garbage = tmp_path / "garbage.html"
    garbage.write_bytes(b"\x00\x01\x02 not html at all \xff\xfe")
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    result = vinews("parse", str(garbage), str(empty), str(tmp_path / "missing.html"),
                    "--url", "https://vithuy.haugiang.gov.vn/tin-tuc/a-1.html", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "garbage.html" in result.stderr and "empty.html" in result.stderr
    assert "cannot read" in result.stderr and "missing.html" in result.stderr


def test_template_drift_falls_back_to_generic_rules_and_alerts(tmp_path):
    """A family profile pointing at the wrong block (as after a template change) is caught."""
    replica = Replica(tmp_path, articles=30)
    try:
        with replica.registry.open("a", encoding="utf-8") as registry:
            registry.write('\n[sites.replica.overrides]\ntitle = ".news-comment h3"\n'
                           'content = ".news-tools"\n')
        result = replica.crawl("--set", "VINEWS_DRIFT_MIN_ITEMS=10")
        assert result.returncode == 0, result.stderr[-2000:]
        assert "TEMPLATE DRIFT: 30 pages needed the generic fallback" in result.stdout
        assert "DRIFT on replica" in result.stderr
        stored = replica.stored()
        assert {item["parser"] for item in stored} == {"generic"}
        check = check_against_truth(stored, replica.portal.expected_items(replica.base_url))
        assert check.stored == 30 and check.ok, check.lines()
    finally:
        replica.server.stop()


def test_unregistered_portal_is_discovered_from_one_listing_url(tmp_path):
    """Given one category listing, pagination, the advertised RSS feed and the robots.txt
    sitemaps lead to every article, and the crawl stays on the portal's host."""
    replica = Replica(tmp_path, articles=60)
    try:
        start = replica.base_url + "/tin-tuc/kinh-te"
        result = vinews("crawl", start, "--store", replica.store_uri, "--output", str(tmp_path / "out"),
                        *FAST, cwd=tmp_path)
        assert result.returncode == 0, result.stderr[-2000:]
        host = replica.base_url.split("//")[1]
        with open_store(replica.store_uri) as store:
            stored = list(store.iter_articles(site=host))
        truth = replica.portal.expected_items(replica.base_url)
        assert {i["url"] for i in stored} == {i["url"] for i in truth}
        assert {"/rss.xml", "/sitemap.xml", "/sitemap-articles.xml"} <= set(replica.server.requests)
        assert (tmp_path / "out" / f"articles-{host.replace(':', '-')}.jsonl").exists()
    finally:
        replica.server.stop()
