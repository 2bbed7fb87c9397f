"""Listing pages: article rows (with their date and view count) and the next page."""

import pytest

from vinews_scraper.extraction.listing import extract_listing, looks_like_article_url

BASE = "https://example-huyen.gov.vn"


def listing(rows: str, pager: str = "", head: str = "") -> bytes:
    return f"""<html><head>{head}</head><body><ul class="menu"><li><a href="/">Trang chủ</a></li>
<li><a href="/tin-tuc/kinh-te-xa-hoi-va-doi-song-nhan-dan-12">Kinh tế xã hội và đời sống nhân dân</a></li></ul>
<div class="list">{rows}</div>{pager}
<div class="footer">Tổng lượt truy cập: 1.234.567</div></body></html>""".encode()


ROWS = """<div class="item"><a href="/tin-tuc/hoi-nghi-tong-ket-cong-tac-nam-2023-1201.html">Hội nghị tổng kết công tác năm 2023 của huyện</a>
<span>(15/01/2024)</span> <span>Lượt xem: 1.204</span></div>
<div class="item"><a href="/tin-tuc/ra-quan-ve-sinh-moi-truong-1199.html"><img src="/a.jpg"></a>
<a href="/tin-tuc/ra-quan-ve-sinh-moi-truong-1199.html">Ra quân vệ sinh môi trường đón Tết</a><span>12/01/2024</span></div>"""


def test_rows_carry_their_date_and_view_count_and_menus_are_not_articles():
    found = extract_listing(listing(ROWS), BASE + "/tin-tuc")
    assert [(r.url, r.title, r.published, r.view_count) for r in found.rows] == [
        (BASE + "/tin-tuc/hoi-nghi-tong-ket-cong-tac-nam-2023-1201.html",
         "Hội nghị tổng kết công tác năm 2023 của huyện", "2024-01-15", 1204),
        (BASE + "/tin-tuc/ra-quan-ve-sinh-moi-truong-1199.html", "Ra quân vệ sinh môi trường đón Tết",
         "2024-01-12", None)]
    assert found.next_page is None


@pytest.mark.parametrize("url, pager, expected", [
    ("/tin-tuc", '<a href="/tin-tuc?page=2">Trang sau</a>', "/tin-tuc?page=2"),
    ("/tin-tuc", '<a href="/tin-tuc/trang-2">»</a>', "/tin-tuc/trang-2"),
    ("/tin-tuc?page=2", '<a href="/tin-tuc?page=1">1</a> <b>2</b> <a href="/tin-tuc?page=3">3</a>',
     "/tin-tuc?page=3"),
    ("/tin-tuc/page-4", '<a href="/tin-tuc/page-3">3</a><a href="/tin-tuc/page-5">5</a>', "/tin-tuc/page-5"),
    ("/web/guest/tin-tuc?_tintuc_WAR_portlet_cur=2",
     '<a href="/web/guest/tin-tuc?_tintuc_WAR_portlet_cur=3">3</a>',
     "/web/guest/tin-tuc?_tintuc_WAR_portlet_cur=3"),
    ("/tin-tuc", '<a href="javascript:__doPostBack(\'pager\',\'2\')">Trang sau</a>', None),
    ("/tin-tuc?page=9", '<a href="/tin-tuc?page=8">8</a> <b>9</b>', None),
])
def test_next_page(url, pager, expected):
    found = extract_listing(listing(ROWS, f'<div class="pagination">{pager}</div>'), BASE + url)
    assert found.next_page == (BASE + expected if expected else None)


def test_article_url_shapes():
    assert looks_like_article_url(BASE + "/tin-tuc/hoi-nghi-tong-ket-cong-tac-1201.html")
    assert looks_like_article_url(BASE + "/index.php?com=tintuc_ct&id_news=1331")
    assert looks_like_article_url(BASE + "/xem-chi-tiet-tin/-/tin-tuc/Hoi-nghi-tong-ket31230")
    assert not looks_like_article_url(BASE + "/tin-tuc")
    assert not looks_like_article_url(BASE + "/media/12/ke-hoach-so-12-kh-ubnd.pdf")
