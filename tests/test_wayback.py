"""Recovering an offline portal from the Wayback Machine: CDX listing, raw replay, redirects,
rate limit and 429 pauses, against a mock archive on 127.0.0.1 built from replica captures."""

from __future__ import annotations

import json
import sqlite3
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from vinews_scraper.demo import check_against_truth
from vinews_scraper.items import ARTICLE_FIELDS
from vinews_scraper.replica.portal import Portal
from vinews_scraper.replica.server import ReplicaServer
from vinews_scraper.replica.wayback import WaybackArchive, WaybackServer
from vinews_scraper.storage import open_store
from vinews_scraper.wayback import (Capture, capture_time, cdx_query, parse_cdx, replay_url,
                                    split_replay_url, unique_captures, unique_hosts, url_key,
                                    versions_by_url)

from test_crawl_replica import vinews

ROUND_1 = datetime(2024, 3, 10, 8, 0, 0)
ROUND_2 = datetime(2025, 2, 14, 9, 0, 0)
ROLLBACK = "20250301120000"  # S's first text captured again
ALIAS = "20250601101010"  # an old-style link to R, captured as the portal's 301
EMPTY = "20250401000000"  # F captured as an empty page
RATE, PAUSE = 25.0, 0.3
PROVENANCE = ("wayback_timestamp", "archive_url")


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%d%H%M%S")


def pages(portal: Portal) -> list[str]:
    """The home page and every listing page of the portal as it is now."""
    paths = ["/"]
    for category in portal.categories:
        paths.append(category.path)
        paths += [f"{category.path}?page={n}" for n in range(2, portal.page_count(category) + 1)]
    return paths


class Recovery:
    """A replica portal captured twice by a mock Wayback Machine, then taken offline.

    Besides plain captures the archive holds: X404, listed by the CDX but not replayable; MISSING,
    never captured though listed; Q, whose listed capture redirects (archive-side) to one 45 s
    later; S, captured with text A, then B, then A again; R, also captured as the target of an
    archived 301 from an old-style link; F, whose newest capture is an empty page. ``expected`` maps each recoverable article's URL to
    (the capture timestamp that must be read, the truth at that time).
    """

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.portal = Portal.generate(articles=60)
        replica = ReplicaServer(self.portal)
        self.base = base = replica.start()
        self.archive = archive = WaybackArchive()
        classic = [a for a in self.portal.articles if a.layout == "classic"]
        self.x404, self.missing, self.q, self.s, self.r, self.f = (base + a.path for a in classic[3:9])
        self.alias = f"{base}/index.php?newsid={classic[7].id}"
        truth_1 = {i["url"]: i for i in self.portal.expected_items(base)}
        self.expected: dict[str, tuple[str, dict]] = {}
        clock = iter(range(10_000))
        for path in pages(self.portal) + ["/robots.txt", "/static/banner.jpg"]:  # not pages: filtered
            archive.capture(base + path, stamp(ROUND_1 + timedelta(seconds=next(clock))))
        for url in truth_1:
            if url == self.missing:
                continue
            ts = stamp(ROUND_1 + timedelta(seconds=next(clock)))
            snapshot = archive.capture(url, ts, playable=url != self.x404)
            self.expected[url] = (ts, truth_1[url])
            if url == self.s:
                body_a = snapshot
        del self.expected[self.x404]

        self.portal.publish(3)
        self.portal.bump_views(11)
        truth_2 = {i["url"]: i for i in self.portal.expected_items(base)}
        for path in pages(self.portal):
            archive.capture(base + path, stamp(ROUND_2 + timedelta(seconds=next(clock))))
        again = [u for i, u in enumerate(truth_2) if u not in truth_1 or (i % 2 == 0 and u != self.x404)]
        for url in dict.fromkeys(again + [self.q, self.s]):
            if url == self.missing:
                continue
            moment = ROUND_2 + timedelta(seconds=next(clock))
            if url == self.q:  # listed at `moment`, replayable 45 s later only
                archive.capture(url, stamp(moment), playable=False)
                moment += timedelta(seconds=45)
                archive.capture(url, stamp(moment), indexed=False)
            else:
                archive.capture(url, stamp(moment))
            self.expected[url] = (stamp(moment), truth_2[url])
        archive.add(self.s, ROLLBACK, body_a.status, body_a.content_type, body_a.body)
        self.expected[self.s] = (ROLLBACK, truth_1[self.s])
        archive.add(self.f, EMPTY, 200, "text/html; charset=utf-8", b"")
        archive.add(self.alias, ALIAS, 301, "text/html", b"<html><body>Moved</body></html>", self.r)

        self.registry = tmp / "replica-sites.toml"
        self.registry.write_text(self.portal.registry_toml(base), encoding="utf-8")
        replica.stop()  # the portal is offline from here on
        self.server = WaybackServer(archive, cdx_page_size=40, rate_limit_every=23, repeat_row_every=17)
        self.wayback = self.server.start()

    def recover(self, store_uri: str, *extra: str):
        return vinews("crawl", "replica", "--from-wayback", "--registry", str(self.registry),
                      "--store", store_uri, "--output", str(self.tmp / "out"), "--log-level", "WARNING",
                      "--set", f"VINEWS_WAYBACK_URL={self.wayback}", "--set", f"VINEWS_WAYBACK_RATE={RATE}",
                      "--set", f"VINEWS_WAYBACK_429_PAUSE={PAUSE}", "--set", "VINEWS_WAYBACK_CDX_LIMIT=40",
                      "--set", "VINEWS_RETRY_BACKOFF_BASE=0.05", *extra, cwd=self.tmp)


@pytest.fixture(scope="module")
def recovery(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wayback")
    recovery = Recovery(tmp)
    store_uri = f"sqlite:///{tmp / 'recovered.sqlite3'}"
    result = recovery.recover(store_uri)
    hits = list(recovery.server.hits)
    with open_store(store_uri) as store:
        stored = list(store.iter_articles(site="replica"))
        failures = store.failures()
    yield {"recovery": recovery, "result": result, "hits": hits, "stored": stored,
           "failures": failures, "rows_sent": recovery.server.cdx_rows_sent}
    recovery.server.stop()


def test_offline_portal_is_recovered_in_full_with_every_field_right(recovery):
    assert recovery["result"].returncode == 0, recovery["result"].stderr[-3000:]
    r = recovery["recovery"]
    truth = [item for _, item in r.expected.values()]
    check = check_against_truth(recovery["stored"], truth)
    assert check.missing == [] and check.unexpected == [], (check.missing, check.unexpected)
    assert check.mismatches == {}, {k: v[:3] for k, v in check.mismatches.items()}
    assert len(recovery["stored"]) == 60 + 3 - 2
    for item in recovery["stored"]:
        timestamp = r.expected[item["url"]][0]
        assert item["url"].startswith(r.base + "/")
        assert item["wayback_timestamp"] == timestamp, item["url"]
        assert item["archive_url"] == f"{r.wayback}/web/{timestamp}id_/{item['url']}"
        assert item["fetched_at"] == capture_time(timestamp)
        assert item["warc_record_id"] and item["warc_file"]  # the replayed capture, kept as read


def test_the_recovery_warc_reads_back_into_the_same_items(recovery):
    """``parse-warc`` of the captured replays gives the recovered items again: the original URLs,
    the capture's provenance and time, every field (docs/field-rules.md on Wayback replays)."""
    r = recovery["recovery"]
    store_uri = f"sqlite:///{r.tmp / 'reread.sqlite3'}"
    files = sorted(str(p) for p in (r.tmp / "out" / "warc").glob("*.warc.gz"))
    result = vinews("parse-warc", *files, "--registry", str(r.registry), "--store", store_uri, cwd=r.tmp)
    with open_store(store_uri) as store:
        reread = {item["url"]: item for item in store.iter_articles(site="replica")}
        failures = [(f["kind"], f["reason"]) for f in store.failures()]
    assert result.returncode == 1  # the empty capture the crawl passed over for an older one
    assert [(kind, f"web/{EMPTY}id_/{r.f}" in reason, "empty page" in reason) for kind, reason in failures] \
        == [("parse", True, True)]
    fields = [f for f in ARTICLE_FIELDS if f not in ("warc_file", "warc_record_id", "duplicate_of")]
    assert {url: {f: item[f] for f in fields} for url, item in reread.items()} == \
        {item["url"]: {f: item[f] for f in fields} for item in recovery["stored"]}


def test_newest_capture_is_read_redirects_are_told_apart_and_older_captures_back_it_up(recovery):
    r = recovery["recovery"]
    stored = {item["url"]: item for item in recovery["stored"]}
    assert stored[r.s]["wayback_timestamp"] == ROLLBACK  # A, B, A: the newest, though A is old text
    listed_q = stamp(datetime.strptime(stored[r.q]["wayback_timestamp"], "%Y%m%d%H%M%S") - timedelta(seconds=45))
    paths = [hit.path for hit in recovery["hits"]]
    assert paths.index(f"/web/{listed_q}id_/{r.q}") < paths.index(f"/web/{stored[r.q]['wayback_timestamp']}id_/{r.q}")
    assert f"/web/{ALIAS}id_/{r.alias}" in paths and r.alias not in stored
    assert sum(p.startswith("/web/") and p.endswith(f"id_/{r.r}") for p in paths) == 1
    assert "1 archived redirects, 1 archive redirects, 1 older captures tried" in recovery["result"].stdout
    assert paths.index(f"/web/{EMPTY}id_/{r.f}") < paths.index(f"/web/{r.expected[r.f][0]}id_/{r.f}")


def test_failures_name_the_portal_urls_that_could_not_be_recovered(recovery):
    r = recovery["recovery"]
    got = {(f["url"], f["kind"], f["status"]) for f in recovery["failures"]}
    assert got == {(r.x404, "http", 404), (r.missing, "not_archived", None)}
    reasons = {f["url"]: f["reason"] for f in recovery["failures"]}
    assert reasons[r.x404].startswith("HTTP 404 from the archive")
    assert "never captured" in reasons[r.missing]
    assert "2 failed" in recovery["result"].stdout


def test_captures_are_listed_with_resume_keys_and_duplicate_rows_dropped(recovery):
    r = recovery["recovery"]
    listed = [s for s in r.archive.snapshots
              if s.indexed and s.row["mimetype"] == "text/html" and 200 <= s.status < 400]
    cdx = [hit.path for hit in recovery["hits"] if hit.path.startswith("/cdx/") and hit.status == 200]
    assert len(cdx) == -(-len(listed) // 40) >= 3  # 40 rows a page
    assert "resumeKey=" not in cdx[0] and all("resumeKey=" in p for p in cdx[1:])
    wanted = {(s.urlkey, s.digest) for s in listed}
    dropped = recovery["rows_sent"] - len(wanted)
    assert dropped >= 5  # repeated rows and S's first capture (same text as its newest)
    assert (f"{len(wanted)} captures of {len({k for k, _ in wanted})} URLs listed "
            f"({dropped} duplicate rows dropped)") in recovery["result"].stdout


def test_one_rate_limit_holds_and_429_pauses_every_request(recovery):
    hits = recovery["hits"]
    gaps = [b.at - a.at for a, b in zip(hits, hits[1:])]
    assert len(hits) > 80 and min(gaps) >= 1 / RATE
    limited = [i for i, hit in enumerate(hits) if hit.status == 429]
    assert len(limited) >= 3
    assert all(hits[i + 1].at - hits[i].at >= PAUSE for i in limited if i + 1 < len(hits))
    assert f"{len(limited)} pauses on 429" in recovery["result"].stdout


def test_the_rate_limit_is_one_for_every_portal_of_a_command(recovery, tmp_path):
    """Two portals recovered by one command (two crawlers in one process) share the pace."""
    r = recovery["recovery"]
    entry = r.registry.read_text(encoding="utf-8")
    twice = tmp_path / "two-sites.toml"
    twice.write_text(entry + "\n" + entry.replace("[sites.replica]", "[sites.replica2]"), encoding="utf-8")
    first = len(r.server.hits)
    result = vinews("crawl", "replica", "replica2", "--from-wayback", "--registry", str(twice),
                    "--store", f"sqlite:///{tmp_path / 'two.sqlite3'}", "--output", str(tmp_path / "out"),
                    "--log-level", "WARNING", "--set", f"VINEWS_WAYBACK_URL={r.wayback}",
                    "--set", f"VINEWS_WAYBACK_RATE={RATE}", "--set", "VINEWS_WAYBACK_CDX_LIMIT=40",
                    "--set", f"VINEWS_WAYBACK_429_PAUSE={PAUSE}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.count("finish reason finished") == 2  # both portals, reading the same captures
    with open_store(f"sqlite:///{tmp_path / 'two.sqlite3'}") as store:
        assert store.counts()["articles"] == len(r.expected)
    hits = r.server.hits[first:]
    assert len(hits) > 2 * 80
    assert min(b.at - a.at for a, b in zip(hits, hits[1:])) >= 1 / RATE


def test_date_range_follows_an_archived_redirect_to_the_target_capture(recovery, tmp_path):
    """Only the alias's 301 is captured in the range: its target is read from the capture the
    archive redirects to, outside the range, and recorded with that capture's timestamp."""
    r = recovery["recovery"]
    store_uri = f"sqlite:///{tmp_path / 'range.sqlite3'}"
    result = r.recover(store_uri, "--from", "2025-05-01", "--to", "2025-12-31")
    assert result.returncode == 0, result.stderr[-3000:]
    with open_store(store_uri) as store:
        stored = list(store.iter_articles(site="replica"))
        assert store.failures() == []
    timestamp, truth = r.expected[r.r]
    assert check_against_truth(stored, [truth]).ok
    assert stored[0]["wayback_timestamp"] == timestamp
    assert "1 captures of 1 URLs listed" in result.stdout
    assert "1 archived redirects, 1 archive redirects" in result.stdout


def test_from_and_to_need_from_wayback(recovery, tmp_path):
    result = vinews("crawl", "replica", "--from", "2025-01-01", "--registry",
                    str(recovery["recovery"].registry), cwd=tmp_path)
    assert result.returncode == 2 and "--from-wayback" in result.stderr


# -- the store keeps provenance, also in databases made before it existed --------------------


def _old_store(uri: str) -> None:
    """An ``articles`` table as vinews made it before the provenance fields, with one row."""
    old = [f for f in ARTICLE_FIELDS if f not in PROVENANCE]
    postgres = uri.startswith("postgresql")
    kinds = {"images": "JSONB" if postgres else "TEXT", "attachments": "JSONB" if postgres else "TEXT",
             "view_count": "BIGINT"}
    columns = ", ".join(f"{f} {kinds.get(f, 'TEXT')}{' PRIMARY KEY' if f == 'url' else ''}" for f in old)
    values = {f: None for f in old} | {"url": "https://vithuy.haugiang.gov.vn/tin-tuc/cu-1.html",
                                       "site": "vithuy", "title": "Tin cũ", "images": "[]",
                                       "attachments": "[]", "body": "", "body_html": ""}
    create = f"CREATE TABLE articles ({columns}, first_seen_at TEXT NOT NULL, last_seen_at TEXT NOT NULL)"
    insert = (f"INSERT INTO articles ({', '.join(old)}, first_seen_at, last_seen_at) "
              f"VALUES ({', '.join('%s' if postgres else '?' for _ in range(len(old) + 2))})")
    params = (*values.values(), "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z")
    if postgres:
        with psycopg.connect(uri, autocommit=True) as conn:
            conn.execute(create)
            conn.execute(insert, params)
    else:
        with sqlite3.connect(uri.removeprefix("sqlite:///")) as conn:
            conn.execute(create)
            conn.execute(insert, params)


def test_store_keeps_provenance_in_a_database_made_before_it(store_uri, make_article):
    _old_store(store_uri)
    recovered = make_article(wayback_timestamp="20240310080102",
                             archive_url="https://web.archive.org/web/20240310080102id_/https://vithuy.haugiang.gov.vn/tin-tuc/hoi-nghi-tong-ket-nam-2023-1234.html")
    with open_store(store_uri) as store:
        old = store.get_article("https://vithuy.haugiang.gov.vn/tin-tuc/cu-1.html")
        assert old["title"] == "Tin cũ" and old["wayback_timestamp"] is None and old["archive_url"] is None
        assert store.upsert_article(recovered) == "new"
        assert store.get_article(recovered["url"]) == recovered
        live = make_article(view_count=500, fetched_at="2025-01-01T00:00:00Z")
        assert store.upsert_article(live) == "unchanged"  # a live fetch of the same text
        assert {k: store.get_article(live["url"])[k] for k in (*PROVENANCE, "view_count")} == \
            {"wayback_timestamp": None, "archive_url": None, "view_count": 500}
        assert store.upsert_article(make_article(body="Nội dung mới.", **{k: recovered[k] for k in PROVENANCE})) == "updated"
    with open_store(store_uri) as store:  # opening it again changes nothing
        assert store.get_article(recovered["url"])["wayback_timestamp"] == "20240310080102"


# -- pure functions and the mock archive ------------------------------------------------------


def test_cdx_answers_are_read_by_header_names_with_their_resume_key():
    body = json.dumps([["timestamp", "original", "urlkey", "digest", "statuscode", "mimetype"],
                       ["20240101000000", "http://x.vn:80/a", "vn,x)/a", "D1", "200", "text/html"],
                       [], ["vn%2Cx%29%2Fa+20240101000000%21"]])
    rows, key = parse_cdx(body)
    assert rows == [Capture("vn,x)/a", "20240101000000", "http://x.vn:80/a", "text/html", "200", "D1")]
    assert key == "vn%2Cx%29%2Fa+20240101000000%21"
    assert parse_cdx(b"[]") == ([], None)
    with pytest.raises(ValueError):
        parse_cdx(json.dumps([["timestamp", "original"], ["20240101000000", "http://x.vn/"]]))


def test_capture_choice_dedupes_rows_and_orders_each_urls_versions_newest_first():
    rows = [Capture("vn,x)/a", "20240101000000", "http://x.vn/a", "text/html", "200", "A"),
            Capture("vn,x)/a", "20240101000000", "http://x.vn/a", "text/html", "200", "A"),
            Capture("vn,x)/a", "20240201000000", "http://x.vn/a", "text/html", "200", "B"),
            Capture("vn,x)/a", "20240301000000", "https://www.x.vn:443/A", "text/html", "200", "A"),
            Capture("vn,x)/b", "20230101000000", "http://x.vn/b", "text/html", "301", "C")]
    versions = versions_by_url(rows)
    assert list(versions) == ["vn,x)/a", "vn,x)/b"]
    assert [(c.timestamp, c.digest) for c in versions["vn,x)/a"]] == [("20240301000000", "A"),
                                                                    ("20240201000000", "B")]


def test_urls_keys_and_replay_urls():
    assert url_key("https://www.Vithuy.HauGiang.gov.vn:443/Tin-Tuc/a.html?b=2&a=1") == \
        "vn,gov,haugiang,vithuy)/tin-tuc/a.html?a=1&b=2"
    assert url_key("http://127.0.0.1:8080") == "127.0.0.1:8080)/"
    assert unique_hosts(["haugiang.gov.vn", "www.haugiang.gov.vn", "vithuy.haugiang.gov.vn"]) == \
        ["haugiang.gov.vn", "vithuy.haugiang.gov.vn"]
    url = replay_url("https://web.archive.org/", "20240101020304", "http://x.vn:80/tin?id=5")
    assert url == "https://web.archive.org/web/20240101020304id_/http://x.vn/tin?id=5"
    assert split_replay_url(url) == ("20240101020304", "http://x.vn/tin?id=5")
    assert split_replay_url("https://web.archive.org/web/20240101020304/https:/x.vn/a") == \
        ("20240101020304", "https://x.vn/a")
    assert split_replay_url("https://x.vn/web/a") is None
    assert capture_time("20240101020304") == "2024-01-01T02:03:04Z"


def test_mock_cdx_pages_through_every_capture_once_with_filters_and_range():
    archive = WaybackArchive()
    for n in range(7):
        archive.add(f"http://x.vn/a{n}", f"2024010{n + 1}000000", body=f"page {n}".encode())
        archive.add(f"http://x.vn/a{n}", f"2024020{n + 1}000000", body=f"page {n}".encode())  # unchanged
    archive.add("http://x.vn/logo.png", "20240101000000", content_type="image/png", body=b"png")
    archive.add("http://y.vn/a", "20240101000000", body=b"other host")
    with WaybackServer(archive, cdx_page_size=3) as server:
        seen, key, pages = [], None, 0
        while True:
            with urllib.request.urlopen(cdx_query(server.base_url, "x.vn", limit=100, resume_key=key)) as answer:
                rows, key = parse_cdx(answer.read())
            seen += rows
            pages += 1
            if not key:
                break
        with urllib.request.urlopen(cdx_query(server.base_url, "x.vn", limit=100, from_day="2024-01-03",
                                              to_day="2024-01-05")) as answer:
            in_range, _ = parse_cdx(answer.read())
    # unchanged recaptures collapse, except the first row of a page: collapsing starts afresh there
    assert pages == 3 and [(r.original, r.timestamp[:6]) for r in seen] == [
        ("http://x.vn/a0", "202401"), ("http://x.vn/a1", "202401"), ("http://x.vn/a2", "202401"),
        ("http://x.vn/a2", "202402"), ("http://x.vn/a3", "202401"), ("http://x.vn/a4", "202401"),
        ("http://x.vn/a4", "202402"), ("http://x.vn/a5", "202401"), ("http://x.vn/a6", "202401")]
    assert len(unique_captures(seen)) == 7
    assert [r.timestamp for r in in_range] == ["20240103000000", "20240104000000", "20240105000000"]
