"""Which block of a page is the article body: bodies split into twin blocks, and teaser lists of
cut summaries that outweigh a short article. Pages in markup the corpora do not have."""

from vinews_scraper.extraction import extract_article

URL = "https://xa-moi.example.gov.vn/tin-tuc/bai-viet-1.html"

PARAGRAPHS = [
    "Sáng ngày 12/3/2024, Ủy ban nhân dân xã tổ chức hội nghị triển khai kế hoạch phát triển kinh tế "
    "- xã hội năm 2024 với sự tham dự của đại diện các ấp và các hội đoàn thể.",
    "Tại hội nghị, đại biểu đã nghe báo cáo kết quả thực hiện nhiệm vụ năm 2023, trong đó thu nhập "
    "bình quân đầu người đạt 58 triệu đồng, tăng 6 triệu đồng so với năm trước.",
    "Năm 2024, xã phấn đấu hoàn thành các tiêu chí nông thôn mới nâng cao, giữ vững an ninh trật tự "
    "và nâng cao chất lượng phục vụ người dân tại bộ phận một cửa.",
    "Phát biểu kết luận, Chủ tịch UBND xã đề nghị các ấp sớm cụ thể hóa kế hoạch, phân công rõ người, "
    "rõ việc và báo cáo tiến độ hằng tháng về Văn phòng UBND xã.",
]

HEAD = """<html><head><meta charset="utf-8"><title>Hội nghị triển khai kế hoạch năm 2024 - Xã Mới</title></head>
<body><div class="header"><a href="/">Trang chủ</a> <a href="/tin-tuc">Tin tức</a></div>
<h1 class="title">Hội nghị triển khai kế hoạch phát triển kinh tế - xã hội năm 2024</h1>
<div class="meta">Ngày đăng: 12/03/2024 | Lượt xem: 87</div>"""

SIDEBAR = """<div class="col-md-4 sidebar"><h3>Văn bản mới</h3>
<p>Quyết định số 15/QĐ-UBND về việc ban hành quy chế làm việc của Ủy ban nhân dân xã nhiệm kỳ 2021-2026.</p>
<p>Kế hoạch số 22/KH-UBND thực hiện công tác cải cách hành chính trên địa bàn xã năm 2024 và các năm tiếp theo.</p></div>"""


def _page(body: str) -> bytes:
    return (HEAD + body + "</body></html>").encode("utf-8")


def _paragraphs(items) -> str:
    return "".join(f"<p>{text}</p>" for text in items)


def test_chunks_between_ad_rows_in_grid_columns_all_join_and_the_sidebar_does_not():
    chunk = '<div class="grid grid-2"><div class="grid-item body-text">{}</div>' \
            '<div class="grid-item aside"></div></div>'
    page = _page('<div class="chunks">' + chunk.format(_paragraphs(PARAGRAPHS[:2]))
                 + '<div class="row ad-row"><div class="ad">Quảng cáo</div></div>'
                 + chunk.format(_paragraphs(PARAGRAPHS[2:])) + "</div>" + SIDEBAR)
    assert extract_article(page, URL)["body"] == "\n\n".join(PARAGRAPHS)


def test_twin_blocks_whose_class_lists_differ_after_the_first_name_join():
    def block(cls, items):
        return (f'<div class="{cls}"><div class="than-bai thanh-phan"><div class="noi-dung-thanh-phan">'
                + _paragraphs(items) + "</div></div></div>")
    page = _page("<article>" + block("noi-dung ban-2 section", PARAGRAPHS[:3])
                 + '<div class="nhung-video section"><iframe src="/video/1"></iframe></div>'
                 + block("noi-dung section", PARAGRAPHS[3:]) + "</article>" + SIDEBAR)
    assert extract_article(page, URL)["body"] == "\n\n".join(PARAGRAPHS)


def test_twin_blocks_four_levels_above_the_paragraphs_join():
    def nested(items):
        return ('<div class="khoi-noi-dung"><section class="vung"><div class="cot-giua">'
                '<div class="phan"><div class="doan">' + _paragraphs(items) + "</div></div></div>"
                "</section></div>")
    page = _page(nested(PARAGRAPHS[:2]) + '<figure><img src="/a.jpg" alt=""></figure>'
                 + nested(PARAGRAPHS[2:]))
    assert extract_article(page, URL)["body"] == "\n\n".join(PARAGRAPHS)


def test_a_teaser_list_of_cut_summaries_does_not_outweigh_the_article():
    teasers = "".join(
        f'<li><a href="/tin-tuc/tin-{i}.html">Tin số {i} của xã trong tháng ba</a> Ủy ban nhân dân xã '
        f"đã tổ chức nhiều hoạt động thiết thực nhằm chăm lo đời sống vật chất, tinh thần cho người dân "
        f"trên địa bàn, trong đó nổi bật là chương trình số {i} với sự tham gia của đông đảo...</li>"
        for i in range(8))
    page = _page('<div class="tin-noi-bat"><ul>' + teasers + "</ul></div>"
                 + '<div class="chi-tiet">' + _paragraphs(PARAGRAPHS[:3]) + "</div>")
    assert extract_article(page, URL)["body"] == "\n\n".join(PARAGRAPHS[:3])


def test_captions_of_images_the_page_loads_by_script_stay_out_of_the_body():
    gallery = ('<ul class="bo-anh"><li><div class="anh-lazy" data-bg="/anh/1.jpg"></div>'
               '<div class="caption">Quang cảnh hội nghị triển khai kế hoạch năm 2024 tại hội trường UBND xã.'
               "</div></li></ul>")
    figure = ('<figure class="media"><span class="lazy-placeholder"></span><figcaption>Chủ tịch UBND xã '
              "phát biểu kết luận hội nghị, đề nghị các ấp sớm cụ thể hóa kế hoạch.</figcaption></figure>")
    page = _page('<div class="chi-tiet">' + _paragraphs(PARAGRAPHS[:2]) + gallery
                 + _paragraphs(PARAGRAPHS[2:3]) + figure + _paragraphs(PARAGRAPHS[3:]) + "</div>")
    assert extract_article(page, URL)["body"] == "\n\n".join(PARAGRAPHS)


RELATED_BOX = ('<div class="khung-2"><h3>Tin liên quan</h3><ul>'
               '<li><a href="/tin-tuc/tin-1.html">Xã Mới tổng kết công tác năm 2023</a></li>'
               '<li><a href="/tin-tuc/tin-2.html">Hội nghị cán bộ, công chức xã năm 2024</a></li></ul></div>')


def test_a_related_news_box_set_between_paragraphs_is_skipped_and_the_text_goes_on():
    page = _page('<div class="chi-tiet">' + _paragraphs(PARAGRAPHS[:2]) + RELATED_BOX
                 + _paragraphs(PARAGRAPHS[2:]) + "</div>")
    assert extract_article(page, URL)["body"] == "\n\n".join(PARAGRAPHS)


def test_a_related_news_box_after_the_last_paragraph_ends_the_article():
    after = "<p>Mời bạn đọc xem thêm các tin khác về hoạt động của xã trong chuyên mục Tin tức - Sự kiện.</p>"
    page = _page('<div class="chi-tiet">' + _paragraphs(PARAGRAPHS) + RELATED_BOX
                 + '<div class="tin-khac">' + after + "</div></div>")
    assert extract_article(page, URL)["body"] == "\n\n".join(PARAGRAPHS)


def test_a_headline_that_links_to_its_own_page_is_the_title_not_a_subheading_of_the_body():
    page = ("""<html><head><meta charset="utf-8">
<title>Xã Mới ra quân thu gom rác thải ven kênh | Cổng thông tin xã Mới</title></head><body>
<div class="content"><div class="post-12 post type-post hentry category-tin-tuc"><h2><a href="""" + URL + """" rel="bookmark"
title="Xã Mới ra quân thu gom rác thải ven kênh">Xã Mới ra quân thu gom rác thải ven kênh</a></h2>
<div class="postinfo">Posted on <span class="postdate">Oktober 27, 2015</span> by Admin</div>
<div class="entry">""" + _paragraphs(PARAGRAPHS[:2])
            + "<h2>Huy động đoàn viên thanh niên tham gia</h2>" + _paragraphs(PARAGRAPHS[2:])
            + "</div></div></div></body></html>").encode("utf-8")
    item = extract_article(page, URL)
    assert item["title"] == "Xã Mới ra quân thu gom rác thải ven kênh"
    assert item["body"] == "\n\n".join(PARAGRAPHS[:2] + ["Huy động đoàn viên thanh niên tham gia"] + PARAGRAPHS[2:])


def test_a_numbered_list_between_the_lead_and_the_end_is_one_part_of_the_text():
    items = "".join(f'<li>Nhiệm vụ {i}: triển khai <a href="/van-ban/{i}.html">Kế hoạch số {i}/KH-UBND</a> '
                    f"về thực hiện nhiệm vụ trọng tâm số {i} của xã trong năm 2024, do các ấp chủ trì, "
                    f"các đoàn thể phối hợp thực hiện.</li>" for i in range(1, 9))
    lead = "Ủy ban nhân dân xã thông báo các nhiệm vụ trọng tâm năm 2024 như sau, đề nghị các ấp và đoàn thể triển khai:"
    end = "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các ấp báo cáo về Văn phòng UBND xã để tổng hợp."
    page = _page(f'<div class="chi-tiet"><p>{lead}</p><ol>{items}</ol><p>{end}</p></div>')
    paragraphs = extract_article(page, URL)["body"].split("\n\n")
    assert (paragraphs[0], len(paragraphs), paragraphs[-1]) == (lead, 10, end)


def test_paragraphs_beside_the_block_holding_most_of_the_text_are_body():
    page = _page('<div class="noi-dung"><div class="phan-chinh">' + _paragraphs(PARAGRAPHS[:3]) + "</div>"
                 + _paragraphs(PARAGRAPHS[3:]) + "</div>" + SIDEBAR)
    assert extract_article(page, URL)["body"] == "\n\n".join(PARAGRAPHS)


def test_share_buttons_from_a_theme_icons_folder_are_not_article_images():
    share = ('<div class="tin-chia-se"><a class="btn-share" href="https://www.facebook.com/sharer/sharer.php">'
             '<img alt="Chia sẻ" src="/o/theme/images/icons/fb.png"></a>'
             '<a class="nut-chia-se" href="https://zalo.me/share"><img alt="Chia sẻ" src="/o/theme/images/zl.png"></a></div>')
    page = _page('<div class="noi-dung"><img src="/documents/anh-hoi-nghi.jpg" alt="">'
                 + _paragraphs(PARAGRAPHS) + share + "</div>")
    assert [image["src"] for image in extract_article(page, URL)["images"]] == [
        "https://xa-moi.example.gov.vn/documents/anh-hoi-nghi.jpg"]


def test_the_block_marked_as_article_body_holds_a_notice_of_short_lines():
    rows = [f"Ngày {day:02d}/02/2024: Chủ tịch UBND xã tiếp công dân" for day in (5, 12, 19, 26)]
    page = _page('<div class="chi-tiet" itemscope itemtype="http://schema.org/NewsArticle">'
                 '<div itemprop="articleBody">' + _paragraphs(["Lịch tiếp công dân tháng 02/2024"] + rows)
                 + "</div></div>" + SIDEBAR)
    assert extract_article(page, URL)["body"] == "\n\n".join(["Lịch tiếp công dân tháng 02/2024"] + rows)


def test_photo_credit_lines_inside_the_text_are_not_body():
    page = _page('<div class="chi-tiet">' + _paragraphs(PARAGRAPHS[:2]) + '<img src="/anh/1.jpg" alt="">'
                 + "<p>Ảnh: Minh Kiên</p>" + _paragraphs(PARAGRAPHS[2:3]) + "<p>(Nguồn ảnh: UBND xã Mới)</p>"
                 + _paragraphs(PARAGRAPHS[3:]) + "</div>")
    assert extract_article(page, URL)["body"] == "\n\n".join(PARAGRAPHS)


def test_an_english_dateline_is_not_body_but_a_sentence_or_a_quoted_post_with_a_date_is():
    lines = ["Nov 18, 2019 7:04 pm ET", "Updated 20 Nov 2019 08:00 GMT"]
    sentence = "The office will reopen on March 4, 2024 after repairs."
    quoted = "— UBND xã Mới (@ubndxamoi) March 4, 2024"
    page = _page('<div class="chi-tiet">' + _paragraphs(lines + PARAGRAPHS[:2] + [sentence, quoted]
                                                         + PARAGRAPHS[2:]) + "</div>")
    assert extract_article(page, URL)["body"] == "\n\n".join(PARAGRAPHS[:2] + [sentence, quoted] + PARAGRAPHS[2:])


def test_landmark_regions_are_chrome_whatever_their_class():
    """ARIA landmarks (role="banner", "complementary") and jQuery Mobile's data-role header are
    page regions, not the article: their today's-date banner and menu neither date nor categorize it."""
    page = ("""<html><head><meta charset="utf-8"><title>Hội nghị - Xã Mới</title>
<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-03-12"}</script></head>
<body><div data-role="header"><a href="/">Trang chủ</a> <a href="#nav">Menu</a>
<div class="ngay">Thứ Năm, 26/11/2026</div></div>
<h2 class="tieu-de">Hội nghị triển khai kế hoạch phát triển kinh tế - xã hội năm 2024</h2>"""
            + _paragraphs(PARAGRAPHS)
            + '<div role="complementary"><p>Ban Chỉ đạo xã họp định kỳ vào ngày 15 hằng tháng tại hội trường '
              'Ủy ban nhân dân xã để đánh giá tiến độ.</p></div></body></html>').encode("utf-8")
    item = extract_article(page, URL)
    assert (item["published"], item["published_raw"], item["category"]) == ("2024-03-12", None, None)
    assert item["body"] == "\n\n".join(PARAGRAPHS)


def _column_page(left: str, right: str) -> bytes:
    return ('<html><head><meta charset="utf-8"><title>Hội nghị - Xã Mới</title></head><body>'
            f'<div class="container"><div class="row">{left}{right}</div></div></body></html>').encode("utf-8")


TITLE = "Hội nghị triển khai kế hoạch phát triển kinh tế - xã hội năm 2024"
TOP = f'<h1>{TITLE}</h1><p class="meta">Ngày đăng: 12/03/2024 | Lượt xem: 87</p>'
LONG_BOX = ('<div class="panel-heading">Thủ tục hành chính nổi bật</div>'
            + _paragraphs(p.replace("Ủy ban nhân dân xã", "Bộ phận một cửa") for p in PARAGRAPHS * 2))


def test_a_longer_column_beside_the_titles_column_is_not_the_article():
    page = _column_page(f'<div class="col-md-9 middle">{TOP}{_paragraphs(PARAGRAPHS[:2])}</div>',
                        f'<div class="col-md-3 right">{LONG_BOX}</div>')
    assert extract_article(page, URL)["body"] == "\n\n".join(PARAGRAPHS[:2])


def test_a_long_aside_first_in_the_markup_beside_a_short_article_is_a_sidebar():
    page = _column_page(f'<aside class="cot-ben">{LONG_BOX}</aside>',
                        f'<article>{TOP}{_paragraphs(PARAGRAPHS[:3])}</article>')
    assert extract_article(page, URL)["body"] == "\n\n".join(PARAGRAPHS[:3])


def test_page_builder_widgets_inside_the_article_hold_its_text_and_photos():
    widget = '<div class="apos-area-widget-wrapper"><div class="rich-text-widget">{}</div></div>'
    photo = ('<div class="apos-area-widget-wrapper"><figure class="image-widget"><img src="/uploads/hoi-nghi.jpg" '
             'alt="Hội nghị"><figcaption>Quang cảnh hội nghị</figcaption></figure></div>')
    lead = PARAGRAPHS[0] + " " + PARAGRAPHS[1]  # a lead long enough that the page is not read again with its chrome
    page = _page(f'<article><p class="sapo">{lead}</p>' + widget.format(_paragraphs(PARAGRAPHS[2:3])) + photo
                 + widget.format(_paragraphs(PARAGRAPHS[3:])) + "</article>" + SIDEBAR)
    item = extract_article(page, URL)
    assert item["body"] == "\n\n".join([lead, *PARAGRAPHS[2:]])
    assert item["images"] == [{"src": "https://xa-moi.example.gov.vn/uploads/hoi-nghi.jpg", "alt": "Hội nghị",
                               "caption": "Quang cảnh hội nghị"}]


def test_running_text_in_a_block_between_twin_blocks_is_kept():
    text_block = '<div class="neos-nodetypes-text"><div>{}</div></div>'
    with_image = ('<div class="neos-nodetypes-textwithimage"><figure><img src="/anh/mia.jpg" alt="Mía">'
                  f'<figcaption>Ruộng mía</figcaption></figure><div><p>{PARAGRAPHS[1]}</p></div></div>')
    page = _page('<div class="neos-contentcollection">' + text_block.format(_paragraphs(PARAGRAPHS[:1])) + with_image
                 + text_block.format(_paragraphs(PARAGRAPHS[2:])) + "</div>" + SIDEBAR)
    assert extract_article(page, URL)["body"] == "\n\n".join(PARAGRAPHS)


def test_page_builder_blocks_with_instance_ids_a_headline_block_and_a_figure_classed_tag_all_join():
    def component(n, items):
        return (f'<div class="coh-container ssa-component ssa-component-instance-c1d2e3f{n}">'
                f'<div class="coh-wysiwyg">{_paragraphs(items)}</div></div>')
    headline = '<div class="coh-container coh-style-heading-block"><h3 class="coh-heading">Ưu tiên liên kết tiêu thụ</h3></div>'
    photo = '<figure class="brxe-image tag"><img src="/anh/hoi-nghi.jpg" alt="Hội nghị"></figure>'
    page = _page("<article>" + component(1, PARAGRAPHS[:2]) + photo + headline + component(2, PARAGRAPHS[2:])
                 + "</article>" + SIDEBAR)
    item = extract_article(page, URL)
    assert item["body"] == "\n\n".join([*PARAGRAPHS[:2], "Ưu tiên liên kết tiêu thụ", *PARAGRAPHS[2:]])
    assert [image["src"] for image in item["images"]] == ["https://xa-moi.example.gov.vn/anh/hoi-nghi.jpg"]


def test_a_long_headline_does_not_draw_the_text_up_to_the_box_around_it():
    title = "Huyện hoàn thành bàn giao hồ sơ, tài sản công trước khi kết thúc hoạt động của chính quyền cấp huyện"
    page = (f'<html><head><meta charset="utf-8"><title>{title}</title>'
            '<meta property="article:published_time" content="2025-06-27T16:45:00+07:00"></head><body>'
            f'<main><article><h1>{title}</h1><div class="flex"><span>Tin hoạt động</span></div>'
            f'<div class="prose">{_paragraphs(PARAGRAPHS[:3])}<p class="text-right">Văn phòng HĐND và UBND huyện</p></div>'
            '<nav class="duong-dan"><a href="/">Trang chủ</a> › <a href="/tin-tuc">Tin tức</a> › '
            f'<a href="/tin-tuc/tin-hoat-dong">Tin hoạt động</a> › {title}</nav></article>{SIDEBAR}</main></body></html>')
    item = extract_article(page.encode("utf-8"), URL)
    assert item["body"] == "\n\n".join(PARAGRAPHS[:3])
    assert (item["author"], item["category"]) == ("Văn phòng HĐND và UBND huyện", "Tin hoạt động")


def test_the_text_going_on_in_the_next_page_builder_row_joins():
    def row(blocks):
        return ('<div class="vc_row wpb_row vc_row-fluid"><div class="wpb_column vc_column_container vc_col-sm-12">'
                f'<div class="vc_column-inner"><div class="wpb_wrapper">{blocks}</div></div></div></div>')
    text = '<div class="wpb_text_column wpb_content_element"><div class="wpb_wrapper">{}</div></div>'
    photo = ('<div class="wpb_single_image wpb_content_element"><figure class="wpb_wrapper vc_figure">'
             '<img src="/anh/hoi-nghi.jpg" alt="Hội nghị"><figcaption>Quang cảnh hội nghị</figcaption></figure></div>')
    separator = '<div class="vc_separator wpb_content_element"><span class="vc_sep_line"></span></div>'
    byline = '<p style="text-align: right;"><strong>Tin, ảnh: Huỳnh Kim Ngân</strong></p>'
    page = _page('<article><div class="entry-content">'
                 + row(text.format(_paragraphs(PARAGRAPHS[:1])) + photo + text.format(_paragraphs(PARAGRAPHS[1:3])))
                 + row(separator + text.format(_paragraphs(PARAGRAPHS[3:]) + byline))
                 + '</div><footer class="entry-footer"><div class="share-links">Chia sẻ: <a href="/fb">Facebook</a></div>'
                 + "</footer></article>" + SIDEBAR)
    item = extract_article(page, URL)
    assert (item["body"], item["author"]) == ("\n\n".join(PARAGRAPHS), "Huỳnh Kim Ngân")


def test_a_layout_builders_title_block_is_no_twin_of_the_body_block():
    title = "Xã Vĩnh Trung chuyển đổi 85 ha đất trồng mía kém hiệu quả sang trồng cây ăn trái"
    def section(inner):
        return f'<div class="layout layout--onecol"><div class="layout__region layout__region--content">{inner}</div></div>'
    def block(name, inner):
        return f'<div class="block block-layout-builder block-{name}">{inner}</div>'
    body = '<div class="field field--name-body">{}</div>'
    page = (f'<html><head><meta charset="utf-8"><title>{title}</title></head><body><article>'
            + section(block("title", f"<h1>{title}</h1>") + block("ngay-dang", "Ngày đăng: 12/03/2024")
                      + block("body", body.format(_paragraphs(PARAGRAPHS[:2]))))
            + section(block("inline", body.format(_paragraphs(PARAGRAPHS[2:]) + '<p class="text-right"><b>Trần Thị Mỹ Duyên</b></p>')))
            + "</article>" + SIDEBAR + "</body></html>").encode("utf-8")
    item = extract_article(page, URL)
    assert (item["title"], item["author"]) == (title, "Trần Thị Mỹ Duyên")
    assert item["body"] == "\n\n".join(PARAGRAPHS)


def test_a_pop_up_card_of_links_inside_a_paragraph_does_not_push_the_text_to_a_block_after_it():
    card = ('<span class="rollover-block">' + " ".join(
        f'<a href="/tin-tuc/bai-{n}.html">Tin số {n} về hoạt động của Ủy ban nhân dân xã trong tháng qua</a>'
        for n in range(1, 9)) + "</span>")
    before = [f"Ấp {n} đã hoàn thành kế hoạch nạo vét kênh nội đồng, bảo đảm nước tưới cho {n * 40} ha lúa vụ Hè Thu."
              for n in range(1, 9)]
    before.append(f"Chủ tịch <a href=\"/nguoi/a\">Nguyễn Văn A</a>{card} phát biểu chỉ đạo hội nghị.")
    page = _page('<div class="field-item">' + "".join(f"<p>{p}</p>" for p in before)
                 + f"<div>{_paragraphs(PARAGRAPHS)}</div></div>" + SIDEBAR)
    body = extract_article(page, URL)["body"]
    assert body.startswith(before[0]) and body.endswith(PARAGRAPHS[-1])


def test_twin_article_boxes_after_a_co_the_ban_quan_tam_heading_are_not_the_text():
    other = "Các hộ dân trong ấp đã chủ động nạo vét kênh mương, gia cố bờ bao để chuẩn bị cho mùa mưa lũ năm nay."
    page = _page(f'<article class="fundo postbox">{_paragraphs(PARAGRAPHS)}</article>'
                 '<article class="fundo postbox"><h3 class="relatedpoststitle">Có thể bạn quan tâm</h3>'
                 f'<article class="fundo postbox"><p>{other}</p></article></article>' + SIDEBAR)
    assert extract_article(page, URL)["body"] == "\n\n".join(PARAGRAPHS)


def test_a_cover_header_that_begins_with_a_path_keeps_the_title_and_date():
    title = "Huyện hoàn thành bàn giao hồ sơ, tài sản công trước khi kết thúc hoạt động cấp huyện"
    page = (f'<html><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="og:title" content="{title}"></head><body>'
            '<header class="cover"><div class="path">Trang chủ › Tin tức ›</div>'
            f'<h1>{title}</h1><div class="meta">Ngày đăng: 27/06/2025</div></header>'
            f'<div class="prose">{_paragraphs(PARAGRAPHS)}</div>{SIDEBAR}</body></html>')
    item = extract_article(page.encode("utf-8"), URL)
    assert (item["title"], item["published"]) == (title, "2025-06-27")
    assert item["body"] == "\n\n".join(PARAGRAPHS)
