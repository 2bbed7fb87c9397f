"""Pure extraction: (HTML bytes, URL) → item dict, for live responses, saved files and WARC records."""

from pathlib import Path

from ..compiled import prefer_fresh_sources

prefer_fresh_sources(__name__, Path(__file__).parent)

from .article import extract_article  # noqa: E402  (after the choice of compiled or source modules)
from .errors import ExtractionError  # noqa: E402

__all__ = ["ExtractionError", "extract_article"]
