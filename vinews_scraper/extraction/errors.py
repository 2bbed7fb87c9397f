"""Errors of extraction."""


class ExtractionError(ValueError):
    """The input is not a page that can be read (empty, not HTML, no title)."""
