"""WARC capture and ``vinews parse-warc``: crawls of the replica portal on 127.0.0.1 written to WARC
files, checked record by record, and read back into the same items; a WARC written in wget's style
read too."""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import json
import os
import pickle
import signal
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import zlib
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import psycopg
import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from vinews_scraper.demo import check_against_truth
from vinews_scraper.replica.portal import Portal
from vinews_scraper.replica.server import ReplicaServer, respond
from vinews_scraper.storage import open_store
from vinews_scraper.warc.capture import Exchange, RollingWarcWriter, finish_abandoned
from vinews_scraper.warc.replay import read_pages
from vinews_scraper.warc.writer_process import WarcWriterProcess
from vinews_scraper.worker_process import FRAME

CONTACT = "https://archivist.example.org/vinews-contact"
FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False",
        "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "--log-level", "WARNING"]
MAX_SIZE = 120_000
WARCIO = Path(sys.executable).with_name("warcio")


def vinews(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "VINEWS_DATABASE_URL"}
    env["VINEWS_CONTACT"] = CONTACT
    return subprocess.run([sys.executable, "-m", "vinews_scraper.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def stored(store_uri: str) -> dict[str, dict]:
    with open_store(store_uri) as store:
        return {item["url"]: item for item in store.iter_articles()}


def sha1_label(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


class Record:
    """One WARC record read straight from its own gzip member, without warcio."""

    def __init__(self, raw: bytes):
        head, _, rest = raw.partition(b"\r\n\r\n")
        lines = head.decode("utf-8").split("\r\n")
        self.version = lines[0]
        self.fields = dict(line.split(": ", 1) for line in lines[1:])
        length = int(self.fields["Content-Length"])
        self.block = rest[:length]
        self.trailer = rest[length:]
        http_head, _, self.payload = self.block.partition(b"\r\n\r\n")
        self.http_lines = http_head.decode("latin-1").split("\r\n")

    def __getitem__(self, name: str) -> str:
        return self.fields[name]

    @property
    def http_headers(self) -> dict[str, str]:
        return {k.lower(): v for k, v in (line.split(": ", 1) for line in self.http_lines[1:])}


def records_of(path: Path) -> list[Record]:
    """The records of a gzip-per-record WARC, one gzip member each."""
    data, records = path.read_bytes(), []
    while data:
        member = zlib.decompressobj(wbits=31)
        records.append(Record(member.decompress(data)))
        assert member.eof
        data = member.unused_data
    return records


class Crawl:
    """The replica served on 127.0.0.1 and crawled with WARC capture into ``tmp``."""

    def __init__(self, tmp: Path, articles: int, server_class=ReplicaServer):
        self.portal = Portal.generate(articles=articles)
        self.server = server_class(self.portal)
        self.base_url = self.server.start()
        self.tmp = tmp
        self.registry = tmp / "replica-sites.toml"
        self.registry.write_text(self.portal.registry_toml(self.base_url), encoding="utf-8")
        self.store_uri = f"sqlite:///{tmp / 'crawl.sqlite3'}"
        self.warc_dir = tmp / "out" / "warc"

    def crawl(self, *extra: str) -> subprocess.CompletedProcess:
        return vinews("crawl", "replica", "--registry", str(self.registry), "--store", self.store_uri,
                      "--output", str(self.tmp / "out"), *FAST, *extra, cwd=self.tmp)

    def parse_warc(self, store_name: str, *files: Path) -> subprocess.CompletedProcess:
        return vinews("parse-warc", *map(str, files or self.warc_files()), "--registry", str(self.registry),
                      "--store", f"sqlite:///{self.tmp / store_name}", "--print", cwd=self.tmp)

    def warc_files(self) -> list[Path]:
        return sorted(self.warc_dir.glob("*.warc.gz"))

    def truth(self) -> list[dict]:
        return self.portal.expected_items(self.base_url)


@pytest.fixture(scope="module")
def captured(tmp_path_factory):
    """A full crawl of a 120-article replica, WARC files rolled over at 120 kB."""
    crawl = Crawl(tmp_path_factory.mktemp("warc"), articles=120)
    result = crawl.crawl("--set", f"VINEWS_WARC_MAX_SIZE={MAX_SIZE}")
    requests = list(crawl.server.requests)
    files = crawl.warc_files()
    records = {path: records_of(path) for path in files}
    yield {"crawl": crawl, "result": result, "requests": requests, "files": files, "records": records}
    crawl.server.stop()


def responses(records: dict[Path, list[Record]]) -> list[tuple[Path, Record]]:
    return [(path, r) for path, rs in records.items() for r in rs if r["WARC-Type"] == "response"]


def test_crawl_rolls_over_into_closed_warc_files_that_warcio_checks(captured):
    crawl, files = captured["crawl"], captured["files"]
    assert captured["result"].returncode == 0, captured["result"].stderr[-3000:]
    assert len(files) >= 4
    assert sorted(p.name for p in crawl.warc_dir.iterdir()) == [p.name for p in files]  # no *.open left
    assert all(p.stat().st_size >= MAX_SIZE for p in files[:-1])
    check = subprocess.run([str(WARCIO), "check", "-v", *map(str, files)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    assert check.stdout.count("digest pass") == sum(len(r) for r in captured["records"].values())
    assert f"captured in {len(files)} WARC files → {crawl.warc_dir}" in captured["result"].stdout


def test_every_file_opens_with_a_warcinfo_record_saying_who_how_and_what_is_lost(captured):
    for path, records in captured["records"].items():
        info = records[0]
        assert info["WARC-Type"] == "warcinfo" and info["WARC-Filename"] == path.name
        fields = dict(line.split(": ", 1) for line in info.block.decode("utf-8").splitlines())
        assert fields["software"].startswith("vinews/0.1.0 (Scrapy/")
        assert fields["format"] == "WARC File Format 1.1"
        assert fields["operator"] == CONTACT and CONTACT in fields["http-header-user-agent"]
        assert fields["robots"] == "obey"
        for lost in ("order and case of header lines", "chunking", "Content-Encoding (compression)",
                     "reason phrase", "Host is reconstructed"):
            assert lost in fields["description"]
        assert all(r["WARC-Warcinfo-ID"] == info["WARC-Record-ID"] for r in records[1:])
        assert {r.version for r in records} == {"WARC/1.1"}
        assert all(r.trailer == b"\r\n\r\n" for r in records)


def test_request_and_response_records_are_linked_and_their_digests_are_right(captured):
    crawl = captured["crawl"]
    for records in captured["records"].values():
        by_id = {r["WARC-Record-ID"]: r for r in records}
        requests = [r for r in records if r["WARC-Type"] == "request"]
        assert len(requests) == len(records[1:]) // 2
        for request in requests:
            response = by_id[request["WARC-Concurrent-To"]]
            assert response["WARC-Type"] == "response"
            assert response["WARC-Target-URI"] == request["WARC-Target-URI"]
            assert response["WARC-Date"] == request["WARC-Date"]
            method, target, protocol = request.http_lines[0].split(" ")
            assert (method, protocol) == ("GET", "HTTP/1.1")
            assert crawl.base_url + target == request["WARC-Target-URI"]
            assert request.http_headers["host"] == crawl.base_url.split("//")[1]
            assert request.http_headers["user-agent"].startswith("vinews/0.1")
        for record in records:
            assert record["WARC-Block-Digest"] == sha1_label(record.block)
            if record["WARC-Type"] != "warcinfo":
                assert record["WARC-Payload-Digest"] == sha1_label(record.payload)
    # every request the replica answered is captured, once
    captured_urls = sorted(r["WARC-Target-URI"] for _, r in responses(captured["records"]))
    assert captured_urls == sorted(crawl.base_url + path for path in captured["requests"])


def test_listings_articles_and_attachments_are_captured_as_served(captured):
    crawl = captured["crawl"]
    by_url = {r["WARC-Target-URI"]: r for _, r in responses(captured["records"])}
    truth = crawl.truth()
    attachments = {a["url"] for item in truth for a in item["attachments"]}
    assert len(attachments) >= 10
    for url in attachments:
        record = by_url[url]
        assert record["WARC-Vinews-Page"] == "attachment"
        assert record.http_lines[0] == "HTTP/1.0 200 OK"  # the replica answers in HTTP/1.0
        with urllib.request.urlopen(url) as served:
            assert record.payload == served.read()
            assert record.http_headers["content-type"] == served.headers["Content-Type"]
        assert int(record.http_headers["content-length"]) == len(record.payload)
    assert all(by_url[item["url"]]["WARC-Vinews-Page"] == "article" for item in truth)
    listing_urls = crawl.portal.registry_entry(crawl.base_url)["listing_urls"]
    assert all(by_url[url]["WARC-Vinews-Page"] == "listing" for url in listing_urls)
    assert "WARC-Vinews-Page" not in by_url[crawl.base_url + "/robots.txt"].fields
    assert all(r["WARC-IP-Address"] == "127.0.0.1" for r in by_url.values())
    # attachments are kept in the WARC files only, never as items
    assert stored(crawl.store_uri).keys() == {item["url"] for item in truth}


def test_each_stored_article_names_its_warc_record(captured):
    crawl = captured["crawl"]
    by_id = {r["WARC-Record-ID"]: (path, r) for path, r in responses(captured["records"])}
    articles = stored(crawl.store_uri)
    assert len(articles) == 120
    for url, item in articles.items():
        path, record = by_id[item["warc_record_id"]]
        assert path.name == item["warc_file"] and record["WARC-Target-URI"] == url
        assert item["fetched_at"] == record["WARC-Date"][:19] + "Z"


def test_parse_warc_reproduces_the_crawls_items(captured):
    crawl = captured["crawl"]
    result = crawl.parse_warc("replay.sqlite3")
    assert result.returncode == 0, result.stderr[-3000:]
    crawled, replayed = stored(crawl.store_uri), stored(f"sqlite:///{crawl.tmp / 'replay.sqlite3'}")
    assert replayed.keys() == crawled.keys()
    for url, item in crawled.items():
        assert {k: v for k, v in replayed[url].items() if k != "fetched_at"} == \
               {k: v for k, v in item.items() if k != "fetched_at"}
    dates = {r["WARC-Record-ID"]: r["WARC-Date"] for _, r in responses(captured["records"])}
    assert all(i["fetched_at"] == dates[i["warc_record_id"]][:19] + "Z" for i in replayed.values())
    printed = [json.loads(line) for line in result.stdout.splitlines()]
    assert {i["url"]: i for i in printed} == replayed
    assert "120 article pages extracted" in result.stderr
    assert "0 failed" in result.stderr


def _exchange(n: int) -> Exchange:
    """A small article exchange numbered ``n``, for the writer tests."""
    return Exchange(url=f"http://127.0.0.1:8000/tin-tuc/bai-{n}.html", method="GET",
                    request_headers=[("Host", "127.0.0.1:8000")], request_body=b"", protocol="HTTP/1.1",
                    status=200, response_headers=[("Content-Type", "text/html")],
                    body=b"<html>%d</html>" % n, date=datetime.now(timezone.utc))


def test_rolling_writer_names_files_open_until_closed(tmp_path):
    writer = RollingWarcWriter(tmp_path, "vinews-test", 2_000, {"software": "test"})
    first = writer.write(_exchange(1))
    assert [p.name for p in tmp_path.iterdir()] == [first.file + ".open"]
    while writer.serial == 1:
        writer.write(_exchange(2))
    assert (tmp_path / first.file).is_file()  # rolled over: closed and renamed
    (still_open,) = tmp_path.glob("*.open")
    assert still_open.name.startswith("vinews-test-") and still_open.name.endswith("-00002.warc.gz.open")
    writer.close()
    assert not list(tmp_path.glob("*.open"))
    assert [p.name for p in writer.closed_files] == sorted(p.name for p in tmp_path.iterdir())
    assert len(writer.closed_files) == 2
    assert subprocess.run([str(WARCIO), "check", *map(str, writer.closed_files)]).returncode == 0


def _records_by_id(files) -> dict[str, str]:
    """Response record id → target URI, over ``files``."""
    found = {}
    for path in files:
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response":
                    found[record.rec_headers.get_header("WARC-Record-ID")] = record.rec_headers.get_header(
                        "WARC-Target-URI")
    return found


def test_writer_process_writes_in_order_and_survives_its_own_death(tmp_path):
    """The crawl's WARC writer process: every exchange answered with where it went; killed, its file
    is finished, a new writer takes the next exchanges, and none is lost or written twice."""
    config = {"directory": str(tmp_path), "prefix": "vinews-test", "max_size": 1_000_000,
              "info": {"software": "test"}, "level": 6}
    restarts = []

    async def run() -> list:
        writer = WarcWriterProcess(config, on_restart=restarts.append)
        captures = [await writer.write(_exchange(n)) for n in range(3)]
        more = asyncio.gather(*(writer.write(_exchange(n)) for n in range(3, 8)))
        os.kill(writer.worker.pid, signal.SIGKILL)  # while it has exchanges to answer
        captures += await more
        captures.append(await writer.write(_exchange(8)))
        writer.close()
        return captures

    captures = asyncio.run(run())
    files = sorted(tmp_path.glob("*.warc.gz"))
    assert not list(tmp_path.glob("*.open"))
    assert len(restarts) == 1 and [p.name for p in restarts[0]] == [captures[0].file]
    assert {c.file for c in captures} == {p.name for p in files} and len(files) == 2
    written = _records_by_id(files)
    assert [written[c.record_id] for c in captures] == [_exchange(n).url for n in range(9)]
    assert len(written) == 9  # an exchange the dead writer had not answered was written once, again
    assert subprocess.run([str(WARCIO), "check", *map(str, files)]).returncode == 0


def test_writer_process_closes_its_file_when_the_crawl_is_gone(tmp_path):
    """A crawl process killed alone: its writer sees its stdin end, and closes and renames its file."""
    config = {"directory": str(tmp_path), "prefix": "vinews-test", "max_size": 1_000_000,
              "info": {"software": "test"}, "level": 6}
    writer = subprocess.Popen([sys.executable, "-m", "vinews_scraper.warc.writer_process", json.dumps(config)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    data = pickle.dumps(_exchange(1))
    writer.stdin.write(FRAME.pack(len(data)) + data)
    writer.stdin.flush()
    size = FRAME.unpack(writer.stdout.read(FRAME.size))[0]
    ok, (file, record_id) = pickle.loads(writer.stdout.read(size))
    assert ok and (tmp_path / f"{file}.open").is_file()
    writer.stdin.close()  # as when the crawl process dies
    assert writer.wait(timeout=30) == 0
    assert [p.name for p in tmp_path.iterdir()] == [file]
    assert _records_by_id([tmp_path / file]) == {record_id: _exchange(1).url}


class _GzipChunkedHandler(BaseHTTPRequestHandler):
    """The replica answered gzip-compressed in chunks, as many real portals answer."""

    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.server.replica.requests.append(self.path)
        answer = respond(self.server.replica.portal, self.path, self.server.replica.base_url)
        body = gzip.compress(answer.body)
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for start in range(0, len(body), 700):
            chunk = body[start:start + 700]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.write(b"0\r\n\r\n")

    def log_message(self, format, *args):
        """Silent."""


class GzipChunkedServer(ReplicaServer):
    def start(self) -> str:
        self._httpd = ThreadingHTTPServer((self.host, self.port), _GzipChunkedHandler)
        self._httpd.daemon_threads = True
        self._httpd.replica = self
        self.port = self._httpd.server_address[1]
        self.base_url = f"http://{self.host}:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self.base_url


def test_compressed_chunked_pages_are_kept_compressed_and_read_back(tmp_path):
    crawl = Crawl(tmp_path, articles=30, server_class=GzipChunkedServer)
    try:
        result = crawl.crawl()
        assert result.returncode == 0, result.stderr[-3000:]
        records = [r for path in crawl.warc_files() for r in records_of(path) if r["WARC-Type"] == "response"]
        assert len(records) == len(crawl.server.requests)
        for record in records:
            assert record.http_lines[0].startswith("HTTP/1.1 ")  # this server answers in HTTP/1.1
            assert record.http_headers["content-encoding"] == "gzip"
            assert "transfer-encoding" not in record.http_headers
            assert int(record.http_headers["content-length"]) == len(record.payload)
            assert gzip.decompress(record.payload)  # the body as the server compressed it
        check = subprocess.run([str(WARCIO), "check", *map(str, crawl.warc_files())])
        assert check.returncode == 0
        truth = crawl.truth()
        assert check_against_truth(list(stored(crawl.store_uri).values()), truth).ok
        replay = crawl.parse_warc("replay.sqlite3")
        assert replay.returncode == 0, replay.stderr[-3000:]
        replayed = list(stored(f"sqlite:///{tmp_path / 'replay.sqlite3'}").values())
        assert check_against_truth(replayed, truth).ok
    finally:
        crawl.server.stop()


def test_capture_off_writes_no_warc_and_fetches_no_attachment(tmp_path):
    crawl = Crawl(tmp_path, articles=40)
    try:
        result = crawl.crawl("--set", "VINEWS_WARC_ENABLED=False")
        assert result.returncode == 0, result.stderr[-3000:]
        assert not crawl.warc_dir.exists() and "WARC" not in result.stdout
        attachment_paths = {a["url"][len(crawl.base_url):] for i in crawl.truth() for a in i["attachments"]}
        assert attachment_paths and not attachment_paths & set(crawl.server.requests)
        articles = stored(crawl.store_uri)
        assert len(articles) == 40
        assert {(i["warc_file"], i["warc_record_id"]) for i in articles.values()} == {(None, None)}
    finally:
        crawl.server.stop()


# ---- a WARC written by another tool ---------------------------------------------------------------

def _chunked(body: bytes, size: int = 500) -> bytes:
    chunks = [body[i:i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"


def _wget_response(status: int, reason: str, content_type: str, body: bytes, compress: bool) -> bytes:
    """An HTTP response as wget records it: the bytes as received, chunked and gzip-compressed."""
    head = [f"HTTP/1.1 {status} {reason}", "Server: nginx", f"Content-Type: {content_type}"]
    if compress:
        head += ["Content-Encoding: gzip", "Transfer-Encoding: chunked", "Vary: Accept-Encoding"]
        body = _chunked(gzip.compress(body))
    else:
        head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


class WgetWarc:
    """A WARC/1.0 file written the way ``wget --warc-file`` writes one."""

    def __init__(self, path: Path):
        self.path = path
        self.stream = path.open("wb")
        self.writer = WARCWriter(self.stream, gzip=True, warc_version="1.0")
        info = {"software": "Wget/1.21.4 (linux-gnu)", "format": "WARC File Format 1.0",
                "conformsTo": "http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf",
                "robots": "classic", "wget-arguments": "\"--warc-file=portal\" \"-r\" \"-l\" \"2\""}
        self.writer.write_record(self.writer.create_warcinfo_record(path.name, info))
        self.responses: dict[str, object] = {}

    def exchange(self, url: str, raw_response: bytes, date: str):
        path = url.split("/", 3)[3] if url.count("/") >= 3 else ""
        request = self.writer.create_warc_record(url, "request", http_headers=StatusAndHeaders(
            f"GET /{path} HTTP/1.1", [("User-Agent", "Wget/1.21.4"), ("Accept", "*/*"),
                                     ("Accept-Encoding", "gzip"), ("Host", url.split("/")[2])],
            is_http_request=True), warc_headers_dict={"WARC-Date": date})
        response = self.writer.create_warc_record(
            url, "response", payload=BytesIO(raw_response), length=len(raw_response),
            warc_headers_dict={"WARC-Date": date,
                               "WARC-Concurrent-To": request.rec_headers.get_header("WARC-Record-ID")})
        self.writer.write_record(request)
        self.writer.write_record(response)
        self.responses[url] = response
        return response

    def revisit_of(self, original, date: str):
        headers = original.rec_headers
        revisit = self.writer.create_revisit_record(
            headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Payload-Digest"),
            headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Date"),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                                     ("Content-Encoding", "gzip")], protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Date": date, "WARC-Refers-To": headers.get_header("WARC-Record-ID"),
                               "WARC-Truncated": "length"})
        self.writer.write_record(revisit)
        return revisit

    def close(self) -> Path:
        log = b"Downloaded: 12 files, 180K in 0.2s (900 KB/s)\n"
        self.writer.write_record(self.writer.create_warc_record(
            "urn:X-wget:log", "resource", payload=BytesIO(log), length=len(log),
            warc_content_type="text/plain", warc_headers_dict={"WARC-Date": "2025-03-01T09:00:05Z"}))
        self.stream.close()
        return self.path


def _served(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url) as answer:
            return answer.status, answer.headers["Content-Type"], answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def test_parse_warc_reads_a_wget_style_warc_with_chunked_gzip_pages_and_a_revisit(tmp_path):
    crawl = Crawl(tmp_path, articles=30)
    try:
        truth = crawl.truth()
        first_articles = truth[:6] + [i for i in truth[6:] if "/xem-chi-tiet-tin/" in i["url"]][:1]
        listing = crawl.portal.registry_entry(crawl.base_url)["listing_urls"][0]
        attachment = next(a["url"] for i in truth for a in i["attachments"])
        broken = crawl.base_url + "/tin-tuc/kinh-te/trang-hong-khong-doc-duoc-9999.html"
        first = WgetWarc(tmp_path / "portal-2025-03-01.warc.gz")
        served = {}
        for n, url in enumerate([crawl.base_url + "/robots.txt", crawl.base_url + "/", listing,
                                 *(i["url"] for i in first_articles), attachment,
                                 crawl.base_url + "/tin-tuc/khong-co-trang-nay-1.html"]):
            status, content_type, body = served[url] = _served(url)
            first.exchange(url, _wget_response(status, "OK" if status == 200 else "Not Found", content_type,
                                               body, compress="html" in content_type),
                           f"2025-03-01T09:00:{n:02d}Z")
        first.exchange(broken, _wget_response(200, "OK", "text/html", b"\x00\x01\x02 \xff\xfe", False),
                       "2025-03-01T09:00:30Z")
        revisited = first.responses[first_articles[0]["url"]]
        first_path = first.close()

        second = WgetWarc(tmp_path / "portal-2025-03-08.warc.gz")  # a later run with --warc-dedup
        revisit = second.revisit_of(revisited, "2025-03-08T10:00:00Z")
        new_article = truth[10]
        status, content_type, body = _served(new_article["url"])
        second.exchange(new_article["url"], _wget_response(status, "OK", content_type, body, compress=False),
                        "2025-03-08T10:00:01Z")
        second_path = second.close()
        check = subprocess.run([str(WARCIO), "check", str(first_path), str(second_path)])
        assert check.returncode == 0

        # the revisit's page is the original's payload under the revisit's own date
        pages = {p.record_id: p for p in read_pages([str(first_path), str(second_path)], lambda key: None)}
        page = pages[revisit.rec_headers.get_header("WARC-Record-ID")]
        original = pages[revisited.rec_headers.get_header("WARC-Record-ID")]
        assert page.body == original.body == served[first_articles[0]["url"]][2]
        assert (page.date, page.url, page.status) == ("2025-03-08T10:00:00Z", first_articles[0]["url"], 200)

        result = crawl.parse_warc("wget.sqlite3", first_path, second_path)
        assert result.returncode == 1  # the unreadable page is a failure
        store_uri = f"sqlite:///{tmp_path / 'wget.sqlite3'}"
        items = stored(store_uri)
        wanted = [*first_articles, new_article]
        check = check_against_truth(list(items.values()), wanted)
        assert check.ok, check.lines()
        dates = {r.rec_headers.get_header("WARC-Record-ID"): (path.name, r.rec_headers.get_header("WARC-Date"))
                 for path, warc in ((first_path, first), (second_path, second)) for r in warc.responses.values()}
        for item in items.values():
            assert (item["warc_file"], item["fetched_at"]) == dates[item["warc_record_id"]]
            assert item["site"] == "replica"
        with open_store(store_uri) as store:
            failures = store.failures()
        assert [(f["url"], f["kind"], f["status"]) for f in failures] == [(broken, "parse", 200)]
        assert "portal-2025-03-01.warc.gz" in failures[0]["reason"]
        assert f"failed {broken}" in result.stderr
        assert "1 revisits (1 resolved)" in result.stderr
        assert f"duplicate article {first_articles[0]['url']}" in result.stderr
        assert "9 article pages extracted" in result.stderr and "8 new" in result.stderr
        assert "not read as articles: 2 listing or home pages, 2 not HTML, 1 not 2xx" in result.stderr
        assert sorted(json.loads(line)["url"] for line in result.stdout.splitlines()) == sorted(items)

        alone = crawl.parse_warc("alone.sqlite3", second_path)
        assert alone.returncode == 1
        with open_store(f"sqlite:///{tmp_path / 'alone.sqlite3'}") as store:
            assert [i["url"] for i in store.iter_articles()] == [new_article["url"]]
            (failure,) = store.failures()
        assert (failure["url"], failure["kind"]) == (first_articles[0]["url"], "warc")
        assert "refers to a record that is in none of the WARC files read" in failure["reason"]
    finally:
        crawl.server.stop()


def test_parse_warc_reports_a_file_that_is_not_a_warc(tmp_path):
    bogus = tmp_path / "bogus.warc.gz"
    bogus.write_bytes(b"<html><body>Not a WARC file</body></html>\n")
    result = vinews("parse-warc", str(bogus), str(tmp_path / "missing.warc.gz"),
                    "--store", f"sqlite:///{tmp_path / 'x.sqlite3'}", cwd=tmp_path)
    assert result.returncode == 1
    with open_store(f"sqlite:///{tmp_path / 'x.sqlite3'}") as store:
        reasons = [(f["kind"], f["reason"]) for f in store.failures()]
    assert [kind for kind, _ in reasons] == ["warc", "warc"]
    assert f"cannot read WARC file {bogus}" in reasons[0][1]
    assert "missing.warc.gz" in reasons[1][1] and "No such file" in reasons[1][1]


def test_a_store_made_without_the_warc_columns_gets_them(store_uri, make_article):
    with open_store(store_uri) as store:
        store.upsert_article(make_article())
    drop = ("ALTER TABLE {} DROP COLUMN warc_file", "ALTER TABLE {} DROP COLUMN warc_record_id")
    if store_uri.startswith("sqlite"):
        connection = sqlite3.connect(store_uri[len("sqlite:///"):])
    else:
        connection = psycopg.connect(store_uri, autocommit=True)
    with connection:
        for table in ("articles", "article_versions"):
            for statement in drop:
                connection.execute(statement.format(table))
    connection.close()
    capture = {"warc_file": "vinews-vithuy-20250301090000000-00001.warc.gz",
               "warc_record_id": "<urn:uuid:6f1c2a52-6d2c-4d5e-9a55-2b1f0c7e8a10>"}
    with open_store(store_uri) as store:
        old = make_article()
        assert {k: store.get_article(old["url"])[k] for k in capture} == {"warc_file": None, "warc_record_id": None}
        again = make_article(**capture, fetched_at="2025-03-01T09:00:00Z")
        assert store.upsert_article(again) == "unchanged"
        assert store.get_article(old["url"]) == again
        edited = make_article(**capture, body="Nội dung đã sửa.")
        assert store.upsert_article(edited) == "updated"
        assert store.get_article(old["url"]) == edited


def test_a_warc_file_left_open_by_a_killed_crawl_is_cut_after_its_last_whole_record(tmp_path):
    writer = RollingWarcWriter(tmp_path, "vinews-test", 1_000_000, {"software": "test"})
    captures = [writer.write(_exchange(n)) for n in range(3)]
    (live,) = tmp_path.glob("*.open")
    whole = live.read_bytes()  # every pair is flushed as it is written
    assert finish_abandoned(tmp_path, "vinews-test") == []  # the live writer holds its file
    killed = tmp_path / "vinews-test-20250101000000000-00001.warc.gz.open"
    killed.write_bytes(whole + gzip.compress(b"WARC/1.1\r\n" + os.urandom(2000))[:300])  # a record cut short
    cut_in_first_record = tmp_path / "vinews-test-20250101000000000-00002.warc.gz.open"
    cut_in_first_record.write_bytes(whole[:40])
    finished = tmp_path / "vinews-test-20250101000000000-00001.warc.gz"
    assert finish_abandoned(tmp_path, "vinews-test") == [finished]
    assert finished.read_bytes() == whole
    assert not cut_in_first_record.exists()
    assert [r["WARC-Record-ID"] for r in records_of(finished) if r["WARC-Type"] == "response"] == \
        [c.record_id for c in captures]
    assert subprocess.run([str(WARCIO), "check", str(finished)]).returncode == 0
    assert live.exists()
    writer.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([finished.name, captures[0].file])
