"""The console service (`warwatch run` without a Telegram token): poll, classify and print alerts,
on a schedule, until stopped."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime

import structlog
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from feeds.fetch import make_client
from storage.db import Database, describe_database_error
from storage.feeds import next_due_at
from storage.subscribers import set_console_subscriber
from warwatch.classifier_provider import ClassifierProvider
from warwatch.config import Settings
from warwatch.console import deliver_to_console
from warwatch.pipeline import Classification, Ingestor, Retention, classify_in_thread
from warwatch.stopping import sleep_unless_stopped, stop_on_signals

log = structlog.get_logger(__name__)
WAKE_FLOOR_SECONDS = 1.0  # feeds falling due less than this apart share one cycle


def seconds_until_next_cycle(database: Database, settings: Settings, now: datetime | None = None) -> float:
    """Until the next feed falls due, so a story waits no longer than its feed's poll interval; at
    most ``service.cycle_seconds`` (stories pending from elsewhere, retention), at least a second."""
    now = now or datetime.now(UTC)
    cycle = settings.service.cycle_seconds
    with database.session() as session:
        due = next_due_at(session, now)
    if due is None:
        return cycle
    return min(cycle, max(WAKE_FLOOR_SECONDS, (due - now).total_seconds()))


async def run_console_service(
    settings: Settings, database: Database, *, once: bool, pipeline: bool = True
) -> None:
    """The service without Telegram: alerts are printed on stdout.

    Without ``pipeline`` (the bot role) it only delivers and prunes: queue workers poll and classify.
    """
    with database.session() as session:
        set_console_subscriber(session, active=True)
    stop = stop_on_signals()
    provider = ClassifierProvider(settings, database)
    classification = Classification(database, provider.classify_batch, settings.service.classify_batch_size)
    retention = Retention(database, settings.retention)
    console = Console()
    log.info("service_started", mode="console", database=database.engine.url.render_as_string(), once=once)
    with Ingestor(settings, database) if pipeline else contextlib.nullcontext() as ingestor:
        async with make_client(settings.poller) as client:
            while not stop.is_set():
                wait = settings.service.cycle_seconds
                try:
                    if ingestor is not None:
                        await ingestor.poll_due(client)
                        await classify_in_thread(classification)
                    deliver_to_console(database, console)
                    await asyncio.to_thread(retention.maybe_prune)
                    if ingestor is not None:
                        wait = await asyncio.to_thread(seconds_until_next_cycle, database, settings)
                except SQLAlchemyError as error:
                    if once:
                        raise
                    # Nothing is lost: each stage committed what it finished; the rest is retried.
                    log.error(
                        "cycle_failed",
                        error=describe_database_error(error),
                        retry_in=settings.service.cycle_seconds,
                    )
                if once:
                    break
                await sleep_unless_stopped(stop, wait)
    log.info("service_stopped")
