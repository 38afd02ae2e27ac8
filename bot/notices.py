"""Delivers the archive's "this story was edited / removed" notices to the chats that got the
story's alert, through the delivery's own sender (pacing, flood control, migrated chats)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import structlog
from telegram.error import RetryAfter, TelegramError

from bot.context import BotContext, Services
from bot.delivery import Delivery, chat_skip_reason, retry_delay
from bot.render import esc, link, split_html
from storage.archive_notices import (
    NoticeItem,
    due_notices,
    mark_notice_final,
    mark_notice_retry,
    mark_notice_sent,
)
from storage.states import AlertStatus, SnapshotOutcome

log = structlog.get_logger(__name__)
NOTICE_JOB = "archive_notices"


def render_notice(item: NoticeItem) -> str:
    """⚠️ this story was edited / removed — archived copy kept; with what changed and when."""
    if item.outcome is SnapshotOutcome.EDITED:
        head, detail = "edited", f"{item.changed_words} words changed"
    else:
        head, detail = "removed", esc(item.note or "gone")
    since = f" since the copy of {item.captured_at:%Y-%m-%d %H:%M} UTC" if item.captured_at else ""
    return (
        f"⚠️ <b>This story was {head}</b> — archived copy kept\n"
        f"{link(item.url, item.title)}\n"
        f"{detail}{since} (seen {item.seen_at:%Y-%m-%d %H:%M} UTC). "
        f"/archive {item.story_id} shows the copies, /cite {item.story_id} cites the kept one."
    )


@dataclass
class NoticeDelivery:
    """The notices' drain, run by a repeating job as the outbox's is."""

    services: Services
    delivery: Delivery

    async def run_job(self, context: BotContext) -> int:
        settings = self.services.settings.delivery
        items = await self.services.db(due_notices, datetime.now(UTC), settings.batch_size)
        sent = 0
        for item in items:
            if not context.application.running:
                break
            sent += await self._deliver(context, item)
        return sent

    async def _deliver(self, context: BotContext, item: NoticeItem) -> int:
        now = datetime.now(UTC)
        if reason := chat_skip_reason(item.subscriber, now):
            await self.services.db(mark_notice_final, item.notice_id, AlertStatus.SKIPPED, error=reason)
            return 0
        try:
            await self.delivery.send(context.bot, item.subscriber, split_html(render_notice(item)), None)
        except TelegramError as error:
            await self._settle(item, error, now)
            return 0
        await self.services.db(mark_notice_sent, item.notice_id, sent_at=datetime.now(UTC))
        log.info("archive_notice_sent", notice_id=item.notice_id, chat_id=item.subscriber.chat_id)
        return 1

    async def _settle(self, item: NoticeItem, error: TelegramError, now: datetime) -> None:
        delay = retry_delay(error, item.attempts, self.services.settings.delivery)
        if delay is None:
            await self.services.db(mark_notice_final, item.notice_id, AlertStatus.FAILED, error=str(error))
            log.warning("archive_notice_failed", notice_id=item.notice_id, error=str(error))
            return
        if isinstance(error, RetryAfter):
            self.delivery.pacer.hold(item.subscriber.chat_id, delay)
        await self.services.db(
            mark_notice_retry,
            item.notice_id,
            error=str(error),
            next_attempt_at=now + timedelta(seconds=delay),
        )
        log.warning("archive_notice_retry", notice_id=item.notice_id, error=str(error), retry_in=delay)
