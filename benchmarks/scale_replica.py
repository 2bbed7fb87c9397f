"""Serve a replica portal for ``scale_crawl.py`` in its own process and say how much it served.

    .venv/bin/python benchmarks/scale_replica.py --articles 20000 [--seed 2021]

Prints one JSON line (base URL, registry TOML, listing URLs, seconds spent generating the portal),
then ``served ARTICLES REQUESTS`` whenever the counts change (checked every 0.05 s): the article
pages and all requests served so far. The crawler being measured is another process, so its
memory is its own and the counts come from the server, the same way for every crawler.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from urllib.parse import unquote, urlsplit

from vinews_scraper.replica import Portal, ReplicaServer

POLL_SECONDS = 0.05


def is_article_request(portal: Portal, target: str) -> bool:
    return portal.article_at(unquote(urlsplit(target).path)) is not None


def report_counts(server: ReplicaServer, stop: threading.Event) -> None:
    """Print ``served ARTICLES REQUESTS`` each time either count grows, until ``stop``."""
    seen = articles = 0
    while not stop.wait(POLL_SECONDS):
        requests = server.requests[seen:]
        if not requests:
            continue
        articles += sum(is_article_request(server.portal, target) for target in requests)
        seen += len(requests)
        print(f"served {articles} {seen}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    portal = Portal.generate(seed=args.seed, articles=args.articles)
    generated = time.perf_counter() - started
    stop = threading.Event()
    with ReplicaServer(portal) as server:
        print(json.dumps({"base_url": server.base_url, "registry": portal.registry_toml(server.base_url),
                          "listing_urls": portal.registry_entry(server.base_url)["listing_urls"],
                          "generate_seconds": round(generated, 2)}), flush=True)
        try:
            report_counts(server, stop)
        except KeyboardInterrupt:
            stop.set()


if __name__ == "__main__":
    sys.exit(main())
