"""``python -m vinews_scraper.replica [--port N] [--articles N] [--seed N]``: serve a replica portal
in the foreground until interrupted."""

from __future__ import annotations

import argparse
import threading

from .portal import Portal
from .server import ReplicaServer


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m vinews_scraper.replica", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--articles", type=int, default=240, help="number of articles (default: 240)")
    parser.add_argument("--seed", type=int, default=2021, help="generator seed (default: 2021)")
    parser.add_argument("--registry", action="store_true", help="also print the [sites.replica] TOML entry")
    args = parser.parse_args(argv)
    portal = Portal.generate(seed=args.seed, articles=args.articles)
    with ReplicaServer(portal, port=args.port) as server:
        print(server.base_url, flush=True)
        if args.registry:
            print(portal.registry_toml(server.base_url), flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
