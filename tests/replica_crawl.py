"""A replica portal on 127.0.0.1 crawled by the real ``vinews crawl`` (in a subprocess: Scrapy's
reactor runs once per process), for the export, report and guide tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from vinews_scraper.replica.faults import FaultPlan
from vinews_scraper.replica.portal import Portal
from vinews_scraper.replica.server import ReplicaServer

FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False",
        "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "--log-level", "WARNING"]


def vinews(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run ``vinews`` with this Python, without a store URL from the environment."""
    env = {k: v for k, v in os.environ.items() if k != "VINEWS_DATABASE_URL"}
    return subprocess.run([sys.executable, "-m", "vinews_scraper.cli", *args], cwd=cwd, env=env,
                          check=False, capture_output=True, text=True, timeout=600)


class CrawledReplica:
    """A served replica portal, with faults when given a ``fault_seed``, and the SQLite store its
    crawls fill."""

    def __init__(self, directory: Path, database: Path, articles: int = 120, fault_seed: int | None = None) -> None:
        self.directory = directory
        self.portal = Portal.generate(articles=articles)
        self.faults = None if fault_seed is None else FaultPlan.draw(self.portal, fault_seed)
        self.server = ReplicaServer(self.portal, faults=self.faults)
        self.base_url = self.server.start()
        self.registry = directory / "replica-sites.toml"
        self.registry.write_text(self.portal.registry_toml(self.base_url), encoding="utf-8")
        self.store_uri = f"sqlite:///{database}"

    def crawl(self, *extra: str) -> None:
        result = vinews("crawl", "replica", "--registry", str(self.registry), "--store", self.store_uri,
                        "--output", str(self.directory / "crawl-exports"), *FAST, *extra,
                        cwd=self.directory)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]

    def stop(self) -> None:
        self.server.stop()
