"""What stands around the title: icons that label a bare view count, a teaser box's date and
thumbnail beside the title, a print view's masthead date, a sidebar's list of every category, a
headline short enough to read like a name. Markup the blind sets tests/heldout97 and
tests/heldout98 found these in first."""

import pytest

from vinews_scraper.extraction import extract_article

URL = "https://xa-moi.example.gov.vn/tin-tuc/bai-viet-1.html"
TITLE = "Hội nghị triển khai kế hoạch phát triển kinh tế - xã hội năm 2024"
PARAGRAPHS = [
    "Sáng ngày 12/3/2024, Ủy ban nhân dân xã tổ chức hội nghị triển khai kế hoạch phát triển kinh tế "
    "- xã hội năm 2024 với sự tham dự của đại diện các ấp và các hội đoàn thể.",
    "Tại hội nghị, đại biểu đã nghe báo cáo kết quả thực hiện nhiệm vụ năm 2023, trong đó thu nhập "
    "bình quân đầu người đạt 58 triệu đồng, tăng 6 triệu đồng so với năm trước.",
    "Năm 2024, xã phấn đấu hoàn thành các tiêu chí nông thôn mới nâng cao, giữ vững an ninh trật tự "
    "và nâng cao chất lượng phục vụ người dân tại bộ phận một cửa.",
]
TEXT = "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "<p><b>Minh Kiên</b></p>"


def _page(top: str, meta: str, title: str = TITLE, aside: str = "", text: str = TEXT, end: str = "") -> bytes:
    return (f'<html><head><meta charset="utf-8"><title>{title} - Xã Mới</title></head><body>{top}'
            f'<div class="main"><h1>{title}</h1><div class="meta">{meta}</div>{aside}{text}</div>{end}'
            "</body></html>").encode("utf-8")


@pytest.mark.parametrize("views, count", [
    ('<i class="fa fa-eye" aria-hidden="true"></i> 1.457', 1457),
    ('<span class="bi bi-eye"></span><span>2,3K</span>', 2300),
    ('<span title="Lượt xem"><span class="icomoon">\ue8f4</span> 2.318</span>', 2318),
    ('<i class="far fa-eye"></i> Views: 1,204', 1204),  # a printed label: the icon adds nothing
    ('<i class="fa fa-eye"></i> Lượt xem: 4.730', 4730),
])
def test_an_eye_icon_or_a_view_tooltip_labels_a_bare_count(views, count):
    item = extract_article(_page("", f'<i class="fa fa-calendar"></i> 21/09/2026 {views}'), URL)
    assert (item["published"], item["view_count"]) == ("2026-09-21", count)
    assert item["body"] == "\n\n".join(PARAGRAPHS)


def test_a_teaser_list_beside_the_title_gives_neither_date_nor_thumbnail():
    teasers = ('<div class="tin-moi"><div class="tin-moi__title">Tin mới</div><ul>'
               '<li><a href="/tin-tuc/bai-viet-2.html"><img src="/media/thumb-2.jpg" alt="Tổng kết"></a>'
               '<a href="/tin-tuc/bai-viet-2.html">Xã tổng kết năm học 2025 - 2026</a><br>'
               '<span>22/09/2026 1.045</span></li></ul></div>')
    item = extract_article(_page("", "Cập nhật: 23/09/2026 16:45", aside=teasers), URL)
    assert (item["published"], item["modified"], item["images"]) == ("2026-09-23T16:45:00+07:00", None, [])


def test_a_print_views_masthead_date_is_not_the_articles():
    masthead = ('<table><tr><td><div class="ten-trang">UBND XÃ MỚI - CỔNG THÔNG TIN ĐIỆN TỬ</div>'
                '<div>URL: https://xa-moi.example.gov.vn/tin-tuc/bai-viet-1.html</div></td>'
                '<td class="ngay" align="right">Thứ Năm, 26/11/2026</td></tr></table>')
    item = extract_article(_page(masthead, "Lượt xem: 3.415"), URL)
    assert (item["published"], item["view_count"]) == (None, 3415)


def test_a_sidebars_list_of_every_category_is_not_the_breadcrumb():
    categories = ('<div class="widget categorylist"><h4>Danh mục tin</h4><ul><li><a href="/category/kinh-te">'
                  'Kinh tế</a></li><li><a href="/category/quoc-phong-an-ninh">Quốc phòng - An ninh</a></li></ul></div>')
    assert extract_article(_page("", "Ngày đăng: 29/07/2026", end=categories), URL)["category"] is None


def test_a_headline_that_reads_like_a_name_is_not_the_author():
    text = "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + '<p class="entry-author">Tác giả bài viết: Phan Ngọc Diễm</p>'
    page = _page("", "19/11/2026 14:20", title="Dòng Xà No", text=text).replace(
        b'<div class="main">', b'<article class="serendipity_entry serendipity_entry_author_BBT">')  # s9y's entry class
    item = extract_article(page, URL)
    assert (item["title"], item["author"]) == ("Dòng Xà No", "Phan Ngọc Diễm")
