"""The archive wired into the pipeline: flagged stories queued with their verdicts, captured by the
cycle, re-checked (changed, gone, moved), the chats that got the alert told, the disk cap kept,
and kill -9 mid-write leaving no row naming a partial file."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from pytest_httpserver import HTTPServer
from rich.console import Console
from sqlalchemy import select, update
from werkzeug import Response

from archive.settings import ArchiveSettings
from archive.store import TEMPORARY_PREFIX, file_sha256
from archive.warc import read_snapshot
from classifiers.types import StoryText, Verdict
from feeds.fetch import make_client
from feeds.settings import PollerSettings
from storage.archive import archive_detail, queue_archives
from storage.db import Database
from storage.models import ArchiveNotice, Snapshot, StoryArchive
from storage.states import AlertStatus, ArchiveState, PageState
from storage.stories import insert_stories
from storage.subscribers import set_console_subscriber
from tests.archive.conftest import article
from tests.storage.factories import Entry
from warwatch.archiving import ArchiveService, make_archive_service
from warwatch.console import deliver_to_console
from warwatch.pipeline import Classification

ROOT = Path(__file__).resolve().parents[2]
POLLER = PollerSettings(allow_private_addresses=True, max_response_bytes=10_000_000)


def flag_all(texts: Sequence[StoryText]) -> list[Verdict]:
    return [Verdict(0.9, True, {"summary": "test"}, "test", "1") for _ in texts]


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(POLLER) as shared:
        yield shared


def service_for(
    database: Database, client: httpx.AsyncClient, directory: Path, **options: object
) -> ArchiveService:
    settings = ArchiveSettings(directory=directory, **options)  # type: ignore[arg-type]
    return make_archive_service(settings, database, client, POLLER)


def make_due(database: Database) -> None:
    """As if the next re-check's day had come."""
    with database.session() as session:
        session.execute(
            update(StoryArchive)
            .where(StoryArchive.next_check_at.is_not(None))
            .values(next_check_at=datetime.now(UTC))
        )


def printed(database: Database) -> str:
    out = io.StringIO()
    deliver_to_console(database, Console(file=out, width=200))
    return out.getvalue()


async def test_a_flagged_story_is_archived_rechecked_and_its_edit_and_removal_told(
    database: Database, feed_server: HTTPServer, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    pages = iter(
        [
            Response(article("Recruits", count=12), content_type="text/html"),
            Response(article("Recruits", count=12), content_type="text/html"),
            Response(article("Recruits", count=40), content_type="text/html"),
            Response("gone", status=410),
        ]
    )
    feed_server.expect_request("/story").respond_with_handler(lambda request: next(pages))
    with database.session() as session:
        set_console_subscriber(session, active=True)
        insert_stories(
            session, None, [Entry("Nepali men sent to the front", url=feed_server.url_for("/story"))]
        )
    Classification(database, flag_all, 10).run_pending()  # the verdict queues the archive in its transaction
    with database.session() as session:
        [row] = session.scalars(select(StoryArchive)).all()
        assert row.kept and row.state is ArchiveState.PENDING
    story_id = row.story_id
    assert "ALERT" in printed(database)  # the console chat got the alert

    service = service_for(database, client, tmp_path / "archive")
    assert await service.run_due() == {"captured": 1}
    assert await service.run_due() == {}  # nothing due until the first re-check's day
    make_due(database)
    assert await service.run_due() == {"unchanged": 1}
    assert printed(database) == ""
    make_due(database)
    assert await service.run_due() == {"edited": 1}
    notice = printed(database)
    assert "this story was edited — archived copy kept" in notice and "8 words changed" in notice
    make_due(database)
    assert await service.run_due() == {"removed": 1}
    assert "this story was removed — archived copy kept" in printed(database)

    with database.session() as session:
        detail = archive_detail(session, story_id)
        statuses = session.scalars(select(ArchiveNotice.status)).all()
    assert detail is not None and detail.archive.state is ArchiveState.DONE
    assert detail.archive.page_state is PageState.REMOVED
    assert [s.outcome.value for s in detail.snapshots] == ["captured", "unchanged", "edited", "removed"]
    edited = detail.snapshots[2]
    assert edited.diff is not None and "+Recruiters promised 40 men" in edited.diff
    assert statuses == [AlertStatus.SENT, AlertStatus.SENT]
    for snapshot in detail.snapshots[::2]:
        assert snapshot.warc_sha256 is not None
        with service.store.open(snapshot.warc_sha256) as stream:
            assert read_snapshot(stream).status_code == 200


async def test_a_redirect_to_another_host_is_a_removal(
    database: Database, feed_server: HTTPServer, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    elsewhere = feed_server.url_for("/parked").replace("127.0.0.1", "localhost")
    answers = iter(
        [
            Response(article("Moved"), content_type="text/html"),
            Response(status=301, headers={"Location": elsewhere}),
        ]
    )
    feed_server.expect_request("/moved").respond_with_handler(lambda request: next(answers))
    feed_server.expect_request("/parked").respond_with_data(
        "<html>domain for sale</html>", content_type="text/html"
    )
    with database.session() as session:
        [story] = insert_stories(session, None, [Entry("Moved", url=feed_server.url_for("/moved"))])
        queue_archives(session, [story.id], now=datetime.now(UTC))
    service = service_for(database, client, tmp_path / "archive")
    await service.run_due()
    make_due(database)
    assert await service.run_due() == {"removed": 1}
    with database.session() as session:
        note = session.scalar(select(Snapshot.note).where(Snapshot.outcome == "removed"))
    assert note == "redirected to another host (localhost)"


async def test_failures_are_retried_with_back_off_and_a_50_mb_page_is_given_up(
    database: Database, feed_server: HTTPServer, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    answers = iter([Response("busy", status=503), Response(article("Back"), content_type="text/html")])
    feed_server.expect_request("/flaky").respond_with_handler(lambda request: next(answers))

    def fifty_megabytes() -> Iterator[bytes]:
        for _ in range(800):
            yield b"x" * 65_536

    feed_server.expect_request("/huge").respond_with_response(
        Response(fifty_megabytes(), content_type="text/html")
    )
    with database.session() as session:
        flaky, huge = insert_stories(
            session,
            None,
            [
                Entry("Flaky", url=feed_server.url_for("/flaky")),
                Entry("Huge", url=feed_server.url_for("/huge")),
            ],
        )
        queue_archives(session, [flaky.id, huge.id], now=datetime.now(UTC))
    service = service_for(database, client, tmp_path / "archive", retry_base_seconds=60)
    started = datetime.now(UTC)
    assert await service.run_due() == {"failed": 2}
    with database.session() as session:
        first = session.get_one(StoryArchive, flaky.id)
        given_up = session.get_one(StoryArchive, huge.id)
    assert first.state is ArchiveState.PENDING and first.attempts == 1
    assert first.next_check_at is not None and 59 <= (first.next_check_at - started).total_seconds() <= 70
    assert first.last_error == "http_status: HTTP 503 SERVICE UNAVAILABLE"
    assert given_up.state is ArchiveState.FAILED and (given_up.last_error or "").startswith("too_large:")
    make_due(database)
    assert await service.run_due() == {"captured": 1}


async def test_the_disk_cap_prunes_unflagged_archives_and_their_files(
    database: Database, feed_server: HTTPServer, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    for name in ("a", "b", "c"):
        feed_server.expect_request(f"/{name}").respond_with_data(
            article(f"Page {name}"), content_type="text/html"
        )
    service = service_for(database, client, tmp_path / "archive", max_bytes=1)
    with database.session() as session:
        flagged, *others = insert_stories(
            session, None, [Entry(n, url=feed_server.url_for(f"/{n}")) for n in "abc"]
        )
        queue_archives(session, [flagged.id], now=datetime.now(UTC))
    await service.run_due()  # over the cap at once, with only a flagged story's copy: kept
    assert len(list(service.store.files())) == 1
    for story in others:
        await service.archive_now(story.id, actor="cli")  # on demand: the next cycle applies the cap
    assert len(list(service.store.files())) == 3
    assert service.enforce_cap().archives == 2
    with database.session() as session:
        assert session.scalars(select(StoryArchive.story_id)).all() == [flagged.id]
    assert len(list(service.store.files())) == 1


def test_kill_9_mid_write_leaves_no_row_naming_a_partial_file(
    database: Database, database_url: str, feed_server: HTTPServer, tmp_path: Path
) -> None:
    pages = 12
    for number in range(pages):
        feed_server.expect_request(f"/big/{number}").respond_with_data(
            os.urandom(3_000_000), content_type="application/octet-stream"
        )
    with database.session() as session:
        stories = insert_stories(
            session, None, [Entry(f"Big {n}", url=feed_server.url_for(f"/big/{n}")) for n in range(pages)]
        )
        queue_archives(session, [story.id for story in stories], now=datetime.now(UTC))
    directory = tmp_path / "archive"
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.app.archive_process", database_url, str(directory)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not list(directory.glob(f"{TEMPORARY_PREFIX}*")):  # a WARC file is being written
            assert child.poll() is None and time.monotonic() < deadline, "the child never wrote"
            time.sleep(0.002)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    with database.session() as session:
        named = session.scalars(select(Snapshot.warc_sha256)).all()
        pending = session.scalar(
            select(StoryArchive.story_id).where(StoryArchive.state == ArchiveState.PENDING)
        )
    assert len(named) < pages and pending is not None  # killed before the end
    for sha256 in named:  # every row names a whole file: its hash is its name
        assert sha256 is not None and file_sha256(directory / sha256[:2] / f"{sha256}.warc.gz") == sha256
    for path in directory.glob("??/*.warc.gz"):
        assert file_sha256(path) == path.name.removesuffix(".warc.gz")
    assert list(directory.glob(f"{TEMPORARY_PREFIX}*"))  # the cut-short writes, under temporary names only
