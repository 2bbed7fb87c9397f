"""Feeds and sitemaps: parsed safely, URLs absolute, dates normalized."""

from vinews_scraper.export import export_name
from vinews_scraper.extraction.feeds import feed_entries, sitemap_entries, sitemaps_in_robots
from vinews_scraper.extraction.listing import extract_listing

BASE = "https://vithuy.haugiang.gov.vn/"


def test_rss_items_give_absolute_links_and_dates():
    rss = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Tin</title>
    <item><title>Hội nghị</title><link>/tin-tuc/hoi-nghi-12.html</link>
    <pubDate>Fri, 22 Jan 2021 10:00:00 +0700</pubDate></item>
    <item><title>Ra quân</title><link>https://vithuy.haugiang.gov.vn/tin-tuc/ra-quan-13.html</link></item>
    </channel></rss>""".encode()
    assert feed_entries(rss, BASE) == [
        ("https://vithuy.haugiang.gov.vn/tin-tuc/hoi-nghi-12.html", "2021-01-22T10:00:00+07:00"),
        ("https://vithuy.haugiang.gov.vn/tin-tuc/ra-quan-13.html", None)]


def test_atom_entries_use_the_alternate_link():
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A</title>
    <link rel="edit" href="/edit/1"/><link rel="alternate" href="/tin/a-1.html"/>
    <published>2024-03-05T08:00:00Z</published></entry></feed>"""
    assert feed_entries(atom, BASE) == [("https://vithuy.haugiang.gov.vn/tin/a-1.html",
                                         "2024-03-05T15:00:00+07:00")]


def test_external_entities_are_never_resolved():
    hostile = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
    <rss><channel><item><link>&x;</link></item></channel></rss>"""
    assert feed_entries(hostile, BASE) == []
    assert feed_entries(b"not xml at all", BASE) == [] and sitemap_entries(b"", BASE) == ([], [])


def test_sitemap_index_and_urlset():
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://vithuy.haugiang.gov.vn/sitemap-1.xml</loc></sitemap></sitemapindex>"""
    assert sitemap_entries(index, BASE) == ([], ["https://vithuy.haugiang.gov.vn/sitemap-1.xml"])
    urlset = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url><loc>https://vithuy.haugiang.gov.vn/tin-tuc/a-1.html</loc><lastmod>2023-05-01</lastmod></url>
    <url><loc>https://vithuy.haugiang.gov.vn/gioi-thieu</loc></url></urlset>"""
    assert sitemap_entries(urlset, BASE) == ([
        ("https://vithuy.haugiang.gov.vn/tin-tuc/a-1.html", "2023-05-01"),
        ("https://vithuy.haugiang.gov.vn/gioi-thieu", None)], [])


def test_robots_sitemaps_and_advertised_feeds():
    robots = b"User-agent: *\nDisallow: /admin/\nSitemap: /sitemap.xml\nsitemap: https://x.gov.vn/s2.xml\n"
    assert sitemaps_in_robots(robots, BASE) == ["https://vithuy.haugiang.gov.vn/sitemap.xml",
                                                "https://x.gov.vn/s2.xml"]
    page = b"""<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml">
    <link rel="stylesheet" href="/a.css"></head><body><p>x</p></body></html>"""
    assert extract_listing(page, BASE + "tin-tuc").feeds == ("https://vithuy.haugiang.gov.vn/rss.xml",)


def test_export_names_are_safe_file_names():
    assert export_name("127.0.0.1:8080") == "articles-127.0.0.1-8080"
    assert export_name("../../etc") == "articles-..-..-etc"
    assert "/" not in export_name("a/b") and export_name(None, "2021-01-01") == "articles-all-since-2021-01-01"
