"""The floor ``scale_crawl.py`` compares vinews with: a bare Scrapy crawl of a replica portal.

    .venv/bin/python benchmarks/bare_crawl.py LISTING_URL [LISTING_URL ...]

It walks the same listing pages ("Trang sau") to the same article pages as ``vinews crawl``, with
vinews' concurrency, robots.txt and user-agent settings, and does nothing else: two CSS selectors
per listing page, no parsing of articles, no items, no pipelines, no WARC capture, no extensions.
"""

from __future__ import annotations

import sys

import scrapy
from scrapy.crawler import CrawlerProcess

from vinews_scraper import settings as vinews_settings

ARTICLE_LINKS = "ul.news-list a.news-item-title::attr(href)"
NEXT_PAGE = "a.next::attr(href)"
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

    def __init__(self, listing_urls: list[str], **kwargs):
        super().__init__(**kwargs)
        self.start_urls = listing_urls

    def parse(self, response):
        for href in response.css(ARTICLE_LINKS).getall():
            yield response.follow(href, callback=self.fetched)
        next_page = response.css(NEXT_PAGE).get()
        if next_page:
            yield response.follow(next_page, callback=self.parse)

    def fetched(self, response):
        """An article page: downloaded, which is all the bare crawl does with it."""


def main(listing_urls: list[str]) -> int:
    process = CrawlerProcess(bare_settings(), install_root_handler=True)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, listing_urls=listing_urls)
    process.start()
    return 0 if crawler.stats.get_value("finish_reason") == "finished" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
