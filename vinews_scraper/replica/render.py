"""HTML templates of the replica portal: the site chrome, home, category listings, the classic
(Vị Thủy) and Liferay article pages, and the windows-1258 encoding some pages are served in.

Cosmetic variations that do not change the truth (``&nbsp;``, line breaks inside a paragraph,
canonical link forms) are chosen from the article id, so a page always renders the same way.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from functools import lru_cache
from html import escape

from .content import FOOTER_LINES, SITE_NAME, UNIT_NAME, WEEKDAYS, thousands
from .portal import PAGE_SIZE, Article, Category, Image, Portal

VIETNAM = timezone(timedelta(hours=7))
def robots(base_url: str, disallowed: tuple[str, ...] = ()) -> str:
    """robots.txt: the admin area (and any ``disallowed`` path prefixes) off limits; the sitemap
    index is declared."""
    rules = "".join(f"Disallow: {path}\n" for path in ("/admin/", *disallowed))
    return f"User-agent: *\n{rules}Sitemap: {base_url}/sitemap.xml\n"


def rss(portal: Portal, base_url: str, count: int = 20) -> str:
    """RSS 2.0 feed of the newest articles."""
    items = "".join(
        f"<item><title>{_text(a.title)}</title><link>{base_url}{a.path}</link>"
        f"<pubDate>{format_datetime(a.published.replace(tzinfo=VIETNAM))}</pubDate></item>\n"
        for a in portal.latest(count))
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f"<title>{_text(SITE_NAME)}</title><link>{base_url}/</link>\n{items}</channel></rss>\n")


def sitemap_index(base_url: str) -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?>\n'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base_url}/sitemap-articles.xml</loc></sitemap></sitemapindex>\n")


def sitemap_articles(portal: Portal, base_url: str) -> str:
    """Every article, with its last modification day."""
    urls = "".join(f"<url><loc>{base_url}{a.path}</loc><lastmod>{a.published:%Y-%m-%d}</lastmod></url>\n"
                   for a in portal.latest(len(portal.articles)))
    return (f'<?xml version="1.0" encoding="utf-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n')
CENTER = ' style="text-align: center;"'


def _text(value: str) -> str:
    return escape(value, quote=False)


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _today() -> str:
    """Today's date as the banner prints it: a trap, never an article's date."""
    now = datetime.now(VIETNAM)
    return f"{WEEKDAYS[now.weekday()]}, {now:%d/%m/%Y}"


def _row(article: Article, with_views: bool = False) -> str:
    views = f' <span class="news-item-views">Lượt xem: {thousands(article.views)}</span>' if with_views else ""
    return (f'<li class="news-item"><a class="news-item-title" href="{_attr(article.path)}">{_text(article.title)}'
            f'</a> <span class="news-item-date">({article.published:%d/%m/%Y})</span>{views}</li>')


def _layout(portal: Portal, title: str, main: str, *, head: str = "", charset: str = "utf-8",
            exclude: Article | None = None) -> str:
    meta = {"utf-8": '<meta charset="utf-8">', "header": "",
            "meta": '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'}[charset]
    menu = "".join(f'<li><a href="{c.path}">{_text(c.name)}</a></li>' for c in portal.categories)
    latest = "\n".join(_row(a) for a in portal.latest(5, exclude))
    footer = "".join(f"<p>{_text(line)}</p>" for line in FOOTER_LINES)
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
{meta}
<title>{_text(title)}</title>
<link rel="alternate" type="application/rss+xml" title="Tin mới" href="/rss.xml">
{head}
</head>
<body>
<div id="header">
<div class="top-bar"><span class="today">{_today()}</span> | <a href="/admin/">Đăng nhập</a></div>
<div class="banner"><a href="/"><img src="/static/banner.jpg" alt="Cổng thông tin điện tử {_attr(SITE_NAME)}"></a></div>
<ul class="menu"><li><a href="/">Trang chủ</a></li>{menu}</ul>
</div>
<div id="main">
<div id="content">
{main}
</div>
<div id="sidebar">
<div class="box latest-news"><h3 class="box-title">Tin mới</h3>
<ul>
{latest}
</ul></div>
<div class="box counter"><h3 class="box-title">Thống kê truy cập</h3>
<p>Tổng lượt truy cập: {thousands(portal.visits)}</p><p>Đang online: {7 + portal.visits % 23}</p></div>
</div>
</div>
<div id="footer"><p><strong>{_text(UNIT_NAME)}</strong></p>{footer}</div>
</body>
</html>
"""


def home(portal: Portal) -> str:
    boxes = []
    for category in portal.categories:
        rows = "\n".join(_row(a) for a in portal.listing(category)[:3])
        boxes.append(f'<div class="home-category"><h2><a href="{category.path}">{_text(category.name)}</a></h2>\n'
                     f'<ul>\n{rows}\n</ul>\n<a class="more" href="{category.path}">Xem thêm</a></div>')
    return _layout(portal, f"Trang chủ - {SITE_NAME}", "\n".join(boxes))


def listing(portal: Portal, category: Category, page: int) -> str:
    """One page of a category listing, newest first, with page numbers and "Trang sau"."""
    articles = portal.listing(category)[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    rows = "\n".join(_row(a, with_views=a.shows_views) for a in articles)
    last = portal.page_count(category)

    def href(number: int) -> str:
        return category.path if number == 1 else f"{category.path}?page={number}"

    links = [f'<span class="current">{n}</span>' if n == page else f'<a href="{href(n)}">{n}</a>'
             for n in range(1, last + 1)]
    if page > 1:
        links.insert(0, f'<a class="prev" href="{href(page - 1)}">Trang trước</a>')
    if page < last:
        links.append(f'<a class="next" href="{href(page + 1)}">Trang sau</a>')
    main = f"""<ul class="breadcrumb"><li><a href="/">Trang chủ</a></li><li>{_text(category.name)}</li></ul>
<div class="category-news">
<h2 class="category-title">{_text(category.name)}</h2>
<ul class="news-list">
{rows}
</ul>
<div class="pagination">Trang: {" ".join(links)}</div>
</div>"""
    return _layout(portal, f"{category.name} - {SITE_NAME}", main)


def _paragraph_source(text: str, salt: int) -> str:
    """A paragraph's HTML with the whitespace noise real editors leave (collapsed by extraction)."""
    html = _text(text)
    if salt % 5 == 0:
        html = html.replace(", ", ",&nbsp; ", 1)
    if salt % 7 == 3:
        html = html.replace(". ", ".\n    ", 1)
    return html


def _image(image: Image) -> str:
    tag = f'<img src="{_attr(image.path)}" alt="{_attr(image.alt)}" style="width: 600px; height: 400px;">'
    caption = _text(image.caption or "")
    if image.markup == "table":
        return (f'<table class="image" align="center"><tbody><tr><td>{tag}</td></tr>'
                f"<tr><td>{caption}</td></tr></tbody></table>")
    if image.markup == "figure":
        return f'<figure class="image">{tag}<figcaption>{caption}</figcaption></figure>'
    blocks = [f"<p{CENTER}>{tag}</p>"]
    if image.markup == "vithuy":
        blocks.append(f"<p{CENTER}>{_text(image.file_name)}</p>")
    if image.caption:
        blocks.append(f"<p{CENTER}><em>{caption}</em></p>")
    return "\n".join(blocks)


def _body(article: Article) -> str:
    """The article's content blocks: paragraphs and images, documents, source line, byline."""
    blocks = []
    for index, paragraph in enumerate(article.paragraphs):
        salt = article.id + index
        if index == article.br_after:
            following = _paragraph_source(article.paragraphs[index + 1], salt + 1)
            blocks.append(f'<p style="text-align: justify;">{_paragraph_source(paragraph, salt)}<br>\n{following}</p>')
        elif index - 1 != article.br_after:
            blocks.append(f'<p style="text-align: justify;">{_paragraph_source(paragraph, salt)}</p>')
        blocks += [_image(image) for image in article.images if image.after == index]
    if article.id % 3 == 0:
        blocks.append("<p>&nbsp;</p>")
    blocks += [f'<p>{_text(doc.label)}<a href="{_attr(doc.path)}">{_text(doc.title)}</a></p>'
               for doc in article.attachments]
    if article.source_line:
        blocks.append(f"<p><em>{_text(article.source_line)}</em></p>")
    if article.byline and article.byline_right:
        blocks.append(f'<p style="text-align: right;"><strong>{_text(article.byline)}</strong></p>')
    elif article.byline:
        blocks.append(f"<p>{_text(article.byline)}</p>")
    return "\n".join(blocks)


def _after_article(portal: Portal, article: Article) -> str:
    """Comment form, share/print links and related news: what follows every article."""
    related = "\n".join(_row(a) for a in portal.related(article))
    return f"""<div class="news-comment">
<h3>Các ý kiến của bạn đọc</h3>
<form method="post" action="#">
<p><label>Họ và tên:</label> <input type="text" name="ho_ten"></p>
<p><label>Email:</label> <input type="email" name="email"></p>
<p><label>Nội dung:</label> <textarea name="noi_dung"></textarea></p>
<p><button type="submit">Gửi ý kiến</button></p>
</form>
</div>
<div class="news-tools"><a href="javascript:window.print()"><img src="/static/print.jpg" alt="In bài"> In bài</a> | <a href="mailto:?subject={_attr(article.title)}">Gửi email</a> | <a href="javascript:history.back()">Quay lại</a></div>
<div class="news-related"><h3>Tin liên quan</h3>
<ul>
{related}
</ul></div>"""


def _classic_meta(article: Article) -> str:
    views = thousands(article.views)
    if article.date_style == "vithuy":
        return f'<div class="news-meta">[ Cập nhật vào ngày ({article.published_text}) ] - [ Số lần xem: {views} ]</div>'
    lines = [f'<div class="post-date">Ngày đăng: {article.published_text}</div>']
    if article.modified_text:
        lines.append(f'<div class="update-date">Cập nhật: {article.modified_text}</div>')
    lines.append(f'<div class="view-count">{article.views_label}{views}</div>')
    return '<div class="news-meta">\n' + "\n".join(lines) + "\n</div>"


def _classic_article(portal: Portal, article: Article, base_url: str) -> str:
    canonical = ("", f'<link rel="canonical" href="{_attr(article.path)}">',
                 f'<link rel="canonical" href="{_attr(base_url + article.path)}">')[article.id % 3]
    head = f'{canonical}\n<meta property="og:title" content="{_attr(article.title)}">'
    category = article.category
    main = f"""<ul class="breadcrumb"><li><a href="/">Trang chủ</a></li><li><a href="{category.path}">{_text(category.name)}</a></li></ul>
<div class="news-detail">
<div class="module-title">{_text(category.name)}</div>
<h1 class="news-title">{_text(article.title)}</h1>
{_classic_meta(article)}
<div class="news-content">
{_body(article)}
</div>
{_after_article(portal, article)}
</div>"""
    return _layout(portal, f"{article.title} - {SITE_NAME}", main, head=head, charset=article.charset, exclude=article)


def _liferay_article(portal: Portal, article: Article, base_url: str) -> str:
    head = (f'<meta property="og:url" content="{_attr(base_url + article.path)}">\n'
            f'<meta property="article:section" content="{_attr(article.category.name)}">')
    main = f"""<div class="portlet-boundary portlet-boundary_101_ portlet-static portlet-journal-content" id="p_p_id_101_INSTANCE_vt{article.id}_">
<section class="portlet">
<header class="portlet-topper"><h2 class="portlet-title"><span class="portlet-title-text">{_text(article.category.name)}</span></h2></header>
<div class="portlet-content"><div class="portlet-body">
<div class="asset-full-content">
<h1 class="asset-title header-title">{_text(article.title)}</h1>
<div class="asset-metadata"><span class="metadata-entry metadata-publish-date">Ngày {article.published_text}</span></div>
<div class="asset-content"><div class="journal-content-article">
{_body(article)}
</div></div>
</div>
</div></div>
</section>
</div>
{_after_article(portal, article)}"""
    return _layout(portal, f"xem chi tiet tin - {SITE_NAME}", main, head=head, charset=article.charset, exclude=article)


def article_page(portal: Portal, article: Article, base_url: str) -> str:
    render = _liferay_article if article.layout == "liferay" else _classic_article
    return render(portal, article, base_url)


def admin(portal: Portal) -> str:
    main = """<h1>Đăng nhập quản trị</h1>
<form method="post" action="#"><p><label>Tên đăng nhập:</label> <input type="text" name="user"></p>
<p><label>Mật khẩu:</label> <input type="password" name="password"></p><p><button type="submit">Đăng nhập</button></p></form>"""
    return _layout(portal, f"Quản trị - {SITE_NAME}", main)


def not_found(portal: Portal) -> str:
    main = "<h1>Không tìm thấy trang</h1>\n<p>Trang bạn yêu cầu không tồn tại hoặc đã bị xóa.</p>"
    return _layout(portal, f"Không tìm thấy trang - {SITE_NAME}", main)


@lru_cache(maxsize=None)
def _cp1258_char(char: str) -> str:
    """``char`` spelled with what windows-1258 has: a base letter it encodes (â ê ô ơ ư ă đ …)
    followed by combining tone marks, as Vietnamese text in that code page is written."""
    try:
        char.encode("cp1258")
        return char
    except UnicodeEncodeError:
        pass
    base, *marks = unicodedata.normalize("NFD", char)
    rest = []
    for mark in marks:
        combined = unicodedata.normalize("NFC", base + mark)
        try:
            combined.encode("cp1258")
            base = combined
        except UnicodeEncodeError:
            rest.append(mark)
    return base + "".join(rest)


def encode(html: str, charset: str) -> tuple[bytes, str]:
    """The page's bytes and Content-Type: UTF-8, or windows-1258 declared in the header or only in
    the page's meta tag (``charset`` "header" / "meta")."""
    if charset == "utf-8":
        return html.encode("utf-8"), "text/html; charset=utf-8"
    data = "".join(_cp1258_char(c) for c in html).encode("cp1258", errors="xmlcharrefreplace")
    return data, "text/html; charset=windows-1258" if charset == "header" else "text/html"
