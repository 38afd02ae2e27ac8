"""Chats that receive alerts, and their settings."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Subscriber
from storage.records import SubscriberRecord

CONSOLE_CHAT_ID = 0  # no Telegram chat has id 0: the console stands in for one when there is no token


def subscriber_record(subscriber: Subscriber) -> SubscriberRecord:
    return SubscriberRecord(
        id=subscriber.id,
        chat_id=subscriber.chat_id,
        chat_type=subscriber.chat_type,
        title=subscriber.title,
        active=subscriber.active,
        min_score=subscriber.min_score,
        languages=tuple(subscriber.languages),
        keywords=tuple(subscriber.keywords),
        countries=tuple(subscriber.countries),
        muted_outlets=tuple(subscriber.muted_outlets),
        mode=subscriber.mode,
        digest_hour=subscriber.digest_hour,
        muted_until=subscriber.muted_until,
    )


def set_console_subscriber(session: Session, *, active: bool) -> None:
    """Switch the console pseudo-chat on (no Telegram token) or off (Telegram takes over)."""
    subscriber = session.scalar(select(Subscriber).where(Subscriber.chat_id == CONSOLE_CHAT_ID))
    if subscriber is None:
        if not active:
            return
        subscriber = Subscriber(chat_id=CONSOLE_CHAT_ID, chat_type="console", title="console")
        session.add(subscriber)
    subscriber.active = active
