"""Daily digests: chats in digest mode get their pending alerts in one message a day at their hour.

No extra state is stored: a chat is due when its digest hour has passed today (UTC) and nothing was
sent to it since then. Alerts are marked sent per message part, right after Telegram confirms it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy.orm import Session
from telegram.error import RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.context import BotContext, Services
from bot.delivery import (
    ChatRetiredError,
    Delivery,
    Failure,
    classify_failure,
    skip_reason,
)
from bot.ratelimit import retry_after_seconds
from bot.render import render_digest
from storage.outbox import DigestCandidate, digest_candidates, mark_final, mark_sent, pending_for
from storage.records import SubscriberRecord
from storage.states import AlertStatus
from storage.subscribers import deactivate_subscriber

log = structlog.get_logger(__name__)
DEFAULT_DIGEST_HOUR = 8
MAX_DIGEST_ALERTS = 200  # a longer backlog goes out over the following days


def digest_hour(subscriber: SubscriberRecord) -> int:
    return DEFAULT_DIGEST_HOUR if subscriber.digest_hour is None else subscriber.digest_hour


def digest_due(candidate: DigestCandidate, now: datetime) -> bool:
    """True once the chat's hour has come today and it has had nothing from us since."""
    due_at = now.replace(hour=digest_hour(candidate.subscriber), minute=0, second=0, microsecond=0)
    if due_at > now:
        due_at -= timedelta(days=1)
    return candidate.last_sent_at is None or candidate.last_sent_at < due_at


def _mark_part_sent(session: Session, alert_ids: list[int], message_id: int, sent_at: datetime) -> None:
    for alert_id in alert_ids:
        mark_sent(session, alert_id, message_id=message_id, sent_at=sent_at)


def _skip_all(session: Session, skipped: list[tuple[int, str]]) -> None:
    for alert_id, reason in skipped:
        mark_final(session, alert_id, AlertStatus.SKIPPED, error=reason)


@dataclass
class Digests:
    """The digest job; sends through the delivery's pacing and error rules."""

    services: Services
    delivery: Delivery

    async def run_job(self, context: BotContext) -> int:
        """Job body: send the digests that are due."""
        return await self.run(context.bot)

    async def run(self, bot: ExtBot[None], now: datetime | None = None) -> int:
        """Send every due digest; returns how many chats got one."""
        now = now or datetime.now(UTC)
        candidates = await self.services.db(digest_candidates)
        sent = 0
        for candidate in candidates:
            if digest_due(candidate, now):
                sent += await self._send(bot, candidate, now)
        return sent

    async def _send(self, bot: ExtBot[None], candidate: DigestCandidate, now: datetime) -> bool:
        subscriber = candidate.subscriber
        items = await self.services.db(pending_for, subscriber.id, limit=MAX_DIGEST_ALERTS)
        reasons = [(item, skip_reason(item, now)) for item in items]
        skipped = [(item.job.alert_id, reason) for item, reason in reasons if reason]
        if skipped:
            await self.services.db(_skip_all, skipped)
        jobs = [item.job for item, reason in reasons if not reason]
        if not jobs:
            return False
        for text, alert_ids in render_digest(jobs, now):
            try:
                message = await self.delivery.send(bot, subscriber, [text], None)
            except (TelegramError, ChatRetiredError) as error:
                await self._failed(subscriber.id, subscriber.chat_id, error)
                return False
            await self.services.db(_mark_part_sent, alert_ids, message.message_id, datetime.now(UTC))
        log.info("digest_sent", chat_id=subscriber.chat_id, alerts=len(jobs))
        return True

    async def _failed(
        self, subscriber_id: int, chat_id: int, error: TelegramError | ChatRetiredError
    ) -> None:
        """A chat that is gone is deactivated; anything else is retried at the next digest check."""
        gone = isinstance(error, ChatRetiredError) or classify_failure(error) is Failure.CHAT_GONE
        if gone:
            await self.services.db(deactivate_subscriber, subscriber_id, reason=str(error))
        elif isinstance(error, RetryAfter):
            self.delivery.pacer.hold(chat_id, retry_after_seconds(error))
        log.warning("digest_failed", chat_id=chat_id, error=str(error), chat_gone=gone)
