"""`vinews report`: the figures, and the page as headless Chromium draws it."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from collections import Counter
from pathlib import Path

import pytest
from lxml import html
from replica_crawl import CrawledReplica

from vinews_scraper.cli import main
from vinews_scraper.report.page import month_ranges
from vinews_scraper.report.stats import (
    VIEW_BINS,
    gap_months,
    gather,
    month_range,
    view_bin,
)
from vinews_scraper.storage import open_store

BAR_RGB = (0x2B, 0x6C, 0xB0)
VITHUY = "https://vithuy.haugiang.gov.vn"


def test_months_gaps_and_view_bins():
    assert month_range("2023-11", "2024-02") == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert gap_months(Counter({"2024-01": 2, "2024-04": 1})) == ["2024-02", "2024-03"]
    assert gap_months(Counter()) == []
    assert [view_bin(v) for v in (0, 9, 10, 999, 1000, 99_999, 100_000, 5_000_000)] == [
        "0", "1–9", "10–99", "100–999", "1 000–9 999", "10 000–99 999", "≥ 100 000", "≥ 100 000"]
    assert month_ranges(["2024-02", "2024-03", "2024-06", "2024-12", "2025-01"]) == [
        "2024-02 – 2024-03", "2024-06", "2024-12 – 2025-01"]


def test_gather_counts_months_coverage_and_the_most_viewed(make_article):
    articles = [
        make_article(url=f"{VITHUY}/1.html", published="2024-01-02", view_count=5),
        make_article(url=f"{VITHUY}/2.html", published="2024-01-20T08:00:00+07:00", view_count=50,
                     author=None, images=[]),
        make_article(url=f"{VITHUY}/3.html", published=None, view_count=None),
        make_article(url=f"{VITHUY}/4.html", published="2024-04-01", view_count=50),
    ]
    stats = gather(articles)
    (vithuy,) = stats.portals.values()
    assert (vithuy.articles, vithuy.undated, dict(vithuy.months)) == (4, 1, {"2024-01": 2, "2024-04": 1})
    assert vithuy.coverage("author") == 0.75 and vithuy.coverage("clock time") == 0.25
    assert vithuy.coverage("captions") == 0.75 and vithuy.coverage("attachments") == 1.0
    assert stats.view_bins == Counter({"1–9": 1, "10–99": 2})
    assert [(t.views, t.url.rsplit("/", 1)[1]) for t in stats.top] == [(50, "2.html"), (50, "4.html"), (5, "1.html")]


def test_an_empty_store_gives_a_page_without_charts_of_portals(store, tmp_path):
    from vinews_scraper.report import write_report

    stats = write_report(store, tmp_path / "empty.html")
    page = html.fromstring((tmp_path / "empty.html").read_bytes())
    assert stats.articles == 0 and page.xpath('//rect[@class!="bin"]') == []
    assert page.xpath('//rect[@class="bin"]/@data-count') == ["0"] * len(VIEW_BINS)
    assert "0 articles from 0 portal(s)" in page.text_content()


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    pytest.fail("headless Chromium is needed to render the report: install Debian's `chromium` "
                "package (scripts/test does)", pytrace=False)


def render(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}", *extra,
               page.as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def png_pixels(data: bytes) -> list[tuple[int, ...]]:
    """The pixels of an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, []
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", data[pos + 8:pos + 21])
        elif kind == b"IDAT":
            idat.append(data[pos + 8:pos + 8 + length])
        pos += 12 + length
    assert depth == 8 and color in (2, 6) and interlace == 0
    bpp = 3 if color == 2 else 4
    raw, stride, previous, pixels = zlib.decompress(b"".join(idat)), width * bpp, bytearray(width * bpp), []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = previous[i], previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        pixels += [tuple(line[x:x + 3]) for x in range(0, stride, bpp)]
        previous = line
    return pixels


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """A replica crawl plus three Vị Thủy articles (January twice, April: a two-month gap), reported."""
    from conftest import _article

    tmp = tmp_path_factory.mktemp("report")
    replica = CrawledReplica(tmp, tmp / "vinews.sqlite3")
    try:
        replica.crawl()
    finally:
        replica.stop()
    with open_store(replica.store_uri) as store:
        for name, day in (("a", "2024-01-03"), ("b", "2024-01-25"), ("c", "2024-04-09")):
            store.upsert_article(_article(url=f"{VITHUY}/{name}.html", published=day, view_count=200_000))
        articles = list(store.stream_articles())
    page = tmp / "report.html"
    assert main(["report", "--store", replica.store_uri, "--output", str(page)]) == 0
    return {"tmp": tmp, "page": page, "articles": articles}


def test_report_is_one_self_contained_page(report):
    text = report["page"].read_text(encoding="utf-8")
    for resource in ("<script", " src=", "<link", "@import", "url(", "<img", "<iframe", "<object"):
        assert resource not in text


def test_chromium_draws_every_chart(report):
    dom = html.fromstring(render(report["page"], report["tmp"] / "profile-dom", "--dump-dom").stdout)
    articles = report["articles"]
    for site in ("replica", "vithuy"):
        months = {a["published"][:7] for a in articles if a["site"] == site and a["published"]}
        (chart,) = dom.xpath(f'//svg[@aria-label="articles per month, {site}"]')
        bars = chart.xpath('.//rect[@class="bar"]')
        assert sorted(b.get("data-month") for b in bars) == sorted(months)
        assert sum(int(b.get("data-count")) for b in bars) == sum(
            1 for a in articles if a["site"] == site and a["published"])
        span = month_range(min(months), max(months))
        gaps = [g.get("data-month") for g in chart.xpath('.//rect[@class="gap"]')]
        assert gaps == [m for m in span if m not in months]
    vithuy_gaps = dom.xpath('//svg[@aria-label="articles per month, vithuy"]//rect[@class="gap"]/@data-month')
    assert vithuy_gaps == ["2024-02", "2024-03"]
    bins = dom.xpath('//svg[@aria-label="articles per view count"]//rect[@class="bin"]')
    assert [b.get("data-bin") for b in bins] == list(VIEW_BINS)
    assert sum(int(b.get("data-count")) for b in bins) == sum(a["view_count"] is not None for a in articles)
    assert int(bins[-1].get("data-count")) == 3
    top = dom.xpath('//svg[@aria-label="most viewed articles"]//rect[@class="top-bar"]/@data-views')
    views = sorted((a["view_count"] for a in articles if a["view_count"] is not None), reverse=True)
    assert [int(v) for v in top] == views[:10]
    cells = dom.xpath('//svg[@aria-label="field coverage per portal"]//rect[@class="cell"]')
    assert len(cells) == 2 * 10
    vithuy_authors = next(c for c in cells if c.get("data-site") == "vithuy" and c.get("data-field") == "author")
    assert float(vithuy_authors.get("data-ratio")) == 1.0


def test_chromium_screenshot_shows_the_charts(report):
    shot = report["tmp"] / "report.png"
    render(report["page"], report["tmp"] / "profile-shot", f"--screenshot={shot}", "--window-size=1000,1600",
           "--hide-scrollbars")
    pixels = png_pixels(shot.read_bytes())
    assert len(pixels) == 1000 * 1600
    colors = Counter(pixels)
    assert len(colors) > 50
    assert colors[BAR_RGB] > 10_000
    assert colors.most_common(1)[0][1] < 0.9 * len(pixels)
