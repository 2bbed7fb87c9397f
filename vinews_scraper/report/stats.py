"""The figures of the report, gathered in one pass over the stored articles (memory stays flat:
counters per portal and month, a fixed number of top articles)."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

TOP_ARTICLES = 10
VIEW_BINS = ("0", "1–9", "10–99", "100–999", "1 000–9 999", "10 000–99 999", "≥ 100 000")

# field label → whether an article has it
COVERAGE: dict[str, Callable[[Mapping], bool]] = {
    "category": lambda a: a["category"] is not None,
    "published": lambda a: a["published"] is not None,
    "clock time": lambda a: a["published"] is not None and "T" in a["published"],
    "modified": lambda a: a["modified"] is not None,
    "view count": lambda a: a["view_count"] is not None,
    "author": lambda a: a["author"] is not None,
    "source": lambda a: a["source"] is not None,
    "images": lambda a: bool(a["images"]),
    "captions": lambda a: any(i["caption"] for i in a["images"]),
    "attachments": lambda a: bool(a["attachments"]),
}


@dataclass(frozen=True)
class TopArticle:
    views: int
    title: str
    url: str
    site: str
    published: str | None


@dataclass
class PortalStats:
    """One portal's article count per month (``YYYY-MM``) and how many articles have each field."""

    site: str
    articles: int = 0
    undated: int = 0
    months: Counter = field(default_factory=Counter)
    filled: Counter = field(default_factory=Counter)

    def coverage(self, label: str) -> float:
        return self.filled[label] / self.articles if self.articles else 0.0


@dataclass
class ReportStats:
    portals: dict[str, PortalStats] = field(default_factory=dict)
    view_bins: Counter = field(default_factory=Counter)
    top: list[TopArticle] = field(default_factory=list)

    @property
    def articles(self) -> int:
        return sum(p.articles for p in self.portals.values())

    def month_span(self) -> list[str]:
        """Every month from the earliest to the latest month with an article, in order."""
        months = [m for p in self.portals.values() for m in p.months]
        return month_range(min(months), max(months)) if months else []


def month_range(first: str, last: str) -> list[str]:
    """``YYYY-MM`` months from ``first`` to ``last`` inclusive."""
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def gap_months(months: Counter) -> list[str]:
    """Months with no article between a portal's first and last month with one."""
    if not months:
        return []
    return [m for m in month_range(min(months), max(months)) if not months[m]]


def view_bin(views: int) -> str:
    """The histogram bin of a view count (decades)."""
    return VIEW_BINS[min(len(str(views)), len(VIEW_BINS) - 1)] if views else VIEW_BINS[0]


def gather(articles: Iterable[Mapping]) -> ReportStats:
    """The report's figures for a stream of stored articles."""
    stats = ReportStats()
    heap: list[tuple[int, str, TopArticle]] = []
    for article in articles:
        portal = stats.portals.setdefault(article["site"], PortalStats(article["site"]))
        portal.articles += 1
        if article["published"]:
            portal.months[article["published"][:7]] += 1
        else:
            portal.undated += 1
        portal.filled.update(label for label, has in COVERAGE.items() if has(article))
        views = article["view_count"]
        if views is not None:
            stats.view_bins[view_bin(views)] += 1
            top = TopArticle(views, article["title"], article["url"], article["site"], article["published"])
            entry = (views, article["url"], top)
            if len(heap) < TOP_ARTICLES:
                heapq.heappush(heap, entry)
            elif entry[:2] > heap[0][:2]:
                heapq.heapreplace(heap, entry)
    stats.top = [entry[2] for entry in sorted(heap, key=lambda e: (-e[0], e[1]))]
    stats.portals = dict(sorted(stats.portals.items()))
    return stats
