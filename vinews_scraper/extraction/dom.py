"""Parse a page and flatten it into text lines, the way a reader sees it.

Each line remembers the element it came from and the few facts the field rules need (in a link,
italic, bold, alignment, heading level, inside site chrome). Every later step works on this one
list, so the rules anchor on the page's text and structure rather than on one CMS's classes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree, html

from .cues import CHROME_CLASS, CHROME_TAGS
from .text import clean_text

BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr html legend li main nav ol p pre section summary "
    "table tbody td tfoot th thead tr ul".split()
)
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed",
              "select", "option", "button", "textarea", "input", "map", "link", "meta")
_ALIGN = re.compile(r"text-align\s*:\s*(center|right|justify|left)", re.I)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

_parser = html.HTMLParser(remove_comments=True, remove_pis=True, default_doctype=False)


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
    chrome: bool = False
    image: etree._Element | None = None
    index: int = 0
    ancestors: tuple = field(default=(), repr=False)

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


def parse_html(text: str) -> etree._Element:
    """Parse page text into an lxml tree (metadata still in place: see ``remove_noise``)."""
    text = text.lstrip("\ufeff")
    if text.startswith("<?xml"):
        text = text[text.find("?>") + 2:]
    if not text.strip():
        raise ValueError("empty page")
    return html.document_fromstring(text, parser=_parser)


def remove_noise(root: etree._Element) -> None:
    """Drop scripts, styles, form controls and hidden elements: nothing a reader sees."""
    etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
    for el in root.xpath("//*[@hidden or contains(@style,'none') or contains(@style,'hidden')]"):
        if el.get("hidden") is not None or _HIDDEN.search(el.get("style", "")):
            el.drop_tree()


def _is_chrome_element(el: etree._Element) -> bool:
    if el.tag in CHROME_TAGS:
        return True
    if el.tag == "header" and el.getparent() is not None and el.getparent().tag == "body":
        return True
    marker = (el.get("class") or "") + " " + (el.get("id") or "")
    return bool(marker.strip()) and bool(CHROME_CLASS.search(marker))


class _Flattener:
    """Walks the tree once, collecting Lines."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.pieces: list[tuple[str, bool, bool, bool]] = []
        self.chrome_cache: dict[etree._Element, bool] = {}

    def flush(self, block, ctx) -> None:
        if not self.pieces:
            return
        raw = "".join(p[0] for p in self.pieces)
        text = clean_text(raw)
        if text:
            visible = [p for p in self.pieces if p[0].strip()]
            link_chars = sum(len(clean_text(p[0])) for p in visible if p[1])
            self.lines.append(Line(
                text=text, element=block, link_chars=min(link_chars, len(text)),
                italic=all(p[2] for p in visible), bold=all(p[3] for p in visible),
                align=ctx[0], heading=ctx[1], chrome=ctx[2], ancestors=ctx[3],
            ))
        self.pieces = []

    def walk(self, el, block, ctx, link, italic, bold) -> None:
        tag = el.tag
        if not isinstance(tag, str):
            return
        if tag in BLOCK_TAGS:
            self.flush(block, ctx)
            align, heading, chrome, ancestors = ctx
            style_align = _ALIGN.search(el.get("style", "")) if el.get("style") else None
            align = (style_align.group(1).lower() if style_align
                     else (el.get("align") or "").lower() or ("center" if tag == "center" else align))
            if tag[0] == "h" and len(tag) == 2 and tag[1].isdigit():
                heading = int(tag[1])
            chrome = chrome or _is_chrome_element(el)
            ctx = (align, heading, chrome, ancestors + (el,))
            block = el
        elif tag == "br":
            self.flush(block, ctx)
        elif tag == "img":
            self.flush(block, ctx)
            self.lines.append(Line(text="", element=el, image=el, align=ctx[0], chrome=ctx[2],
                                   ancestors=ctx[3]))
        elif tag == "a" and el.get("href"):
            link = True
        elif tag in ("i", "em"):
            italic = True
        elif tag in ("b", "strong"):
            bold = True
        if el.text:
            self.pieces.append((el.text, link, italic, bold))
        for child in el:
            self.walk(child, block, ctx, link, italic, bold)
            if child.tail:
                self.pieces.append((child.tail, link, italic, bold))
        if tag in BLOCK_TAGS:
            self.flush(block, ctx)
            if tag in ("td", "th", "li", "dt", "dd"):
                self.pieces = []


def flatten(root: etree._Element) -> list[Line]:
    """The page's text lines and images in reading order."""
    body = root.find("body")
    start = body if body is not None else root
    flattener = _Flattener()
    flattener.walk(start, start, (None, 0, False, ()), False, False, False)
    flattener.flush(start, (None, 0, False, ()))
    for i, line in enumerate(flattener.lines):
        line.index = i
    return flattener.lines
