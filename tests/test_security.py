"""Security: a crawl stays on the portal's registry hosts (redirects, feeds, sitemaps and
attachments included), servers listen on 127.0.0.1 only, file names cannot leave the output
directory, SQL takes values only as parameters, XML entities are never expanded, and a database
password never reaches logs or output.

Everything runs for real: the spider and pipelines in a ``vinews crawl`` subprocess, HTTP servers
on 127.0.0.1, SQLite and the session's PostgreSQL server (tests/conftest.py).
"""

from __future__ import annotations

import gzip
import ipaddress
import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, urlsplit

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vinews_scraper.datasets import Selection
from vinews_scraper.export import export_articles
from vinews_scraper.extraction import ExtractionError, extract_article
from vinews_scraper.extraction.feeds import feed_entries, sitemap_entries
from vinews_scraper.extraction.listing import extract_listing
from vinews_scraper.middlewares import may_request
from vinews_scraper.registry import Site, default_registry
from vinews_scraper.replica.portal import Portal
from vinews_scraper.replica.server import ReplicaServer, respond
from vinews_scraper.storage import mask_uri, open_store
from vinews_scraper.warc.capture import RollingWarcWriter

REPO = Path(__file__).resolve().parents[1]
FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False",
        "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]


def vinews(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k != "VINEWS_DATABASE_URL"}
    return subprocess.run([sys.executable, "-m", "vinews_scraper.cli", *args], cwd=cwd,
                          env={**base, **(env or {})}, capture_output=True, text=True, timeout=300)


class LocalServer:
    """An HTTP server on 127.0.0.1 (a free port) answering with ``route(path)`` and recording
    every requested path."""

    def __init__(self, route):
        self.route = route
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                server.requests.append(self.path)
                status, headers, body = server.route(self.path)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


def _html(page: str, status: int = 200, **headers) -> tuple[int, dict, bytes]:
    return status, {"Content-Type": "text/html; charset=utf-8", **headers}, page.encode("utf-8")


PARAGRAPHS = ("Sáng ngày 5/3, UBND huyện tổ chức hội nghị triển khai kế hoạch phòng, chống thiên tai và tìm "
              "kiếm cứu nạn năm 2024 với sự tham dự của lãnh đạo các xã, thị trấn. "
              "Hội nghị đã thống nhất giao chỉ tiêu cụ thể cho từng địa phương, đơn vị trong năm nay.")


def _article_page(title: str, links: str = "") -> str:
    return (f"<html><head><title>{title}</title></head><body><div class='content'><h1>{title}</h1>"
            f"<p>Ngày đăng: 05/03/2024 | Lượt xem: 12</p><p>{PARAGRAPHS}</p><p>{PARAGRAPHS}</p>{links}"
            f"<p>Tin, ảnh: Minh Thư</p></div></body></html>")


class HostilePortal:
    """The replica portal on 127.0.0.1 with pages that lead off-site, and an off-site server
    (another port of 127.0.0.1, also reachable as ``localhost``) that records whatever reaches it.

    The registry entry names only ``127.0.0.1:<portal port>``; its one listing links to redirects
    (3xx and <meta refresh>) to the off-site server, advertises an off-site feed and an on-site one
    whose entries are off-site, has an off-site "next page", and links an article with off-site
    and on-site attachments. robots.txt declares an off-site sitemap and an on-site sitemap index
    whose children and entries point off-site.
    """

    def __init__(self, tmp: Path):
        self.offsite = LocalServer(lambda path: _html(_article_page("Bài viết ngoài cổng thông tin")))
        self.portal = Portal.generate(articles=12)
        self.server = LocalServer(self._route)
        self.base = f"http://127.0.0.1:{self.server.port}"
        self.other_port = f"http://127.0.0.1:{self.offsite.port}"  # same host name, other port
        self.other_host = f"http://localhost:{self.offsite.port}"  # other host name, same machine
        self.articles = self.portal.expected_items(self.base)
        self.registry = tmp / "hostile-sites.toml"
        self.registry.write_text(textwrap.dedent(f"""\
            [sites.hostile]
            name = "Cổng thông tin thử nghiệm"
            hosts = ["127.0.0.1:{self.server.port}"]
            listing_urls = ["{self.base}/tin-tuc/danh-sach", "{self.base}/tin-tuc/trang-hong"]
            family = "haugiang-classic"
            """), encoding="utf-8")

    def article_path(self, index: int) -> str:
        return urlsplit(self.articles[index]["url"]).path

    def _route(self, target: str):
        path = urlsplit(target).path
        a, b = self.other_port, self.other_host
        pages = {
            "/robots.txt": (200, {"Content-Type": "text/plain"},
                            f"User-agent: *\nSitemap: {a}/sitemap.xml\nSitemap: {self.base}/sitemap.xml\n".encode()),
            "/tin-tuc/danh-sach": _html(
                f"<html><head><title>Tin tức</title>"
                f'<link rel="alternate" type="application/rss+xml" href="{a}/rss.xml">'
                f'<link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body><ul class="list-news">'
                + "".join(f'<li><a href="{href}">{text}</a> (05/03/2024)</li>' for href, text in (
                    ("/tin-tuc/chuyen-huong-sang-ten-mien-khac-1.html", "Bài chuyển hướng sang tên miền khác"),
                    ("/tin-tuc/chuyen-huong-sang-cong-khac-2.html", "Bài chuyển hướng sang cổng mạng khác"),
                    ("/tin-tuc/lam-moi-sang-trang-ngoai-3.html", "Bài làm mới sang trang ngoài cổng"),
                    ("/tin-tuc/chuyen-huong-trong-cong-4.html", "Bài chuyển hướng trong cổng thông tin"),
                    ("/tin-tuc/bai-co-tep-dinh-kem-ngoai-5.html", "Bài có tệp đính kèm ở máy chủ khác"),
                    (f"{a}/tin-tuc/lien-ket-truc-tiep-ra-ngoai-6.html", "Liên kết trực tiếp ra ngoài cổng"),
                ))
                + f'</ul><a href="{a}/tin-tuc/danh-sach?page=2">Trang sau</a></body></html>'),
            # A listing that extraction may not read (a link that is not a valid URL): it must be
            # recorded as a failure, or read, never dropped in silence.
            "/tin-tuc/trang-hong": _html(
                '<html><body><ul><li><a href="http://[::1/tin-tuc/hong-1.html">Liên kết hỏng không phải URL</a></li>'
                f'<li><a href="{self.article_path(1)}">Bài viết trên trang danh sách hỏng</a></li></ul></body></html>'),
            "/tin-tuc/chuyen-huong-sang-ten-mien-khac-1.html": _html("", 302, Location=f"{b}/tin-tuc/ngoai-1.html"),
            "/tin-tuc/chuyen-huong-sang-cong-khac-2.html": _html("", 301, Location=f"{a}/tin-tuc/ngoai-2.html"),
            "/tin-tuc/lam-moi-sang-trang-ngoai-3.html": _html(
                f'<html><head><meta http-equiv="refresh" content="0; url={a}/tin-tuc/ngoai-3.html"></head>'
                "<body>Đang chuyển trang…</body></html>"),
            "/tin-tuc/chuyen-huong-trong-cong-4.html": _html("", 302, Location=self.article_path(0)),
            "/tin-tuc/bai-co-tep-dinh-kem-ngoai-5.html": _html(_article_page(
                "Triển khai kế hoạch phòng chống thiên tai năm 2024",
                f'<p>Tải về: <a href="{a}/upload/ke-hoach-12.pdf">Kế hoạch số 12</a></p>'
                f'<p>Tải về: <a href="{b}/upload/bao-cao.docx">Báo cáo tổng kết</a></p>'
                '<p>Tải về: <a href="/upload/phu-luc.pdf">Phụ lục</a></p>')),
            "/upload/phu-luc.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4\n%%EOF\n"),
            "/rss.xml": (200, {"Content-Type": "application/rss+xml"}, (
                '<?xml version="1.0"?><rss version="2.0"><channel>'
                f"<item><link>{a}/tin-tuc/tu-rss-7.html</link></item><item><link>{b}/tin-tuc/tu-rss-8.html</link></item>"
                f"<item><link>{self.base}{self.article_path(2)}</link></item></channel></rss>").encode()),
            "/sitemap.xml": (200, {"Content-Type": "application/xml"}, (
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<sitemap><loc>{b}/sitemap-ngoai-1.xml</loc></sitemap><sitemap><loc>{a}/sitemap-ngoai-2.xml</loc></sitemap>"
                f"<sitemap><loc>{self.base}/sitemap-bai.xml</loc></sitemap></sitemapindex>").encode()),
            "/sitemap-bai.xml": (200, {"Content-Type": "application/xml"}, (
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{a}/tin-tuc/tu-sitemap-9.html</loc></url><url><loc>{b}/tin-tuc/tu-sitemap-10.html</loc></url>"
                f"<url><loc>{self.base}{self.article_path(3)}</loc></url></urlset>").encode()),
        }
        if path in pages:
            return pages[path]
        found = respond(self.portal, target, self.base)
        return found.status, {"Content-Type": found.content_type}, found.body

    def crawl(self, tmp: Path, *extra: str) -> subprocess.CompletedProcess:
        return vinews("crawl", "hostile", "--registry", str(self.registry), "--discover",
                      "--store", f"sqlite:///{tmp / 'store.sqlite3'}", "--output", str(tmp / "out"),
                      *FAST, "--log-level", "INFO", *extra, cwd=tmp)

    def stop(self):
        self.server.stop()
        self.offsite.stop()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A crawl of the hostile portal with vinews' settings."""
    tmp = tmp_path_factory.mktemp("hostile")
    portal = HostilePortal(tmp)
    with urllib.request.urlopen(portal.other_host + "/probe") as answer:  # the off-site server is reachable
        assert answer.status == 200
    del portal.offsite.requests[:]
    result = portal.crawl(tmp)
    with open_store(f"sqlite:///{tmp / 'store.sqlite3'}") as store:
        stored = {a["url"]: a for a in store.iter_articles(site="hostile")}
        failures = store.failures()
    yield {"portal": portal, "result": result, "stored": stored, "failures": failures, "tmp": tmp,
           "requests": list(portal.server.requests), "offsite_requests": list(portal.offsite.requests)}
    portal.stop()


def test_crawl_sends_nothing_off_site_whatever_the_portal_links_or_redirects_to(hostile):
    assert hostile["result"].returncode == 0, hostile["result"].stderr[-3000:]
    assert hostile["offsite_requests"] == []
    requests = hostile["requests"]
    # The crawl did walk the hostile pages: feeds, sitemaps, redirects, the on-site attachment.
    for path in ("/robots.txt", "/rss.xml", "/sitemap.xml", "/sitemap-bai.xml", "/upload/phu-luc.pdf",
                 "/tin-tuc/chuyen-huong-sang-cong-khac-2.html", "/tin-tuc/lam-moi-sang-trang-ngoai-3.html"):
        assert path in requests


def test_off_site_redirects_and_requests_are_recorded_as_failures(hostile):
    portal = hostile["portal"]
    offsite = {f["url"]: f for f in hostile["failures"] if f["kind"] == "offsite"}
    base, other = portal.base, portal.other_port
    for origin in ("/tin-tuc/chuyen-huong-sang-ten-mien-khac-1.html", "/tin-tuc/chuyen-huong-sang-cong-khac-2.html",
                   "/tin-tuc/lam-moi-sang-trang-ngoai-3.html"):
        assert base + origin in offsite, sorted(offsite)
        assert "off-site" in offsite[base + origin]["reason"]
    assert portal.other_host + "/tin-tuc/ngoai-1.html" in offsite[base + "/tin-tuc/chuyen-huong-sang-ten-mien-khac-1.html"]["reason"]
    # Links to another port of the portal's host name pass Scrapy's host-name check: refused here.
    for url in ("/tin-tuc/danh-sach?page=2", "/upload/ke-hoach-12.pdf", "/rss.xml", "/tin-tuc/tu-rss-7.html",
                "/sitemap.xml", "/sitemap-ngoai-2.xml"):
        assert other + url in offsite, (url, sorted(offsite))


def test_on_site_redirects_and_pages_are_still_followed(hostile):
    portal, stored = hostile["portal"], hostile["stored"]
    for index in (0, 2, 3):  # redirect target, feed entry, sitemap entry
        truth = portal.articles[index]
        assert stored[truth["url"]]["title"] == truth["title"]
    article = stored[portal.base + "/tin-tuc/bai-co-tep-dinh-kem-ngoai-5.html"]
    assert [a["url"] for a in article["attachments"]] == [
        portal.other_port + "/upload/ke-hoach-12.pdf", portal.other_host + "/upload/bao-cao.docx",
        portal.base + "/upload/phu-luc.pdf"]  # listed in the item, fetched only on-site
    assert not any(urlsplit(url).port == portal.offsite.port for url in stored)


def test_a_listing_extraction_cannot_read_is_recorded_not_lost(hostile):
    portal = hostile["portal"]
    broken = portal.base + "/tin-tuc/trang-hong"
    parse_failures = [f for f in hostile["failures"] if f["url"] == broken and f["kind"] == "parse"]
    read = portal.article_path(1) in hostile["requests"]
    assert read or parse_failures, "the broken listing was neither read nor recorded as a failure"
    assert not (read and parse_failures)


def test_scrapy_alone_would_follow_the_off_site_redirects(tmp_path, hostile):
    """The control: without vinews' middlewares (Scrapy's OffsiteMiddleware compares host names
    only), the same crawl reaches the off-site server, so the hostile routes do test something."""
    portal = hostile["portal"]
    del portal.offsite.requests[:]
    result = portal.crawl(tmp_path, "--set", "DOWNLOADER_MIDDLEWARES={}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "/tin-tuc/ngoai-2.html" in portal.offsite.requests
    assert "/tin-tuc/ngoai-3.html" in portal.offsite.requests
    del portal.offsite.requests[:]


def test_may_request_compares_host_and_port_with_the_registry_entry():
    site = Site(key="vithuy", name="Vị Thủy", hosts=("vithuy.haugiang.gov.vn", "127.0.0.1:8080"),
                listing_urls=("https://vithuy.haugiang.gov.vn/tin-tuc",), family=default_registry().families["generic"])

    class Spider:
        allowed_domains = ["vithuy.haugiang.gov.vn", "127.0.0.1"]

    spider = Spider()
    spider.site = site
    assert may_request(spider, "https://vithuy.haugiang.gov.vn/tin-tuc/a-1.html")
    assert may_request(spider, "http://VITHUY.haugiang.gov.vn/a.pdf")
    assert may_request(spider, "http://127.0.0.1:8080/a")
    for url in ("http://127.0.0.1:8081/a", "http://127.0.0.1/a", "https://evil.vithuy.haugiang.gov.vn/a",
                "https://vithuy.haugiang.gov.vn.evil.com/a", "https://haugiang.gov.vn/a", "http://[::1/a",
                "https://vithuy.haugiang.gov.vn:99999/a", "file:///etc/passwd", "https://user@evil.com/a"):
        assert not may_request(spider, url), url

    class Archive:  # the Wayback spider: reads the archive, not the portal
        allowed_domains = ["web.archive.org"]

    archive = Archive()
    archive.site = site
    assert may_request(archive, "https://web.archive.org/web/2024id_/https://vithuy.haugiang.gov.vn/")
    assert not may_request(archive, "https://archive.org.evil.com/")


# ---- servers listen on 127.0.0.1 -------------------------------------------------------------

def test_replica_server_listens_on_loopback_only():
    with ReplicaServer(Portal.generate(articles=10)) as server:
        host, port = server.address
        assert host == "127.0.0.1" and server.base_url == f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(server.base_url + "/robots.txt") as answer:
            assert answer.status == 200
    for address in ("0.0.0.0", "::", "192.168.1.10", "10.0.0.1"):
        with pytest.raises(ValueError, match="loopback"):
            ReplicaServer(Portal.generate(articles=10), host=address)


def test_replica_command_serves_on_127_0_0_1_and_has_no_other_address(tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "vinews_scraper.replica", "--articles", "10"],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base_url = process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert urlsplit(base_url).hostname == "127.0.0.1" and urlsplit(base_url).port
    refused = subprocess.run([sys.executable, "-m", "vinews_scraper.replica", "--host", "0.0.0.0"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "unrecognized arguments: --host" in refused.stderr


def test_mock_wayback_server_refuses_a_public_address():
    from vinews_scraper.replica.wayback import WaybackServer

    for address in ("0.0.0.0", "::", "192.168.1.10"):
        with pytest.raises(ValueError, match="loopback"):
            WaybackServer(None, host=address)


def test_postgresql_test_server_listens_on_loopback_only(postgres_dsn):
    with psycopg.connect(postgres_dsn) as connection:
        (addresses,) = connection.execute("SHOW listen_addresses").fetchone()
    assert [ipaddress.ip_address(a.strip()).is_loopback for a in addresses.split(",")] == [True]
    assert urlsplit(postgres_dsn).hostname == "127.0.0.1"


def test_test_servers_bind_127_0_0_1():
    server = LocalServer(lambda path: _html("x"))
    try:
        assert server.httpd.server_address[0] == "127.0.0.1"
        probe = socket.socket()
        probe.settimeout(2)
        try:  # not reachable on another local address of the machine
            own = socket.gethostbyname(socket.gethostname())
            if not ipaddress.ip_address(own).is_loopback:
                assert probe.connect_ex((own, server.port)) != 0
        finally:
            probe.close()
    finally:
        server.stop()


# ---- file names --------------------------------------------------------------------------------

HOSTILE_NAMES = ["../../etc/passwd", "..", ".", "/abs/path", "a/../../b", "..\\..\\win", "C:\\x", "x\x00y",
                 "127.0.0.1:8080", "", " ", "vị-thủy", "~root", "$(rm -rf /)", "a" * 300, "\n", "-rf", "..."]


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(sites=st.lists(st.one_of(st.sampled_from(HOSTILE_NAMES), st.text(max_size=40)), max_size=3),
       category=st.one_of(st.none(), st.sampled_from(HOSTILE_NAMES), st.text(max_size=40)))
def test_export_names_from_site_keys_and_categories_are_plain_file_names(sites, category):
    name = Selection(sites=tuple(sites), category=category, since="2024-01-01", until="2024-12-31").name()
    for dataset in ("articles", "images", "attachments"):
        file_name = f"{dataset}-{name}.jsonl"
        assert "/" not in file_name and "\\" not in file_name and "\x00" not in file_name
        assert file_name not in (".", "..") and not file_name.startswith(".")
        out = Path("/srv/vinews/output")
        assert (out / file_name).resolve().parent == out


@pytest.mark.parametrize("site", ["../../escaped", "/tmp/absolute", "..", "a/../../b", "127.0.0.1:8080"])
def test_exports_of_hostile_site_keys_stay_in_the_output_directory(tmp_path, site, make_article):
    out = tmp_path / "output"
    with open_store(f"sqlite:///{tmp_path / 'store.sqlite3'}") as store:
        store.upsert_article(make_article(site=site))
        results = export_articles(store, out, site=site)
    assert [r.count for r in results] == [1, 1]
    for result in results:
        assert result.path.resolve().parent == out.resolve()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()
                  and "store.sqlite3" not in p.name) == sorted(f"output/{r.path.name}" for r in results)


def test_warc_file_names_from_site_keys_stay_in_the_warc_directory(tmp_path):
    warc_dir = tmp_path / "warc"
    for key in ("../../escaped", "/abs", "..", "a/b\\c"):
        writer = RollingWarcWriter(warc_dir, f"vinews-{key}", 10_000, {"software": "test"})
        writer._open()
        writer.close()
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) == 4 and all(p.parent == warc_dir for p in files)


# ---- SQL only with parameters ------------------------------------------------------------------

SQL_METACHARACTERS = "'; DROP TABLE articles; --"
NASTY = [SQL_METACHARACTERS, "\" OR 1=1 --", "x' OR '1'='1", "Robert'); DROP TABLE failures;--",
         "%s %(x)s ? $1 :name", "back\\slash \\' \\\"", "; SELECT pg_sleep(5); --", "ʼ＇′ unicode quotes"]


def test_sql_metacharacters_in_every_field_round_trip_exactly(store, make_article):
    evil = SQL_METACHARACTERS
    items = []
    for i, text in enumerate(NASTY):
        items.append(make_article(
            url=f"https://vithuy.haugiang.gov.vn/tin-tuc/{quote(text)}-{i}.html?q={text}",
            site=f"{evil}{i}" if i else evil, title=f"{text} tiêu đề {i}", body=f"{text}\n\n{evil} đoạn hai",
            author=text, source=text, category=text, published_raw=text,
            images=[{"src": f"https://vithuy.haugiang.gov.vn/{quote(text)}.jpg", "alt": text, "caption": text}],
            attachments=[{"url": f"https://vithuy.haugiang.gov.vn/{quote(text)}.pdf", "title": text}]))
    for item in items:
        assert store.upsert_article(item) == "new"
    for item in items:
        stored = store.get_article(item["url"])
        assert {k: stored[k] for k in item} == item
        assert store.known_article_urls(item["site"]) == {item["url"]}
        assert [a["url"] for a in store.iter_articles(site=item["site"])] == [item["url"]]
        assert [a["url"] for a in store.stream_articles(sites=(item["site"],), category=item["category"])] == [item["url"]]
    assert store.first_url_with_hash(items[0]["content_hash"], exclude_site="x' OR '1'='1") == items[0]["url"]
    assert store.first_url_with_hash(items[0]["content_hash"], exclude_site=evil) is None
    store.add_failure(evil, evil, "parse", evil, None, None)
    store.add_reject(evil, evil, [evil], {"url": evil, "title": evil}, None)
    store.add_view_observation(evil, evil, None, 7, "listing")
    assert [(f["url"], f["site"], f["reason"]) for f in store.failures()] == [(evil, evil, evil)]
    assert [(r["url"], r["reasons"], r["item"]["title"]) for r in store.rejects()] == [(evil, [evil], evil)]
    assert [(o["url"], o["site"], o["view_count"]) for o in store.view_observations(evil)] == [(evil, evil, 7)]
    counts = store.counts()  # every table is still there
    assert counts["articles"] == len(NASTY) and counts["failures"] == counts["rejects"] == 1


def test_view_counts_beyond_the_store_columns_are_rejected_not_crashing(store, make_article):
    """A page printing an absurd count ("Lượt xem: 99999999999999999999") must not crash the
    store (SQLite INTEGER and PostgreSQL BIGINT hold 2⁶³-1): validation rejects such an item."""
    from pipelines.store import StorePipeline
    from pipelines.validate import validation_errors

    item = make_article(view_count=10**20)
    assert any("view_count" in reason for reason in validation_errors(item))
    assert validation_errors(make_article(view_count=2**63 - 1)) == []
    store.upsert_article(make_article(view_count=2**63 - 1))

    class Stats:
        def __init__(self):
            self.values = {}

        def inc_value(self, key, count=1):
            self.values[key] = self.values.get(key, 0) + count

    stats = Stats()
    pipeline = StorePipeline(store, stats)
    pipeline.store_view_observation("https://vithuy.haugiang.gov.vn/a-1.html", "vithuy", None, 10**20, "listing")
    pipeline.store_view_observation("https://vithuy.haugiang.gov.vn/a-1.html", "vithuy", None, 5, "listing")
    assert [o["view_count"] for o in store.view_observations("https://vithuy.haugiang.gov.vn/a-1.html")] == [5]
    assert stats.values == {"vinews/view_observations_out_of_range": 1, "vinews/view_observations_stored": 1}


# ---- XML entities ------------------------------------------------------------------------------

BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join('<!ENTITY lol%d "%s">' % (i, ("&lol%s;" % (i - 1 if i > 1 else "")) * 10)
                            for i in range(1, 10))
                  + "]>")
QUADRATIC = '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY big "' + "x" * 100_000 + '">]>'


def _bombs(recorder_url: str) -> dict[str, bytes]:
    external = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY ext SYSTEM "{recorder_url}/entity">'
                f'<!ENTITY file SYSTEM "file:///etc/passwd"><!ENTITY % p SYSTEM "{recorder_url}/dtd"> %p;]>')
    return {
        "rss-billion": (BILLION_LAUGHS + "<rss><channel><item><title>&lol9;</title><link>https://vithuy.haugiang.gov.vn/"
                        "&lol9;</link></item></channel></rss>").encode(),
        "sitemap-billion": (BILLION_LAUGHS + "<urlset><url><loc>https://vithuy.haugiang.gov.vn/&lol9;</loc>"
                            "<lastmod>&lol9;</lastmod></url></urlset>").encode(),
        "rss-quadratic": (QUADRATIC + "<rss><channel><item><link>https://vithuy.haugiang.gov.vn/x"
                          + "&big;" * 20_000 + "</link></item></channel></rss>").encode(),
        "rss-external": (external + "<rss><channel><item><link>https://vithuy.haugiang.gov.vn/&ext;&file;</link>"
                         "</item></channel></rss>").encode(),
        "sitemap-external": (external.replace("r [", "urlset [") + "<urlset><url><loc>&file;</loc></url>"
                             "<url><loc>https://vithuy.haugiang.gov.vn/a-&ext;.html</loc></url></urlset>").encode(),
        "html-billion": (BILLION_LAUGHS.replace("lolz", "html") + "<html><body><h1>Tiêu đề bài viết &lol9; ở đây</h1>"
                         f"<p>{PARAGRAPHS} &lol9;</p></body></html>").encode(),
        "html-external": (external.replace("r [", "html [") + "<html><body><h1>Tiêu đề bài viết về &file; &ext;</h1>"
                          f"<p>{PARAGRAPHS} &file;</p></body></html>").encode(),
    }


_BOMB_SCRIPT = """
import json, resource, sys, time
sys.path.insert(0, {repo!r})
from vinews_scraper.extraction import ExtractionError, extract_article
from vinews_scraper.extraction.feeds import feed_entries, sitemap_entries
from vinews_scraper.extraction.listing import extract_listing
bombs = {{k: bytes.fromhex(v) for k, v in json.loads(sys.stdin.read()).items()}}
url = "https://vithuy.haugiang.gov.vn/tin-tuc/a-1.html"
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
out = {{}}
for name, data in bombs.items():
    started = time.monotonic()
    if name.startswith("html"):
        try:
            item = extract_article(data, url)
            text = json.dumps(item, ensure_ascii=False)
        except ExtractionError as exc:
            text = str(exc)
        text += repr(extract_listing(data, url))
    else:
        text = repr(feed_entries(data, url)) + repr(sitemap_entries(data, url))
    out[name] = {{"seconds": time.monotonic() - started, "text": text[:100000], "length": len(text)}}
out["grown_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps(out))
"""


def test_xml_entities_are_never_expanded_or_fetched():
    recorder = LocalServer(lambda path: (200, {"Content-Type": "text/plain"}, b"EXTERNAL-ENTITY-CONTENT"))
    try:
        bombs = _bombs(f"http://127.0.0.1:{recorder.port}")
        result = subprocess.run([sys.executable, "-c", _BOMB_SCRIPT.format(repo=str(REPO))],
                                input=json.dumps({k: v.hex() for k, v in bombs.items()}),
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-3000:]
        out = json.loads(result.stdout)
        assert recorder.requests == []  # no external entity or DTD was fetched
    finally:
        recorder.stop()
    assert out.pop("grown_kb") < 200_000  # peak memory grew by less than 200 MB (one expansion is GBs)
    for name, found in out.items():
        assert found["seconds"] < 10, name
        assert found["length"] < 100_000, name
        for expanded in ("lollollol", "xxxxxxxxxx" * 10, "root:", "EXTERNAL-ENTITY-CONTENT"):
            assert expanded not in found["text"], (name, expanded)


def test_feed_and_sitemap_entities_give_no_entries_made_of_entity_text():
    url = "https://vithuy.haugiang.gov.vn/"
    bombs = _bombs("http://127.0.0.1:9")
    assert all("lol" not in link for link, _ in feed_entries(bombs["rss-billion"], url))
    pages, children = sitemap_entries(bombs["sitemap-billion"], url)
    assert all("lol" not in loc and lastmod is None for loc, lastmod in pages) and children == []
    assert all("passwd" not in link and "root" not in link for link, _ in feed_entries(bombs["rss-external"], url))


# ---- credentials -------------------------------------------------------------------------------

PASSWORD = "Hv7-s3cr3t_Pw-9q"


@pytest.fixture
def password_database(postgres_dsn):
    """A database owned by a role that must log in with ``PASSWORD`` (scram-sha-256 on 127.0.0.1:
    a line for this role only is put first in the server's pg_hba.conf), and its URI."""
    role, database = "vinews_secret_role", "vinews_secret_db"
    with psycopg.connect(postgres_dsn, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        admin.execute(f"DROP ROLE IF EXISTS {role}")
        admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{PASSWORD}'")
        admin.execute(f"CREATE DATABASE {database} OWNER {role}")
        (hba_file,) = admin.execute("SHOW hba_file").fetchone()
        hba = Path(hba_file)
        original = hba.read_text()
        hba.write_text(f"host all {role} 127.0.0.1/32 scram-sha-256\n{original}")
        admin.execute("SELECT pg_reload_conf()")
    parts = urlsplit(postgres_dsn)
    uri = f"postgresql://{role}:{PASSWORD}@{parts.hostname}:{parts.port}/{database}"
    try:
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            psycopg.connect(uri.replace(PASSWORD, "not-the-password")).close()
        psycopg.connect(uri).close()
        yield uri
    finally:
        hba.write_text(original)
        with psycopg.connect(postgres_dsn, autocommit=True) as admin:
            admin.execute("SELECT pg_reload_conf()")
            admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            admin.execute(f"DROP ROLE IF EXISTS {role}")


def _files_text(directory: Path) -> str:
    texts = []
    for path in directory.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            texts.append(data.decode("utf-8", "replace"))
    return "\n".join(texts)


def test_database_password_never_reaches_logs_or_output(tmp_path, password_database):
    portal = Portal.generate(articles=10)
    with ReplicaServer(portal) as server:
        registry = tmp_path / "replica-sites.toml"
        registry.write_text(portal.registry_toml(server.base_url), encoding="utf-8")
        common = ["crawl", "replica", "--registry", str(registry), *FAST, "--log-level", "DEBUG"]
        by_env = vinews(*common, "--output", str(tmp_path / "env"), cwd=tmp_path,
                        env={"VINEWS_DATABASE_URL": password_database})
        by_option = vinews(*common, "--output", str(tmp_path / "option"), "--store", password_database,
                           "--refresh", "--max-articles", "2", cwd=tmp_path)
        wrong = password_database.replace(PASSWORD, "Wr0ng-" + PASSWORD[::-1])
        refused = vinews(*common, "--output", str(tmp_path / "refused"), cwd=tmp_path, env={"VINEWS_DATABASE_URL": wrong})
    assert by_env.returncode == 0, by_env.stderr[-3000:]
    assert by_option.returncode == 0, by_option.stderr[-3000:]
    assert refused.returncode != 0
    assert "password authentication failed" in refused.stderr
    with open_store(password_database) as store:
        assert len(list(store.iter_articles(site="replica"))) == 10
        assert store.description == mask_uri(password_database) and PASSWORD not in store.description
    assert "vinews_secret_role:***@" in by_env.stderr  # the store is named, masked
    secrets = (PASSWORD, quote(PASSWORD), PASSWORD[::-1])
    for run in (by_env, by_option, refused):
        for secret in secrets:
            assert secret not in run.stdout and secret not in run.stderr
    written = _files_text(tmp_path / "env") + _files_text(tmp_path / "option")
    assert "articles" in " ".join(p.name for p in (tmp_path / "env").rglob("*"))
    for secret in secrets:
        assert secret not in written


def test_mask_uri_hides_every_spelling_of_a_password():
    for uri in (f"postgresql://u:{PASSWORD}@h:5432/db", f"postgres://u:{PASSWORD}@h/db?sslmode=require",
                f"postgresql://h/db?user=u&password={PASSWORD}", f"postgresql://u:{quote('p@ss:w/rd', safe='')}@h/db",
                f"postgresql://h/db?PASSWORD={PASSWORD}&x=1"):
        masked = mask_uri(uri)
        assert PASSWORD not in masked and "p%40ss" not in masked and "***" in masked, masked


@settings(max_examples=100, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(password=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30))
def test_mask_uri_hides_any_password(password):
    uri = f"postgresql://vinews:{quote(password, safe='')}@127.0.0.1:5432/vinews"
    masked = mask_uri(uri)
    assert masked == "postgresql://vinews:***@127.0.0.1:5432/vinews"


# ---- hostile HTML cannot make extraction fetch anything ---------------------------------------

def test_extraction_never_touches_the_network():
    """Entities, DTDs, XIncludes, stylesheets and images that point at a local server are not
    fetched by extracting the page."""
    recorder = LocalServer(lambda path: (200, {"Content-Type": "text/plain"}, b"FETCHED"))
    try:
        here = f"http://127.0.0.1:{recorder.port}"
        page = (f'<!DOCTYPE html SYSTEM "{here}/dtd"><html xmlns:xi="http://www.w3.org/2001/XInclude"><head>'
                f'<link rel="stylesheet" href="{here}/css"><link rel="canonical" href="{here}/canonical">'
                f'<base href="{here}/base/"><script src="{here}/js"></script></head><body>'
                f'<xi:include href="{here}/xinclude"/><h1>Hội nghị tổng kết công tác năm 2023 của huyện</h1>'
                f'<p>Ngày đăng: 22/01/2024</p><p>{PARAGRAPHS}</p><img src="{here}/img.jpg"><iframe src="{here}/frame">'
                f'</iframe><p><a href="{here}/a.pdf">Tải về</a></p></body></html>').encode()
        try:
            extract_article(page, "https://vithuy.haugiang.gov.vn/tin-tuc/a-1.html")
        except ExtractionError:
            pass
        extract_listing(page, "https://vithuy.haugiang.gov.vn/tin-tuc")
        feed_entries(page, here)
        sitemap_entries(page, here)
        assert recorder.requests == []
    finally:
        recorder.stop()
