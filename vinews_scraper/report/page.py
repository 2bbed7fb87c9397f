"""The report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched."""

from __future__ import annotations

from html import escape

from vinews_scraper.report import charts
from vinews_scraper.report.stats import ReportStats, gap_months

_STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; color: #1a202c; margin: 24px auto; max-width: 1100px; padding: 0 16px; }
h1 { font-size: 24px; margin-bottom: 4px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #e2e8f0; }
h3 { font-size: 14px; margin: 14px 0 2px; } .meta { color: #4a5568; }
table { border-collapse: collapse; margin: 8px 0; } td, th { border: 1px solid #e2e8f0; padding: 3px 8px; text-align: left; }
td.n { text-align: right; } figure { margin: 4px 0 12px; overflow-x: auto; }
"""


def month_ranges(months: list[str]) -> list[str]:
    """Consecutive months folded into ``first – last`` ranges."""
    ranges: list[list[str]] = []
    for month in months:
        year, number = int(month[:4]), int(month[5:7])
        previous = f"{year - (number == 1):04d}-{12 if number == 1 else number - 1:02d}"
        if ranges and ranges[-1][-1] == previous:
            ranges[-1].append(month)
        else:
            ranges.append([month])
    return [r[0] if len(r) == 1 else f"{r[0]} – {r[-1]}" for r in ranges]


def _summary(stats: ReportStats) -> str:
    rows = "".join(
        f"<tr><td>{escape(p.site)}</td><td class=n>{p.articles}</td><td class=n>{p.undated}</td>"
        f"<td>{min(p.months, default='')}</td><td>{max(p.months, default='')}</td></tr>"
        for p in stats.portals.values())
    return ("<table><tr><th>portal</th><th>articles</th><th>undated</th><th>first month</th>"
            f"<th>last month</th></tr>{rows}</table>")


def _monthly(stats: ReportStats) -> str:
    months = stats.month_span()
    peak = max((c for p in stats.portals.values() for c in p.months.values()), default=1)
    return "".join(f"<h3>{escape(p.site)}</h3><figure>{charts.monthly_bars(p, months, peak)}</figure>"
                   for p in stats.portals.values())


def _top_table(stats: ReportStats) -> str:
    rows = "".join(
        f'<tr><td class=n>{t.views}</td><td><a href="{escape(t.url)}">{escape(t.title)}</a></td>'
        f"<td>{escape(t.site)}</td><td>{escape((t.published or '')[:10])}</td></tr>" for t in stats.top)
    return f"<table><tr><th>views</th><th>title</th><th>portal</th><th>published</th></tr>{rows}</table>"


def _gaps(stats: ReportStats) -> str:
    rows = []
    for portal in stats.portals.values():
        gaps = gap_months(portal.months)
        rows.append(f"<tr><td>{escape(portal.site)}</td><td class=n>{len(gaps)}</td>"
                    f"<td>{', '.join(month_ranges(gaps)) or '—'}</td></tr>")
    return ("<p>Months with no article between a portal's first and last article (red marks under "
            "the monthly charts): pages the crawl missed, or months the portal published nothing.</p>"
            f"<table><tr><th>portal</th><th>empty months</th><th>which</th></tr>{''.join(rows)}</table>")


def render(stats: ReportStats, *, source: str, generated_at: str, version: str) -> str:
    """The report page for ``stats``."""
    portals = list(stats.portals.values())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>vinews report</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style></head>
<body>
<h1>vinews archive report</h1>
<p class="meta">{stats.articles} articles from {len(portals)} portal(s) in {escape(source)};
generated {escape(generated_at)} by vinews {escape(version)}.</p>
{_summary(stats)}
<h2 id="per-month">Articles per month</h2>
{_monthly(stats)}
<h2 id="views">View counts</h2>
<figure>{charts.view_histogram(stats.view_bins)}</figure>
<h3>Most viewed articles</h3>
<figure>{charts.top_articles(stats.top)}</figure>
{_top_table(stats)}
<h2 id="coverage">Field coverage per portal</h2>
<p>Share of each portal's articles that have the field.</p>
<figure>{charts.coverage_heatmap(portals)}</figure>
<h2 id="gaps">Archive gaps</h2>
{_gaps(stats)}
</body></html>
"""
