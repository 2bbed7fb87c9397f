"""WARC files: capture what a crawl downloads (``capture``) and read WARCs back into items (``replay``)."""

from .capture import RollingWarcWriter, WarcCaptureMiddleware, capture_of

__all__ = ["RollingWarcWriter", "WarcCaptureMiddleware", "capture_of"]
