import hashlib
import re
import unicodedata
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.normalize import NormalizePipeline, content_hash, normalize_item
from vinews_scraper.extraction.text import clean_paragraphs, clean_text
from vinews_scraper.items import ARTICLE_FIELDS, SCHEMA_VERSION, ArticleItem, FailureItem

# "Thủy" and "Hậu" written with combining marks (NFD), as some portals serve them.
DECOMPOSED_TITLE = unicodedata.normalize("NFD", "Huyện Vị Thủy  đón\tđoàn   Hậu Giang")
RAW = {
    "url": " https://vithuy.haugiang.gov.vn/tin-tuc/don-doan-1.html ",
    "site": "vithuy",
    "title": DECOMPOSED_TITLE,
    "category": "Tin&nbsp;Tức &amp; Sự kiện",
    "published": "2024-07-02",
    "published_raw": "  02/07/2024\n",
    "view_count": "1234",
    "author": "   ",
    "body": "  Đoạn   một\u00a0có &quot;trích dẫn&quot;.\r\n\r\n\r\n  Đoạn\nhai.  \n\n \n\n"
    "Đoạn ba. ",
    "body_html": "\n  <p>Đoạn một</p>  ",
    "images": [{"src": " https://vithuy.haugiang.gov.vn/a.jpg ", "alt": "", "caption": " Hội  nghị "}],
    "attachments": [{"url": "https://vithuy.haugiang.gov.vn/qd.pdf", "title": "  "}],
}
NOW = datetime(2024, 7, 3, 8, 30, 15, tzinfo=timezone(timedelta(hours=7)))


def test_output_has_exactly_the_schema_fields_in_schema_order():
    assert list(normalize_item(RAW, now=NOW)) == list(ARTICLE_FIELDS)


def test_decomposed_text_becomes_nfc_with_whitespace_collapsed():
    title = normalize_item(RAW, now=NOW)["title"]
    assert title == "Huyện Vị Thủy đón đoàn Hậu Giang"
    assert unicodedata.is_normalized("NFC", title)
    assert title != DECOMPOSED_TITLE


def test_icon_font_glyphs_read_as_spaces():
    """Private-use characters are an icon font's glyphs (an eye, a calendar), shown as pictures."""
    assert clean_text("\ue900Thứ Bảy - 18/07/2026Lượt xem:\ue8f43.902\ue96b0 bình luận") \
        == "Thứ Bảy - 18/07/2026Lượt xem: 3.902 0 bình luận"


def test_entities_are_decoded_and_blank_optional_text_is_none():
    item = normalize_item(RAW, now=NOW)
    assert item["category"] == "Tin Tức & Sự kiện"
    assert item["published_raw"] == "02/07/2024"
    assert item["author"] is None
    assert item["source"] is None and item["modified"] is None and item["duplicate_of"] is None


def test_body_paragraphs_are_separated_by_one_blank_line():
    body = normalize_item(RAW, now=NOW)["body"]
    assert body == 'Đoạn một có "trích dẫn".\n\nĐoạn hai.\n\nĐoạn ba.'


def test_body_html_is_stripped():
    assert normalize_item(RAW, now=NOW)["body_html"] == "<p>Đoạn một</p>"


def test_images_and_attachments_are_cleaned():
    item = normalize_item(RAW, now=NOW)
    assert item["images"] == [{"src": "https://vithuy.haugiang.gov.vn/a.jpg", "alt": None, "caption": "Hội nghị"}]
    assert item["attachments"] == [{"url": "https://vithuy.haugiang.gov.vn/qd.pdf", "title": None}]


def test_missing_lists_become_empty_and_digit_view_count_becomes_int():
    item = normalize_item({"url": "https://a.gov.vn/1", "title": "T", "view_count": " 1234 "}, now=NOW)
    assert item["images"] == [] and item["attachments"] == []
    assert item["view_count"] == 1234
    assert normalize_item({"view_count": "1.234"}, now=NOW)["view_count"] == "1.234"


def test_defaults_for_canonical_url_fetched_at_and_schema_version():
    item = normalize_item(RAW, now=NOW)
    assert item["canonical_url"] == "https://vithuy.haugiang.gov.vn/tin-tuc/don-doan-1.html"
    assert item["fetched_at"] == "2024-07-03T01:30:15Z"
    assert item["schema_version"] == SCHEMA_VERSION
    kept = normalize_item({**RAW, "canonical_url": "https://vithuy.haugiang.gov.vn/c.html"}, now=NOW)
    assert kept["canonical_url"] == "https://vithuy.haugiang.gov.vn/c.html"


def test_fetched_at_datetime_is_formatted_in_utc():
    item = normalize_item({**RAW, "fetched_at": datetime(2024, 1, 2, 23, 5, 0, tzinfo=timezone.utc)}, now=NOW)
    assert item["fetched_at"] == "2024-01-02T23:05:00Z"


def test_content_hash_is_sha256_of_normalized_title_and_body():
    item = normalize_item(RAW, now=NOW)
    expected = hashlib.sha256(f"{item['title']}\n{item['body']}".encode()).hexdigest()
    assert item["content_hash"] == expected == content_hash(item["title"], item["body"])
    respaced = normalize_item({**RAW, "body": RAW["body"].replace("Đoạn ba.", "  Đoạn   ba. ")}, now=NOW)
    assert respaced["content_hash"] == expected
    edited = normalize_item({**RAW, "body": RAW["body"].replace("Đoạn ba.", "Đoạn bốn.")}, now=NOW)
    assert edited["content_hash"] != expected


def test_normalizing_twice_gives_the_same_dict():
    once = normalize_item(RAW, now=NOW)
    assert normalize_item(once, now=NOW + timedelta(days=1)) == once


def test_pipeline_normalizes_article_items_and_passes_other_items():
    pipeline = NormalizePipeline()
    result = pipeline.process_item(ArticleItem(title=DECOMPOSED_TITLE, url="https://a.gov.vn/1"))
    assert isinstance(result, ArticleItem)
    assert result["title"] == "Huyện Vị Thủy đón đoàn Hậu Giang"
    failure = FailureItem(url="https://a.gov.vn/2", kind="http", reason="404", status=404)
    assert pipeline.process_item(failure) is failure


PARAGRAPH_PIECES = ["Ủy ban", "a", " ", "  ", "\n", "\n\n", "\r\n", "\t", "\u00a0", "\u200b", "&amp;", "&#7871;",
                    "&amp;nbsp;", "e\u0301", "."]


@given(st.lists(st.sampled_from(PARAGRAPH_PIECES), max_size=12).map("".join))
@settings(max_examples=2000, deadline=None)
def test_clean_paragraphs_fast_path_changes_nothing(text):
    """Text extraction already cleaned is returned as it is; anything else is cleaned paragraph by
    paragraph, exactly as without the shortcut."""
    paragraphs = (clean_text(p) for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")))
    assert clean_paragraphs(text) == "\n\n".join(p for p in paragraphs if p)
