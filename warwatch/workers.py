"""`warwatch run --role poller|classifier`: one kind of queue worker per process (PostgreSQL only)."""

from __future__ import annotations

import os
from typing import Literal

import structlog
from sqlalchemy import text

from feeds.fetch import make_client
from storage.db import Database
from warwatch.classifier_provider import ClassifierProvider
from warwatch.config import Settings
from warwatch.pipeline import Classification, Ingestor
from warwatch.tasks import CLASSIFY_QUEUE, POLL_QUEUE, Runtime, install_runtime, make_queue

log = structlog.get_logger(__name__)

WorkerRole = Literal["poller", "classifier"]
POLL_JOBS_AT_ONCE = 16  # feeds polled at once by one poller process (I/O-bound)
SHUTDOWN_GRACE_SECONDS = 30.0


def ensure_queue_schema(database: Database) -> bool:
    """Create procrastinate's tables and functions unless they exist; True if created."""
    from procrastinate.schema import SchemaManager

    with database.engine.connect() as connection:
        if connection.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar() is not None:
            return False
    raw = database.engine.raw_connection()
    try:
        with raw.cursor() as cursor:
            cursor.execute(SchemaManager.get_schema())
        raw.commit()
    finally:
        raw.close()
    return True


async def run_worker(settings: Settings, database: Database, role: WorkerRole) -> None:
    """Work the role's queue until SIGINT/SIGTERM; jobs in flight then finish (or, after a grace
    period, are aborted and retried elsewhere)."""
    queue = make_queue(settings)
    name = f"{role}-{os.getpid()}"
    async with queue.open_async():
        if role == "poller":
            with Ingestor(settings, database) as ingestor:
                async with make_client(settings.poller) as client:
                    install_runtime(Runtime(settings, database, ingestor=ingestor, client=client))
                    log.info("worker_started", role=role, name=name, queue=POLL_QUEUE)
                    await queue.run_worker_async(
                        queues=[POLL_QUEUE],
                        concurrency=POLL_JOBS_AT_ONCE,
                        name=name,
                        shutdown_graceful_timeout=SHUTDOWN_GRACE_SECONDS,
                    )
        else:
            provider = ClassifierProvider(settings, database)
            classification = Classification(
                database, provider.classify_batch, settings.service.classify_batch_size
            )
            install_runtime(Runtime(settings, database, classification=classification))
            log.info("worker_started", role=role, name=name, queue=CLASSIFY_QUEUE)
            await queue.run_worker_async(
                queues=[CLASSIFY_QUEUE],
                concurrency=1,
                name=name,
                shutdown_graceful_timeout=SHUTDOWN_GRACE_SECONDS,
            )
    install_runtime(None)
    log.info("worker_stopped", role=role, name=name)
