"""WARC files: capture what a crawl downloads (``middleware``, writing through ``writer_process`` with
``capture``) and read WARCs back into items (``replay``)."""
