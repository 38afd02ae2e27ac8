"""Drains the alert outbox into Telegram: at least once, paced, and resilient to one bad chat.

An alert is marked sent only after Telegram returns the message, in its own transaction right away.
A crash between Telegram's answer and that commit re-sends the alert after restart: that window (one
HTTP response plus one small UPDATE) is the only way an alert can arrive twice. Nothing else is kept
in memory: a restart resumes from the outbox.
"""

from __future__ import annotations

import asyncio
import enum
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy.orm import Session
from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.context import BotContext, Services
from bot.keyboards import alert_keyboard
from bot.ratelimit import retry_after_seconds
from bot.render import render_alert, split_html
from bot.settings import DeliverySettings
from storage.outbox import OutboxItem, due_alerts, mark_final, mark_retry, mark_sent, postpone_chat
from storage.records import SubscriberRecord
from storage.states import AlertStatus
from storage.subscribers import CONSOLE_CHAT_ID, deactivate_subscriber, migrate_chat

log = structlog.get_logger(__name__)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_GONE_MARKERS = ("chat not found", "user is deactivated", "peer_id_invalid", "group chat was deactivated")


class Failure(enum.StrEnum):
    """What a failed send means for the alerts it carried."""

    RATE_LIMITED = "rate_limited"  # 429: wait as told, spend no attempt
    CHAT_GONE = "chat_gone"  # 403, or the chat no longer exists: deactivate the chat
    REJECTED = "rejected"  # 400 for this message only: give it up, go on with the rest
    TRANSIENT = "transient"  # network, timeouts, 5xx: retry with backoff


def classify_failure(error: TelegramError) -> Failure:
    if isinstance(error, RetryAfter):
        return Failure.RATE_LIMITED
    if isinstance(error, Forbidden):
        return Failure.CHAT_GONE
    if isinstance(error, BadRequest):
        message = error.message.lower()
        return Failure.CHAT_GONE if any(marker in message for marker in _GONE_MARKERS) else Failure.REJECTED
    return Failure.TRANSIENT  # NetworkError, TimedOut, and anything Telegram has not explained


def backoff_seconds(settings: DeliverySettings, attempts: int) -> float:
    """How long to wait after the ``attempts``-th failure: doubling from the base, capped."""
    return min(settings.retry_cap_seconds, settings.retry_base_seconds * 2**attempts)


def retry_delay(error: TelegramError, attempts: int, settings: DeliverySettings) -> float | None:
    """Seconds until a failed message that is not an alert (a notice, an admin's spike alert) is
    tried again; None when it never will be: the chat is gone or refused it, or the retry budget
    is spent. A 429 waits what Telegram asks."""
    final = classify_failure(error) in (Failure.CHAT_GONE, Failure.REJECTED)
    if final or attempts + 1 >= settings.max_attempts:
        return None
    if isinstance(error, RetryAfter):
        return retry_after_seconds(error)
    return backoff_seconds(settings, attempts)


def chat_skip_reason(subscriber: SubscriberRecord, now: datetime) -> str | None:
    """Why nothing may go to this chat now (the console, unsubscribed, muted), or None."""
    if subscriber.chat_id == CONSOLE_CHAT_ID:
        return "console chat: Telegram delivery is on"
    if not subscriber.active:
        return "chat unsubscribed"
    if subscriber.muted_until is not None and subscriber.muted_until > now:
        return "chat muted"
    return None


def skip_reason(item: OutboxItem, now: datetime) -> str | None:
    """Why an alert must not go out now (it is then closed as skipped), or None to send it."""
    if reason := chat_skip_reason(item.subscriber, now):
        return reason
    if item.job.story.outlet and item.job.story.outlet in item.subscriber.muted_outlets:
        return "outlet muted"
    return None


class ChatPacer:
    """Keeps at least ``interval`` between two messages to one chat, and honours 429 waits per chat."""

    def __init__(self, interval: float) -> None:
        self._interval = interval
        self._ready_at: dict[int, float] = {}

    async def wait(self, chat_id: int) -> None:
        delay = self._ready_at.get(chat_id, 0.0) - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    def sent(self, chat_id: int) -> None:
        now = time.monotonic()
        self._ready_at[chat_id] = max(self._ready_at.get(chat_id, 0.0), now + self._interval)
        if len(self._ready_at) > 50_000:  # forget chats whose spacing has long passed
            self._ready_at = {chat: at for chat, at in self._ready_at.items() if at > now}

    def hold(self, chat_id: int, seconds: float) -> None:
        self._ready_at[chat_id] = max(self._ready_at.get(chat_id, 0.0), time.monotonic() + seconds)


class ChatRetiredError(Exception):
    """The chat moved to an id that is subscribed separately; this subscription is closed."""


@dataclass
class Delivery:
    """The outbox drain; one per application, started by the repeating delivery job."""

    services: Services

    def __post_init__(self) -> None:
        self.pacer = ChatPacer(self.services.settings.delivery.per_chat_interval_seconds)
        self._slots = asyncio.Semaphore(self.services.settings.delivery.concurrency)

    async def run_job(self, context: BotContext) -> int:
        """Job body: drain until nothing is due, or until the application stops."""
        application = context.application
        return await self.drain(context.bot, lambda: not application.running)

    async def drain(self, bot: ExtBot[None], should_stop: Callable[[], bool] = lambda: False) -> int:
        """Send due alerts until none is due; returns how many were sent.

        Each chat's alerts go out in order in a task of their own, and the outbox is read again as
        soon as half the batch is done, never waiting for the slowest chat: a chat that is slow, or
        told to wait by a 429, holds up nobody else. Chats with a task running are not read again.
        """
        batch = self.services.settings.delivery.batch_size
        running: dict[asyncio.Task[int], Sequence[OutboxItem]] = {}  # chat task -> its alerts
        sent = 0
        while True:
            in_flight = sum(len(items) for items in running.values())
            if not should_stop() and in_flight <= batch // 2:
                busy = [items[0].subscriber.id for items in running.values()]
                for chat_items in await self._due(batch - in_flight, busy):
                    running[asyncio.create_task(self._deliver_chat(bot, chat_items))] = chat_items
            if not running:
                return sent
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                running.pop(task)
                sent += task.result()

    async def _due(self, limit: int, busy_chats: list[int]) -> list[list[OutboxItem]]:
        """Due alerts grouped by chat, leaving out the chats (subscriber ids) being sent to."""
        settings = self.services.settings.delivery
        items = await self.services.db(
            due_alerts, datetime.now(UTC), limit=limit, per_chat=settings.per_chat_burst, skip=busy_chats
        )
        by_chat: dict[int, list[OutboxItem]] = defaultdict(list)
        for item in items:
            by_chat[item.subscriber.id].append(item)
        return list(by_chat.values())

    async def _deliver_chat(self, bot: ExtBot[None], items: Sequence[OutboxItem]) -> int:
        """One chat's alerts in order; after a failure that is not about this one message, leave the
        rest for a later run (they are still pending)."""
        sent = 0
        for item in items:
            outcome = await self._deliver(bot, item)
            if outcome is True:
                sent += 1
            elif isinstance(outcome, Failure) and outcome is not Failure.REJECTED:
                break
        return sent

    async def _deliver(self, bot: ExtBot[None], item: OutboxItem) -> bool | Failure:
        job = item.job
        if reason := skip_reason(item, datetime.now(UTC)):
            await self.services.db(mark_final, job.alert_id, AlertStatus.SKIPPED, error=reason)
            log.info("alert_skipped", alert_id=job.alert_id, chat_id=job.chat_id, reason=reason)
            return False
        markup = alert_keyboard(
            self.services.codec,
            job.story.id,
            has_outlet=bool(job.story.outlet),
            storyline_id=job.storyline_id,
            following=job.development,
        )
        try:
            message = await self.send(bot, item.subscriber, split_html(render_alert(job)), markup)
        except (TelegramError, ChatRetiredError) as error:
            return await self._settle(item, error)
        except Exception as error:  # a bug must not stop other alerts; retry later like a network error
            log.exception("alert_send_crashed", alert_id=job.alert_id, chat_id=job.chat_id)
            return await self._settle(item, NetworkError(f"{type(error).__name__}: {error}"))
        await self.services.db(
            mark_sent, job.alert_id, message_id=message.message_id, sent_at=datetime.now(UTC)
        )
        log.info("alert_sent", alert_id=job.alert_id, chat_id=message.chat_id, story_id=job.story.id)
        return True

    async def send(
        self,
        bot: ExtBot[None],
        subscriber: SubscriberRecord,
        parts: Sequence[str],
        markup: InlineKeyboardMarkup | None,
    ) -> Message:
        """Send the parts in order (buttons on the last), paced per chat; follows a group's migration once."""
        chat_id = subscriber.chat_id
        try:
            return await self.send_parts(bot, chat_id, parts, markup)
        except ChatMigrated as migrated:
            new_chat_id = migrated.new_chat_id
            moved = await self.services.db(migrate_chat, subscriber.id, new_chat_id)
            log.info("chat_migrated", chat_id=chat_id, new_chat_id=new_chat_id, followed=moved)
            if not moved:
                raise ChatRetiredError(f"chat moved to {new_chat_id}, subscribed on its own") from None
            return await self.send_parts(bot, new_chat_id, parts, markup)

    async def send_parts(
        self, bot: ExtBot[None], chat_id: int, parts: Sequence[str], markup: InlineKeyboardMarkup | None
    ) -> Message:
        """Send the parts to one chat id, paced (an admin's private chat: no subscription to follow)."""
        message: Message | None = None
        for index, part in enumerate(parts):
            await self.pacer.wait(chat_id)
            async with self._slots:
                try:
                    message = await bot.send_message(
                        chat_id,
                        part,
                        parse_mode=ParseMode.HTML,
                        link_preview_options=NO_PREVIEW,
                        reply_markup=markup if index == len(parts) - 1 else None,
                    )
                finally:
                    self.pacer.sent(chat_id)
        if message is None:
            raise BadRequest("empty message")
        return message

    async def _settle(self, item: OutboxItem, error: TelegramError | ChatRetiredError) -> Failure:
        """Record what a failed send means for this alert (and, for chat-wide failures, its chat)."""
        job, now = item.job, datetime.now(UTC)
        failure = Failure.CHAT_GONE if isinstance(error, ChatRetiredError) else classify_failure(error)
        fields = {"alert_id": job.alert_id, "chat_id": job.chat_id, "error": str(error)}
        if isinstance(error, RetryAfter):
            seconds = retry_after_seconds(error)
            self.pacer.hold(job.chat_id, seconds)
            await self.services.db(postpone_chat, job.subscriber_id, until=now + timedelta(seconds=seconds))
            log.warning("alert_rate_limited", retry_after=seconds, **fields)
        elif failure is Failure.CHAT_GONE:
            if isinstance(error, ChatRetiredError):
                await self.services.db(mark_final, job.alert_id, AlertStatus.SKIPPED, error=str(error))
            else:
                closed = await self.services.db(deactivate_subscriber, job.subscriber_id, reason=str(error))
                log.warning("chat_deactivated", closed_alerts=closed, **fields)
        elif failure is Failure.REJECTED:
            await self.services.db(mark_final, job.alert_id, AlertStatus.FAILED, error=str(error))
            log.error("alert_rejected", **fields)
        else:
            await self._retry_later(job.alert_id, job.attempts, str(error), now)
            log.warning("alert_retry", attempts=job.attempts + 1, **fields)
        return failure

    async def _retry_later(self, alert_id: int, attempts: int, error: str, now: datetime) -> None:
        settings = self.services.settings.delivery
        delay = backoff_seconds(settings, attempts)
        give_up = attempts + 1 >= settings.max_attempts
        await self.services.db(_record_attempt, alert_id, error, now + timedelta(seconds=delay), give_up)


def _record_attempt(session: Session, alert_id: int, error: str, retry_at: datetime, give_up: bool) -> None:
    """Count the failed attempt; past the budget, close the alert as failed."""
    mark_retry(session, alert_id, error=error, next_attempt_at=retry_at)
    if give_up:
        mark_final(session, alert_id, AlertStatus.FAILED, error=f"gave up: {error}")
