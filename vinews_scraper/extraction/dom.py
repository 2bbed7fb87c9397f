"""Parse a page and flatten it into text lines, the way a reader sees it.

Each line remembers the element it came from and the few facts the field rules need (in a link,
italic, bold, alignment, heading level); a skipped comment or related-news region leaves a barrier
line. Every later step works on this one list, so the rules anchor on the page's text and
structure rather than on one CMS's classes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from functools import lru_cache

from lxml import etree
from lxml.cssselect import CSSSelector

from .cues import (AUTHOR_LABELS, CAPTION_CLASS, CHROME_CLASS_FRAGMENTS, CHROME_CLASS_WORDS, CHROME_HEADER_TOKENS, CHROME_ROLES,
                   CHROME_TAGS, COMMENT_FORM_WORDS, CONTENT_CLASS_WORDS, CONTINUE_READING, END_OF_ARTICLE_WORDS,
                   SOURCE_LABELS, VIEW_LABELS)
from .dates import find_dates
from .text import clean_text
from .views import find_view_count

BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr html legend li main nav ol p pre section summary "
    "table tbody td tfoot th thead tr ul".split()
)
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed",
              "select", "option", "button", "textarea", "input", "map", "link", "meta")
_ALIGN = re.compile(r"text-align\s*:\s*(center|right|justify|left)", re.I)
_CLASS_WORD_SPLIT = re.compile(r"[_\-\d]+")
_CRUMB_MARKER = re.compile(
    r"(?i)bread|crumb|duong-?dan|cat-?links|categor|chuyen-?muc|rootline|pathway|sitemap-?path|(^|\s)sitemap(\s|$)"
    r"|(^|\s)(path|navpath|vi-?tri)(\s|$)")  # Mambo's "pathway", ASP.NET's SiteMapPath
_CRUMB_HINT = re.compile("bread|crumb|duong|cat|chuyen|path|vi-tri|vitri|rootline|sitemap")  # cheap test before _CRUMB_MARKER
# A sidebar's or menu's list of every category ("widget categorylist", "menu-danh-muc"): not a path.
_CATEGORY_LIST = re.compile(r"widget|sidebar|menu|categorylist|catlist|(?:^|[\s_-])list(?:$|[\s_-])")
_RELATED_LIST = re.compile(r"cung-?chuyen-?muc|cung-?danh-?muc|same-?categor|lien-?quan|related|tin-?khac")  # "tin-cung-chuyen-muc": not a path
_TAG_BOX = re.compile(r"(?i)primary-tag|post-tag|article-tag|entry-tag|(^|\s)tags?(\s|$)")
_CATEGORY_BOX = re.compile(r"(?i)\s*(chuyên mục|danh mục|categories|category)\s*:")
_CATEGORY_LABEL = re.compile(r"(?i)(chuyên mục|danh mục|categor(ies|y))\s*:")
_CENTER_CLASS = re.compile(r"(?i)(^|[\s_-])(text-center|center|aligncenter|centered)($|\s)")
_RIGHT_CLASS = re.compile(r"(?i)(^|\s)(text-right|text-end|has-text-align-right|text-align-right|align-right)($|\s)")
_PAGE_WRAPPER_SHARE = 0.5
_CONTENT_SHARE = 0.5  # of the page's text: a chrome-classed region holding more is the content…
_ARTICLE_BESIDE_TEXT = 500  # characters: …unless an <article> beside it holds an article's text
IMAGE_FILE_URL = re.compile(r"(?i)\.(jpe?g|png|gif|webp)(?=$|[?#])")  # a link that opens a photo
_SLIDESHOW = re.compile(r"(?i)slide|carousel")
_GALLERY_TEXT_PER_IMAGE = 300  # characters: a caption for each photo, and some layout whitespace
_ICON_SIZE = 32  # an image this small or smaller is an icon inside a line, not a line of its own
_SIZE = re.compile(r"\s*(\d+)")
_ITALIC_CLASS = re.compile(r"(?i)(^|[\s_-])(italic|font-italic)($|\s)")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Classes that show text to screen readers only (Bootstrap, WordPress, Drupal, Liferay, jQuery UI).
_SCREEN_READER_ONLY = re.compile(
    r"(^|\s)(sr-only|u-visually-hidden|visually-?hidden|screen-reader-text|element-invisible|hide-accessible"
    r"|(helper-)?hidden-accessible)(\s|$)")

# huge_tree: libxml2 otherwise stops reading at 256 nested elements, which unclosed tags repeated
# in a template loop reach, and silently drops the rest of the page; with it the limit is 2,048.
# collect_ids=False: no id lookup table, which nothing here reads (5% of the parse time).
_PARSER_OPTIONS = dict(remove_comments=True, remove_pis=True, default_doctype=False, huge_tree=True, collect_ids=False)
_parser = etree.HTMLParser(**_PARSER_OPTIONS)
_utf8_parser = etree.HTMLParser(**_PARSER_OPTIONS, encoding="utf-8")


@dataclass(slots=True)
class Line:
    """A run of text between block boundaries (or one image)."""

    text: str
    element: etree._Element  # nearest block-level ancestor (the image itself for image lines)
    link_chars: int = 0
    italic: bool = False
    bold: bool = False
    align: str | None = None
    heading: int = 0
    image: etree._Element | None = None
    barrier: bool = False  # a skipped comment/related/share region: the article ends here
    index: int = 0
    ancestors: tuple = field(default=(), repr=False)
    caption_at: int | None = None  # position in ``ancestors`` of the nearest figcaption or caption-classed block

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


def parse_html(text: str, utf8: bytes | None = None) -> etree._Element:
    """Parse page text into an lxml tree (metadata still in place: see ``remove_noise``).

    ``utf8``, when given, is the page's bytes that ``text`` was decoded from without a single
    replaced byte; libxml2 parses those about 10% faster than the ``str`` and builds the same
    tree (a ``<meta charset>`` in them does not override the encoding given).
    """
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ValueError("empty page")
    parser = _utf8_parser if utf8 is not None else _parser
    page = utf8.removeprefix(b"\xef\xbb\xbf") if utf8 is not None else text
    root = etree.fromstring(_without_xml_declaration(page), parser)
    if root is None:
        raise ValueError("no HTML elements")
    stopped = next((e for e in parser.error_log if e.level == etree.ErrorLevels.FATAL), None)
    if stopped is not None:  # libxml2 gave up part way: an item from the rest would be silently short
        reason = stopped.message.split(", use XML_PARSE_HUGE")[0]  # huge_tree is on already
        raise ValueError(f"the HTML parser stopped at line {stopped.line}: {reason}")
    return root


def _without_xml_declaration(page: str | bytes) -> str | bytes:
    """The page without a leading ``<?xml …?>``, which lxml refuses in a ``str`` and whose
    encoding would contradict the one already chosen."""
    if page.startswith("<?xml" if isinstance(page, str) else b"<?xml"):
        return page[page.find("?>" if isinstance(page, str) else b"?>") + 2:]
    return page


def text_of(el: etree._Element) -> str:
    """All text inside ``el`` (not its tail)."""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def drop_tree(el: etree._Element) -> None:
    """Remove ``el`` and its children, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


@lru_cache(maxsize=256)
def _compiled(selector: str):
    try:
        if selector.startswith("xpath:"):
            return etree.XPath(selector[len("xpath:"):])
        return CSSSelector(selector, translator="html")
    except (etree.XPathError, ValueError, SyntaxError):
        return None


def select(root: etree._Element, selector: str) -> list:
    """Elements matching a CSS selector, or an XPath one written ``xpath:…``; an invalid selector
    (from a registry entry) or one that yields no elements matches nothing."""
    compiled = _compiled(selector)
    if compiled is None:
        return []
    found = compiled(root)
    return [el for el in found if isinstance(el, etree._Element)] if isinstance(found, list) else []


def is_hidden(el: etree._Element) -> bool:
    """Whether the element, or one around it, is hidden from readers (``hidden``, an inline
    ``display:none``, a screen-reader-only class): text a profile's selector may still match."""
    for node in (el, *el.iterancestors()):
        style = node.get("style")
        marker = node.get("class")
        if node.get("hidden") is not None or (style and _hidden_style(style)) \
                or (marker and _marker_traits(marker).unseen):
            return True
    return False


def remove_noise(root: etree._Element) -> None:
    """Drop scripts, styles and form controls (hidden elements are skipped when walking)."""
    etree.strip_elements(root, *_DROP_TAGS, with_tail=False)


def _hidden_style(style: str) -> bool:
    """An inline ``display:none`` or ``visibility:hidden``."""
    return ("none" in style or "hidden" in style) and bool(_HIDDEN.search(style))


_CONTROL_TEXT_MAX = 40


def _is_collapsed_continuation(el: etree._Element) -> bool:
    """A hidden block right after a "Xem tiếp »" control: the rest of the article, which the
    reader opens with it (other hidden text is a menu's, a dialog's or a twin layout's)."""
    control = el.getprevious()
    if control is None or not isinstance(control.tag, str):
        return False
    text = text_of(control)
    return len(text) <= _CONTROL_TEXT_MAX and clean_text(text).strip(NORM_STRIP).casefold() in CONTINUE_READING  # NFC


def _token_is_chrome(token: str, words: list[str]) -> bool:
    if token in CHROME_HEADER_TOKENS or not CHROME_CLASS_WORDS.isdisjoint(words) \
            or any(fragment in token for fragment in CHROME_CLASS_FRAGMENTS):
        return True
    return any(first + second in CHROME_CLASS_WORDS for first, second in zip(words, words[1:]))


_COMPONENT_PARTS = frozenset(("card-header", "card-footer", "panel-heading", "panel-footer"))  # Bootstrap's


@lru_cache(maxsize=8192)
def is_chrome_marker(marker: str) -> bool:
    """True for class/id names of menus, sidebars, footers, related lists, counters…

    A content word in another token of the same element wins: "l-sidebar-fixed
    l-article-body-segment" and "and-w-sidebar page-content" are the article's column.
    Cached: a template repeats its class names on every page.
    """
    chrome = content = False
    for token in marker.lower().split():
        if token in _COMPONENT_PARTS:  # "card-footer" is a part of a card, not the page's footer
            continue
        words = _CLASS_WORD_SPLIT.split(token)
        if _token_is_chrome(token, words):
            chrome = True
        elif not CONTENT_CLASS_WORDS.isdisjoint(words):
            content = True
    return chrome and not content


_NEVER_CHROME = frozenset(("html", "body", "main", "article", "figure"))  # a <figure> is content: a photo, whatever its class
# Tags of page regions: they carry landmark roles (role="banner", data-role="header") and a
# breadcrumb's aria-label; paragraphs, cells and links do not.
_REGION_TAGS = frozenset(("div", "section", "header", "footer", "nav", "aside", "ul", "ol"))
_NAVIGATION_ROLES = frozenset(("banner", "navigation", "header", "navbar"))  # may hold a breadcrumb


def _is_chrome_element(el: etree._Element, traits: MarkerTraits, role: str | None) -> bool:
    tag = el.tag
    if tag in _NEVER_CHROME or traits.lead:
        return False
    if tag == "footer" and any(anc.tag == "article" for anc in el.iterancestors()):
        return False
    if tag in CHROME_TAGS or role in CHROME_ROLES:
        return True
    if tag == "header" and el.getparent() is not None and el.getparent().tag == "body":
        return True
    return traits.chrome


class MarkerTraits(NamedTuple):
    """What an element's class and id say about it."""

    chrome: bool  # ``is_chrome_marker``
    crumbs: bool  # a breadcrumb or category path
    tag_box: bool  # a box of tags
    centered: bool
    italic: bool
    right: bool  # right-aligned by a utility class ("text-end", "text-right")
    today: bool  # today's date in the page header ("homnay", "today-date"), a <span> as well as a block
    lead: bool  # the article's lead paragraph ("sapo", "chapeau"), an <aside> beside the text too
    caption: bool  # an image's caption ("wp-caption-text", "chu-thich")
    unseen: bool  # text for screen readers only ("sr-only", "hide-accessible"), never shown on the page
    widget: bool  # chrome only by the word "widget": a page builder's block, the article's own inside an <article>
    eye: bool  # an eye icon ("fa fa-eye", "bi-eye", "glyphicon-eye-open"): the view count's label


_NO_TRAITS = MarkerTraits(False, False, False, False, False, False, False, False, False, False, False, False)


def _is_photo_gallery(el: etree._Element, text: str, marker: str | None) -> bool:
    """A slideshow of photos (an "owl-carousel" among the article's paragraphs), not a slider of
    teasers: a slider or carousel of images with no more text than captions, and links, if any,
    that open image files rather than other pages."""
    if not marker or not _SLIDESHOW.search(marker):
        return False
    images = sum(1 for _ in el.iter("img"))
    if not images or len(text) > _GALLERY_TEXT_PER_IMAGE * images:
        return False
    for a in el.iter("a"):
        href = a.get("href")
        if href and not href.startswith(("#", "javascript:")) and not IMAGE_FILE_URL.search(href):
            return False
    return True


def declared_size(img: etree._Element) -> int | None:
    """The smaller of an image's declared width and height in pixels ("16", "16px"), if any."""
    smallest = None
    for attr in ("width", "height"):
        value = img.get(attr)
        found = _SIZE.match(value) if value else None
        if found and (smallest is None or int(found.group(1)) < smallest):
            smallest = int(found.group(1))
    return smallest


def _is_icon(img: etree._Element) -> bool:
    """An image whose declared width or height is icon-sized (a calendar or eye glyph before a
    date or view count), or one in the element a view tooltip labels (``<span title="Lượt
    xem"><img src="view.png"> 2.086</span>``): it stays inside its line."""
    size = declared_size(img)
    if size is not None and size <= _ICON_SIZE:
        return True
    parent = img.getparent()
    tooltip = parent.get("title") if parent is not None else None
    return bool(tooltip) and _view_label(tooltip) is not None


def _view_label(tooltip: str) -> str | None:
    """The tooltip as a view label ("Lượt xem"), without a trailing colon; None for other words."""
    label = clean_text(tooltip)
    return label.rstrip(" :") if label.casefold().strip(" :") in _VIEW_LABEL_SET else None


_TRAITS_CACHE_SIZE = 8192
_traits_cache: dict[str, MarkerTraits] = {}


_WIDGET_WORD = re.compile(r"widgets?")
LETTER = re.compile(r"[^\W\d_]")  # a letter of any script
_EYE_ICON = re.compile(r"(?:^|[\s_-])eye(?:$|[\s_-])")
_VIEW_LABEL_SET = frozenset(VIEW_LABELS)
_BARE_COUNT = re.compile(r"[^\w]*\d[\d.,]*\s*[KkMm]?(?![^\W\d_])")  # a glyph or two, then "1.457", "1,5K"
_VIEWS_WORD = "Lượt xem: "  # what an eye icon before a count says (the colon: the count follows)


def _marker_traits(marker: str) -> MarkerTraits:
    """Cached like ``is_chrome_marker`` (a template repeats its class names on every element), in
    a plain dict emptied when full: looked up for most elements, where an ``lru_cache`` call costs
    more than the lookup."""
    traits = _traits_cache.get(marker)
    if traits is None:
        if len(_traits_cache) >= _TRAITS_CACHE_SIZE:
            _traits_cache.clear()
        traits = _traits_cache[marker] = _read_marker_traits(marker)
    return traits


def _read_marker_traits(marker: str) -> MarkerTraits:
    lowered = marker.lower()
    return MarkerTraits(
        chrome=is_chrome_marker(marker),
        crumbs=bool(_CRUMB_HINT.search(lowered) and _CRUMB_MARKER.search(marker) and not _RELATED_LIST.search(lowered)
                    and ("bread" in lowered or "crumb" in lowered or not _CATEGORY_LIST.search(lowered))),
        tag_box="tag" in lowered and bool(_TAG_BOX.search(marker)),
        centered="center" in lowered and bool(_CENTER_CLASS.search(marker)),
        italic="italic" in lowered and bool(_ITALIC_CLASS.search(marker)),
        right=("right" in lowered or "end" in lowered) and bool(_RIGHT_CLASS.search(marker)),
        today=any(fragment in lowered for fragment in CHROME_CLASS_FRAGMENTS),
        lead="sapo" in lowered or "chapeau" in lowered,
        caption=CAPTION_CLASS.search(marker) is not None,
        unseen=("only" in lowered or "hid" in lowered or "invisible" in lowered or "screen" in lowered)
        and bool(_SCREEN_READER_ONLY.search(lowered)),
        widget="widget" in lowered and not is_chrome_marker(_WIDGET_WORD.sub(" ", lowered)),
        eye="eye" in lowered and bool(_EYE_ICON.search(lowered)),
    )


_BARRIER_MIN_TEXT = 20
_SKIP_LINK_CLASS = re.compile(r"(?i)skip|bo-?qua")
_SKIP_LINK_TEXT = re.compile(r"(?i)\s*(?:bỏ qua|skip|chuyển (?:đến|tới)|đi (?:đến|tới)|nhảy (?:đến|tới)|đến nội dung)\b")


def _is_skip_link(el: etree._Element, marker: str | None) -> bool:
    """A link to a place on the same page that lets keyboards skip the menu ("Bỏ qua menu",
    ``<a class="skip" href="#noi-dung">``): never text, whatever it says."""
    if marker and _SKIP_LINK_CLASS.search(marker):
        return True
    return len(el) == 0 and bool(el.text) and len(el.text) <= 60 and _SKIP_LINK_TEXT.match(el.text) is not None


def _crumbs_inside(el: etree._Element) -> list:
    """The elements inside ``el`` whose class, id or aria-label says breadcrumb (a Python walk:
    libxml2's XPath with ``contains()`` tests took twice as long), after a look at the serialized
    markup, which most headers and menus do not name a breadcrumb in at all."""
    if b"read" not in etree.tostring(el, with_tail=False):
        return []
    found = []
    for sub in el.iterdescendants():
        if not isinstance(sub.tag, str):
            continue
        cls, identifier, label = sub.get("class"), sub.get("id"), sub.get("aria-label")
        if (cls and ("bread" in cls or "Bread" in cls)) \
                or (identifier and ("bread" in identifier or "Bread" in identifier)) or (label and "bread" in label.lower()):
            found.append(sub)
    return found


def _may_name_category(text: str) -> bool:
    """A cheap test before ``_CATEGORY_LABEL`` on a long chrome region."""
    return "ục" in text or "ỤC" in text or "ategor" in text or "ATEGOR" in text


CRUMB_SEPARATOR = re.compile(r"\s+(?:>>|::|[/»>›|→])\s+|\s*[»›→]+\s*")
HOME_WORDS = frozenset(("trang chủ", "home", "trang nhất", "trang chính"))
NORM_STRIP = " .:;,!?-–—|»«[]()"  # around a phrase compared as a whole ("Trang chủ »")
_NAV_PATH_MAX = 150  # characters of an unclassed <nav> read as a breadcrumb
_HOME_THEN_SEPARATOR = re.compile(
    r"(?i)[\s.:;,!?|»«\[\]()-]*(?:" + "|".join(HOME_WORDS) + r")\s*(?:>>|::|[/»>›→])")


def is_path_line(text: str, max_length: int) -> bool:
    """A breadcrumb printed as one line ("Trang chủ / Tin tức / Văn hóa", "Home»Tin tức"): the
    home page first, then parts between separators ("Trang chủ | Đoàn thể | Văn bản" is a menu)."""
    return len(text) <= max_length and _HOME_THEN_SEPARATOR.match(text) is not None


def _short_label(text: str) -> bool:
    """A short label region (an <aside> section name above the title) that may be the category."""
    flat = " ".join(text.split())
    return 0 < len(flat) <= 60 and len(flat.split()) <= 8 and not any(c.isdigit() for c in flat)


def _category_box(el: etree._Element) -> list:
    """The smallest element inside ``el`` whose text starts with a category label."""
    boxes = [sub for sub in el.iter() if isinstance(sub.tag, str)
             and _CATEGORY_BOX.match(text_of(sub)) and len(text_of(sub)) < 200]
    return [min(boxes, key=lambda sub: len(text_of(sub)))] if boxes else []


def _ends_article(marker: str) -> bool:
    """A comment, related-news, share or tags region: what follows it is not the article."""
    words = set(_CLASS_WORD_SPLIT.split(marker.lower().replace(" ", "-")))
    return not END_OF_ARTICLE_WORDS.isdisjoint(words)


_COUNTER_REGION_MAX = 600  # characters: an entry footer's stats, tags and share links


def _names_the_entry(marker: str) -> bool:
    """A class naming a part of the article itself ("entry-footer", "article-footer"), chrome by
    its other word: the article's own footer, whose stats hold its view count."""
    return any(not CONTENT_CLASS_WORDS.isdisjoint(_CLASS_WORD_SPLIT.split(token)) for token in marker.lower().split())


def _view_counters_inside(region: etree._Element, ctx) -> list[Line]:
    """The view-count boxes of a skipped region, as lines ("1.046 lượt xem" in the stats of a
    Liferay blog entry's footer, beside its comment count, tags and share links): the innermost
    elements whose text is a view count and nothing much else."""
    found = []
    for el in region.iterdescendants():
        if not isinstance(el.tag, str) or el.tag == "a":
            continue
        text = clean_text(text_of(el))
        if _is_view_counter(text) and not any(isinstance(child.tag, str) and _is_view_counter(clean_text(text_of(child)))
                                              for child in el):
            found.append(Line(text=text, element=el, ancestors=ctx[2] + (region,), caption_at=ctx[4]))
    return found


def _is_view_counter(text: str) -> bool:
    """A small "counter" box that shows the article's own view count (Drupal statistics_counter)."""
    return len(text) <= 80 and find_view_count(text) is not None


_META_BOX_MAX = 300  # characters: a date, a view count, a byline and their labels
_BYLINE_LABEL = re.compile(
    "(?i)(?:" + "|".join(re.escape(label) for label in (*AUTHOR_LABELS, *SOURCE_LABELS)) + r")\s*[:：]")


_HEADINGS = frozenset(("h1", "h2", "h3"))


def _follows_heading(el: etree._Element) -> bool:
    """Whether the element comes right after a heading (a title's toolbar of date and views)."""
    previous = el.getprevious()
    return previous is not None and previous.tag in _HEADINGS


def _marks_article(el: etree._Element) -> bool:
    """An <article> or a schema.org Article."""
    if el.tag == "article":
        return True
    itemtype = el.get("itemtype")
    return bool(itemtype) and "Article" in itemtype


def _icon_label(el: etree._Element, traits: MarkerTraits) -> str | None:
    """The words an icon stands for before a bare count ("1.457", no label printed): an eye
    icon's, or a view label in the element's tooltip (``<span title="Lượt xem">`` around an
    icon-font glyph and the number, or a theme's ``<div class="td-post-views" title="Lượt xem">``),
    read as a screen reader would."""
    if traits.eye:
        words = _VIEWS_WORD
    else:
        tooltip = el.get("title") or el.get("aria-label")
        label = _view_label(tooltip) if tooltip else None
        if label is None:
            return None
        words = label + ": "
    own = text_of(el)
    if LETTER.search(own) and not _BARE_COUNT.fullmatch(own.strip()):  # letters, not a count's "1,5K"
        return None
    ahead = own if any(ch.isdigit() for ch in own) else (el.tail or "")
    if not ahead.strip():
        following = el.getnext()
        ahead = text_of(following) if following is not None else ""
    return words if _BARE_COUNT.match(ahead) else None


def _inside_article(el: etree._Element) -> bool:
    """Whether an ancestor of ``el`` is an <article> or a schema.org Article."""
    return any(_marks_article(anc) for anc in el.iterancestors())


def _is_article_meta_box(text: str, of_article: bool) -> bool:
    """A small region of the article itself (``of_article``: inside <article> or a schema.org
    Article, or right under a heading) holding its labelled date, view count or byline: a
    template class ("footer", "article-aside", "article-toolbar") or an <aside> makes it look like
    site chrome, but it is the article's meta line."""
    if not of_article or len(text) > _META_BOX_MAX:
        return False  # most chrome (menus, sidebars with dated lists) is outside the article: no date scan
    return find_view_count(text) is not None or ((":" in text or "：" in text) and bool(_BYLINE_LABEL.search(text))) \
        or any(hit.label in ("published", "modified") for hit in find_dates(text))


@dataclass(frozen=True)
class Crumbs:
    """Where a page names its category: breadcrumb-like regions, and tag boxes with the number
    of lines before each (a tag box above the title is the primary category, as in Ghost)."""

    regions: list
    tag_boxes: list

    def before(self, line_index: int) -> list:
        return [el for el, position in self.tag_boxes if position <= line_index]

    def just_before(self, line_index: int) -> list:
        """Boxes skipped right before the line (no text in between)."""
        return [el for el, position in self.tag_boxes if position == line_index]


def holds(block, el) -> bool:
    """Whether ``el`` is ``block`` or inside it."""
    return block is el or any(anc is block for anc in el.iterancestors())


def _in_comments(el: etree._Element) -> bool:
    """An element in or of a comment, related-news, share or tag region (a reader's comment is an
    <article> too)."""
    for node in (el, *el.iterancestors()):
        marker = node.get("class")
        if marker and _ends_article(marker):
            return True
    return False


def _joined(pieces: list) -> str:
    """The pieces' text as one string, a space put between two pieces (two elements) where one
    ends and the next begins with a digit: spans printed apart by the stylesheet
    ("16/03/2025" then "1,5K lượt xem"), which glued would read as one number."""
    parts = [piece[0] for piece in pieces]
    glued = [k for k in range(1, len(parts)) if parts[k] and parts[k - 1] and parts[k][0].isdigit()
             and parts[k - 1][-1].isdigit()]
    for k in reversed(glued):
        parts.insert(k, " ")
    return "".join(parts)


class _Flattener:
    """Walks the tree once, collecting Lines and skipping site chrome.

    A region whose class says "sidebar" but which holds most of the page's text is the page's
    content in an odd template, so it is walked like any other.
    """

    def __init__(self, total_text: int, skip_chrome: bool, headline: str | None) -> None:
        self.lines: list[Line] = []
        self.pieces: list[tuple[str, bool, bool, bool]] = []
        self.total_text = total_text
        self.skip_chrome = skip_chrome
        self.headline = headline.casefold() if headline and len(headline) >= 15 else None
        self.headline_word = max(self.headline.split(), key=len) if self.headline else None
        self.crumbs: list[etree._Element] = []
        self.tag_boxes: list[tuple[etree._Element, int]] = []  # (element, lines before it)

    def flush(self, block, ctx) -> None:
        pieces = self.pieces
        if not pieces:
            return
        self.pieces = []
        if len(pieces) == 1:
            text, link, italic, bold = pieces[0]
            if text.isspace():  # most flushes: the indentation between two blocks
                return
            text = clean_text(text)
            if not text:
                return
            link_chars = len(text) if link else 0
        else:
            text = _joined(pieces)
            if text.isspace():
                return
            text = clean_text(text)
            if not text:
                return
            link_chars = 0
            italic = bold = True
            for piece, link, is_italic, is_bold in pieces:
                if piece.isspace():
                    continue
                if link:
                    link_chars += len(piece.strip())
                italic = italic and is_italic
                bold = bold and is_bold
            link_chars = min(link_chars, len(text))
        self.lines.append(Line(text, block, link_chars, italic, bold, ctx[0], ctx[1], None, False, 0, ctx[2], ctx[4]))

    def _holds_headline(self, text: str) -> bool:
        """Whether a region's text holds the headline (its whitespace aside). Most regions lack
        its longest word, which is looked for first; ASCII text is lower-cased (its casefold, at
        a fraction of the cost)."""
        if self.headline is None or len(text) < len(self.headline):
            return False
        folded = text.lower() if text.isascii() else text.casefold()
        return self.headline_word in folded and self.headline in " ".join(folded.split())

    def _is_path_to_headline(self, text: str) -> bool:
        """Whether a region holding the headline is a breadcrumb ending in it ("Trang chủ › Tin
        tức › <headline>"): still chrome, and the page's path (a cover header that begins with a
        path and goes on with the date and byline is not one)."""
        flat = " ".join(text.casefold().split()).rstrip(" .…")
        return flat.endswith(self.headline) and is_path_line(flat[:-len(self.headline)], _NAV_PATH_MAX)

    def _holds_the_content(self, el, text: str) -> bool:
        """Whether a region that looks like chrome holds the page's content in an odd template:
        most of the page's text, and no <article> beside it (not a reader's comment) holds an
        article's text (a long sidebar beside a short article is still a sidebar)."""
        if len(text) <= _CONTENT_SHARE * self.total_text:
            return False
        for article in el.getroottree().iter("article"):
            if holds(el, article) or holds(article, el) or _in_comments(article):
                continue
            if len(text_of(article)) >= _ARTICLE_BESIDE_TEXT:
                return False
        return True

    def _wraps_the_page(self, el) -> bool:
        """A block holding most of the page's text (a template's ``<div class="center"
        align="center">`` around the whole layout): its alignment places the layout, and the
        stylesheet, which is not read, sets its text's."""
        text = text_of(el) if len(el) else el.text or ""  # most aligned blocks are paragraphs of plain text
        return len(text) > _PAGE_WRAPPER_SHARE * self.total_text

    def walk(self, start) -> None:
        """Collect the lines under ``start`` in reading order. A loop over a stack of open
        elements, not recursion: libxml2 reads pages nested up to 2,048 levels deep, beyond
        Python's recursion limit."""
        in_article = _inside_article(start)
        frame = self._enter(start, start, (None, 0, (), in_article, None), False, False, False)
        stack = [frame] if frame is not None and frame[7] is not None else []
        while stack:
            el, block, ctx, link, italic, bold, is_block, children = stack[-1]
            for child in children:  # resumed where it stopped when a child was entered
                if isinstance(child.tag, str):
                    frame = self._enter(child, block, ctx, link, italic, bold)
                    if frame is not None:
                        if frame[7] is not None:
                            stack.append(frame)
                            break
                        if frame[6] and self.pieces:  # a leaf block, done at once
                            self.flush(frame[1], frame[2])
                tail = child.tail
                if tail and (self.pieces or not tail.isspace()):
                    self.pieces.append((tail, link, italic, bold))
            else:  # el is done: close its block; its tail belongs to the parent
                stack.pop()
                if is_block and self.pieces:
                    self.flush(block, ctx)
                tail = el.tail
                if stack and tail and (self.pieces or not tail.isspace()):
                    parent = stack[-1]
                    self.pieces.append((tail, parent[3], parent[4], parent[5]))

    def _enter(self, el, block, ctx, link, italic, bold) -> tuple | None:
        """Read ``el``'s own facts and text: the frame ``walk`` keeps while its children are read
        (none for an element without children: it is done), or None when ``el`` is hidden or
        skipped chrome."""
        tag = el.tag
        is_block = tag in BLOCK_TAGS
        keys = el.keys()  # one call: most elements have an attribute or two, and each get() is a call
        style = el.get("style") if "style" in keys else None  # read once: also gives the alignment below
        marker = el.get("class") if "class" in keys else None
        identifier = el.get("id") if "id" in keys else None
        if identifier:
            marker = f"{marker} {identifier}" if marker else identifier
        traits = _marker_traits(marker) if marker else _NO_TRAITS
        if ("hidden" in keys or (traits.unseen and is_block) or (style and _hidden_style(style))) \
                and not _is_collapsed_continuation(el):
            return None
        region = tag in _REGION_TAGS
        if traits.crumbs or (region and "aria-label" in keys and "bread" in el.get("aria-label").lower()):
            self.crumbs.append(el)
        elif traits.tag_box:
            self.tag_boxes.append((el, len(self.lines)))
        role = (el.get("role") or el.get("data-role")) if region and ("role" in keys or "data-role" in keys) else None
        chrome_class = traits.chrome and not (traits.widget and ctx[3])
        if self.skip_chrome and (chrome_class and (is_block or traits.today) or tag in CHROME_TAGS or tag == "header"
                                 or role in CHROME_ROLES) and _is_chrome_element(el, traits, role):
            text = text_of(el)
            holds_headline = self._holds_headline(text)
            if not self._holds_the_content(el, text) and not _is_view_counter(text) \
                    and not _is_article_meta_box(text, ctx[3] or _follows_heading(el)) and not _is_photo_gallery(el, text, marker) \
                    and not (holds_headline and not self._is_path_to_headline(text)):
                self.flush(block, ctx)
                if tag == "nav" or tag == "header" or role in _NAVIGATION_ROLES:
                    self.crumbs.extend(_crumbs_inside(el) or ([el] if is_path_line(" ".join(text.split()), _NAV_PATH_MAX) else []))
                elif holds_headline:  # a breadcrumb ending in the headline
                    self.crumbs.extend(_crumbs_inside(el) or [el])
                elif _may_name_category(text) and _CATEGORY_LABEL.search(text):
                    self.crumbs.extend(_category_box(el))
                elif tag == "aside" and _short_label(text):
                    self.tag_boxes.append((el, len(self.lines)))
                elif marker and len(text) <= _COUNTER_REGION_MAX and "footer" in marker.lower():
                    self.crumbs.extend(_crumbs_inside(el))  # an entry's footer: a breadcrumb under the text
                if marker and len(text) <= _COUNTER_REGION_MAX and _names_the_entry(marker) \
                        and not _ends_article(marker) and find_view_count(text) is not None:
                    self.lines.extend(_view_counters_inside(el, ctx))
                if len(text) >= _BARRIER_MIN_TEXT and ((marker and _ends_article(marker)) or (
                        tag == "form" and any(w in text.lower() for w in COMMENT_FORM_WORDS))):
                    self.lines.append(Line(text="", element=el, barrier=True, ancestors=ctx[2], caption_at=ctx[4]))
                return None
        if is_block:
            if self.pieces:
                self.flush(block, ctx)
            align, heading, ancestors, in_article, caption_at = ctx
            own = None
            if style and "align" in style:
                found = _ALIGN.search(style)
                if found:
                    own = found.group(1).lower()
            elif "align" in keys and el.get("align") and tag != "table":  # <table align=center> places the table, not its text
                own = el.get("align").lower()
            elif tag == "center" or traits.centered:
                own = "center"
            elif traits.right:
                own = "right"
            if own is not None and not self._wraps_the_page(el):
                align = own
            if traits.italic:
                italic = True
            if tag[0] == "h" and len(tag) == 2 and tag[1].isdigit():
                heading = int(tag[1])
            if tag == "figcaption" or traits.caption:
                caption_at = len(ancestors)
            ctx = (align, heading, ancestors + (el,), in_article or tag == "article" or ("itemtype" in keys and _marks_article(el)),
                   caption_at)
            block = el
        elif tag == "br":
            if self.pieces:
                self.flush(block, ctx)
        elif (tag == "img" or tag == "amp-img") and not _is_icon(el):
            if self.pieces:
                self.flush(block, ctx)
            self.lines.append(Line(text="", element=el, image=el, align=ctx[0], ancestors=ctx[2], caption_at=ctx[4]))
        elif tag == "a":
            href = el.get("href")
            if href and href[0] == "#" and _is_skip_link(el, marker):
                return None
            link = link or bool(href)
        elif tag == "i" or tag == "em":
            italic = True
        elif tag == "b" or tag == "strong":
            bold = True
        if not is_block and "itemtype" in keys and not ctx[3] and _marks_article(el):  # an inline element typed as Article
            ctx = (*ctx[:3], True, ctx[4])
        if (traits.eye or "title" in keys or "aria-label" in keys) and tag != "a":
            label = _icon_label(el, traits)
            if label:
                if self.pieces and not self.pieces[-1][0][-1:].isspace():
                    label = " " + label  # a word of its own: "Chuyên mục: X" + eye + "0"
                self.pieces.append((label, link, italic, bold))
        # Each read of .text or .tail builds a new string: read once. Whitespace that would
        # start a line is dropped here rather than cleaned away at the flush.
        text = el.text
        if text and (self.pieces or not text.isspace()):
            self.pieces.append((text, link, italic, bold))
        return (el, block, ctx, link, italic, bold, is_block, iter(el) if len(el) else None)


def flatten(root: etree._Element, skip_chrome: bool = True,
            headline: str | None = None) -> tuple[list[Line], Crumbs]:
    """The page's text lines and images in reading order, and its breadcrumb/category regions
    (tag boxes count when they stand before the title: ``tag_box_crumbs``).

    ``skip_chrome=False`` walks menus and sidebars too: the fallback for templates whose article
    region carries a chrome-looking class. A region holding ``headline`` (the page's og:title) is
    never skipped: a long-form page's cover <header> holds the title, date and byline.
    """
    body = root.find("body")
    start = body if body is not None else root
    # Content after a stray </body> lands beside the body, where browsers still show it.
    after_body = [el for el in body.itersiblings() if isinstance(el.tag, str)] if body is not None else []
    flattener = _Flattener(sum(len(text_of(el)) for el in [start, *after_body]) or 1, skip_chrome, headline)
    for el in [start, *after_body]:
        flattener.walk(el)
        flattener.flush(el, (None, 0, (), False, None))
    for i, line in enumerate(flattener.lines):
        line.index = i
    return flattener.lines, Crumbs(flattener.crumbs, flattener.tag_boxes)
