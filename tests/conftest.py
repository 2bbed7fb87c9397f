"""Shared fixtures: a real PostgreSQL server for the test session, a clean database per test, and
a real Redis server for the shared-frontier tests."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from pipelines.normalize import normalize_item
from vinews_scraper.storage import Store, open_store

POSTGRES_SYSTEM_USER = "postgres"


def _postgres_bin_dir() -> Path:
    """The directory holding ``initdb`` and ``pg_ctl``: PATH first, then the newest Debian install."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).parent
    installs = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0,
    )
    if installs:
        return Path(installs[-1]).parent
    pytest.fail(
        "PostgreSQL server binaries (initdb, pg_ctl) were found neither on PATH nor under "
        "/usr/lib/postgresql/*/bin; install the PostgreSQL server (e.g. apt-get install postgresql) "
        "to run the storage tests",
        pytrace=False,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """A URI of a fresh database on a PostgreSQL server started for this test session.

    As root the server runs as the ``postgres`` system user (PostgreSQL refuses to run as root).
    It listens on 127.0.0.1 only, on a free port, with its socket inside its own temp dir.
    """
    bin_dir = _postgres_bin_dir()
    as_root = os.geteuid() == 0
    run_as: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="vinews-pg-"))
    if as_root:
        try:
            account = pwd.getpwnam(POSTGRES_SYSTEM_USER)
        except KeyError:
            shutil.rmtree(root)
            pytest.fail(f"running as root but there is no {POSTGRES_SYSTEM_USER!r} user", pytrace=False)
        os.chown(root, account.pw_uid, account.pw_gid)
        run_as = ["runuser", "-u", POSTGRES_SYSTEM_USER, "--"]
    data_dir, log_file = root / "data", root / "server.log"
    port = _free_port()

    def run(*command: str) -> None:
        result = subprocess.run([*run_as, *command], capture_output=True, text=True)
        if result.returncode != 0:
            log = log_file.read_text(errors="replace") if log_file.exists() else ""
            pytest.fail(
                f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}{result.stderr}{log}",
                pytrace=False,
            )

    server_started = False
    try:
        initdb_options = ("-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        run(str(bin_dir / "initdb"), "-D", str(data_dir), *initdb_options)
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off"
        run(str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-l", str(log_file), "-o", options, "-w", "start")
        server_started = True
        server = f"postgresql://postgres@127.0.0.1:{port}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute("CREATE DATABASE vinews_test")
        yield f"{server}/vinews_test"
    finally:
        if server_started:
            run(str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-m", "fast", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_database_uri(postgres_dsn: str) -> Iterator[str]:
    """A URI of an empty database of its own for one test, dropped afterwards."""
    name = f"vinews_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield urlsplit(postgres_dsn)._replace(path=f"/{name}").geturl()
    with psycopg.connect(postgres_dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


REDIS_PASSWORD = "frontier-secret"  # the tests check that it never reaches a log


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """The URL (with a password) of a Redis server started for this test session.

    It listens on 127.0.0.1 only, on a free port, keeps nothing on disk, and is stopped at the end.
    """
    server_bin = shutil.which("redis-server")
    if server_bin is None:
        pytest.fail("redis-server is not on PATH; install it (e.g. apt-get install redis-server) to run "
                    "the shared-frontier tests", pytrace=False)
    root = Path(tempfile.mkdtemp(prefix="vinews-redis-"))
    port = _free_port()
    log_file = root / "server.log"
    server = subprocess.Popen(
        [server_bin, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(root), "--save", "",
         "--appendonly", "no", "--daemonize", "no", "--requirepass", REDIS_PASSWORD,
         "--logfile", str(log_file)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log = log_file.read_text(errors="replace") if log_file.exists() else ""
                    pytest.fail(f"redis-server did not start (exit {server.poll()}):\n{log}", pytrace=False)
                time.sleep(0.05)
        yield f"redis://:{REDIS_PASSWORD}@127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_uri(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URI of an empty store, once for each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'vinews.sqlite3'}"
    return request.getfixturevalue("postgres_database_uri")


@pytest.fixture
def store(store_uri: str) -> Iterator[Store]:
    """An empty open store, once for each backend."""
    with open_store(store_uri) as opened:
        yield opened


def _article(**fields) -> dict:
    """A valid, normalized article of the Vị Thủy portal; ``fields`` override its values."""
    portal = "https://vithuy.haugiang.gov.vn"
    paragraphs = [
        "Sáng ngày 22/01, UBND huyện Vị Thủy tổ chức hội nghị.",
        "Dự hội nghị có lãnh đạo huyện.",
    ]
    base = {
        "url": f"{portal}/tin-tuc/hoi-nghi-tong-ket-nam-2023-1234.html",
        "site": "vithuy",
        "parser": "haugiang-classic",
        "category": "Tin Tức huyện Vị Thủy",
        "title": "Hội nghị tổng kết công tác năm 2023",
        "published": "2024-01-22",
        "published_raw": "22/01/2024",
        "view_count": 125,
        "author": "Ngọc Hân",
        "body": "\n\n".join(paragraphs),
        "body_html": "".join(f"<p>{p}</p>" for p in paragraphs),
        "images": [{"src": f"{portal}/upload/hn.jpg", "alt": None, "caption": "Quang cảnh hội nghị"}],
        "attachments": [{"url": f"{portal}/upload/bao-cao.pdf", "title": "Báo cáo tổng kết"}],
        "fetched_at": "2024-02-01T03:00:00Z",
    }
    return normalize_item({**base, **fields})


@pytest.fixture
def make_article() -> Callable[..., dict]:
    """``make_article(**fields)``: a valid normalized article with ``fields`` overridden."""
    return _article
