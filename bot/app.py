"""Wiring: the one place that builds the Telegram application, its handlers, error handler and jobs."""

from __future__ import annotations

from typing import Any

import structlog
from telegram import BotCommand, Update
from telegram.error import RetryAfter, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import (
    admin,
    archive,
    cases,
    export,
    handlers_buttons,
    handlers_preferences,
    handlers_user,
    sources,
    storylines,
    trends,
)
from bot.archive import ArchiveAccess
from bot.backtest import Backtest
from bot.callbacks import Action, CallbackCodec
from bot.context import BotContext, BotData, ClassifyBatch, RuleCheck, Services
from bot.delivery import Delivery
from bot.digest import Digests
from bot.jobs import ExclusiveJob
from bot.notices import NOTICE_JOB, NoticeDelivery
from bot.ratelimit import rate_limiter, retry_after_seconds
from bot.replies import reply_html
from bot.settings import BotSettings
from bot.sources import Catalogue
from bot.spikes import SPIKE_JOB, SpikeDelivery
from bot.updates import UpdatesRequest
from storage.db import Database

log = structlog.get_logger(__name__)
DELIVERY_JOB = "delivery"  # the outbox drain's job name: the service runs it early when alerts are queued
LATE_IS_FINE = {"misfire_grace_time": None, "coalesce": True}  # a busy loop delays a job run, never drops it

BotApplication = Application[Any, BotContext, Any, Any, BotData, Any]
TELEGRAM_API = "https://api.telegram.org/bot"
MESSAGES = (filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST) & ~filters.FORWARDED
USER_COMMANDS = {
    "start": (handlers_user.start, "What this bot does"),
    "help": (handlers_user.help_command, "All commands"),
    "subscribe": (handlers_user.subscribe_command, "Get alerts in this chat"),
    "unsubscribe": (handlers_user.unsubscribe_command, "Stop alerts"),
    "settings": (handlers_preferences.settings_command, "Score, languages, countries, digest, mute"),
    "follow": (handlers_preferences.follow_command, "Follow a keyword"),
    "unfollow": (handlers_preferences.unfollow_command, "Stop following a keyword"),
    "search": (handlers_user.search_command, "Search stored stories"),
    "latest": (handlers_user.latest_command, "The latest alerts"),
    "export": (export.export_command, "Flagged stories with case facts, as CSV"),
    "case": (cases.case_command, "One story's case facts and evidence"),
    "trends": (trends.trends_command, "Chart: flagged stories per week by country"),
    "archive": (archive.archive_command, "Archive a story's page now; show its copies"),
    "cite": (archive.cite_command, "Cite a story's archived copy"),
    "storyline": (storylines.storyline_command, "One storyline: a case's stories across weeks"),
    "following": (storylines.following_command, "The storylines this chat follows"),
    "unfollowstoryline": (storylines.unfollow_storyline_command, "Stop following a storyline"),
}
SLOW_USER_COMMANDS = {"trends", "archive"}  # a chart, a page fetch: other updates go on meanwhile
ADMIN_COMMANDS = {
    "keywords": admin.keywords_command,
    "addkeyword": admin.add_keyword_command,
    "rmkeyword": admin.remove_keyword_command,
    "threshold": admin.threshold_command,
    "feeds": admin.feeds_command,
    "addfeed": admin.add_feed_command,
    "rmfeed": admin.remove_feed_command,
    "sources": sources.sources_command,
}
SLOW_ADMIN_COMMANDS = {
    "test": admin.test_command,
    "stats": admin.stats_command,
    "backtest": admin.backtest_command,
    "bundle": archive.bundle_command,
}
BUTTONS = {
    Action.FEEDBACK: handlers_buttons.feedback_button,
    Action.MUTE_OUTLET: handlers_buttons.mute_outlet_button,
    Action.SEARCH_PAGE: handlers_buttons.search_page_button,
    Action.SETTINGS: handlers_preferences.settings_button,
    Action.SOURCES: sources.sources_button,
    Action.STORYLINE: storylines.storyline_button,
}


def api_urls(base_url: str | None) -> tuple[str, str]:
    """PTB builds request URLs as ``base_url + token``: ``http://host:8081/bot`` becomes
    ``http://host:8081/bot<token>/getMe``. A base without ``/bot`` gets it; files are under ``/file/bot``."""
    base = (base_url or TELEGRAM_API).rstrip("/")
    if not base.endswith("/bot"):
        base += "/bot"
    return base, base.removesuffix("/bot") + "/file/bot"


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure with its traceback, and give the user a short apology instead; a reply that
    flood control holds back longer than replies wait is dropped with one line (an apology would be
    held back too)."""
    if isinstance(context.error, RetryAfter):
        chat = update.effective_chat if isinstance(update, Update) else None
        wait = retry_after_seconds(context.error)
        log.warning(
            "reply_dropped", chat_id=chat.id if chat else None, retry_after=wait, error=str(context.error)
        )
        return
    log.error("update_failed", exc_info=context.error, update=str(update)[:500] if update else None)
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer("Sorry, something went wrong. Please try again.")
        elif update.effective_message is not None:
            await reply_html(update, "Sorry, something went wrong. Please try again later.")
    except TelegramError as error:  # the apology could not be delivered either; the log has it all
        log.warning("error_reply_failed", error=str(error))


async def _set_commands(application: BotApplication) -> None:
    await application.bot.set_my_commands(
        [BotCommand(name, description) for name, (_, description) in USER_COMMANDS.items()]
    )


def build_application(
    settings: BotSettings,
    database: Database,
    classify: ClassifyBatch,
    *,
    backtest: Backtest | None = None,
    check_rule: RuleCheck | None = None,
    catalogue: Catalogue | None = None,
    archive_access: ArchiveAccess | None = None,
) -> BotApplication:
    """The bot with every handler, one error handler, and the delivery and digest jobs."""
    if settings.telegram.token is None:
        raise ValueError("a Telegram bot token is needed (TELEGRAM_BOT_TOKEN)")
    token = settings.telegram.token.get_secret_value()
    base_url, file_url = api_urls(
        str(settings.telegram.api_base_url) if settings.telegram.api_base_url else None
    )
    application = (
        Application.builder()
        .token(token)
        .base_url(base_url)
        .base_file_url(file_url)
        .context_types(ContextTypes(bot_data=BotData))
        .rate_limiter(rate_limiter(settings))
        .get_updates_request(UpdatesRequest(connection_pool_size=1))
        .post_init(_set_commands)
        .build()
    )
    services = Services(
        settings, database, classify, CallbackCodec(token), backtest, check_rule, catalogue, archive_access
    )
    delivery = Delivery(services)
    application.bot_data.attach(services, delivery)

    for name, (callback, _) in USER_COMMANDS.items():
        application.add_handler(
            CommandHandler(name, callback, filters=MESSAGES, block=name not in SLOW_USER_COMMANDS)
        )
    for name, callback in ADMIN_COMMANDS.items():
        application.add_handler(CommandHandler(name, callback, filters=MESSAGES))
    for name, callback in SLOW_ADMIN_COMMANDS.items():
        application.add_handler(CommandHandler(name, callback, filters=MESSAGES, block=False))
    application.add_handler(MessageHandler(MESSAGES & filters.COMMAND, handlers_user.unknown_command))
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & ~filters.COMMAND, handlers_user.other_message)
    )
    for action, callback in BUTTONS.items():
        application.add_handler(CallbackQueryHandler(callback, pattern=services.codec.matcher(action)))
    application.add_handler(CallbackQueryHandler(handlers_buttons.invalid_button))
    application.add_error_handler(on_error)

    digests = Digests(services, delivery)
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("python-telegram-bot was installed without the job-queue extra")
    for job, interval in (
        (ExclusiveJob(DELIVERY_JOB, delivery.run_job), settings.delivery.interval_seconds),
        (ExclusiveJob("digest", digests.run_job), settings.delivery.digest_check_seconds),
        (
            ExclusiveJob(NOTICE_JOB, NoticeDelivery(services, delivery).run_job),
            settings.delivery.interval_seconds,
        ),
        (
            ExclusiveJob(SPIKE_JOB, SpikeDelivery(services, delivery).run_job),
            settings.delivery.interval_seconds,
        ),
    ):
        job_queue.run_repeating(
            job, interval, first=min(interval, 1.0), name=job.name, job_kwargs=LATE_IS_FINE
        )
    return application
