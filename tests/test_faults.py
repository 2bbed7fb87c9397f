"""End-to-end: the real ``vinews crawl`` against the fault-injecting replica on 127.0.0.1.

Every fault of ``vinews_scraper.replica.faults`` is given to one article page (and robots.txt
disallows one category): the crawl must finish, store every recoverable article once with every
field right, record every other article as a failure of the right kind, skip nothing silently,
and wait as long as a 429's Retry-After says.
"""

from __future__ import annotations

import http.client
import subprocess
import sys
import unicodedata
from collections import Counter

import pytest
from replica_crawl import CrawledReplica

from vinews_scraper.demo import check_against_truth
from vinews_scraper.extraction import extract_article
from vinews_scraper.extraction.decode import decode_html, is_utf8_text
from vinews_scraper.replica import render
from vinews_scraper.replica.faults import LOOP_QUERY, MODES, RETRY_AFTER, FaultPlan
from vinews_scraper.replica.portal import Portal
from vinews_scraper.replica.server import ReplicaServer
from vinews_scraper.storage import open_store

RETRY_TIMES = 3
BACKOFF_BASE = 0.2
FAULT_SETTINGS = ["--set", "DOWNLOAD_TIMEOUT=3", "--set", "DOWNLOAD_MAXSIZE=200000",
                  "--set", f"RETRY_TIMES={RETRY_TIMES}", "--set", f"VINEWS_RETRY_BACKOFF_BASE={BACKOFF_BASE}",
                  "--set", "VINEWS_RETRY_BACKOFF_MAX=1"]
# How many times the crawl asks for a page of each mode: a fault that passes is retried until it
# does, one that persists as often as RETRY_TIMES allows if it is worth retrying, else once.
EXPECTED_REQUESTS = {
    "error_500": 2, "error_503": 3, "error_503_always": RETRY_TIMES + 1,
    "throttled_retry_after": 2, "throttled": 2,
    "timeout": 2, "timeout_always": RETRY_TIMES + 1,
    "reset": 2, "reset_always": RETRY_TIMES + 1,
    "truncated": 2, "truncated_always": RETRY_TIMES + 1,
    "wrong_charset": 1, "missing_charset": 1, "invalid_utf8": 1, "too_large": 1,
    "redirect_loop": 1, "not_found": 1, "gone": 1, "slow": 1,
}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """One crawl of a 60-article replica with every fault, and what the store holds after it."""
    directory = tmp_path_factory.mktemp("faults")
    replica = CrawledReplica(directory, directory / "vinews.sqlite3", articles=60, fault_seed=7)
    try:
        replica.crawl(*FAULT_SETTINGS)
        with open_store(replica.store_uri) as store:
            yield {"replica": replica, "plan": replica.faults, "base_url": replica.base_url,
                   "stored": list(store.iter_articles(site="replica")), "failures": store.failures(),
                   "rejects": store.rejects(), "runs": store.runs(site="replica")}
    finally:
        replica.stop()


def article_urls(crawled) -> set[str]:
    return {crawled["base_url"] + article.path for article in crawled["replica"].portal.articles}


def test_the_crawl_finishes_and_counts_failures_by_kind(crawled):
    (run,) = crawled["runs"]
    assert run["finish_reason"] == "finished"
    assert run["failures"] == {"connection": 1, "http": 3, "redirect_loop": 1, "robots": 11, "timeout": 1,
                               "too_large": 1, "truncated": 1}
    assert (run["items_new"], run["items_updated"], run["items_rejected"]) == (41, 0, 0)


def test_every_recoverable_article_is_stored_once_with_every_field_right(crawled):
    expected = crawled["plan"].recoverable_items(crawled["replica"].portal, crawled["base_url"])
    stored_urls = [item["url"] for item in crawled["stored"]]
    assert len(stored_urls) == len(set(stored_urls)) == len(expected) == 41
    check = check_against_truth(crawled["stored"], expected)
    assert check.missing == [] and check.unexpected == [] and check.mismatches == {}
    assert crawled["rejects"] == []


def test_charset_faults_are_read_right(crawled):
    """A windows-1258 page declared UTF-8 and pages declaring no charset (one with bytes that are
    not UTF-8) are stored with the true title and body."""
    truth = {item["url"]: item for item in crawled["replica"].portal.expected_items(crawled["base_url"])}
    stored = {item["url"]: item for item in crawled["stored"]}
    for mode in ("wrong_charset", "missing_charset", "invalid_utf8"):
        url = crawled["base_url"] + crawled["plan"].path_of(mode)
        assert (stored[url]["title"], stored[url]["body"]) == (truth[url]["title"], truth[url]["body"]), mode


def test_every_unrecoverable_article_is_a_failure_of_the_right_kind(crawled):
    plan, base_url = crawled["plan"], crawled["base_url"]
    got = {f["url"]: (f["kind"], f["status"]) for f in crawled["failures"]}
    assert len(got) == len(crawled["failures"]) == 19  # one failure per URL
    assert got == plan.expected_failures(crawled["replica"].portal, base_url)
    by_mode = {plan.modes[url.removeprefix(base_url)]: kind for url, kind in got.items()
               if url.removeprefix(base_url) in plan.modes}
    assert by_mode == {"error_503_always": ("http", 503), "timeout_always": ("timeout", None),
                       "reset_always": ("connection", None), "truncated_always": ("truncated", None),
                       "too_large": ("too_large", None), "redirect_loop": ("redirect_loop", None),
                       "not_found": ("http", 404), "gone": ("http", 410)}
    reasons = {f["kind"]: f["reason"] for f in crawled["failures"]}
    assert reasons["robots"].endswith("is disallowed by robots.txt")
    assert reasons["redirect_loop"].count(" -> ") == 2 and f"?{LOOP_QUERY}" in reasons["redirect_loop"]
    assert "larger than download max size (200000)" in reasons["too_large"]
    assert reasons["truncated"] == "ResponseDataLossError: the body ended before its Content-Length"
    assert "took longer than 3.0 seconds" in reasons["timeout"]
    assert "ConnectionLost" in reasons["connection"]
    assert all(f["reason"] and f["site"] == "replica" for f in crawled["failures"])


def test_no_article_is_silently_skipped(crawled):
    stored = {item["url"] for item in crawled["stored"]}
    failed = {f["url"] for f in crawled["failures"]}
    assert stored.isdisjoint(failed)
    assert stored | failed == article_urls(crawled)


def test_each_fault_is_retried_as_often_as_it_deserves(crawled):
    plan, requests = crawled["plan"], Counter(crawled["replica"].server.requests)
    assert {mode: requests[plan.path_of(mode)] for mode in MODES} == EXPECTED_REQUESTS
    assert requests[plan.path_of("redirect_loop") + f"?{LOOP_QUERY}"] == 1


def test_robots_txt_disallowed_articles_are_never_fetched(crawled):
    section = crawled["plan"].robots_section
    requests = crawled["replica"].server.requests
    assert [path for path in requests if path.startswith(section)] == []
    assert section.rstrip("/") in requests  # its listing page is allowed, and read


def test_retry_after_is_honoured_and_backoff_waits_without_it(crawled):
    arrivals = crawled["replica"].server.arrivals

    def gap(mode: str) -> float:
        first, second = [a.at for a in arrivals if a.path == crawled["plan"].path_of(mode)]
        return second - first

    assert gap("throttled_retry_after") >= float(RETRY_AFTER)
    assert gap("throttled") >= BACKOFF_BASE


def test_the_plan_is_drawn_from_its_seed():
    portal = Portal.generate(articles=60)
    plan = FaultPlan.draw(portal, seed=7)
    assert plan == FaultPlan.draw(Portal.generate(articles=60), seed=7)
    assert plan != FaultPlan.draw(portal, seed=8)
    assert sorted(plan.modes.values()) == sorted(MODES)
    plain = {a.path for a in portal.articles if a.layout == "classic" and a.charset == "utf-8"}
    assert set(plan.modes) <= plain and not any(p.startswith(plan.robots_section) for p in plan.modes)
    with pytest.raises(ValueError, match="generate more articles"):
        FaultPlan.draw(Portal.generate(articles=20), seed=7)


def get(address: tuple[str, int], path: str) -> tuple[int, dict, bytes]:
    """(status, headers, body) of a GET of ``path``, with nothing between the test and the socket."""
    connection = http.client.HTTPConnection(*address, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_socket_faults_reset_and_truncate_then_pass():
    portal = Portal.generate(articles=60)
    plan = FaultPlan.draw(portal, seed=7)
    with ReplicaServer(portal, faults=plan) as server:
        with pytest.raises(ConnectionResetError):
            get(server.address, plan.path_of("reset"))
        assert get(server.address, plan.path_of("reset"))[0] == 200
        with pytest.raises(http.client.IncompleteRead) as cut:
            get(server.address, plan.path_of("truncated"))
        declared = len(cut.value.partial) + cut.value.expected  # the Content-Length sent
        assert len(cut.value.partial) == declared // 2 > 1000
        assert get(server.address, plan.path_of("truncated"))[0] == 200
        status, headers, _ = get(server.address, plan.path_of("throttled_retry_after"))
        assert (status, headers["Retry-After"]) == (429, RETRY_AFTER)
        assert get(server.address, plan.path_of("throttled_retry_after"))[0] == 200
        assert get(server.address, plan.path_of("throttled"))[1].get("Retry-After") is None


def test_command_line_serves_the_fault_replica_and_prints_its_plan():
    process = subprocess.Popen([sys.executable, "-m", "vinews_scraper.replica", "--articles", "60",
                                "--faults", "--fault-seed", "7"], stdout=subprocess.PIPE, text=True)
    try:
        base_url = process.stdout.readline().strip()
        printed = [process.stdout.readline().split() for _ in range(len(MODES) + 1)]
        plan = FaultPlan.draw(Portal.generate(articles=60), seed=7)
        assert printed == [[mode, base_url + path] for path, mode in plan.modes.items()] + [
            ["robots", base_url + plan.robots_section]]
        host, port = base_url.removeprefix("http://").split(":")
        assert get((host, int(port)), plan.path_of("gone"))[0] == 410
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_windows_1258_declared_utf8_is_read_as_windows_1258():
    text = "Xã Vị Thủy ra mắt mô hình “Dân vận khéo”"
    page, _ = render.encode(f'<html><head><meta charset="utf-8"></head><body><p>{text}</p></body></html>', "header")
    decoded, encoding, _ = decode_html(page, "text/html; charset=utf-8")
    assert encoding == "cp1258" and text in unicodedata.normalize("NFC", decoded)
    assert not is_utf8_text(page)


def test_utf8_with_stray_bytes_stays_utf8():
    body = "<p>Ủy ban nhân dân huyện Vị Thủy</p>".encode() + b"\xff\xfe"
    assert is_utf8_text(body)
    for content_type in ("text/html", "text/html; charset=utf-8"):
        decoded, encoding, _ = decode_html(body, content_type)
        assert encoding == "utf-8" and "Ủy ban nhân dân huyện Vị Thủy" in decoded


def test_utf8_bytes_parsed_directly_keep_the_encoding_chosen_over_their_meta():
    """UTF-8 pages are parsed from their bytes; a stale windows-1258 <meta> must not re-decode them."""
    title = "Xã Vị Thủy ra mắt mô hình “Dân vận khéo” ở ấp 7"
    body = "Ủy ban nhân dân xã Vị Thủy tổ chức ra mắt mô hình dân vận khéo, nhiều hộ dân tham gia. " * 3
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
            f'<title>{title}</title></head><body><h1>{title}</h1><p>Cập nhật: 22/01/2021</p>'
            f'<p>{body.strip()}</p></body></html>').encode()
    url = "https://vithuy.haugiang.gov.vn/tin-tuc/ra-mat-mo-hinh"
    item = extract_article(page, url, content_type="text/html; charset=utf-8")
    assert (item["title"], item["published"], item["body"]) == (title, "2021-01-22", body.strip())
    assert item == extract_article(page.decode("utf-8"), url)
