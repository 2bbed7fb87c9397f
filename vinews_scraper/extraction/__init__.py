"""Pure extraction: (HTML bytes, URL) → item dict, for live responses, saved files and WARC records."""

from .article import ExtractionError, extract_article

__all__ = ["ExtractionError", "extract_article"]
