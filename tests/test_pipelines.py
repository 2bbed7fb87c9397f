import logging

import pytest
from jsonschema import Draft202012Validator
from scrapy import signals
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from pipelines.dedupe import DedupePipeline
from pipelines.normalize import NormalizePipeline
from pipelines.store import StorePipeline
from pipelines.validate import ValidatePipeline, validation_errors
from vinews_scraper.items import (
    ArticleItem,
    FailureItem,
    RejectItem,
    ViewObservationItem,
    article_schema,
)
from vinews_scraper.storage import store_for_crawler

PIPELINES = (NormalizePipeline, ValidatePipeline, DedupePipeline, StorePipeline)
DATE_PATTERN = article_schema()["properties"]["published"]["pattern"]
CHAU_THANH = "https://chauthanh.haugiang.gov.vn/tin-tuc/hoi-nghi-tong-ket-nam-2023-99.html"


class Crawl:
    """A real crawler with the vinews pipelines built from it, items fed in pipeline order."""

    def __init__(self, store_uri: str) -> None:
        self.crawler = get_crawler(settings_dict={"VINEWS_STORE_URI": store_uri})
        self.pipelines = [cls.from_crawler(self.crawler) for cls in PIPELINES]
        self.store = store_for_crawler(self.crawler)

    def feed(self, item):
        for pipeline in self.pipelines:
            item = pipeline.process_item(item)
        return item

    def stat(self, name: str):
        return self.crawler.stats.get_value(f"vinews/{name}")

    def close(self) -> None:
        self.crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="finished")


@pytest.fixture
def crawl_factory(store_uri, monkeypatch):
    monkeypatch.delenv("VINEWS_DATABASE_URL", raising=False)
    crawls = []

    def start() -> Crawl:
        crawls.append(Crawl(store_uri))
        return crawls[-1]

    yield start
    for crawl in crawls:
        crawl.close()


def test_valid_article_passes_validation(make_article):
    assert validation_errors(make_article()) == []
    assert validation_errors(ArticleItem(make_article())) == []


def test_validation_reasons_name_the_field(make_article):
    bad = make_article(published="22/01/2024", view_count=-3)
    bad["title"] = None
    reasons = validation_errors(bad)
    assert reasons == [
        f"$.published: '22/01/2024' does not match {DATE_PATTERN!r}",
        "$.title: None is not of type 'string'",
        "$.view_count: -3 is less than the minimum of 0",
    ]


def test_missing_required_field_is_reported(make_article):
    item = make_article()
    del item["title"]
    assert validation_errors(item) == ["$: 'title' is a required property"]


WRONG_VALUES = [None, True, 0, -1, 1.5, 1.0, "", "x", "22/01/2024", [], {}, [{"src": 1}],
                [{"src": "https://a.vn/1.jpg", "alt": None, "caption": None, "extra": 1}]]


@pytest.mark.parametrize("field", sorted(article_schema()["properties"]) + ["unknown_field"])
def test_the_fast_check_never_passes_what_jsonschema_rejects(make_article, field):
    """validation_errors trusts the compiled check for valid items: every item jsonschema finds
    invalid must be found invalid, with jsonschema's reasons; a missing field too."""
    reference = Draft202012Validator(article_schema())
    variants = [{**make_article(), field: value} for value in WRONG_VALUES]
    variants.append({k: v for k, v in make_article().items() if k != field})
    for item in variants:
        expected = sorted(f"{e.json_path}: {e.message}" for e in reference.iter_errors(item))
        assert validation_errors(item) == expected, item


def test_invalid_article_is_stored_as_reject_with_reasons(crawl_factory, make_article, caplog):
    crawl = crawl_factory()
    raw = {**make_article(), "title": "   ", "published": "2024-1-22"}
    with caplog.at_level(logging.WARNING, logger="pipelines.validate"):
        result = crawl.feed(ArticleItem(raw))
    assert isinstance(result, RejectItem)
    assert crawl.stat("items_rejected") == 1
    assert crawl.stat("rejects_stored") == 1
    (reject,) = crawl.store.rejects()
    assert reject["url"] == raw["url"] and reject["site"] == "vithuy"
    assert reject["reasons"] == [
        f"$.published: '2024-1-22' does not match {DATE_PATTERN!r}",
        "$.title: None is not of type 'string'",
    ]
    assert reject["item"]["body"] == raw["body"]
    assert crawl.store.counts()["articles"] == 0
    assert raw["url"] in caplog.text and "$.title" in caplog.text


def test_second_article_with_seen_canonical_url_is_dropped(crawl_factory, make_article):
    crawl = crawl_factory()
    first = make_article()
    crawl.feed(ArticleItem(first))
    mobile = make_article(url=first["url"] + "?mobile=1", canonical_url=first["url"])
    with pytest.raises(DropItem, match=r"canonical_url .* was already crawled from"):
        crawl.feed(ArticleItem(mobile))
    assert crawl.stat("duplicates_dropped") == 1
    assert crawl.stat("articles_new") == 1
    assert crawl.store.known_article_urls("vithuy") == {first["url"]}


def test_copy_on_another_portal_is_linked_to_the_first(crawl_factory, make_article):
    crawl = crawl_factory()
    original = crawl.feed(ArticleItem(make_article()))
    copy = crawl.feed(ArticleItem(make_article(url=CHAU_THANH, site="chauthanh", view_count=None)))
    assert original["duplicate_of"] is None
    assert copy["duplicate_of"] == original["url"]
    assert crawl.stat("cross_site_copies") == 1
    assert crawl.store.get_article(CHAU_THANH)["duplicate_of"] == original["url"]

    recrawl = crawl_factory()
    assert recrawl.feed(ArticleItem(make_article()))["duplicate_of"] is None
    copy_again = recrawl.feed(ArticleItem(make_article(url=CHAU_THANH, site="chauthanh")))
    assert copy_again["duplicate_of"] == original["url"]


def test_store_counts_new_updated_unchanged_and_records_views(crawl_factory, make_article):
    crawl = crawl_factory()
    article = make_article()
    crawl.feed(ArticleItem(article))
    second = crawl_factory()
    second.feed(ArticleItem(make_article(view_count=150, fetched_at="2024-02-02T03:00:00Z")))
    third = crawl_factory()
    third.feed(ArticleItem(make_article(body="Bài viết đã sửa.", view_count=None)))
    assert crawl.stat("articles_new") == second.stat("articles_unchanged") == third.stat("articles_updated") == 1
    observations = crawl.store.view_observations(article["url"])
    assert [(o["observed_at"], o["view_count"], o["seen_on"]) for o in observations] == [
        ("2024-02-01T03:00:00Z", 125, "article"),
        ("2024-02-02T03:00:00Z", 150, "article"),
    ]


def test_view_observations_and_failures_are_stored(crawl_factory):
    crawl = crawl_factory()
    crawl.feed(ViewObservationItem(url=CHAU_THANH, site="chauthanh", observed_at="2024-02-01T05:00:00Z",
                                   view_count=42, seen_on="listing"))
    crawl.feed(FailureItem(url=CHAU_THANH, site="chauthanh", kind="network", reason="timeout", status=None,
                           failed_at="2024-02-01T05:01:00Z"))
    assert crawl.store.view_observations(CHAU_THANH)[0]["view_count"] == 42
    assert crawl.store.failures()[0]["reason"] == "timeout"
    assert crawl.store.counts() == {"articles": 0, "view_observations": 1, "rejects": 0, "failures": 1}
    assert (crawl.stat("view_observations_stored"), crawl.stat("failures_stored")) == (1, 1)


def test_pipelines_share_one_store_per_crawler(crawl_factory):
    crawl = crawl_factory()
    dedupe, store = crawl.pipelines[2], crawl.pipelines[3]
    assert dedupe.store is store.store is crawl.store
