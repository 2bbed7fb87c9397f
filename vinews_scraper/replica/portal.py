"""The replica portal's model: categories and articles with every rendering choice decided when
they are generated, the truth (expected items) the extractors must reproduce, the registry entry
that points vinews at the replica, and the mutations that incremental-crawl tests need."""

from __future__ import annotations

import json
import random
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from . import content
from .content import SITE_NAME, slugify

KEY = "replica"
FAMILY = "haugiang-classic"
PAGE_SIZE = 10
FIRST_DAY, LAST_DAY = date(2019, 1, 1), date(2025, 12, 31)

TITLE_DRAWS = 20  # draws for a new title before a repeated one is numbered
CHARSETS = ("utf-8", "header", "meta")  # utf-8, or windows-1258 declared in the header / in a meta tag


@dataclass(frozen=True)
class Category:
    name: str
    slug: str

    @property
    def path(self) -> str:
        return f"/tin-tuc/{self.slug}"


@dataclass
class Image:
    """An article image; ``alt`` "" renders ``alt=""`` and is null in the truth."""

    path: str
    file_name: str
    alt: str
    caption: str | None
    markup: str  # "vithuy" (file-name line, then caption), "em", "table", "figure", "plain"
    after: int  # index of the paragraph the image follows


@dataclass
class Attachment:
    path: str
    title: str
    label: str  # text before the link on its line, e.g. "Tải về: "
    kind: str  # file extension


@dataclass
class Article:
    """One article: its facts (the truth) and how its page prints them."""

    id: int
    category: Category
    title: str
    paragraphs: list[str]
    published: datetime
    date_style: str  # "vithuy", "posted" (24-hour clock), "posted12" (AM/PM or SA/CH), "liferay"
    views: int
    meridiem: tuple[str, str] = ("AM", "PM")
    views_label: str = "Số lần xem: "  # on "posted" pages; the "vithuy" line has its own wording
    modified: datetime | None = None
    charset: str = "utf-8"
    images: list[Image] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    byline: str | None = None  # the byline line as printed
    author: str | None = None
    byline_right: bool = False  # right-aligned bold instead of a plain paragraph
    source_line: str | None = None
    source: str | None = None
    br_after: int | None = None  # this paragraph and the next are printed in one <p> split by <br>

    @property
    def layout(self) -> str:
        return "liferay" if self.date_style == "liferay" else "classic"

    @property
    def path(self) -> str:
        if self.layout == "liferay":
            return f"/xem-chi-tiet-tin/-/tin-tuc/{content.liferay_slug(self.title)}{self.id}"
        return f"{self.category.path}/{slugify(self.title)}-{self.id}.html"

    @property
    def media_folder(self) -> str:
        return f"/media/{self.id}"

    def _clock(self, moment: datetime) -> str:
        if self.date_style == "posted12":
            hour = moment.hour % 12 or 12
            return f"{moment:%d/%m/%Y} {hour:02d}:{moment:%M} {self.meridiem[moment.hour >= 12]}"
        return f"{moment:%d/%m/%Y %H:%M}"

    @property
    def published_text(self) -> str:
        """The publication date as printed, without its label."""
        if self.date_style == "vithuy":
            return f"{self.published:%d/%m/%Y}"
        if self.date_style == "liferay":
            return f"{self.published:%d-%m-%Y}"
        return self._clock(self.published)

    @property
    def modified_text(self) -> str | None:
        return self._clock(self.modified) if self.modified else None

    @property
    def shows_views(self) -> bool:
        return self.layout == "classic"

    def published_iso(self) -> str:
        if self.date_style in ("vithuy", "liferay"):  # a day without a clock time
            return self.published.date().isoformat()
        return f"{self.published:%Y-%m-%dT%H:%M}:00+07:00"

    def expected_item(self, base_url: str) -> dict:
        """The item an extractor must produce for this page, following docs/field-rules.md."""
        url = base_url + self.path
        return {
            "url": url,
            "canonical_url": url,
            "site": KEY,
            "category": self.category.name,
            "title": self.title,
            "published": self.published_iso(),
            "published_raw": self.published_text,
            "modified": f"{self.modified:%Y-%m-%dT%H:%M}:00+07:00" if self.modified else None,
            "view_count": self.views if self.shows_views else None,
            "author": self.author,
            "source": self.source,
            "body": "\n\n".join(self.paragraphs),
            "images": [{"src": base_url + image.path, "alt": image.alt or None, "caption": image.caption}
                       for image in self.images],
            "attachments": [{"url": base_url + doc.path, "title": doc.title} for doc in self.attachments],
        }


def _weighted(rng: random.Random, options: dict):
    return rng.choices(list(options), weights=list(options.values()))[0]


@dataclass
class Portal:
    """A generated district portal; the server renders its current state under ``lock``."""

    seed: int
    rng: random.Random
    categories: list[Category]
    articles: list[Article] = field(default_factory=list)
    visits: int = 1_234_567
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _by_path: dict[str, Article] = field(default_factory=dict, repr=False)
    _titles: set[str] = field(default_factory=set, repr=False)
    _media: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)
    _gone: set[str] = field(default_factory=set, repr=False)
    _orders: dict = field(default_factory=dict, repr=False)  # sorted listings, until the next article

    @classmethod
    def generate(cls, seed: int = 2021, articles: int = 240) -> "Portal":
        """A portal of ``articles`` articles over 2019–2025, the same for the same seed: on distinct
        days while the years have enough days (2,557), several a day beyond that (scale benchmarks).

        A few articles are given the roles the truth must cover whatever the random draws:
        two ALL-CAPS titles, Liferay-style pages, and windows-1258 pages of both declarations.
        """
        span = (LAST_DAY - FIRST_DAY).days + 1
        if articles < 10:
            raise ValueError("articles must be at least 10")
        rng = random.Random(seed)
        portal = cls(seed, rng, [Category(name, slugify(name)) for name in content.BEATS])
        offsets = rng.sample(range(span), articles) if articles <= span else rng.choices(range(span), k=articles)
        days = sorted(FIRST_DAY + timedelta(days) for days in offsets)
        categories = [portal.categories[i % len(portal.categories)] for i in range(articles)]
        rng.shuffle(categories)
        roles = ["caps"] * 2 + ["liferay"] * max(3, articles // 40) + ["header", "header", "meta", "meta"]
        role_of = dict(zip(rng.sample(range(articles), len(roles)), roles))
        next_id = 1000
        for index, (day, category) in enumerate(zip(days, categories)):
            next_id += rng.randint(1, 40)
            portal._add(portal._new_article(next_id, category, day, role_of.get(index)))
        return portal

    def _new_article(self, article_id: int, category: Category, day: date, role: str | None) -> Article:
        rng = self.rng
        slots, title = self._fresh_title(category, day)
        style = "liferay" if role == "liferay" else _weighted(rng, {"vithuy": 60, "posted": 25, "posted12": 15})
        article = Article(
            article_id, category, title.upper() if role == "caps" else title,
            content.paragraphs(rng, slots, rng.randint(3, 8)), datetime.combine(day, datetime.min.time()), style,
            views=rng.choices((0, rng.randint(1, 999), rng.randint(1000, 30000)), weights=(8, 52, 40))[0],
            meridiem=rng.choice((("AM", "PM"), ("SA", "CH"))), views_label=rng.choice(("Số lần xem: ", "Lượt xem: ")),
            charset=role if role in CHARSETS else "utf-8",
        )
        if style.startswith("posted"):
            article.published = article.published.replace(hour=rng.randint(7, 21), minute=rng.randint(0, 59))
            if rng.random() < 0.5:
                later = article.published + timedelta(days=rng.randint(1, 20))
                article.modified = later.replace(hour=rng.randint(7, 21), minute=rng.randint(0, 59))
        self._add_images(article, slots, day)
        self._add_attachments(article, day.year)
        self._add_byline_and_source(article)
        taken = {image.after for image in article.images}
        joinable = [i for i in range(1, len(article.paragraphs) - 1) if i not in taken]
        if joinable and rng.random() < 0.25:
            article.br_after = rng.choice(joinable)
        return article

    def _fresh_title(self, category: Category, day: date) -> tuple[dict, str]:
        """Slots and a title no other article has. Titles are drawn until one is new; a large
        portal can use up a year's titles, so after ``TITLE_DRAWS`` draws the last one is
        numbered (``… (đợt 2)``), as portals number recurring events."""
        for _ in range(TITLE_DRAWS):
            slots = content.article_slots(self.rng, category.name, day)
            title = content.title(self.rng, category.name, slots)
            if title.casefold() not in self._titles:
                return slots, title
        number = 2
        while f"{title} (đợt {number})".casefold() in self._titles:
            number += 1
        return slots, f"{title} (đợt {number})"

    def _add_images(self, article: Article, slots: dict, day: date) -> None:
        rng = self.rng
        count = _weighted(rng, {0: 20, 1: 45, 2: 25, 3: 10})
        names = content.image_names(rng, day, article.title, count)
        captions = content.captions(rng, slots, count)
        spots = sorted(rng.sample(range(len(article.paragraphs) - 1), min(count, len(article.paragraphs) - 1)))
        for index, (name, caption) in enumerate(zip(names, captions)):
            if rng.random() >= 0.7:
                caption = None
            if article.layout == "liferay":
                markup = rng.choice(("em", "figure")) if caption else "plain"
            else:
                markup = rng.choice(("vithuy", "em", "table", "figure")) if caption else rng.choice(("vithuy", "plain"))
            alt = rng.choice((name, "", caption) if caption else (name, ""))
            after = spots[index] if index < len(spots) else spots[-1]
            article.images.append(Image(f"{article.media_folder}/{name}", name, alt, caption, markup, after))

    def _add_attachments(self, article: Article, year: int) -> None:
        if self.rng.random() >= 0.2:
            return
        label = self.rng.choice(content.ATTACHMENT_LABELS)
        for title, file_name, kind in content.attachments(self.rng, year, self.rng.randint(1, 2)):
            article.attachments.append(Attachment(f"{article.media_folder}/{file_name}", title, label, kind))

    def _add_byline_and_source(self, article: Article) -> None:
        rng = self.rng
        kind = _weighted(rng, {"name": 25, "name-unit": 10, "label": 30, "right": 15, "none": 20})
        name = rng.choice(content.REPORTERS)
        if kind == "name":
            article.byline = article.author = name
        elif kind == "name-unit":
            article.byline = article.author = f"{name} - {rng.choice(content.REPORTER_UNITS)}"
        elif kind == "label":
            article.author = name
            article.byline = rng.choice(content.BYLINE_LABELS) + name
        elif kind == "right":
            article.byline = article.author = rng.choice((name, name, *content.OFFICES))
            article.byline_right = True
        if rng.random() < 0.15:
            article.source = rng.choice(content.SOURCES)
            article.source_line = rng.choice(content.SOURCE_LABELS) + article.source

    def _add(self, article: Article) -> None:
        self.articles.append(article)
        self._orders.clear()
        self._by_path[article.path] = article
        self._titles.add(article.title.casefold())
        self._media.update({image.path: ("jpg", image.path) for image in article.images})
        self._media.update({doc.path: (doc.kind, doc.title) for doc in article.attachments})

    # ---- what the server looks up -------------------------------------------------------------

    def article_at(self, path: str) -> Article | None:
        return self._by_path.get(path)

    def is_taken_down(self, path: str) -> bool:
        return path in self._gone

    def category_at(self, path: str) -> Category | None:
        return next((c for c in self.categories if c.path == path), None)

    def media_at(self, path: str) -> tuple[str, str] | None:
        """(kind, text) of the media file at ``path``: ("jpg", seed) for an image, else a document."""
        return self._media.get(path)

    def _newest_first(self) -> list[Article]:
        """Every article, newest first; sorted once per set of articles, since every page's
        sidebar and listing reads it (a 20,000-article portal would sort on each request)."""
        if None not in self._orders:
            self._orders[None] = sorted(self.articles, key=lambda a: (a.published, a.id), reverse=True)
        return self._orders[None]

    def listing(self, category: Category) -> list[Article]:
        """The category's articles, newest first (a shared list: slice it, do not change it)."""
        if category not in self._orders:
            self._orders[category] = [a for a in self._newest_first() if a.category == category]
        return self._orders[category]

    def page_count(self, category: Category) -> int:
        return max(1, -(-len(self.listing(category)) // PAGE_SIZE))

    def latest(self, count: int, exclude: Article | None = None) -> list[Article]:
        return [a for a in self._newest_first()[:count + 1] if a is not exclude][:count]

    def related(self, article: Article, count: int = 4) -> list[Article]:
        """Older articles of the same category (newer ones when it has too few)."""
        listing = self.listing(article.category)
        at = self._positions(article.category)[article.id]
        return (listing[at + 1:] + listing[:at][::-1])[:count]

    def _positions(self, category: Category) -> dict[int, int]:
        """Article id → index in the category's listing (``list.index`` compares whole articles)."""
        key = ("positions", category)
        if key not in self._orders:
            self._orders[key] = {a.id: at for at, a in enumerate(self.listing(category))}
        return self._orders[key]

    def record_visit(self) -> None:
        self.visits += 1

    # ---- mutations ------------------------------------------------------------------------------

    def publish(self, count: int) -> list[Article]:
        """Add ``count`` articles newer than every existing one, each on its own later day."""
        with self.lock:
            newest = max(self.articles, key=lambda a: a.published)
            day, next_id = newest.published.date(), max(a.id for a in self.articles)
            added = []
            for _ in range(count):
                day += timedelta(days=self.rng.randint(1, 3))
                next_id += self.rng.randint(1, 40)
                article = self._new_article(next_id, self.rng.choice(self.categories), day, None)
                self._add(article)
                added.append(article)
            return added

    def take_down(self, article: Article) -> None:
        """Make ``article``'s page answer 410 Gone (the listings still link it)."""
        with self.lock:
            self._gone.add(article.path)

    def bump_views(self, delta: int) -> None:
        """Raise every article's view count by ``delta``."""
        with self.lock:
            for article in self.articles:
                article.views += delta

    # ---- truth and registry ---------------------------------------------------------------------

    def expected_items(self, base_url: str) -> list[dict]:
        """One expected item per article, for a server at ``base_url``."""
        base_url = base_url.rstrip("/")
        with self.lock:
            return [article.expected_item(base_url) for article in self.articles]

    def registry_entry(self, base_url: str) -> dict:
        """The ``[sites.replica]`` entry that registers this portal served at ``base_url``."""
        base_url = base_url.rstrip("/")
        return {
            "key": KEY,
            "name": SITE_NAME,
            "hosts": [base_url.split("://", 1)[1]],
            "listing_urls": [base_url + category.path for category in self.categories],
            "family": FAMILY,
        }

    def registry_toml(self, base_url: str) -> str:
        """``registry_entry`` as a TOML table for sites.toml (JSON strings are valid TOML strings)."""
        entry = self.registry_entry(base_url)
        lines = [f"[sites.{entry.pop('key')}]"]
        lines += [f"{name} = {json.dumps(value, ensure_ascii=False)}" for name, value in entry.items()]
        return "\n".join(lines) + "\n"
