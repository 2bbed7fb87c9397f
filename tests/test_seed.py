"""The seed article (a real Vị Thủy page's text) must come out exactly right in any plausible markup.

The saved pages in tests/corpus render it twice; here it is rendered in further layouts a
Vị Thủy-style portal could use, from the seed text itself.
"""

from pathlib import Path

import pytest

from pipelines.normalize import normalize_item
from vinews_scraper.extraction import extract_article

SEED = Path(__file__).parent / "data" / "seed-vithuy-000_5d31fa578c8d1244.txt"  # copy of shared/seeds/000_…
URL = "https://vithuy.haugiang.gov.vn/tin-tuc/tin-tuc-huyen-vi-thuy/tap-trung-trien-khai-3064.html"
TITLE = ("Tập trung triển khai, quán triệt Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII "
         "của Đảng")
CAPTION = "Khen thưởng cho các tập thể, cá nhân"


def seed_parts() -> list[str]:
    """The body paragraphs of the seed text, in order (image name and caption included)."""
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    body = [line for line in lines[4:] if line]
    assert body[-1] == "Năng NguyễnCác ý kiến của bạn đọc"
    return body[:-1]


def paragraphs() -> list[str]:
    return [" ".join(p.split()) for p in seed_parts() if p not in ("21.1a.jpg", CAPTION)]


def page(body: str, meta: str, byline: str, head: str = "") -> bytes:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Huyện Vị Thủy</title>{head}</head>
<body><div class="top">Thứ Năm, 26/11/2026</div>
<table class="layout"><tr><td class="left"><div class="box"><b>Tin mới</b><ul>
<li><a href="/tin-tuc/a-3060.html">Hội nghị tổng kết công tác dân vận năm 2020 của huyện</a> (20/01/2021)</li>
<li><a href="/tin-tuc/a-3059.html">Ra quân làm vệ sinh môi trường đón Tết Nguyên đán</a> (19/01/2021)</li>
</ul></div><div class="thongke">Tổng lượt truy cập: 1.234.567 - Đang online: 12</div></td>
<td class="main"><div class="cat">Tin Tức huyện Vị Thủy</div>
<div class="tieude"><b>{TITLE}</b></div>
{meta}
{body}
{byline}
<p>Họ tên: <input name="ten"> Email: <input name="email"></p><p><a href="#">Gửi</a></p>
</td></tr></table><div class="footer">Ủy ban nhân dân huyện Vị Thủy - ĐT: 0293 3571 234</div>
</body></html>""".encode()


def body_html(image: str) -> str:
    parts = []
    for text in seed_parts():
        if text == "21.1a.jpg":
            parts.append(image)
        elif text != CAPTION:
            parts.append(f"<p>{text}</p>")
    return "\n".join(parts)


IMG = '<img src="/media/1137/21.1a.jpg" alt="21.1a.jpg" width="500" height="333">'
META = '<div class="ngay">[ Cập nhật vào ngày (22/01/2021) ] - [ Số lần xem: 679 ]</div>'
LAYOUTS = {
    "plain-paragraph-caption": page(body_html(f"<p>{IMG}</p><p>{CAPTION}</p>"), META,
                                    '<p align="right"><b>Năng Nguyễn</b></p><h3>Các ý kiến của bạn đọc</h3>'),
    "table-caption": page(body_html(f'<table align="center"><tr><td>{IMG}</td></tr><tr><td>{CAPTION}</td></tr></table>'),
                          META, '<div>Năng Nguyễn</div><div class="binhluan">Các ý kiến của bạn đọc</div>'),
    "file-name-line-and-caption": page(body_html(f'<p style="text-align:center">{IMG}</p><p style="text-align:center">21.1a.jpg</p><p style="text-align:center">{CAPTION}</p>'),
                                       META, '<div><span>Năng Nguyễn</span><span>Các ý kiến của bạn đọc</span></div>'),
    "split-meta-spans": page(body_html(f"<p>{IMG}<br><em>{CAPTION}</em></p>"),
                             '<div>[ <span>Cập nhật vào ngày</span> (<span>22/01/2021</span>) ] - [ <span>Số lần xem:</span> <span>679</span> ]</div>',
                             '<p style="text-align: right;"><strong>Năng Nguyễn</strong></p><p><b>Các ý kiến của bạn đọc</b></p>'),
    "br-separated-body": page("<div class='noidung'>" + "<br><br>".join(
        p if p != "21.1a.jpg" else IMG for p in seed_parts()) + "</div>", META,
        "<div>Năng NguyễnCác ý kiến của bạn đọc</div>"),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_the_seed_comes_out_exactly_right(layout):
    item = normalize_item(extract_article(LAYOUTS[layout], URL))
    assert item["title"] == TITLE
    assert (item["published"], item["published_raw"], item["modified"]) == ("2021-01-22", "22/01/2021", None)
    assert item["view_count"] == 679
    assert item["author"] == "Năng Nguyễn"
    assert item["category"] == "Tin Tức huyện Vị Thủy"
    assert item["images"] == [{"src": "https://vithuy.haugiang.gov.vn/media/1137/21.1a.jpg",
                               "alt": "21.1a.jpg", "caption": CAPTION}]
    assert item["body"].split("\n\n") == paragraphs()
    assert len(paragraphs()) == 6
