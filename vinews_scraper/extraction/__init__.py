"""Pure extraction: (HTML bytes, URL) → item dict, for live responses, saved files and WARC records."""

from .article import extract_article
from .errors import ExtractionError

__all__ = ["ExtractionError", "extract_article"]
