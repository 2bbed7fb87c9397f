"""The report's charts as inline SVG strings (no script, no external resource)."""

from __future__ import annotations

from collections import Counter
from html import escape

from vinews_scraper.report.stats import (
    COVERAGE,
    VIEW_BINS,
    PortalStats,
    TopArticle,
    gap_months,
)

BAR = "#2b6cb0"
GAP = "#c53030"
AXIS = "#4a5568"


def _svg(width: int, height: int, label: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
            + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 11) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{AXIS}">{escape(text)}</text>')


def monthly_bars(portal: PortalStats, months: list[str], peak: int) -> str:
    """One portal's articles per month over the shared ``months`` axis; a red mark under each
    month with no article between the portal's first and last."""
    step = max(3, min(14, 960 // max(len(months), 1)))
    left, top, plot = 36, 8, 80
    width, height = left + step * len(months) + 8, top + plot + 30
    body = [f'<line x1="{left}" y1="{top + plot}" x2="{width - 8}" y2="{top + plot}" stroke="{AXIS}"/>',
            _text(left - 4, top + 8, str(peak), "end"), _text(left - 4, top + plot, "0", "end")]
    gaps = set(gap_months(portal.months))
    for index, month in enumerate(months):
        x = left + index * step
        count = portal.months.get(month, 0)
        if count:
            h = max(1.0, plot * count / peak)
            body.append(f'<rect class="bar" data-month="{month}" data-count="{count}" x="{x + 0.5:.1f}" '
                        f'y="{top + plot - h:.1f}" width="{step - 1}" height="{h:.1f}" fill="{BAR}">'
                        f"<title>{escape(portal.site)} {month}: {count}</title></rect>")
        elif month in gaps:
            body.append(f'<rect class="gap" data-month="{month}" x="{x + 0.5:.1f}" y="{top + plot + 2}" '
                        f'width="{step - 1}" height="6" fill="{GAP}">'
                        f"<title>{escape(portal.site)} {month}: no article</title></rect>")
        if month.endswith("-01") or index == 0:
            body.append(_text(x, top + plot + 22, month[:4]))
    return _svg(width, height, f"articles per month, {portal.site}", body)


def view_histogram(bins: Counter) -> str:
    """Articles per view-count decade."""
    peak = max(bins.values(), default=0) or 1
    left, top, plot, step = 10, 20, 160, 96
    width, height = left + step * len(VIEW_BINS) + 10, top + plot + 30
    body = [f'<line x1="{left}" y1="{top + plot}" x2="{width - 10}" y2="{top + plot}" stroke="{AXIS}"/>']
    for index, label in enumerate(VIEW_BINS):
        count = bins.get(label, 0)
        h = plot * count / peak
        x = left + index * step
        body.append(f'<rect class="bin" data-bin="{escape(label)}" data-count="{count}" x="{x + 8}" '
                    f'y="{top + plot - h:.1f}" width="{step - 16}" height="{h:.1f}" fill="{BAR}">'
                    f"<title>{escape(label)} views: {count} articles</title></rect>")
        body.append(_text(x + step / 2, top + plot - h - 4, str(count), "middle"))
        body.append(_text(x + step / 2, top + plot + 16, label, "middle"))
    return _svg(width, height, "articles per view count", body)


def top_articles(top: list[TopArticle]) -> str:
    """The most viewed articles as horizontal bars."""
    peak = max((t.views for t in top), default=0) or 1
    label_width, bar_width, row = 430, 300, 22
    width, height = label_width + bar_width + 80, row * len(top) + 10
    body = []
    for index, article in enumerate(top):
        y = 5 + index * row
        w = max(1.0, bar_width * article.views / peak)
        title = article.title if len(article.title) <= 64 else article.title[:63] + "…"
        body.append(_text(label_width - 6, y + 14, title, "end"))
        body.append(f'<rect class="top-bar" data-views="{article.views}" x="{label_width}" y="{y + 3}" '
                    f'width="{w:.1f}" height="{row - 6}" fill="{BAR}">'
                    f"<title>{escape(article.title)} ({escape(article.site)}): {article.views}</title></rect>")
        body.append(_text(label_width + w + 6, y + 14, f"{article.views:,}".replace(",", " ")))
    return _svg(width, height, "most viewed articles", body)


def _shade(ratio: float) -> str:
    """From pale (0 %) to deep blue (100 %)."""
    low, high = (247, 251, 255), (8, 81, 156)
    return "#" + "".join(f"{round(a + (b - a) * ratio):02x}" for a, b in zip(low, high))


def coverage_heatmap(portals: list[PortalStats]) -> str:
    """Share of each portal's articles that have each field."""
    labels = list(COVERAGE)
    left, top, cell_w, cell_h = 130, 60, 70, 26
    width, height = left + cell_w * len(labels) + 10, top + cell_h * len(portals) + 10
    body = [_text(left + i * cell_w + cell_w / 2, top - 8, label, "middle") for i, label in enumerate(labels)]
    for row, portal in enumerate(portals):
        y = top + row * cell_h
        body.append(_text(left - 8, y + cell_h / 2 + 4, portal.site, "end"))
        for col, label in enumerate(labels):
            ratio = portal.coverage(label)
            x = left + col * cell_w
            ink = "#ffffff" if ratio > 0.55 else "#1a202c"
            body.append(f'<rect class="cell" data-site="{escape(portal.site)}" data-field="{label}" '
                        f'data-ratio="{ratio:.4f}" x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" '
                        f'height="{cell_h - 2}" fill="{_shade(ratio)}"><title>{escape(portal.site)}, '
                        f"{label}: {ratio:.0%}</title></rect>")
            body.append(f'<text x="{x + cell_w / 2:.1f}" y="{y + cell_h / 2 + 4:.1f}" font-size="11" '
                        f'text-anchor="middle" fill="{ink}">{ratio:.0%}</text>')
    return _svg(width, height, "field coverage per portal", body)
