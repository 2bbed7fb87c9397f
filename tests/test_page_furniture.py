"""Small parts of a page that are neither the article nor its fields: skip links, the top bar's
site links, a document's filing note, the article's numbered notes in a "chú thích" block, a
layout table's left column. Pages in markup the corpora found these in first (tests/heldout93,
tests/heldout94, tests/heldout104)."""

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


def _page(top: str, text: str, section: str = "Kinh tế") -> bytes:
    return (f'<html><head><meta charset="utf-8"><title>{TITLE} - Xã Mới</title>'
            f'<meta property="article:section" content="{section}"></head><body>{top}'
            f'<div class="main"><h1>{TITLE}</h1><div class="meta">Ngày đăng: 12/03/2024 | Lượt xem: 87</div>'
            f'{text}</div></body></html>').encode("utf-8")


BODY = "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + '<p style="text-align:right"><b>Minh Kiên</b></p>'


@pytest.mark.parametrize("top", [
    '<a class="skip" href="#noi-dung">Bỏ qua menu</a>',
    '<a href="#main">Bỏ qua thanh điều hướng</a>',
    '<div class="topline"><span class="links"><a href="/sitemap">Sơ đồ cổng</a> <a href="/en">English</a></span></div>',
])
def test_skip_links_and_the_top_bars_site_links_are_not_the_category(top):
    item = extract_article(_page(top, BODY), URL)
    assert (item["category"], item["title"], item["author"]) == ("Kinh tế", TITLE, "Minh Kiên")
    assert item["body"] == "\n\n".join(PARAGRAPHS)


def test_a_documents_filing_note_ends_the_text_and_is_not_a_byline():
    closing = ["Nơi nhận:", "- UBND các xã, phường;", "- Lưu: VT."]
    text = "".join(f"<p>{p}</p>" for p in PARAGRAPHS + closing)
    item = extract_article(_page("", text), URL)
    assert item["author"] is None
    assert item["body"] == "\n\n".join(PARAGRAPHS + closing)


def test_numbered_notes_in_a_chu_thich_block_after_the_byline_stay_text():
    notes = ["(1) Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Hội nghị Trung ương 6 khóa XII.",
             "(2) Số liệu theo báo cáo của UBND xã tại phiên họp thường kỳ tháng 1/2024."]
    text = "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + '<p class="ky-ten">Nguyễn Thị Bích Tuyền</p>' \
        + "".join(f'<p class="chu-thich-so">{note}</p>' for note in notes)
    item = extract_article(_page("", text), URL)
    assert item["author"] == "Nguyễn Thị Bích Tuyền"
    assert item["body"] == "\n\n".join(PARAGRAPHS + notes)


def test_a_same_category_list_after_the_text_is_not_the_category():
    related = ('<section class="same-category"><h3>Tin cùng chuyên mục</h3><ul><li><a href="/tin-tuc/tin-2.html">'
               "Thị xã có thêm 41 doanh nghiệp thành lập mới trong 6 tháng</a></li></ul></section>")
    item = extract_article(_page("", BODY + related, section="Kinh tế - Đầu tư"), URL)
    assert item["category"] == "Kinh tế - Đầu tư"


def test_a_videos_caption_above_a_photo_is_not_the_photos():
    video = ('<figure class="video-figure"><iframe src="https://www.youtube.com/embed/kH7vQ2rT9mA"></iframe>'
             "<figcaption>Video: Vùng khóm Hỏa Tiến vào mùa thu hoạch</figcaption></figure>")
    photo = '<p><img src="/images/IMG_20260316_0842.jpg" alt="IMG_20260316_0842.jpg"></p>'
    text = f"<p>{PARAGRAPHS[0]}</p>{video}{photo}" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[1:])
    item = extract_article(_page("", text), URL)
    assert item["images"] == [{"src": "https://xa-moi.example.gov.vn/images/IMG_20260316_0842.jpg",
                               "alt": "IMG_20260316_0842.jpg", "caption": None}]
    assert item["body"] == "\n\n".join(PARAGRAPHS)


def test_a_masthead_matching_the_profiles_title_selector_is_not_the_title():
    """haugiang.gov.vn's profile guesses ".header-title" for the title; a template that gives the
    site's name that class names the site, as its <title> does beside the headline."""
    page = (f'<html><head><meta charset="utf-8"><title>{TITLE} | Cổng thông tin điện tử tỉnh Hậu Giang</title>'
            '</head><body><div class="header-title">CỔNG THÔNG TIN ĐIỆN TỬ TỈNH HẬU GIANG</div>'
            f'<div class="main"><h1>{TITLE}</h1><div class="meta">Ngày đăng: 12/03/2024 | Lượt xem: 87</div>'
            f"{BODY}</div></body></html>").encode("utf-8")
    item = extract_article(page, "https://haugiang.gov.vn/tin-tuc/bai-viet-1")
    assert item["title"] == TITLE


def test_a_left_column_cell_of_dated_links_beside_the_articles_cell_is_not_the_category():
    left = ('<td width="180"><b>Tin đã đăng</b><br><a href="kinhte_0808.htm">Thới Bình thu hoạch tôm – lúa vụ mùa</a>'
            '<br>08/08/2026<br><br><a href="kinhte_0801.htm">Khai mạc phiên chợ hàng Việt về nông thôn</a><br>01/08/2026</td>')
    text = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    page = (f'<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body><table><tr>{left}'
            f'<td width="580"><p><b>{TITLE}</b></p><p><i>Thứ Bảy, ngày 15 tháng 8 năm 2026</i></p>{text}</td>'
            '</tr></table></body></html>').encode("utf-8")
    item = extract_article(page, URL)
    assert (item["title"], item["published"], item["category"]) == (TITLE, "2026-08-15", None)
    assert item["body"] == "\n\n".join(PARAGRAPHS)


def test_a_photo_whose_file_name_holds_the_letters_icon_is_a_photo():
    photo = ('<table width="440"><tr><td><img src="/hinhanh/khoicong-duong-bienbach.jpg" width="430" height="287" '
             'alt="Lễ khởi công"></td></tr><tr><td>Đại biểu thực hiện nghi thức khởi công công trình</td></tr></table>')
    item = extract_article(_page("", "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:1]) + photo
                                 + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[1:])), URL)
    assert item["images"] == [{"src": "https://xa-moi.example.gov.vn/hinhanh/khoicong-duong-bienbach.jpg",
                               "alt": "Lễ khởi công", "caption": "Đại biểu thực hiện nghi thức khởi công công trình"}]
    assert item["body"] == "\n\n".join(PARAGRAPHS)


def test_the_next_numbered_item_after_a_photo_is_not_its_caption():
    items = ('<p>1) Máy cày mini cho hộ trồng rau<br><img src="/anh/may-cay.jpg" width="300" height="300" alt=""><br>'
             '2) Máy bơm nước tiết kiệm điện<br><img src="/anh/may-bom.jpg" width="300" height="200" alt=""><br>'
             '3) Hệ thống tưới nhỏ giọt</p>')
    item = extract_article(_page("", "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + items), URL)
    assert [image["caption"] for image in item["images"]] == [None, None]
    assert item["body"].endswith("1) Máy cày mini cho hộ trồng rau\n\n2) Máy bơm nước tiết kiệm điện\n\n"
                                 "3) Hệ thống tưới nhỏ giọt")


def test_the_signers_name_under_a_notices_signature_block_is_text_and_the_labelled_line_after_is_the_author():
    signature = ["Nơi nhận:", "- Thường trực Thành ủy;", "- Lưu: VT.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "(Đã ký)",
                 "Võ Thanh Hùng"]
    text = f'<div class="noi-dung">{"".join(f"<p>{p}</p>" for p in PARAGRAPHS + signature)}</div>' \
        '<div class="tin-bai">Tin: Quách Ngọc Hải</div>'
    item = extract_article(_page("", text), URL)
    assert item["author"] == "Quách Ngọc Hải"
    assert item["body"] == "\n\n".join(PARAGRAPHS + signature)


def test_a_box_heading_in_the_left_column_before_the_title_is_not_the_category():
    left = ('<div id="cot-trai"><div class="khung-trai"><div class="tieude-khung">Lịch âm</div>'
            '<p>Thứ Năm, 26/11/2026 - Âm lịch: 18/10 Bính Ngọ</p></div></div>')
    page = (f'<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body><div id="than-trang">{left}'
            f'<div id="cot-giua"><div class="khung-thongbao"><h1>{TITLE}</h1><div class="ngay-dang">Cập nhật: 24/12/2025</div>'
            f'{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}</div></div></div></body></html>').encode("utf-8")
    item = extract_article(page, URL)
    assert (item["category"], item["published"]) == (None, "2025-12-24")


def test_a_category_heading_in_a_full_width_grid_column_over_the_titles_column_is_the_category():
    page = (f'<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body><div class="row">'
            '<div class="col-12"><h2 class="cat-title">Kinh tế - Xã hội</h2></div>'
            f'<div class="col-md-8"><h1>{TITLE}</h1><div class="meta">Ngày đăng: 12/03/2024</div>'
            f'{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}</div><div class="col-md-4">Liên kết</div></div></body></html>')
    assert extract_article(page.encode("utf-8"), URL)["category"] == "Kinh tế - Xã hội"


@pytest.mark.parametrize("row", [
    '<strong>Vị trí hiện tại:</strong> <a href="/">Trang chủ</a> &gt; <a href="/a/tintuc/">Tin tức - Sự kiện</a> &gt; '
    '<a href="/a/tintuc/vanhoa/">Văn hóa - Xã hội</a> &gt;',
    'Thứ Năm, 26/11/2026 <strong>Vị trí hiện tại:</strong> <a href="/">Trang chủ</a> &gt; '
    '<a href="/a/vanhoa/">Văn hóa - Xã hội</a> &gt;',
])
def test_a_vi_tri_hien_tai_path_ending_in_a_separator_names_the_category(row):
    page = (f'<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body><div class="place">{row}</div>'
            f'<h2>{TITLE}</h2><div class="info">Ngày đăng: 08/05/2026 07:05 SA</div>'
            f'{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}</body></html>').encode("utf-8")
    assert extract_article(page, URL)["category"] == "Văn hóa - Xã hội"
