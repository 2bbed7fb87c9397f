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
    ('<span title="Lượt xem"><svg viewBox="0 0 24 24"><path d="M2 12"/></svg><span>1,5K</span></span>', 1500),
    ('<div class="td-post-views" title="Lượt xem"><i class="td-icon-views"></i><span>1.245</span></div>', 1245),
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


def test_a_view_count_in_the_entry_footers_stats_is_read():
    footer = ('<div class="entry-footer"><div class="stats"><span class="view-count">1.046 lượt xem</span> '
              '<span class="comments"><a href="#binh-luan">0 bình luận</a></span></div>'
              '<div class="entry-tags">Thẻ: <a href="/tag/kenh">nạo vét kênh</a>, <a href="/tag/moi-truong">môi trường'
              '</a></div><ul class="social-bookmarks"><li><a href="/share/fb">Chia sẻ Facebook</a></li>'
              '<li><a href="/share/zalo">Chia sẻ Zalo</a></li></ul></div>')  # more than a counter box
    item = extract_article(_page("", "Ngày đăng 14/03/2025 08:30", text=TEXT + footer), URL)
    assert (item["view_count"], item["body"]) == (1046, "\n\n".join(PARAGRAPHS))


@pytest.mark.parametrize("photo", [
    '<article><div class="post-thumbnail"><img src="/uploads/tuyen-duong-hoa.jpg" alt=""></div>',
    f'<div class="item"><div class="pos-media"><img src="/uploads/tuyen-duong-hoa.jpg" alt="{TITLE}"></div>',
])
def test_a_bare_photo_over_the_title_in_its_box_is_the_lead_image_and_the_title_not_its_caption(photo):
    alt = TITLE if "pos-media" in photo else None
    page = _page("", "Ngày đăng: 12/04/2025").replace(b'<div class="main">', photo.encode("utf-8"))
    item = extract_article(page, URL)
    assert item["images"] == [{"src": "https://xa-moi.example.gov.vn/uploads/tuyen-duong-hoa.jpg", "alt": alt,
                               "caption": None}]
    assert item["title"] == TITLE


def test_a_teaser_cards_thumbnail_is_not_an_article_image():
    card = ('<div class="card teaser-card"><a href="tin-2.html"><img src="/anh/hoi-thao-400x267.jpg" alt="Hội thảo">'
            '</a><h6 class="card-title"><a href="tin-2.html">Tân Lập 1 hội thảo kỹ thuật trồng khóm</a></h6>'
            '<p class="card-date">02/09/2026</p></div>')
    item = extract_article(_page("", "Ngày đăng: 05/09/2026", aside=card), URL)
    assert (item["images"], item["published"]) == ([], "2026-09-05")


def test_a_breadcrumb_in_the_entry_footer_under_the_text_names_the_category():
    footer = ('<div class="asset-footer"><div class="entry-breadcrumb"><a href="/">Trang chủ</a> » '
              '<a href="/tin-tuc/">Tin tức</a> » <a href="/tin-tuc/do-thi/">Đô thị - Giao thông</a></div>'
              '<div class="entry-tools"><a href="javascript:window.print()">In bài</a></div></div>')
    assert extract_article(_page("", "12/09/2026 10:05", text=TEXT + footer), URL)["category"] == "Đô thị - Giao thông"


def test_a_related_list_classed_like_a_category_is_not_the_breadcrumb():
    related = ('<div class="uk-card category-news"><h3 class="uk-card-title category-title">Tin cùng chuyên mục</h3>'
               '<ul><li><a href="/tin-2">Đoàn phường ra quân chiến dịch hè</a> (27/06/2026)</li></ul></div>')
    assert extract_article(_page("", "Ngày đăng: 02/07/2026", end=related), URL)["category"] is None


def test_a_lead_photo_and_its_caption_over_the_date_and_title_are_the_articles():
    hero = ('<figure><img src="/storage/ruoc-nuoc.jpg" alt="Đoàn rước kiệu"><figcaption>Đoàn rước kiệu ra bến sông '
            'lấy nước trong ngày hội</figcaption></figure><div class="post-date">02/07/2025</div>')
    page = _page("", "1.204 lượt xem").replace(b'<div class="main">', b'<div class="main">' + hero.encode("utf-8"))
    item = extract_article(page, URL)
    assert item["images"] == [{"src": "https://xa-moi.example.gov.vn/storage/ruoc-nuoc.jpg", "alt": "Đoàn rước kiệu",
                               "caption": "Đoàn rước kiệu ra bến sông lấy nước trong ngày hội"}]
    assert (item["published"], item["view_count"], item["body"]) == ("2025-07-02", 1204, "\n\n".join(PARAGRAPHS))


def test_a_menu_row_ending_in_a_language_link_is_not_a_path():
    menu = '<table><tr><td><a href="/">Trang chủ</a> :: <a href="/tin-tuc">Tin tức</a> :: <a href="/en">English</a></td></tr></table>'
    assert extract_article(_page(menu, "Ngày đăng: 03/02/2026"), URL)["category"] is None


def test_an_icon_image_in_a_view_tooltip_stays_in_the_meta_line():
    views = '<span title="Lượt xem"><img alt="" src="/images/common/view.png"> 2.086</span>'
    item = extract_article(_page("", f"10/10/2025 {views}"), URL)
    assert (item["view_count"], item["images"]) == (2086, [])


def test_an_update_line_after_the_text_labelled_lan_cap_nhat_cuoi_luc_is_the_modified_date():
    text = TEXT + "<p>Lần cập nhật cuối lúc Thứ Hai, 20 Tháng 4 2026 10:05</p>"
    item = extract_article(_page("", "Thứ Sáu, 17 Tháng 4 2026 08:12", text=text), URL)
    assert (item["published"], item["modified"]) == ("2026-04-17T08:12:00+07:00", "2026-04-20T10:05:00+07:00")
    assert item["body"] == "\n\n".join(PARAGRAPHS)


def test_an_eye_icon_right_after_a_category_label_is_a_word_of_its_own():
    meta = '<span>Chuyên mục: Trật tự đô thị</span><span><i class="fa fa-eye"></i> 0</span>'
    item = extract_article(_page("", meta), URL)
    assert (item["category"], item["view_count"]) == ("Trật tự đô thị", 0)


@pytest.mark.parametrize("row", [
    '<div class="crumb-row"><span class="crumb-date">Thứ Năm, 26/11/2026</span></div>',
    '<div class="crumb-row"><ol class="breadcrumb"><li><a href="/">Trang chủ</a></li>'
    '<li><a href="/tin-tuc/kinh-te">Kinh tế</a></li></ol><span class="crumb-date">Thứ Năm, 26/11/2026</span></div>',
])
def test_todays_date_in_the_breadcrumbs_row_is_not_the_category(row):
    page = (f'<html><head><meta charset="utf-8"><title>{TITLE}</title>'
            f'<meta property="article:section" content="Kinh tế"></head><body>{row}'
            f'<div class="main"><h1>{TITLE}</h1><div class="meta">Ngày đăng: 21/09/2026</div>{TEXT}</div>'
            '</body></html>').encode("utf-8")
    assert extract_article(page, URL)["category"] == "Kinh tế"


def test_a_teaser_strips_date_right_over_the_title_is_not_the_publish_date_beside_an_update_date():
    card = ('<div class="card"><a href="/tin-tuc/bai-{n}.html"><img src="/anh/{n}.jpg" alt="Ảnh {n}"></a>'
            '<h4><a href="/tin-tuc/bai-{n}.html">Tin mới số {n} của xã trong tuần qua</a></h4>'
            '<span class="card-date">0{n}/10/2026</span></div>')
    strip = '<div class="tin-moi"><h3>Tin mới cập nhật</h3><div class="row">' \
        + "".join(card.format(n=n) for n in (5, 3)) + "</div></div>"
    page = _page("", "Ngày cập nhật: 09/10/2026").replace(
        b'<div class="main">', f'<div class="main">{strip}'.encode("utf-8"))
    item = extract_article(page, URL)
    assert (item["published"], item["modified"]) == ("2026-10-09", None)
    assert item["images"] == []


def test_a_view_count_between_the_permalink_and_the_comment_count_is_read():
    small_print = ('<div class="bSmallPrint"><a href="/tin-tuc/bai-viet-1.html">Liên kết cố định</a> &bull; '
                   '<span class="views">Lượt xem: 1.046</span> &bull; <a href="#comments">Ý kiến (0)</a></div>')
    item = extract_article(_page("", "14/05/2025 08:15", end=small_print), URL)
    assert (item["published"], item["view_count"]) == ("2025-05-14T08:15:00+07:00", 1046)


def test_a_category_label_glued_to_the_time_zone_before_it_is_read():
    meta = ('<span>Thứ Ba, 15/04/2025, 07:20 (GMT+7)</span><span>Chuyên mục: <a href="/chuyen-muc/an-ninh">'
            'Quốc phòng - An ninh</a></span><span><i class="fa fa-eye"></i> 2.346</span>')
    item = extract_article(_page("", meta), URL)
    assert (item["published"], item["category"], item["view_count"]) == (
        "2025-04-15T07:20:00+07:00", "Quốc phòng - An ninh", 2346)


def test_a_photo_inside_a_link_that_also_holds_its_figcaption_is_the_articles_with_that_caption():
    photo = ('<figure class="attachment attachment--preview"><a href="/storage/vuon-sau-rieng.jpg">'
             '<img src="/storage/vuon-sau-rieng.jpg" width="1200" height="800">'
             '<figcaption class="attachment__caption">Vườn sầu riêng mới trồng ở xã Phú Tân</figcaption></a></figure>')
    text = f"<p>{PARAGRAPHS[0]}</p>{photo}" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[1:])
    item = extract_article(_page("", "Ngày đăng: 21/02/2025", text=text), URL)
    assert item["images"] == [{"src": "https://xa-moi.example.gov.vn/storage/vuon-sau-rieng.jpg", "alt": None,
                               "caption": "Vườn sầu riêng mới trồng ở xã Phú Tân"}]
    assert item["body"] == "\n\n".join(PARAGRAPHS)


def test_article_tool_icons_after_the_meta_line_do_not_hide_the_category_heading_above():
    tools = ('<div class="article-tools"><div class="article-meta">Thứ Năm, 14/03/2013 02:45 CH Lượt xem: 2.045</div>'
             '<div class="buttonheading"><a href="/index.php?print=1" title="In"><img src="/images/printButton.png" alt="In"></a>'
             '<a href="/index.php?email=1" title="E-mail"><img src="/images/emailButton.png" alt="E-mail"></a></div></div>')
    page = (f'<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body>'
            f'<div class="componentheading"><h2>Xây dựng Đảng</h2></div>{tools}<h2 class="contentheading">{TITLE}</h2>'
            f'{TEXT}</body></html>').encode("utf-8")
    item = extract_article(page, URL)
    assert (item["title"], item["category"], item["view_count"]) == (TITLE, "Xây dựng Đảng", 2045)


def test_print_and_email_icons_between_the_category_heading_and_the_title_are_passed_over():
    tools = ('<div class="article-tools"><a href="javascript:window.print();"><img src="/images/icon-print.gif" alt="In bài viết"></a>'
             ' <a href="mailto:?subject=Bai%20viet"><img src="/images/icon-email.gif" alt="Gửi email"></a></div>')
    page = (f'<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body><div class="news-detail">'
            f'<div class="cat-heading"><span>Hoạt động các xã, thị trấn</span></div>{tools}<h1>{TITLE}</h1>'
            f'<div class="news-info">Ngày đăng: 08/04/2025 9:30 SA</div>{TEXT}</div></body></html>').encode("utf-8")
    assert extract_article(page, URL)["category"] == "Hoạt động các xã, thị trấn"


def test_a_cover_photo_in_a_bem_view_class_with_the_headline_as_alt_is_the_lead_image():
    cover = f'<img class="article-view__cover" src="/uploads/buoi-nam-roi.jpg" alt="{TITLE}">'
    page = (f'<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body><div class="article-view">'
            f'{cover}<h1 class="article-view__title">{TITLE}</h1><div class="article-view__meta">Cập nhật: 30/06/2026</div>'
            f'{TEXT}</div></body></html>').encode("utf-8")
    assert extract_article(page, URL)["images"] == [
        {"src": "https://xa-moi.example.gov.vn/uploads/buoi-nam-roi.jpg", "alt": TITLE, "caption": None}]


def test_a_day_in_a_schedule_inside_the_text_is_not_the_publish_date():
    schedule = ('<table><tr><td><p>Ngày tiếp</p></td><td><p>Địa điểm</p></td></tr>'
                '<tr><td><p>Ngày 10/11/2026 (thứ Ba)</p></td><td><p>Trụ sở Tiếp công dân</p></td></tr></table>')
    text = f"<p>{PARAGRAPHS[0]}</p>{schedule}" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[1:])
    item = extract_article(_page("", "Thứ năm - 15/10/2026 10:20", text=text), URL)
    assert (item["published"], item["published_raw"]) == ("2026-10-15T10:20:00+07:00", "Thứ năm - 15/10/2026 10:20")
    assert "Ngày 10/11/2026 (thứ Ba)" in item["body"].split("\n\n")


def test_a_numbered_time_item_in_an_undated_notice_gives_no_publish_date():
    items = ["1. Thời gian: Buổi sáng ngày 10/12/2025 và ngày 24/12/2025, từ 7 giờ 30 phút đến 11 giờ 00 phút.",
             "2. Địa điểm: Phòng tiếp công dân, Trụ sở Ủy ban nhân dân xã, số 12 đường Hùng Vương, ấp Lộc Thành."]
    page = (f'<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body><h1>{TITLE}</h1>'
            + "".join(f"<p>{p}</p>" for p in [PARAGRAPHS[0], *items, *PARAGRAPHS[1:]]) + "</body></html>").encode("utf-8")
    item = extract_article(page, URL)
    assert (item["published"], item["published_raw"]) == (None, None)
    assert item["body"] == "\n\n".join([PARAGRAPHS[0], *items, *PARAGRAPHS[1:]])


def test_the_heading_of_a_strip_of_dated_cards_over_the_title_is_not_the_category():
    cards = "".join(f'<div class="strip-card"><a href="/tin-tuc/bai-{n}.html">Tin số {n}: huyện ra quân tổng vệ sinh môi trường</a>'
                    f'<span>1{n}/08/2025 07:10</span></div>' for n in (6, 7))
    page = (f'<html><head><meta charset="utf-8"><title>{TITLE}</title>'
            '<meta property="article:section" content="Hoạt động HĐND - UBND"></head><body>'
            f'<div class="tin-moi-strip"><div>Tin mới</div>{cards}</div><h1>{TITLE}</h1>'
            f'<div class="post-meta">Cập nhật: 17/08/2025 8:20 PM · 734 lượt xem</div>{TEXT}</body></html>').encode("utf-8")
    item = extract_article(page, URL)
    assert (item["category"], item["published"]) == ("Hoạt động HĐND - UBND", "2025-08-17T20:20:00+07:00")


@pytest.mark.parametrize("head, split", [
    ("<title>HỘI NGHỊ TỔNG KẾT CÔNG TÁC DÂN VẬN HUYỆN CHÂU THÀNH NĂM 2025 - Huyện Châu Thành</title>",
     '<span class="tieude">HỘI NGHỊ TỔNG KẾT CÔNG TÁC DÂN VẬN<br>HUYỆN CHÂU THÀNH NĂM 2025</span>'),
    ('<title>Huyện Châu Thành - Chi tiết tin</title><meta property="og:title" content="Công tác dân vận huyện Châu Thành năm 2025">',
     "<strong>HỘI NGHỊ TỔNG KẾT CÔNG TÁC DÂN VẬN<br>HUYỆN CHÂU THÀNH NĂM 2025</strong>"),
])
def test_a_title_split_by_br_inside_a_span_or_strong_is_read_whole(head, split):
    page = (f'<html><head><meta charset="utf-8">{head}</head><body><div class="duongdan"><a href="/">Trang chủ</a> » '
            f'<a href="/xay-dung-dang">Xây dựng Đảng</a></div><div class="chitiet-tin">{split}'
            f'<div class="thongtin">Cập nhật: 19/12/2025 04:05 CH</div>{TEXT}</div></body></html>').encode("utf-8")
    item = extract_article(page, URL)
    assert (item["title"], item["category"]) == (
        "HỘI NGHỊ TỔNG KẾT CÔNG TÁC DÂN VẬN HUYỆN CHÂU THÀNH NĂM 2025", "Xây dựng Đảng")



def test_a_labelled_author_in_a_meta_block_over_the_title_above_a_category_line_is_read():
    block = ('<div class="meta"><div class="author">Tác giả: Phan Thị Ngọc Hân</div><div class="date">14:05 12/10/2026</div>'
             '<div class="categories">Chuyên mục: <a href="/tin-tuc?category=giao-duc">Giáo dục</a></div></div>')
    page = (f'<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body><article>{block}<h1>{TITLE}</h1>'
            + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article></body></html>").encode("utf-8")
    item = extract_article(page, URL)
    assert (item["author"], item["category"], item["published"]) == (
        "Phan Thị Ngọc Hân", "Giáo dục", "2026-10-12T14:05:00+07:00")
