"""`warwatch run` with a Telegram token: the bot with its delivery and digest jobs, and the pipeline."""

from __future__ import annotations

import asyncio
import contextlib

import structlog
from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter

from bot.app import DELIVERY_JOB, BotApplication, build_application
from bot.archive import ArchiveAccess
from bot.backtest import make_backtest
from classifiers.types import KeywordRuleLike
from feeds.fetch import make_client
from storage.db import Database, describe_database_error
from storage.subscribers import set_console_subscriber
from warwatch.archiving import ArchiveService, make_archive_service
from warwatch.classifier_provider import ClassifierProvider
from warwatch.config import Settings
from warwatch.pipeline import Classification, PipelineCycle, Retention
from warwatch.polling import FeedPoller
from warwatch.sources import catalogue
from warwatch.stopping import sleep_unless_stopped, stop_on_signals

log = structlog.get_logger(__name__)
BOT_API_FIRST_RETRY_SECONDS = 1.0
BOT_API_RETRY_CAP_SECONDS = 60.0


def check_rule(rule: KeywordRuleLike) -> None:
    """Refuse a keyword the classifier could not compile, before it reaches the database."""
    from classifiers import compile_rules

    compile_rules([rule])


def build_service_application(
    settings: Settings, database: Database, archive: ArchiveService | None = None
) -> BotApplication:
    provider = ClassifierProvider(settings, database)
    backtest = make_backtest(
        database,
        provider.classify_with,
        settings.classifier.threshold,
        settings.telegram.backtest_max_stories,
    )
    return build_application(
        settings.for_bot(),
        database,
        provider.classify_batch,
        backtest=backtest,
        check_rule=check_rule,
        catalogue=catalogue,
        archive_access=ArchiveAccess(archive.store, archive.archive_now) if archive else None,
    )


async def run_telegram_service(
    settings: Settings, database: Database, *, once: bool, pipeline: bool = True
) -> None:
    """Run until SIGINT/SIGTERM (or, with ``once``, do one poll-classify-deliver cycle and return).

    The console pseudo-chat is switched off: Telegram delivery closes its pending alerts as skipped.
    While the Bot API cannot be reached the service keeps polling and classifying (alerts wait in the
    outbox) and connects as soon as it answers.
    """
    with database.session() as session:
        set_console_subscriber(session, active=False)
    with FeedPoller(settings, database) if pipeline else contextlib.nullcontext() as poller:
        async with make_client(settings.poller) as client:
            archive = make_archive_service(settings.archive, database, client, settings.poller)
            application = build_service_application(settings, database, archive)
            provider_classify = application.bot_data.services.classify
            classification = Classification.configured(settings, database, provider_classify)
            retention = Retention(database, settings.retention)
            cycle = PipelineCycle(
                poller, classification, retention, client, settings, archive if pipeline else None
            )
            try:
                if once:
                    await _run_once(application, cycle)
                else:
                    await _serve(settings, application, cycle)
            finally:
                await application.shutdown()  # nothing to do unless it connected
                await application.bot.shutdown()  # the HTTP clients of attempts that never connected


async def connect_bot_api(application: BotApplication, stop: asyncio.Event) -> bool:
    """Initialize the bot (getMe, then setMyCommands), retrying while the Bot API cannot be reached:
    after 1 s, doubling to a minute, one line per failed attempt. False if stopped before it answered.

    A rejected token or request is not retried: it reaches the caller.
    """
    delay, attempt = BOT_API_FIRST_RETRY_SECONDS, 1
    while True:
        try:
            await application.initialize()
            if application.post_init is not None:  # run_polling would call it; we manage the lifecycle
                await application.post_init(application)
            return True
        except BadRequest:
            raise
        except (NetworkError, RetryAfter) as error:  # timeouts and 5xx answers are NetworkErrors too
            log.warning("bot_api_unreachable", attempt=attempt, error=_error_class(error), retry_in=delay)
        await sleep_unless_stopped(stop, delay)
        if stop.is_set():
            return False
        delay, attempt = min(2 * delay, BOT_API_RETRY_CAP_SECONDS), attempt + 1


def _error_class(error: Exception) -> str:
    """``NetworkError (ConnectError)``: the classes only; a message could quote the request URL."""
    cause = error.__cause__
    return type(error).__name__ + (f" ({type(cause).__name__})" if cause is not None else "")


async def _run_once(application: BotApplication, cycle: PipelineCycle) -> None:
    """Poll and classify first, so a Bot API that is down (waited for as the service does) holds up
    no story; then send what is due."""
    await cycle.run()
    if not await connect_bot_api(application, stop_on_signals()):
        log.info("service_once_done", alerts_sent=0, bot_api="unreachable")
        return
    sent = await application.bot_data.delivery.drain(application.bot)
    log.info("service_once_done", alerts_sent=sent)


async def run_pipeline(
    settings: Settings, application: BotApplication, cycle: PipelineCycle, stop: asyncio.Event
) -> None:
    """Cycle after cycle until ``stop``: the next starts when the next feed falls due (at most
    ``service.cycle_seconds`` later), and the alerts a cycle queued are handed to delivery at once."""
    while not stop.is_set():
        wait = settings.service.cycle_seconds
        try:
            if await cycle.run():
                await deliver_now(application)
            wait = await asyncio.to_thread(cycle.seconds_to_next)
        except SQLAlchemyError as error:  # each stage committed what it finished; the rest is retried
            log.error("cycle_failed", error=describe_database_error(error), retry_in=wait)
        except Exception:  # a bug in one cycle must not stop the bot; the next cycle tries again
            log.exception("cycle_crashed", retry_in=wait)
        await sleep_unless_stopped(stop, wait)


async def deliver_now(application: BotApplication) -> None:
    """Run the delivery job now instead of at its next tick (it never runs twice at once); until the
    bot has connected, the alerts wait in the outbox."""
    if application.running and application.job_queue is not None:
        for job in application.job_queue.get_jobs_by_name(DELIVERY_JOB):
            await job.run(application)


async def _serve(settings: Settings, application: BotApplication, cycle: PipelineCycle) -> None:
    stop = stop_on_signals()
    pipeline = asyncio.create_task(run_pipeline(settings, application, cycle, stop), name="pipeline")
    log.info("service_started", mode="telegram", updates=settings.telegram.mode)
    try:
        if await connect_bot_api(application, stop):
            await _start_updates(settings, application)
            log.info("bot_api_connected")
            await stop.wait()
        log.info("service_stopping")
    finally:
        pipeline.cancel()  # a feed poll in progress is not worth waiting for; its committed feeds are kept
        with contextlib.suppress(asyncio.CancelledError):
            await pipeline
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
    log.info("service_stopped")


async def _start_updates(settings: Settings, application: BotApplication) -> None:
    """Start the jobs (delivery, digests) and take updates by long polling or a webhook."""
    updater = application.updater
    if updater is None:
        raise RuntimeError("the application was built without an updater")
    await application.start()
    telegram = settings.telegram
    if telegram.mode == "webhook":
        if telegram.webhook_url is None:
            raise ValueError("telegram.mode is webhook but telegram.webhook_url is not set")
        await updater.start_webhook(
            listen=telegram.webhook_listen,
            port=telegram.webhook_port,
            url_path=(telegram.webhook_url.path or "/").lstrip("/"),
            webhook_url=str(telegram.webhook_url),
            secret_token=telegram.webhook_secret.get_secret_value() if telegram.webhook_secret else None,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        await updater.start_polling(allowed_updates=Update.ALL_TYPES)
