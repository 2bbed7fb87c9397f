"""Scrapyd: the project deployed as an egg to a real Scrapyd on 127.0.0.1 crawls the replica portal.

A Scrapyd process is started with a config file of its own in a temp dir (eggs, logs, items and
dbs there too, a free port), the project is deployed with ``scrapyd-deploy`` from a copy of the
source tree, and a ``portal`` job scheduled through ``schedule.json`` must store every article of
the replica in the SQLite store named by its ``VINEWS_STORE_URI`` setting.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest

from conftest import _free_port
from test_crawl_replica import Replica
from vinews_scraper.demo import check_against_truth
from vinews_scraper.registry import default_registry

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
VERSION = "r1"
ARTICLES = 30
FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "16"}


class Scrapyd:
    """A Scrapyd process on 127.0.0.1:<free port>, everything it writes under ``root``."""

    def __init__(self, root: Path):
        self.root = root
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        for name in ("eggs", "logs", "items", "dbs"):
            (root / name).mkdir()
        (root / "scrapyd.conf").write_text(
            "[scrapyd]\n"
            "bind_address = 127.0.0.1\n"
            f"http_port = {self.port}\n"
            f"eggs_dir = {root / 'eggs'}\n"
            f"logs_dir = {root / 'logs'}\n"
            f"items_dir = {root / 'items'}\n"
            f"dbs_dir = {root / 'dbs'}\n"
            "max_proc = 2\n"
            "poll_interval = 0.5\n",
            encoding="utf-8")
        # Scrapyd reads scrapyd.conf from its working directory (then ~/.scrapyd.conf: HOME is the
        # temp dir too). Jobs run in that directory, so relative outputs land there as well.
        env = {k: v for k, v in os.environ.items() if k not in ("VINEWS_DATABASE_URL", "SCRAPY_SETTINGS_MODULE")}
        env["HOME"] = str(root)
        self.log = open(root / "scrapyd.out", "wb")
        self.process = subprocess.Popen([str(BIN / "scrapyd"), "--pidfile", str(root / "scrapyd.pid")],
                                        cwd=root, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def get(self, endpoint: str, **params: str) -> dict:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        with urllib.request.urlopen(f"{self.url}{endpoint}{query}", timeout=30) as response:
            return json.loads(response.read())

    def post(self, endpoint: str, fields: list[tuple[str, str]]) -> dict:
        data = urllib.parse.urlencode(fields).encode()
        with urllib.request.urlopen(f"{self.url}{endpoint}", data=data, timeout=30) as response:
            return json.loads(response.read())

    def wait_ready(self, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                return self.get("daemonstatus.json")
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"Scrapyd did not answer on {self.url}:\n{self.output()}", pytrace=False)

    def output(self) -> str:
        self.log.flush()
        return (self.root / "scrapyd.out").read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        self.log.close()


def deploy(scrapyd: Scrapyd, workdir: Path) -> subprocess.CompletedProcess:
    """``scrapyd-deploy local`` from a copy of the source tree whose deploy url is ``scrapyd``'s."""
    source = workdir / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("vinews_scraper", "pipelines"):
        shutil.copytree(REPO / name, source / name, ignore=ignore)
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    config = (REPO / "scrapy.cfg").read_text(encoding="utf-8")
    assert "url = http://127.0.0.1:6800/" in config
    (source / "scrapy.cfg").write_text(config.replace("http://127.0.0.1:6800/", scrapyd.url), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    return subprocess.run([str(BIN / "scrapyd-deploy"), "local", "--version", VERSION],
                          cwd=source, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    root = tmp_path_factory.mktemp("scrapyd")
    (root / "server").mkdir()
    scrapyd = Scrapyd(root / "server")
    try:
        status = scrapyd.wait_ready()
        result = deploy(scrapyd, root)
        yield {"scrapyd": scrapyd, "status": status, "deploy": result, "root": root}
    finally:
        scrapyd.stop()


@pytest.fixture(scope="module")
def job(deployed):
    """A ``portal`` job on the replica, scheduled through schedule.json, waited for until finished."""
    scrapyd, root = deployed["scrapyd"], deployed["root"]
    assert deployed["deploy"].returncode == 0, deployed["deploy"].stdout + deployed["deploy"].stderr
    (root / "replica").mkdir()
    replica = Replica(root / "replica", articles=ARTICLES)
    store = root / "store.sqlite3"
    replica.store_uri = f"sqlite:///{store}"
    try:
        settings = {**FAST, "VINEWS_STORE_URI": replica.store_uri, "VINEWS_OUTPUT_DIR": str(root / "out")}
        fields = [("project", "vinews"), ("spider", "portal"), ("site", "replica"),
                  ("registry", str(replica.registry))]
        fields += [("setting", f"{name}={value}") for name, value in settings.items()]
        scheduled = scrapyd.post("schedule.json", fields)
        assert scheduled["status"] == "ok", scheduled
        job_id = scheduled["jobid"]
        deadline = time.monotonic() + 300
        finished = None
        while finished is None and time.monotonic() < deadline:
            jobs = scrapyd.get("listjobs.json", project="vinews")
            finished = next((j for j in jobs["finished"] if j["id"] == job_id), None)
            if finished is None:
                time.sleep(0.5)
        assert finished is not None, f"job {job_id} did not finish:\n{scrapyd.output()}"
        yield {"id": job_id, "listed": finished, "replica": replica,
               "log": (scrapyd.root / "logs" / "vinews" / "portal" / f"{job_id}.log").read_text(errors="replace"),
               "items": scrapyd.root / "items" / "vinews" / "portal" / f"{job_id}.jl",
               "stored": replica.stored(), "expected": replica.portal.expected_items(replica.base_url)}
    finally:
        replica.server.stop()


def test_scrapyd_answers_and_the_egg_is_deployed(deployed):
    scrapyd = deployed["scrapyd"]
    assert deployed["status"]["status"] == "ok"
    result = deployed["deploy"]
    assert result.returncode == 0, result.stdout + result.stderr
    response = json.loads(result.stdout[result.stdout.index("{"):])
    assert response["status"] == "ok" and response["project"] == "vinews" and response["version"] == VERSION
    assert "vinews" in scrapyd.get("listprojects.json")["projects"]
    assert scrapyd.get("listversions.json", project="vinews")["versions"] == [VERSION]
    # listspiders.json runs `scrapy list` inside the egg: the generic spider and one per registered site.
    spiders = scrapyd.get("listspiders.json", project="vinews")
    assert spiders["status"] == "ok", spiders
    assert {"portal", "wayback", "vithuy"} <= set(spiders["spiders"]), spiders


def test_the_egg_carries_package_data_and_the_settings_entry_point(deployed):
    egg = deployed["scrapyd"].root / "eggs" / "vinews" / f"{VERSION}.egg"
    with zipfile.ZipFile(egg) as archive:
        names = set(archive.namelist())
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    schemas = {p.name for p in (REPO / "vinews_scraper" / "schema").glob("*.schema.json")}
    assert "vinews_scraper/sites.toml" in names
    assert {f"vinews_scraper/schema/{name}" for name in schemas} <= names and len(schemas) >= 7
    assert {"vinews_scraper/settings.py", "vinews_scraper/spiders/portal.py", "pipelines/store.py"} <= names
    assert not any(name.startswith("tests/") for name in names)
    assert "[scrapy]\nsettings = vinews_scraper.settings" in entry_points
    # Activated the way Scrapyd's runner does it, away from the source tree, the code, the
    # registry and the schemas come from the egg (a zip), and the settings module is the project's.
    probe = (
        "import os, sys\n"
        "from scrapyd.runner import activate_egg\n"
        "activate_egg(sys.argv[1])\n"
        "import vinews_scraper, pipelines\n"
        "from vinews_scraper.registry import default_registry\n"
        "from vinews_scraper.datasets import dataset_schema\n"
        "from scrapy.utils.project import get_project_settings\n"
        "print(vinews_scraper.__file__); print(pipelines.__file__)\n"
        "print(os.environ['SCRAPY_SETTINGS_MODULE']); print(get_project_settings()['BOT_NAME'])\n"
        "print(len(default_registry().sites)); print(dataset_schema('articles')['title'])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    result = subprocess.run([sys.executable, "-c", probe, str(egg)], cwd=deployed["root"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{egg}/vinews_scraper/") and lines[1].startswith(f"{egg}/pipelines/")
    assert lines[2:4] == ["vinews_scraper.settings", "vinews"]
    assert int(lines[4]) == len(default_registry().sites) and lines[5]


def test_a_scheduled_portal_job_stores_every_replica_article(job):
    assert "'finish_reason': 'finished'" in job["log"], job["log"][-3000:]
    assert "Traceback" not in job["log"], job["log"][-3000:]
    stored, expected = job["stored"], job["expected"]
    assert len(stored) == len(expected) == ARTICLES
    check = check_against_truth(stored, expected)
    assert check.missing == [] and check.unexpected == []
    assert check.mismatches == {}, {k: v[:3] for k, v in check.mismatches.items()}
    truth = {item["url"]: item for item in expected}
    for item in stored[:5]:
        want = truth[item["url"]]
        assert (item["site"], item["title"], item["published"]) == ("replica", want["title"], want["published"])
        assert item["body"] == want["body"]


def test_the_job_used_its_settings_and_scrapyd_collected_its_items(job):
    log = job["log"]
    assert "'DOWNLOAD_DELAY': '0'" in log or "'DOWNLOAD_DELAY': 0" in log, log[:3000]
    assert "store.sqlite3" in log  # "vinews store: …" names the job's own SQLite store
    lines = job["items"].read_text(encoding="utf-8").splitlines()
    urls = {json.loads(line)["url"] for line in lines}
    assert urls == {item["url"] for item in job["expected"]}
