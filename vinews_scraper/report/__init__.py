"""``vinews report``: a static HTML page of charts built from the store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

from vinews_scraper.atomic import write_text_atomically
from vinews_scraper.report.page import render
from vinews_scraper.report.stats import ReportStats, gather
from vinews_scraper.storage import Store
from vinews_scraper.timestamps import utc_text


def write_report(store: Store, target: str | Path, *, sites: Sequence[str] = ()) -> ReportStats:
    """Write the report of ``store`` (of ``sites`` only, when given) to ``target``, whole or not at all."""
    stats = gather(store.stream_articles(sites=tuple(sites)))
    page = render(stats, source=store.description, version=version("vinews"),
                  generated_at=utc_text(datetime.now(timezone.utc).replace(microsecond=0)))
    write_text_atomically(Path(target), page)
    return stats
