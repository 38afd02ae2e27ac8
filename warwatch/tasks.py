"""Scale-out mode: pollers, classifier workers and one bot process share PostgreSQL's job queue.

procrastinate keeps the jobs in PostgreSQL, so the queue needs no other server and a job is
written in the same database as the stories. Each feed's poll is a job with a per-feed lock (two
pollers never poll one feed at once) and a queueing lock (a feed is queued at most once); the
scheduler is a periodic job, which procrastinate defers once per tick however many pollers run.
A poll defers one classify job per batch of new stories; classifier workers claim their stories
with ``FOR UPDATE SKIP LOCKED``, so no story is classified twice even if two jobs overlap.
Jobs of a worker killed mid-job are retried once its heartbeat is stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import structlog
from procrastinate import App, Blueprint, JobContext, PsycopgConnector
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy.engine import make_url

from feeds.schedule import polite_share
from storage.db import Database
from storage.feeds import due_feed, due_feeds
from storage.stories import pending_story_ids
from warwatch.archiving import ArchiveService
from warwatch.config import Settings
from warwatch.pipeline import Classification
from warwatch.polling import FeedPoller

log = structlog.get_logger(__name__)

POLL_QUEUE = "poll"
CLASSIFY_QUEUE = "classify"
STALLED_AFTER_SECONDS = 30.0
LEFTOVER_AFTER_SECONDS = 60.0  # pending this long, a story has no job coming
LEFTOVER_BATCHES_PER_JOB = 20

jobs = Blueprint()


@dataclass
class Runtime:
    """What this process's jobs work with; a poller has a feed poller, a classifier a classification."""

    settings: Settings
    database: Database
    poller: FeedPoller | None = None
    client: httpx.AsyncClient | None = None
    classification: Classification | None = None
    archive: ArchiveService | None = None  # pollers: archive captures and re-checks


_runtime: Runtime | None = None


def install_runtime(runtime: Runtime | None) -> None:
    global _runtime  # jobs are module functions: the worker hands them its objects here
    _runtime = runtime


def current_runtime() -> Runtime:
    if _runtime is None:
        raise RuntimeError("no warwatch runtime in this process: start it with `warwatch run --role …`")
    return _runtime


def libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL as libpq wants it (no ``+psycopg`` driver suffix)."""
    url = make_url(database_url)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def make_queue(settings: Settings) -> App:
    app = App(connector=PsycopgConnector(conninfo=libpq_url(settings.database.url)))
    app.add_tasks_from(jobs, namespace="warwatch")
    return app


@jobs.periodic(cron="* * * * * */15")
@jobs.task(queue=POLL_QUEUE, queueing_lock="schedule-polls", pass_context=True, name="schedule_polls")
async def schedule_polls(context: JobContext, timestamp: int) -> int:
    """Queue a poll job for every due feed (a feed already queued is left as it is)."""
    runtime = current_runtime()
    with runtime.database.session() as session:
        due = due_feeds(session, datetime.now(UTC), runtime.settings.service.feeds_per_cycle)
    poller = runtime.settings.poller
    due = polite_share(due, poller.polite_hosts, poller.polite_feeds_per_cycle)
    queued = 0
    for feed in due:
        lock = f"feed-{feed.id}"
        try:
            await context.app.configure_task(
                "warwatch:poll_feed", lock=lock, queueing_lock=lock, queue=POLL_QUEUE
            ).defer_async(feed_id=feed.id)
        except AlreadyEnqueued:
            continue
        queued += 1
    return queued


@jobs.task(queue=POLL_QUEUE, pass_context=True, name="poll_feed")
async def poll_feed(context: JobContext, feed_id: int) -> int:
    """Poll one feed if it is still due, store what is new, and queue its classification."""
    runtime = current_runtime()
    if runtime.poller is None or runtime.client is None:
        raise RuntimeError("poll_feed ran in a process without a poller")
    now = datetime.now(UTC)
    with runtime.database.session() as session:
        feed = due_feed(session, feed_id, now)
    if feed is None:  # polled by an earlier job, removed or disabled meanwhile
        return 0
    runtime.poller.store.catch_up()
    report = await runtime.poller.poll(runtime.client, [feed], now)
    batch = runtime.settings.service.classify_batch_size
    ids = report.new_story_ids
    for start in range(0, len(ids), batch):
        await context.app.configure_task("warwatch:classify_stories", queue=CLASSIFY_QUEUE).defer_async(
            story_ids=ids[start : start + batch]
        )
    return report.stories_new


@jobs.task(queue=CLASSIFY_QUEUE, name="classify_stories")
def classify_stories(story_ids: list[int]) -> int:
    """Classify those of these stories still pending (sync: procrastinate runs it in a thread)."""
    runtime = current_runtime()
    if runtime.classification is None:
        raise RuntimeError("classify_stories ran in a process without a classifier")
    return runtime.classification.run_claimed(story_ids).classified


@jobs.periodic(cron="* * * * * */30")
@jobs.task(queue=CLASSIFY_QUEUE, queueing_lock="classify-leftovers", name="classify_leftovers")
def classify_leftovers(timestamp: int) -> int:
    """Classify stories pending for a while without a job: `warwatch reclassify` sent them back, or
    the database went away between a poll storing them and deferring their job. Claiming (see
    ``classify_stories``) makes a story that a job holds meanwhile safe from a second verdict."""
    runtime = current_runtime()
    if runtime.classification is None:
        raise RuntimeError("classify_leftovers ran in a process without a classifier")
    fetched_before = datetime.now(UTC) - timedelta(seconds=LEFTOVER_AFTER_SECONDS)
    classified = 0
    for _ in range(LEFTOVER_BATCHES_PER_JOB):
        with runtime.database.session() as session:
            ids = pending_story_ids(
                session, fetched_before=fetched_before, limit=runtime.classification.batch_size
            )
        done = runtime.classification.run_claimed(ids).classified if ids else 0
        classified += done
        if not done:
            break
    return classified


@jobs.periodic(cron="* * * * * */30")
@jobs.task(queue=POLL_QUEUE, queueing_lock="archive-pages", lock="archive-pages", name="archive_pages")
async def archive_pages(timestamp: int) -> int:
    """Capture and re-check the due pages of the archive (one such job at a time, in any poller)."""
    runtime = current_runtime()
    if runtime.archive is None:
        raise RuntimeError("archive_pages ran in a process without an archive")
    return sum((await runtime.archive.run_due()).values())


@jobs.periodic(cron="* * * * * */20")
@jobs.task(queue=POLL_QUEUE, queueing_lock="retry-stalled", pass_context=True, name="retry_stalled_jobs")
async def retry_stalled_jobs(context: JobContext, timestamp: int) -> int:
    """Give the jobs of a worker that died (no heartbeat) to the living ones."""
    manager = context.app.job_manager
    stalled = await manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_AFTER_SECONDS)
    for job in stalled:
        log.warning("job_retried_after_a_stalled_worker", job_id=job.id, task=job.task_name)
        await manager.retry_job(job)
    return len(stalled)
