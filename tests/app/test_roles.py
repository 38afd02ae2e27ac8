"""Scale-out roles on PostgreSQL: poller and classifier processes share procrastinate's job queue."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import update

from storage.db import Database
from storage.feeds import add_feed
from storage.models import Story
from storage.stories import insert_stories
from tests.app.conftest import serve_rss
from tests.app.processes import counts, start, stop, until
from tests.storage.factories import Entry
from warwatch.config import Settings
from warwatch.startup import open_database

ITEMS = [
    ("Nepali men lured with job offers and sent to fight for Russia", "Recruiters promised security jobs."),
    ("Central bank holds interest rates", "Inflation eased in November."),
    ("Kenyan recruits stranded at the front in Ukraine", "Families say agents tricked them."),
]


def test_roles_need_postgresql(make_cli, database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the refusal is for SQLite")
    result = make_cli("")("run", "--role", "poller", code=2)
    assert "needs PostgreSQL" in result.output


@pytest.fixture
def feed_url(feed_server: HTTPServer) -> str:
    return serve_rss(feed_server, "/feed.xml", ITEMS)


@pytest.fixture
def queue_database(postgres_schema_url: str, feed_url: str) -> Iterator[Database]:
    """A PostgreSQL schema with warwatch's tables, the queue's tables, and one feed."""
    database = open_database(Settings(database={"url": postgres_schema_url}))
    with database.session() as session:
        add_feed(session, feed_url)
    yield database
    database.dispose()


@pytest.mark.postgres
def test_a_poller_and_a_classifier_process_share_the_work(queue_database: Database) -> None:
    url = queue_database.url
    workers = [start("poller", url), start("classifier", url)]
    try:
        until(lambda: counts(queue_database)[1] == len(ITEMS), within=120)
        time.sleep(1.0)  # a duplicate job, were there one, would have run by now
        assert counts(queue_database) == (len(ITEMS),) * 3  # stored once, classified once each
    finally:
        codes = stop(*workers)
    assert codes == [0, 0]


def job_states(database: Database, task: str) -> list[str]:
    with database.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT status::text FROM procrastinate_jobs WHERE task_name = %(task)s", {"task": task}
        )
        return [status for (status,) in rows]


@pytest.mark.postgres
@pytest.mark.slow
def test_a_classifier_killed_mid_job_loses_nothing_and_classifies_nothing_twice(
    queue_database: Database,
) -> None:
    """kill -9 while the job runs (MiniLM loading inside it), a new worker: each story classified once."""
    url = queue_database.url
    poller = start("poller", url)
    doomed = start("classifier", url, model="minilm")
    try:
        until(lambda: "doing" in job_states(queue_database, "warwatch:classify_stories"), within=90)
        doomed.kill()  # SIGKILL by PID: no shutdown code runs, the job stays "doing"
        doomed.wait(timeout=10)
        assert counts(queue_database)[2] == 0  # the claim and its verdicts were never committed
        successor = start("classifier", url)
        try:
            # its heartbeat gone, the job is retried (after 30 s) and the new worker does it
            until(lambda: counts(queue_database)[1] == len(ITEMS), within=120)
            time.sleep(1.0)
            assert counts(queue_database) == (len(ITEMS),) * 3
        finally:
            assert stop(successor) == [0]
    finally:
        assert stop(poller) == [0]


@pytest.mark.postgres
def test_stories_left_pending_without_a_job_are_classified_once(postgres_schema_url: str) -> None:
    """As after `warwatch reclassify`, or a database outage between storing stories and queueing them."""
    database = open_database(Settings(database={"url": postgres_schema_url}))
    try:
        with database.session() as session:
            stored = insert_stories(session, None, [Entry(title, summary) for title, summary in ITEMS])
            session.execute(
                update(Story)
                .where(Story.id.in_([story.id for story in stored]))
                .values(fetched_at=datetime.now(UTC) - timedelta(hours=1))
            )
        classifier = start("classifier", database.url)
        try:
            until(lambda: counts(database)[1] == len(ITEMS), within=90)  # the sweep runs every 30 s
            time.sleep(1.0)
            assert counts(database) == (len(ITEMS),) * 3
        finally:
            assert stop(classifier) == [0]
    finally:
        database.dispose()
