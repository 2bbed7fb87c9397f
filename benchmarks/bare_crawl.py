"""The floor ``scale_crawl.py`` compares vinews with: a bare Scrapy crawl of a replica portal.

    .venv/bin/python benchmarks/bare_crawl.py [--attachments] LISTING_URL [LISTING_URL ...]

It walks the same listing pages ("Trang sau") to the same article pages as ``vinews crawl``, with
vinews' concurrency, robots.txt and user-agent settings, and does nothing else: two CSS selectors
per listing page, no parsing of articles, no items, no pipelines, no WARC capture, no extensions.
With ``--attachments`` it also fetches the documents each article page links to (found by one
regular expression over the page's bytes), as vinews does for its WARC capture: then both crawls
make the same requests.
"""

from __future__ import annotations

import argparse
import re
import sys

import scrapy
from scrapy.crawler import CrawlerProcess

from vinews_scraper import settings as vinews_settings

ARTICLE_LINKS = "ul.news-list a.news-item-title::attr(href)"
NEXT_PAGE = "a.next::attr(href)"
DOCUMENT_LINK = re.compile(rb'href="([^"]+\.(?:pdf|docx?|xlsx?|pptx?|zip|rar))"', re.IGNORECASE)
# What the benchmark changes from vinews' polite defaults, for both crawls (``vinews crawl --set``).
FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "16"}


def bare_settings() -> dict:
    """vinews' politeness and concurrency as the benchmark runs it, without any of its machinery."""
    return {
        "USER_AGENT": vinews_settings.USER_AGENT,
        "ROBOTSTXT_OBEY": vinews_settings.ROBOTSTXT_OBEY,
        "CONCURRENT_REQUESTS": vinews_settings.CONCURRENT_REQUESTS,
        "DOWNLOAD_TIMEOUT": vinews_settings.DOWNLOAD_TIMEOUT,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        **FAST,
    }


class BareSpider(scrapy.Spider):
    """Follows listing pages and their article links; fetches the articles and drops them."""

    name = "bare"

    def __init__(self, listing_urls: list[str], attachments: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = listing_urls
        self.attachments = attachments

    def parse(self, response):
        for href in response.css(ARTICLE_LINKS).getall():
            yield response.follow(href, callback=self.fetched)
        next_page = response.css(NEXT_PAGE).get()
        if next_page:
            yield response.follow(next_page, callback=self.parse)

    def fetched(self, response):
        """An article page: downloaded; with ``attachments``, the documents it links to are
        fetched too."""
        if self.attachments:
            for href in DOCUMENT_LINK.findall(response.body):
                yield response.follow(href.decode("utf-8"), callback=self.fetched_document)

    def fetched_document(self, response):
        """An attachment: downloaded, which is all the bare crawl does with it."""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attachments", action="store_true", help="also fetch the documents articles link to")
    parser.add_argument("listing_urls", nargs="+")
    args = parser.parse_args(argv)
    process = CrawlerProcess(bare_settings(), install_root_handler=True)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, listing_urls=args.listing_urls, attachments=args.attachments)
    process.start()
    return 0 if crawler.stats.get_value("finish_reason") == "finished" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
