"""The replica portal: deterministic generation, variety, truth that matches the served pages,
listings, windows-1258 pages, mutations and the loopback-only server."""

from __future__ import annotations

import io
import json
import re
import socket
import subprocess
import sys
import tomllib
import unicodedata
import urllib.error
import urllib.request
import zipfile
from collections import Counter
from datetime import datetime, timedelta, timezone
from importlib import resources

import pytest
from bs4 import BeautifulSoup
from jsonschema import Draft202012Validator

from vinews_scraper.registry import parse_registry
from vinews_scraper.replica import Portal, ReplicaServer
from vinews_scraper.replica.server import respond

BASE = "http://127.0.0.1:8765"
FIELDS = ["url", "canonical_url", "site", "category", "title", "published", "published_raw", "modified",
          "view_count", "author", "source", "body", "images", "attachments"]


@pytest.fixture(scope="module")
def portal() -> Portal:
    return Portal.generate()


@pytest.fixture(scope="module")
def items(portal: Portal) -> list[dict]:
    return portal.expected_items(BASE)


@pytest.fixture(scope="module")
def server(portal: Portal):
    with ReplicaServer(portal) as running:
        yield running


def fetch(url: str) -> tuple[int, str, bytes]:
    """(status, Content-Type, body) of a GET, 4xx included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def soup_of(data: bytes | str) -> BeautifulSoup:
    return BeautifulSoup(data, "lxml")


def squash(text: str) -> str:
    return " ".join(text.split())


def block_texts(content) -> list[str]:
    """The text lines of an article's content element: one per paragraph (split at <br>),
    caption cell or figcaption."""
    lines = []
    for block in content.find_all(["p", "td", "figcaption"]):
        for br in block.find_all("br"):
            br.replace_with("\x00")
        lines += [squash(part) for part in block.get_text().split("\x00")]
    return [line for line in lines if line]


# ---- generation ---------------------------------------------------------------------------------

def test_generation_is_deterministic_per_seed():
    first = Portal.generate(seed=7, articles=60).expected_items(BASE)
    assert first == Portal.generate(seed=7, articles=60).expected_items(BASE)
    assert first != Portal.generate(seed=8, articles=60).expected_items(BASE)
    assert len(first) == 60


def test_a_portal_larger_than_its_days_shares_days_and_keeps_titles_and_urls_distinct():
    portal = Portal.generate(seed=3, articles=4000)  # 2019–2025 has 2,557 days
    assert len(portal.articles) == 4000
    assert max(Counter(a.published.date() for a in portal.articles).values()) > 1
    assert len({a.title.casefold() for a in portal.articles}) == 4000
    assert len({a.path for a in portal.articles}) == 4000
    for category in portal.categories:
        listing = portal.listing(category)
        assert listing == sorted(listing, key=lambda a: (a.published, a.id), reverse=True)
    assert sum(len(portal.listing(c)) for c in portal.categories) == 4000


def test_size_categories_dates_and_titles(portal: Portal, items: list[dict]):
    assert len(items) >= 240
    categories = Counter(item["category"] for item in items)
    assert len(categories) >= 4 and min(categories.values()) >= 10
    assert {int(item["published"][:4]) for item in items} == set(range(2019, 2026))
    titles = [item["title"] for item in items]
    assert len({t.casefold() for t in titles}) == len(titles)
    assert all(re.search(r"[ạ-ỹđĐăâêôơư]", t.lower()) for t in titles)
    assert 1 <= sum(t == t.upper() for t in titles) <= 2
    assert len({item["url"] for item in items}) == len(items)
    for article in portal.articles:
        assert 3 <= len(article.paragraphs) <= 8
        assert all(p[-1] in ".!?…" for p in article.paragraphs)
    assert {len(a.paragraphs) for a in portal.articles} == set(range(3, 9))
    assert sum(a.br_after is not None for a in portal.articles) >= 10  # two paragraphs split by <br>


def test_image_and_attachment_variety(portal: Portal, items: list[dict]):
    images = [image for article in portal.articles for image in article.images]
    assert {len(a.images) for a in portal.articles} == {0, 1, 2, 3}
    assert Counter(i.markup for i in images).keys() == {"vithuy", "em", "table", "figure", "plain"}
    assert min(Counter(i.markup for i in images).values()) >= 10
    assert sum(i.caption is None for i in images) >= 20 and sum(i.caption is not None for i in images) >= 20
    assert sum(i.alt == i.file_name for i in images) >= 20
    assert sum(i.alt == "" for i in images) >= 20
    assert sum(i.caption is not None and i.alt == i.caption for i in images) >= 10
    assert sum(i.markup == "vithuy" and i.caption is None for i in images) >= 5
    truth_images = [image for item in items for image in item["images"]]
    assert all(re.fullmatch(re.escape(BASE) + r"/media/\d+/[\w.\-]+\.jpg", i["src"]) for i in truth_images)
    assert not any(i["caption"] and re.search(r"\.jpe?g$", i["caption"]) for i in truth_images)
    kinds = Counter(doc["url"].rsplit(".", 1)[1] for item in items for doc in item["attachments"])
    assert kinds.keys() == {"pdf", "docx", "xlsx"}
    assert sum(bool(item["attachments"]) for item in items) >= 20


def test_date_view_byline_and_source_variety(portal: Portal, items: list[dict]):
    day_only = [i for i in items if re.fullmatch(r"\d{4}-\d{2}-\d{2}", i["published"])]
    clock = [i for i in items if "T" in i["published"]]
    assert len(day_only) > len(clock) >= 40
    assert sum(bool(re.search(r" (AM|PM)$", i["published_raw"])) for i in clock) >= 5
    assert sum(bool(re.search(r" (SA|CH)$", i["published_raw"])) for i in clock) >= 5
    assert any(i["published_raw"].endswith(("PM", "CH")) and int(i["published"][11:13]) >= 12 for i in clock)
    assert sum(i["modified"] is not None for i in items) >= 20
    assert all(i["modified"] is None or i["modified"] > i["published"] for i in items)
    liferay = [a for a in portal.articles if a.layout == "liferay"]
    assert len(liferay) >= 3
    assert all(re.fullmatch(r"\d{2}-\d{2}-\d{4}", a.published_text) for a in liferay)
    assert sum(i["view_count"] is None for i in items) == len(liferay)
    views = [i["view_count"] for i in items if i["view_count"] is not None]
    assert views.count(0) >= 5 and sum(v >= 1000 for v in views) >= 40
    styles = Counter()
    for article in portal.articles:
        if article.byline is None:
            styles["none"] += 1
        elif article.byline_right:
            styles["right"] += 1
        elif article.byline != article.author:
            styles["label"] += 1
        elif " - " in article.byline:
            styles["name-unit"] += 1
        else:
            styles["name"] += 1
    assert min(styles[k] for k in ("none", "right", "label", "name-unit", "name")) >= 5
    assert {a.byline.split(":")[0] for a in portal.articles if a.byline and a.byline != a.author} >= {
        "Tin, ảnh", "Tác giả", "Bài, ảnh", "T/h"}
    assert sum(i["source"] is not None for i in items) >= 10
    assert Counter(a.charset for a in portal.articles)["header"] >= 1
    assert Counter(a.charset for a in portal.articles)["meta"] >= 1


def test_expected_items_follow_the_schema(items: list[dict]):
    schema = json.loads(resources.files("vinews_scraper").joinpath("schema/article.schema.json").read_text("utf-8"))
    for item in items:
        assert list(item) == FIELDS
        subset = {**schema, "required": [f for f in schema["required"] if f in item]}
        Draft202012Validator(subset).validate(item)
        assert item["site"] == "replica" and item["canonical_url"] == item["url"]
        assert "\n\n\n" not in item["body"] and item["body"] == item["body"].strip()
        assert all(paragraph == squash(paragraph) for paragraph in item["body"].split("\n\n"))


# ---- the truth against the rendered pages ----------------------------------------------------------

def test_every_page_shows_exactly_its_truth(portal: Portal, items: list[dict]):
    for article, item in zip(portal.articles, items):
        response = respond(portal, article.path, BASE)
        assert response.status == 200
        html = response.body.decode("utf-8" if article.charset == "utf-8" else "windows-1258")
        page = soup_of(unicodedata.normalize("NFC", html))
        page_text = page.get_text(" ")
        content = page.select_one(".news-content, .journal-content-article")
        heading = page.select_one("h1.news-title, h1.asset-title")
        assert heading.get_text() == item["title"]
        expected_title = item["title"] + " - " if article.layout == "classic" else "xem chi tiet tin - "
        assert page.title.get_text().startswith(expected_title)
        lines = block_texts(content)
        not_body = {image.file_name for image in article.images}
        not_body |= {image.caption for image in article.images if image.caption}
        not_body |= {doc.label + doc.title for doc in article.attachments}
        not_body |= {article.source_line, article.byline} - {None}
        assert "\n\n".join(line for line in lines if line not in not_body) == item["body"]
        if article.byline:
            assert lines[-1] == article.byline
        shown = [(img["src"], img["alt"] or None) for img in content.find_all("img")]
        assert shown == [(i["src"][len(BASE):], i["alt"]) for i in item["images"]]
        assert [a["href"] for a in content.find_all("a")] == [d["url"][len(BASE):] for d in item["attachments"]]
        assert item["published_raw"] in page_text
        if item["view_count"] is not None:
            label = "Số lần xem" if article.date_style == "vithuy" else article.views_label.rstrip(": ")
            assert f"{label}: {article.views:,}".replace(",", ".") in page_text
        else:
            assert "Số lần xem" not in page_text and "Lượt xem" not in page_text
        for chrome in ("Các ý kiến của bạn đọc", "Tin liên quan", "In bài", "Quay lại", "Tổng lượt truy cập",
                       "Đang online", "Tin mới"):
            assert chrome in page_text


def test_vithuy_layout_prints_file_name_line_before_caption(portal: Portal):
    article = next(a for a in portal.articles if any(i.markup == "vithuy" and i.caption for i in a.images)
                   and a.layout == "classic" and a.charset == "utf-8")
    image = next(i for i in article.images if i.markup == "vithuy" and i.caption)
    lines = block_texts(soup_of(respond(portal, article.path, BASE).body).select_one(".news-content"))
    at = lines.index(image.file_name)
    assert lines[at + 1] == image.caption


def test_banner_shows_today_not_the_article_date(portal: Portal):
    article = portal.articles[0]
    page = soup_of(respond(portal, article.path, BASE).body)
    today = datetime.now(timezone(timedelta(hours=7))).strftime("%d/%m/%Y")
    assert today in page.select_one(".today").get_text()
    assert today != article.published_text


# ---- over HTTP -----------------------------------------------------------------------------------------

def test_walking_the_listings_reaches_every_article_once_newest_first(server: ReplicaServer, portal: Portal,
                                                                     items: list[dict]):
    base = server.base_url
    status, _, home = fetch(base + "/")
    assert status == 200
    category_links = [a["href"] for a in soup_of(home).select("ul.menu a") if a["href"] != "/"]
    assert [base + link for link in category_links] == portal.registry_entry(base)["listing_urls"]
    found = []
    for link in category_links:
        url, dates, pages = base + link, [], 0
        while url:
            status, _, body = fetch(url)
            assert status == 200
            pages += 1
            listing = soup_of(body)
            rows = listing.select("ul.news-list li.news-item")
            assert 1 <= len(rows) <= 10
            for row in rows:
                found.append(base + row.a["href"])
                dates.append(datetime.strptime(row.select_one(".news-item-date").get_text(), "(%d/%m/%Y)"))
                article = portal.article_at(row.a["href"])
                views = row.select_one(".news-item-views")
                expected = f"Lượt xem: {article.views:,}".replace(",", ".") if article.shows_views else None
                assert (views.get_text() if views else None) == expected
            next_link = listing.find("a", string="Trang sau")
            url = base + next_link["href"] if next_link else None
        assert dates == sorted(dates, reverse=True) and len(set(dates)) == len(dates)
        assert pages == -(-len(dates) // 10) >= 2
    assert len(found) == len(set(found)) == len(items)
    expected_urls = {item["url"].replace(BASE, base) for item in items}
    assert set(found) == expected_urls


def test_windows_1258_pages_decode_to_the_truth(server: ReplicaServer, portal: Portal):
    for declared in ("header", "meta"):
        article = next(a for a in portal.articles if a.charset == declared)
        status, content_type, body = fetch(server.base_url + article.path)
        assert status == 200
        head = body[:400].decode("ascii", "replace")
        if declared == "header":
            assert content_type == "text/html; charset=windows-1258" and "charset" not in head
        else:
            assert content_type == "text/html" and 'content="text/html; charset=windows-1258"' in head
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        page = soup_of(unicodedata.normalize("NFC", body.decode("windows-1258")))
        truth = article.expected_item(server.base_url)
        assert page.select_one("h1.news-title").get_text() == truth["title"]
        paragraphs = block_texts(page.select_one(".news-content"))
        assert all(paragraph in paragraphs for paragraph in truth["body"].split("\n\n"))
        assert "Các ý kiến của bạn đọc" in page.get_text()


def test_media_are_real_files(server: ReplicaServer, items: list[dict]):
    image = next(i for item in items for i in item["images"])
    status, content_type, data = fetch(image["src"].replace(BASE, server.base_url))
    assert (status, content_type) == (200, "image/jpeg")
    assert data[:2] == b"\xff\xd8" and data[-2:] == b"\xff\xd9"
    sof = data.index(b"\xff\xc0")
    assert (int.from_bytes(data[sof + 5:sof + 7], "big"), int.from_bytes(data[sof + 7:sof + 9], "big")) == (64, 96)
    docs = {doc["url"].rsplit(".", 1)[1]: doc for item in items for doc in item["attachments"]}
    expected = {"pdf": ("application/pdf", b"%PDF-"),
                "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
                "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04")}
    for kind, (wanted_type, magic) in expected.items():
        status, content_type, data = fetch(docs[kind]["url"].replace(BASE, server.base_url))
        assert (status, content_type, data[:len(magic)]) == (200, wanted_type, magic)
        if kind != "pdf":
            archive = zipfile.ZipFile(io.BytesIO(data))
            assert "[Content_Types].xml" in archive.namelist()
            assert any(docs[kind]["title"] in archive.read(name).decode() for name in archive.namelist())
        else:
            assert data.rstrip().endswith(b"%%EOF")


def test_unknown_paths_are_404_and_robots_excludes_admin(server: ReplicaServer, portal: Portal):
    base, article = server.base_url, portal.articles[0]
    for path in ("/khong-ton-tai", "/tin-tuc", "/tin-tuc/kinh-te?page=99", "/tin-tuc/kinh-te?page=0",
                 "/tin-tuc/kinh-te?page=abc", article.path.replace(f"-{article.id}.", f"-{article.id + 1}."),
                 "/media/1/khong-co.jpg", f"{article.media_folder}/khong-co.pdf"):
        status, content_type, body = fetch(base + path)
        assert status == 404, path
        assert content_type.startswith("text/html") and "Không tìm thấy trang" in body.decode()
    status, content_type, body = fetch(base + "/robots.txt")
    assert (status, body.decode()) == (200, f"User-agent: *\nDisallow: /admin/\nSitemap: {base}/sitemap.xml\n")
    assert fetch(base + "/admin/")[0] == 200
    assert server.requests[-2:] == ["/robots.txt", "/admin/"]


def test_publish_and_bump_views_change_what_is_served():
    portal = Portal.generate(seed=5, articles=60)
    with ReplicaServer(portal) as server:
        base = server.base_url

        def first_pages(category):
            pages = []
            for url in (base + category.path, base + category.path + "?page=2"):
                rows = soup_of(fetch(url)[2]).select("ul.news-list a.news-item-title")
                pages.append([row["href"] for row in rows])
            return pages

        before = {category: first_pages(category) for category in portal.categories}
        added = portal.publish(3)
        assert len(added) == 3 and all(a.published > b.published for a in added for b in portal.articles[:60])
        category = added[-1].category
        before, after = before[category], first_pages(category)
        new_here = [a.path for a in reversed(added) if a.category == category]
        assert after[0][:len(new_here)] == new_here
        assert after[0][len(new_here):] == before[0][:10 - len(new_here)]
        assert after[1][:len(new_here)] == before[0][10 - len(new_here):]
        assert fetch(base + added[0].path)[0] == 200
        assert len(portal.expected_items(base)) == 63

        article = next(a for a in portal.articles if a.date_style == "vithuy")
        views = article.views
        portal.bump_views(250)
        page_text = soup_of(fetch(base + article.path)[2]).get_text()
        assert f"Số lần xem: {views + 250:,}".replace(",", ".") in page_text
        assert next(i for i in portal.expected_items(base) if i["url"] == base + article.path)["view_count"] == views + 250


def test_server_binds_loopback_only_and_records_requests():
    with pytest.raises(ValueError):
        ReplicaServer(Portal.generate(articles=10), host="0.0.0.0")
    with ReplicaServer(Portal.generate(articles=10)) as server:
        host, port = server.address
        assert host == "127.0.0.1" and server.base_url == f"http://127.0.0.1:{port}"
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.2", port), timeout=2).close()
        fetch(server.base_url + "/tin-tuc/kinh-te?page=1")
        assert server.requests == ["/tin-tuc/kinh-te?page=1"]
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_registry_entry_registers_the_replica(portal: Portal):
    base = "http://127.0.0.1:41234"
    entry = portal.registry_entry(base)
    assert entry["key"] == "replica" and entry["family"] == "haugiang-classic"
    assert entry["hosts"] == ["127.0.0.1:41234"]
    assert entry["listing_urls"] == [base + c.path for c in portal.categories]
    shipped = tomllib.loads(resources.files("vinews_scraper").joinpath("sites.toml").read_text("utf-8"))
    table = tomllib.loads(portal.registry_toml(base))
    assert table == {"sites": {"replica": {k: v for k, v in entry.items() if k != "key"}}}
    registry = parse_registry({**shipped, "sites": table["sites"]})
    site = registry.site("replica")
    assert site.family.name == "haugiang-classic"
    assert all(registry.site_for_url(item["url"]) is site for item in portal.expected_items(base))


def test_command_line_serves_the_portal():
    process = subprocess.Popen([sys.executable, "-m", "vinews_scraper.replica", "--articles", "20"],
                               stdout=subprocess.PIPE, text=True)
    try:
        base = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base)
        assert fetch(base + "/robots.txt")[0] == 200
        assert fetch(base + "/")[0] == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
