"""Article images with their captions, and attached documents."""

from __future__ import annotations

import re
from itertools import islice
from urllib.parse import urlsplit

from .cues import CAPTION_CLASS, DOCUMENT_EXTENSIONS
from .dates import find_dates
from .dom import Line, declared_size, text_of
from .text import clean_optional, clean_text, is_file_name
from .urls import absolute_url
from .views import find_view_count

# Words that make an image an icon wherever they stand in its file name or classes ("icon" not
# followed by a letter: "khoicong-duong.jpg", khởi công, a groundbreaking, is a photo), and names
# that do as a whole part of the file name ("fb.gif", "eye-16.png") or as the end of a class
# ("ico-clock"; BEM's "article-view__cover" is a photo's class).
_ICON_WORDS = (r"icons?(?![a-z])|logo|spacer|blank|pixel|button|btn|banner|bullet|arrow|share|chia-?se|print|"
               r"facebook|zalo|twitter|email|rss|loading|avatar|emoji|flag|captcha|rating|star")
_ICON_NAMES = r"calendar|clock|eye|time|date|views?|user|comment|fb|tw|gplus"
_ICON = re.compile(rf"(?i)({_ICON_WORDS})|(^|[-_./])({_ICON_NAMES})([-_.]|$)")
_ICON_MARKER = re.compile(rf"(?i)({_ICON_WORDS})|(^|[-_\s])({_ICON_NAMES})(\s|$)")
_DOCUMENT_EXTENSION = re.compile("|".join(re.escape(ext) for ext in DOCUMENT_EXTENSIONS), re.I)
_ICON_FOLDER = re.compile(r"(?i)/icons?(/|$)")  # a theme's /images/icons/ folder
# A document type's icon beside an attachment link ("icpdf.png", "word.gif", "ic-xlsx.svg").
_FILE_TYPE_ICON = re.compile(r"(?i)(^|[-_.]|ic)(pdf|docx?|xlsx?|pptx?|odt|ods|rtf|zip|rar|7z|word|excel)"
                             r"\.(gif|png|svg|jpe?g|ico)$")
_PLACEHOLDER = re.compile(r"(?i)(blank|placeholder|lazy|loading|spacer|grey|gray|transparent|empty|no-?image)"
                          r"[\w.-]*\.(gif|png|svg|jpe?g)(?=$|[?#])|^data:"  # "jeg-empty.png", "no-image-16x9.png"
                          r"|(^|/)(pix|pixel|1x1|clear|dot)\.(gif|png)(?=$|[?#])")  # a one-pixel "pix.gif"
_LAZY_LOAD_CLASS = re.compile(r"(?i)lazy[-_]?load(ing|ed)?")
_CAPTION_MAX = 400
_TINY = 60  # pixels: an image declared smaller than this is an icon, a button or a spacer
_CAPTION_TABLE_TEXT = 600  # a table holding an image and its caption, not a page-layout table
_SENTENCE_END = re.compile(r"[.!?…]$")


def image_src(img, base_url: str) -> str | None:
    """The real source of an image: lazy-loading attributes win over a placeholder src."""
    src = (img.get("src") or "").strip()
    for attr in ("data-src", "data-original", "data-lazy-src", "data-url", "data-full-src"):
        lazy = (img.get(attr) or "").strip()
        if lazy and (not src or _PLACEHOLDER.search(src)):
            src = lazy
            break
    return absolute_url(base_url, src)


def is_article_image(img, src: str) -> bool:
    """False for icons, logos, share buttons and tiny spacers."""
    size = declared_size(img)
    if size is not None and size < _TINY:
        return False
    folder, _, name = urlsplit(src).path.rpartition("/")
    if _ICON_FOLDER.search(folder):
        return False
    parent = img.getparent()
    link_class = parent.get("class") if parent is not None and parent.tag == "a" else None
    classes = _LAZY_LOAD_CLASS.sub(" ", img.get("class") or "")  # "lazy-loading" is not a spinner
    marker = " ".join(filter(None, (classes, img.get("id"), link_class)))
    return not _ICON.search(name) and not _ICON_MARKER.search(marker) and not _FILE_TYPE_ICON.search(name)


def image_link(img):
    """The link around an image (``<a><img>`` or ``<a><picture><img>``), or None."""
    return next((el for el in islice(img.iterancestors(), 2) if el.tag == "a"), None)


def _in_text_link(img) -> bool:
    """The image shares a link with text: the icon of "Theo dõi … trên Google News" or the
    thumbnail of a linked headline (in the headline's link, in a link of its own to the same page
    beside it, or to the page a heading's link in the same small box opens: a teaser card), never
    an article photo (whose link, if any, is the photo, and may hold its figcaption: Trix)."""
    link = image_link(img)
    if link is None:
        return False
    words = text_of(link).strip()
    if words and not any(text_of(caption).strip() == words for caption in link.iter("figcaption")):
        return True
    href = link.get("href")
    if not href:
        return False
    parent = link.getparent()
    if parent is not None and any(a is not link and a.get("href") == href and text_of(a).strip()
                                  for a in parent.iterchildren("a")):
        return True
    for box in islice(link.iterancestors(), _TEASER_BOX_LEVELS):  # a teaser card: the photo's link, the headline's
        if any(a.get("href") == href and _is_headline_link(a) for a in box.iter("a")):
            return True
    return False


def _is_headline_link(a) -> bool:
    """A link with text that is a heading's ("<h6 class="card-title"><a>…</a></h6>")."""
    holder = a.getparent()
    return holder is not None and holder.tag in _HEADINGS and bool(text_of(a).strip())


_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_TEASER_BOX_LEVELS = 2


def is_caption_marked(line: Line, depth: int = 4) -> bool:
    """The line's element (or one of its ``depth`` nearest blocks) is a figcaption or carries a
    caption class (found while the page was flattened: ``Line.caption_at``)."""
    if line.ancestors:
        return line.caption_at is not None and line.caption_at >= len(line.ancestors) - depth
    el = line.element
    return el.tag == "figcaption" or bool(CAPTION_CLASS.search(f"{el.get('class') or ''} {el.get('id') or ''}"))


def _nearest(line: Line, tag: str):
    for el in reversed(line.ancestors):
        if el.tag == tag:
            return el
    return None


def _is_caption(image: Line, candidate: Line, alt: str | None, after_file_name: bool,
                directly_after: bool) -> bool:
    """Whether ``candidate``, a line right after the image, is its caption: a caption element or
    class, a cell of the image's table, the alt text again, a line after the file-name line, an
    italic or centered short line, or a short plain line with no sentence end."""
    text = candidate.text
    if len(text) > _CAPTION_MAX or candidate.barrier:
        return False
    figure = _nearest(image, "figure")
    if figure is not None and figure in candidate.ancestors and is_caption_marked(candidate):
        return True  # the figure's own figcaption, even inside the photo's link (Trix)
    if candidate.link_density > 0.5:
        return False
    if is_caption_marked(candidate):
        return True
    if figure is not None and figure in candidate.ancestors:
        return True
    table = _nearest(image, "table")
    if table is not None and table in candidate.ancestors and len(text) < 300 \
            and len(text_of(table)) < _CAPTION_TABLE_TEXT:
        return True
    if alt and clean_text(alt).casefold() == text.casefold():
        return True
    if after_file_name and (candidate.italic or candidate.align == "center"
                            or (len(text) < 200 and not _SENTENCE_END.search(text))):
        return True
    if candidate.element is image.element.getparent() or candidate.element in image.ancestors[-1:]:
        if candidate.italic or candidate.align == "center":
            return True
    if (candidate.italic or candidate.align == "center") and len(text) < 250:
        return True
    return (directly_after and len(text) < 150 and not _SENTENCE_END.search(text)
            and not candidate.bold and not candidate.heading and candidate.align != "justify"
            and not _NUMBERED_ITEM.match(text) and not _is_meta_text(text))


_NUMBERED_ITEM = re.compile(r"\d{1,3}[.)]\s")  # "2) Polistil 960574…": the next item of a list of photos, not a caption


def _is_meta_text(text: str) -> bool:
    """A view count or a labelled date ("Lượt đọc: 734", "Ngày đăng: …"): the article's meta line
    under a lead image, not its caption."""
    return find_view_count(text) is not None or any(hit.label for hit in find_dates(text))


def _caption_cell_below(image: Line):
    """In a gallery table (images in one row, captions in the next), the caption cell in the
    image's column; None when the image is not laid out that way."""
    cell = next((el for el in reversed(image.ancestors) if el.tag in ("td", "th")), None)
    row = cell.getparent() if cell is not None else None
    if row is None or row.tag != "tr" or len(row) < 2:
        return None
    below = row.getnext()
    while below is not None and below.tag != "tr":
        below = below.getnext()
    if below is None or len(below) != len(row):
        return None
    candidate = below[list(row).index(cell)]
    text = clean_text(text_of(candidate))
    if not text or len(text) > 300 or candidate.find(".//img") is not None:
        return None
    return candidate


def _is_caption_above(line: Line, image: Line) -> bool:
    """A caption some templates print above their image: only one its markup calls a caption,
    and not one of a <figure> the image is not in (a video's figcaption above a photo)."""
    if line.image is not None or line.barrier or not 0 < len(line.text) <= _CAPTION_MAX \
            or not is_caption_marked(line, depth=2):
        return False
    figure = _nearest(line, "figure")
    return figure is None or figure in image.ancestors


def collect_images(lines: list[Line], start: int, end: int, base_url: str, title_index: int | None = None):
    """Images in lines[start:end] as item dicts, and the indices of caption/file-name lines. The
    headline's line (``title_index``), right under a lead photo set over it, is never that
    photo's caption."""
    images: list[dict] = []
    consumed: set[int] = set()
    seen: set[str] = set()
    for i in range(start, end):
        line = lines[i]
        if line.image is None or line.barrier:
            continue
        src = image_src(line.image, base_url)
        if not src or not is_article_image(line.image, src) or _in_text_link(line.image) or src in seen:
            continue
        seen.add(src)
        alt = clean_optional(line.image.get("alt"))
        caption = None
        after_file_name = False
        cell = _caption_cell_below(line)
        if cell is not None:
            caption = clean_optional(text_of(cell))
            consumed.update(j for j in range(start, end) if cell in lines[j].ancestors)
            images.append({"src": src, "alt": alt, "caption": caption})
            continue
        j = i + 1
        while j < end and j < i + 4:
            candidate = lines[j]
            if candidate.image is not None:
                if image_src(candidate.image, base_url) is None:
                    j += 1
                    continue
                break
            if j == title_index:
                break
            if is_file_name(candidate.text):
                consumed.add(j)
                after_file_name = True
                j += 1
                continue
            if _is_caption(line, candidate, alt, after_file_name, j == i + 1 or after_file_name):
                caption = candidate.text
                consumed.add(j)
            break
        if caption is None and i > start and i - 1 not in consumed and _is_caption_above(lines[i - 1], line):
            caption = lines[i - 1].text
            consumed.add(i - 1)
        images.append({"src": src, "alt": alt, "caption": caption})
    return images, consumed


def is_document_url(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(DOCUMENT_EXTENSIONS)


def _document_url(base_url: str, href: str | None) -> str | None:
    """``href`` resolved, when it is a document's URL (the extension must be in ``href``: most
    links are not documents and are not worth resolving)."""
    if not href or not _DOCUMENT_EXTENSION.search(href):
        return None
    url = absolute_url(base_url, href)
    return url if url and is_document_url(url) else None


def is_attachment_line(line: Line, base_url: str) -> bool:
    """A line that is a document link with at most a short label ("Tải về: Kế hoạch số 12")."""
    if len(line.text) > 250 or line.link_chars == 0 or _SENTENCE_END.search(line.text):
        return False
    for a in line.element.iter("a"):
        if _document_url(base_url, a.get("href")):
            link_text = clean_text(text_of(a))
            if link_text and link_text in line.text and len(line.text) - len(link_text) <= 50:
                return True
    return False


def collect_attachments(root_elements, base_url: str) -> list[dict]:
    """Links to documents (PDF, Word, Excel, archives…) inside the given elements, once each. A
    file's icon often links to it too: the title is the text of a link that has one."""
    found: dict[str, dict] = {}  # by url, in page order
    titled: set[str] = set()  # urls whose title is a link's text
    for container in root_elements:
        for a in container.iter("a"):
            url = _document_url(base_url, a.get("href"))
            if url is None or url in titled:
                continue
            text = clean_optional(text_of(a))
            if url not in found:
                found[url] = {"url": url, "title": text or clean_optional(a.get("title"))}
            elif text:
                found[url]["title"] = text
            if text:
                titled.add(url)
    return list(found.values())
