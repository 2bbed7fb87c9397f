"""``python -m vinews_scraper.replica [--port N] [--articles N] [--seed N] [--faults [--fault-seed N]]``:
serve a replica portal in the foreground until interrupted."""

from __future__ import annotations

import argparse
import threading

from .faults import FaultPlan
from .portal import Portal
from .server import ReplicaServer


def plan_lines(plan: FaultPlan, base_url: str) -> list[str]:
    """The fault plan as printed: one ``<mode> <url>`` line per page, and the disallowed section."""
    lines = [f"{mode} {base_url}{path}" for path, mode in plan.modes.items()]
    return [*lines, f"robots {base_url}{plan.robots_section}"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m vinews_scraper.replica", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--articles", type=int, default=240, help="number of articles (default: 240)")
    parser.add_argument("--seed", type=int, default=2021, help="generator seed (default: 2021)")
    parser.add_argument("--registry", action="store_true", help="also print the [sites.replica] TOML entry")
    parser.add_argument("--faults", action="store_true",
                        help="inject faults (docs/faults.md) and print which page has which")
    parser.add_argument("--fault-seed", type=int, default=7, help="seed of the fault plan (default: 7)")
    args = parser.parse_args(argv)
    portal = Portal.generate(seed=args.seed, articles=args.articles)
    plan = FaultPlan.draw(portal, seed=args.fault_seed) if args.faults else None
    with ReplicaServer(portal, port=args.port, faults=plan) as server:
        print(server.base_url, flush=True)
        if args.registry:
            print(portal.registry_toml(server.base_url), flush=True)
        if plan:
            print("\n".join(plan_lines(plan, server.base_url)), flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
