"""PostgreSQL restarted under load: the service and the queue workers reconnect and lose nothing.

The tests start a PostgreSQL server of their own (initdb in a temporary folder, a free port on
127.0.0.1) so that restarting it cannot disturb the shared server other tests use; they stop it by
its PID at the end.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import func, select
from werkzeug import Request, Response

from storage.db import Database
from storage.feeds import add_feed
from storage.models import Alert, Classification, Story
from storage.states import AlertStatus
from tests.app.processes import counts, start, stop, until
from warwatch.config import Settings
from warwatch.startup import open_database

POSTGRES_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
FEEDS = 4


class PrivatePostgres:
    """A throw-away PostgreSQL cluster: ``restart`` drops every connection, as a real restart does."""

    def __init__(self, root: Path) -> None:
        self.bin = POSTGRES_BIN[-1]
        self.data = root / "data"
        self.port = _free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        root.mkdir(exist_ok=True)
        self._as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._as_owner:  # initdb refuses to run as root
            shutil.chown(root, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run([*self._as_owner, str(self.bin / tool), *args], capture_output=True, text=True)
        assert done.returncode == 0, f"{tool} failed: {done.stderr or done.stdout}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.data / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-w", "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        """``immediate`` is a crash: no checkpoint, clients cut off mid-query."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def pid(self) -> int | None:
        pid_file = self.data / "postmaster.pid"
        return int(pid_file.read_text().split()[0]) if pid_file.exists() else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def postgres() -> Iterator[PrivatePostgres]:
    if not POSTGRES_BIN or (os.geteuid() == 0 and shutil.which("runuser") is None):
        pytest.skip("no PostgreSQL server binaries to start a private cluster")
    # not under pytest's tmp_path: as root, that folder is closed to the postgres user
    with tempfile.TemporaryDirectory(prefix="warwatch-pg-") as folder:
        server = PrivatePostgres(Path(folder))
        server.start()
        try:
            yield server
        finally:
            _kill(server)


def _kill(server: PrivatePostgres) -> None:
    pid = server.pid()
    if pid is not None:
        os.kill(pid, signal.SIGQUIT)  # by PID: the postmaster's immediate shutdown
        for _ in range(100):
            if server.pid() is None:
                break
            time.sleep(0.1)


class GrowingFeeds:
    """Loopback feeds to which the test adds items while the service runs."""

    def __init__(self, server: HTTPServer, count: int) -> None:
        self.items: dict[str, list[str]] = {f"/feed{n}.xml": [] for n in range(count)}
        for path in self.items:
            server.expect_request(path).respond_with_handler(self._respond)
        self.urls = [server.url_for(path) for path in self.items]

    def publish(self, wave: int) -> int:
        """One new on-topic item in every feed; returns how many items exist."""
        for path, titles in self.items.items():
            titles.append(f"Wave {wave}: recruiters sent Nepali men from {path} to fight for Russia")
        return sum(len(titles) for titles in self.items.values())

    def _respond(self, request: Request) -> Response:
        published = format_datetime(datetime.now(UTC) - timedelta(minutes=5), usegmt=True)
        items = "".join(
            f"<item><title>{title}</title><link>https://news.example{request.path}/{i}</link>"
            f"<description>Families say agents promised jobs ({i}).</description>"
            f"<pubDate>{published}</pubDate></item>"
            for i, title in enumerate(self.items[request.path])
        )
        body = f"<rss version='2.0'><channel><title>News</title>{items}</channel></rss>"
        return Response(body, content_type="application/rss+xml")


def alive(*processes: subprocess.Popen[bytes]) -> bool:
    return all(process.poll() is None for process in processes)


FAST_POLLS = {  # feeds are polled every 2 s, so each wave is picked up within seconds
    "WARWATCH_POLLER__DEFAULT_INTERVAL_SECONDS": "2",
    "WARWATCH_POLLER__MIN_INTERVAL_SECONDS": "2",
    "WARWATCH_POLLER__INTERVAL_JITTER_RATIO": "0",
    "WARWATCH_SERVICE__CYCLE_SECONDS": "1",
}


@pytest.fixture
def growing_feeds(feed_server: HTTPServer) -> GrowingFeeds:
    return GrowingFeeds(feed_server, FEEDS)


def _prepared(postgres: PrivatePostgres, feeds: GrowingFeeds) -> Database:
    database = open_database(Settings(database={"url": postgres.url}))
    with database.session() as session:
        for url in feeds.urls:
            add_feed(session, url)
    return database


@pytest.mark.slow
def test_queue_workers_survive_a_postgresql_restart_under_load(
    postgres: PrivatePostgres, growing_feeds: GrowingFeeds
) -> None:
    database = _prepared(postgres, growing_feeds)
    expected = growing_feeds.publish(1)
    workers = [start(role, postgres.url, env=FAST_POLLS) for role in ("poller", "classifier")]
    try:
        until(lambda: counts(database)[1] == expected, within=120)
        expected = growing_feeds.publish(2)
        until(lambda: counts(database)[0] > FEEDS, within=60)  # wave 2 is arriving: restart now
        postgres.stop("immediate")
        time.sleep(3)
        expected = growing_feeds.publish(3)  # published while the database is down
        postgres.start()
        until(lambda: counts(database)[1] == expected, within=180)
        time.sleep(2)
        assert counts(database) == (expected,) * 3  # stored once, classified once, nothing lost
        assert alive(*workers)
    finally:
        codes = stop(*workers)
        database.dispose()
    assert codes == [0, 0]


@pytest.mark.slow
def test_the_single_process_service_survives_a_postgresql_restart(
    postgres: PrivatePostgres, growing_feeds: GrowingFeeds
) -> None:
    database = _prepared(postgres, growing_feeds)
    expected = growing_feeds.publish(1)
    service = start("all", postgres.url, env=FAST_POLLS)
    try:
        until(lambda: counts(database)[1] == expected, within=120)
        postgres.stop("immediate")
        expected = growing_feeds.publish(2)
        time.sleep(3)
        postgres.start()
        until(lambda: counts(database)[1] == expected, within=120)
        until(lambda: _alerts(database, AlertStatus.PENDING) == 0, within=30)
        assert counts(database) == (expected,) * 3
        assert _alerts(database, AlertStatus.SENT) == _flagged_clusters(database)  # each event once
        assert alive(service)
    finally:
        codes = stop(service)
        database.dispose()
    assert codes == [0]


def _alerts(database: Database, status: AlertStatus) -> int:
    with database.session() as session:
        return session.scalar(select(func.count(Alert.id)).where(Alert.status == status)) or 0


def _flagged_clusters(database: Database) -> int:
    with database.session() as session:
        cluster = func.coalesce(Story.cluster_id, Story.id)
        flagged = select(func.count(func.distinct(cluster))).join(Classification).where(Classification.alert)
        return session.scalar(flagged) or 0
