"""Extraction in worker processes (vinews_scraper/extraction_pool.py): the same items as in the
crawl process, a worker that dies costs no page, and no worker outlives its crawl."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from saved_pages import load_case, seed

from vinews_scraper.extraction import ExtractionError, extract_article
from vinews_scraper.extraction_pool import ExtractionPool

SEED_CASE = next(Path(__file__).parent.glob("heldout20/*/vithuy-seed*.json"))


def worker_pid() -> int:
    return os.getpid()


def die_once(marker: str) -> str:
    """Kill the worker running it the first time (as the OOM killer would), answer the second."""
    if not os.path.exists(marker):
        Path(marker).touch()
        os.kill(os.getpid(), signal.SIGKILL)
    return "read on the second try"


def always_die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def run(pool: ExtractionPool, function, *args, **kwargs):
    async def main():
        try:
            return await pool.run(function, *args, **kwargs)
        finally:
            pool.close()
    return asyncio.run(main())


def test_a_worker_reads_the_seed_exactly_as_the_crawl_process_does():
    url, expected, html, _ = load_case(SEED_CASE)
    in_worker = run(ExtractionPool(1), extract_article, html, url)
    assert in_worker == extract_article(html, url)
    assert (in_worker["title"], in_worker["view_count"], in_worker["author"]) == \
        (seed()["title"], 679, "Năng Nguyễn")


def test_pages_are_read_in_another_process_unless_there_are_no_workers():
    assert run(ExtractionPool(1), worker_pid) != os.getpid()
    assert run(ExtractionPool(0), worker_pid) == os.getpid()


def test_a_worker_killed_mid_page_is_replaced_and_the_page_read_again(tmp_path):
    assert run(ExtractionPool(1), die_once, str(tmp_path / "died")) == "read on the second try"


def test_a_pool_used_again_after_closing_still_replaces_a_dead_worker(tmp_path):
    pool = ExtractionPool(1)

    async def main():
        await pool.run(worker_pid)
        pool.close()
        try:
            return await asyncio.wait_for(pool.run(die_once, str(tmp_path / "died")), timeout=60)
        finally:
            pool.close()

    assert asyncio.run(main()) == "read on the second try"


def test_a_page_that_kills_every_worker_is_an_extraction_error_not_a_lost_page():
    with pytest.raises(ExtractionError, match="extraction process died 2 times"):
        run(ExtractionPool(1), always_die)


def test_workers_ignore_ctrl_c_and_end_with_a_killed_crawl():
    """Ctrl-C reaches the crawl's whole process group: the crawl stops gracefully (here, as
    Scrapy does, by noting it) and its worker goes on reading; SIGKILL of the crawl ends the worker."""
    script = textwrap.dedent(f"""
        import asyncio, signal, sys, time
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_extraction_pool import worker_pid
        from vinews_scraper.extraction_pool import ExtractionPool
        stops = []
        signal.signal(signal.SIGINT, lambda *_: stops.append("SIGINT"))
        pool = ExtractionPool(1)
        async def main():
            print(await pool.run(worker_pid), flush=True)
            sys.stdin.readline()  # the test has pressed Ctrl-C
            print(await pool.run(worker_pid), *stops, flush=True)
            time.sleep(60)
        asyncio.run(main())
    """)
    crawl = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True, start_new_session=True)
    try:
        worker = int(crawl.stdout.readline())
        os.killpg(crawl.pid, signal.SIGINT)
        time.sleep(0.5)
        crawl.stdin.write("\n")
        crawl.stdin.flush()
        assert crawl.stdout.readline().split() == [str(worker), "SIGINT"], "the worker died of Ctrl-C"
    finally:
        crawl.kill()
        crawl.wait()
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(worker), "the worker outlived its killed crawl"


def _alive(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie waiting for its adopter counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"
