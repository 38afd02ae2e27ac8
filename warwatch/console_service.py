"""The console service (`warwatch run` without a Telegram token): poll, classify and print alerts,
on a schedule, until stopped."""

from __future__ import annotations

import asyncio
import contextlib

import structlog
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from feeds.fetch import make_client
from storage.db import Database, describe_database_error
from storage.subscribers import set_console_subscriber
from warwatch.archiving import make_archive_service
from warwatch.classifier_provider import ClassifierProvider
from warwatch.config import Settings
from warwatch.console import deliver_to_console
from warwatch.pipeline import Classification, PipelineCycle, Retention
from warwatch.polling import FeedPoller
from warwatch.stopping import sleep_unless_stopped, stop_on_signals

log = structlog.get_logger(__name__)


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
    classification = Classification.configured(settings, database, provider.classify_batch)
    retention = Retention(database, settings.retention)
    console = Console()
    log.info("service_started", mode="console", database=database.engine.url.render_as_string(), once=once)
    with FeedPoller(settings, database) if pipeline else contextlib.nullcontext() as poller:
        async with make_client(settings.poller) as client:
            archive = make_archive_service(settings.archive, database, client, settings.poller)
            cycle = PipelineCycle(
                poller, classification, retention, client, settings, archive if pipeline else None
            )
            while not stop.is_set():
                wait = settings.service.cycle_seconds
                try:
                    await cycle.run()
                    deliver_to_console(database, console)
                    wait = await asyncio.to_thread(cycle.seconds_to_next)
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
