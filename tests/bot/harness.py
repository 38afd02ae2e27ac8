"""The real bot application pointed at the fake Bot API over HTTP, and helpers the bot tests share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Update

from bot.app import BotApplication, build_application
from bot.archive import ArchiveAccess
from bot.backtest import make_backtest
from classifiers.types import Verdict
from storage.db import Database
from storage.records import StoryRecord
from storage.stories import assign_clusters, insert_stories
from storage.verdicts import record_verdicts
from tests.bot.doubles import check_rule, classify_with_rules, keyword_classify
from tests.bot.fake_telegram import TOKEN, FakeTelegram, callback_update, message_update
from tests.storage.factories import Entry
from warwatch.config import Settings
from warwatch.sources import catalogue

ADMIN_ID = 111
USER_ID = 222


def bot_settings(server: FakeTelegram, database_url: str, **delivery: Any) -> Settings:
    return Settings(
        database={"url": database_url},
        telegram={"token": TOKEN, "api_base_url": server.base_url, "admins": [ADMIN_ID]},
        delivery={
            "interval_seconds": 0.1,
            "retry_base_seconds": 0.2,
            "per_chat_interval_seconds": 0.05,
            "messages_per_second": 30,
            "digest_check_seconds": 3600,
            **delivery,
        },
        poller={"allow_private_addresses": False},
    )


def flag_story(
    database: Database, title: str, *, summary: str = "", score: float = 0.9, **entry: Any
) -> StoryRecord:
    """Store a story and a positive verdict, which queues its alerts (as the pipeline does)."""
    with database.session() as session:
        [story] = insert_stories(session, None, [Entry(title, summary, **entry)])
        assign_clusters(session, {story.id: story.id})
        verdict = Verdict(score, True, {"summary": f"test reason for {title[:40]}"}, "test", "1")
        record_verdicts(session, [(story.id, verdict)])
    return story


@dataclass
class BotHarness:
    server: FakeTelegram
    app: BotApplication
    database: Database

    async def ask(self, text: str, *, chat_id: int = USER_ID, replies: int = 1, **options: Any) -> list[str]:
        """Send a message as a user and return the texts of the next ``replies`` messages to that chat."""
        before = len(self.server.sent(chat_id))
        await self.server.push(message_update(text, chat_id=chat_id, **options))
        await self.server.wait_for(lambda: len(self.server.sent(chat_id)) >= before + replies)
        return [call.params["text"] for call in self.server.sent(chat_id)[before : before + replies]]

    async def press(
        self, data: str, *, chat_id: int = USER_ID, user_id: int = USER_ID, **options: Any
    ) -> str:
        """Press a button; returns the text of the callback answer."""
        before = len(self.server.calls_to("answerCallbackQuery"))
        await self.server.push(callback_update(data, chat_id=chat_id, user_id=user_id, **options))
        await self.server.wait_for(lambda: len(self.server.calls_to("answerCallbackQuery")) > before)
        return str(self.server.calls_to("answerCallbackQuery")[before].params.get("text", ""))

    async def settle(self) -> None:
        """Wait until every queued update has been fetched and handled."""
        await self.server.wait_for(lambda: not self.server._updates and self.app.update_queue.empty())
        await self.server.wait_for(lambda: not self.server._updates, within=3)


async def start_bot(
    settings: Settings,
    database: Database,
    *,
    poll_timeout: float = 1,
    archive_access: ArchiveAccess | None = None,
) -> BotApplication:
    backtest = make_backtest(database, classify_with_rules, 0.5, 500)
    app = build_application(
        settings.for_bot(),
        database,
        keyword_classify,
        backtest=backtest,
        check_rule=check_rule,
        catalogue=catalogue,
        archive_access=archive_access,
    )
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES)
    return app


async def stop_bot(app: BotApplication) -> None:
    assert app.updater is not None
    await app.updater.stop()
    await app.stop()
    await app.shutdown()
