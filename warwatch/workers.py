"""`warwatch run --role poller|classifier`: one kind of queue worker per process (PostgreSQL only)."""

from __future__ import annotations

import asyncio
import contextlib
import os
from typing import Literal

import structlog
from procrastinate import App
from procrastinate.exceptions import ConnectorException
from psycopg import OperationalError

from feeds.fetch import make_client
from storage.db import Database
from warwatch.archiving import make_archive_service
from warwatch.classifier_provider import ClassifierProvider
from warwatch.config import Settings
from warwatch.pipeline import Classification
from warwatch.polling import FeedPoller
from warwatch.stopping import sleep_unless_stopped, stop_on_signals
from warwatch.tasks import CLASSIFY_QUEUE, POLL_QUEUE, Runtime, install_runtime, make_queue

log = structlog.get_logger(__name__)

WorkerRole = Literal["poller", "classifier"]
POLL_JOBS_AT_ONCE = 16  # feeds polled at once by one poller process (I/O-bound)
SHUTDOWN_GRACE_SECONDS = 30.0
RESTART_DELAY_SECONDS = 2.0  # after the database dropped the worker


async def run_worker(settings: Settings, database: Database, role: WorkerRole) -> None:
    """Work the role's queue until SIGINT/SIGTERM; jobs in flight then finish (or, after a grace
    period, are aborted and retried elsewhere)."""
    queue = make_queue(settings)
    name = f"{role}-{os.getpid()}"
    async with queue.open_async():
        if role == "poller":
            with FeedPoller(settings, database) as poller:
                async with make_client(settings.poller) as client:
                    archive = make_archive_service(settings.archive, database, client, settings.poller)
                    install_runtime(
                        Runtime(settings, database, poller=poller, client=client, archive=archive)
                    )
                    log.info("worker_started", role=role, name=name, queue=POLL_QUEUE)
                    await _work(queue, POLL_QUEUE, POLL_JOBS_AT_ONCE, name)
        else:
            provider = ClassifierProvider(settings, database)
            classification = Classification.configured(settings, database, provider.classify_batch)
            install_runtime(Runtime(settings, database, classification=classification))
            log.info("worker_started", role=role, name=name, queue=CLASSIFY_QUEUE)
            await _work(queue, CLASSIFY_QUEUE, 1, name)
    install_runtime(None)
    log.info("worker_stopped", role=role, name=name)


async def _work(queue: App, queue_name: str, concurrency: int, name: str) -> None:
    """Run procrastinate's worker until a signal, starting it again whenever the database drops it.

    procrastinate stops its worker when PostgreSQL goes away (a restart, a failover): its
    notification listener fails. This keeps the process up and resumes once the database answers;
    jobs that were running then are retried, as a dead worker's are.
    """
    stop = stop_on_signals()
    while not stop.is_set():
        worker = asyncio.create_task(
            queue.run_worker_async(
                queues=[queue_name],
                concurrency=concurrency,
                name=name,
                shutdown_graceful_timeout=SHUTDOWN_GRACE_SECONDS,
                install_signal_handlers=False,
            )
        )
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({worker, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if stop.is_set():
            worker.cancel()  # procrastinate's graceful stop: running jobs finish, then it returns
            with contextlib.suppress(asyncio.CancelledError, ConnectorException):
                await worker
            break
        stopping.cancel()
        error = worker.exception()
        if error is not None and not isinstance(error, ConnectorException | OperationalError):
            raise error
        log.warning(
            "worker_lost_database",
            name=name,
            error=str(error).strip() if error else "the queue listener stopped",
            retry_in=RESTART_DELAY_SECONDS,
        )
        await sleep_unless_stopped(stop, RESTART_DELAY_SECONDS)
