"""Chats that receive alerts, and their settings."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.db import rows_changed
from storage.models import Alert, Subscriber
from storage.records import SubscriberRecord
from storage.states import AlertStatus

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


PREFERENCE_FIELDS = frozenset(
    {"min_score", "languages", "keywords", "countries", "muted_outlets", "mode", "digest_hour", "muted_until"}
)


def _by_chat(session: Session, chat_id: int) -> Subscriber | None:
    return session.scalar(select(Subscriber).where(Subscriber.chat_id == chat_id))


def get_subscriber(session: Session, chat_id: int) -> SubscriberRecord | None:
    subscriber = _by_chat(session, chat_id)
    return subscriber_record(subscriber) if subscriber else None


def subscribe(
    session: Session, chat_id: int, *, chat_type: str, title: str | None
) -> tuple[SubscriberRecord, bool]:
    """Start (or restart) alerts for a chat, keeping its old settings; True when it was not active."""
    subscriber = _by_chat(session, chat_id)
    started = subscriber is None or not subscriber.active
    if subscriber is None:
        subscriber = Subscriber(chat_id=chat_id)
        session.add(subscriber)
    subscriber.active = True
    subscriber.chat_type = chat_type[:16]
    subscriber.title = title[:255] if title else subscriber.title
    session.flush()
    return subscriber_record(subscriber), started


def unsubscribe(session: Session, chat_id: int) -> bool:
    """Stop alerts for a chat and skip what it has pending; False when it was not subscribed."""
    subscriber = _by_chat(session, chat_id)
    if subscriber is None or not subscriber.active:
        return False
    subscriber.active = False
    _close_pending(session, subscriber.id, AlertStatus.SKIPPED, "unsubscribed")
    return True


def update_preferences(session: Session, chat_id: int, **changes: object) -> SubscriberRecord | None:
    """Change a chat's alert preferences (only PREFERENCE_FIELDS); None if it never subscribed."""
    unknown = set(changes) - PREFERENCE_FIELDS
    if unknown:
        raise ValueError(f"not subscriber settings: {sorted(unknown)}")
    subscriber = _by_chat(session, chat_id)
    if subscriber is None:
        return None
    for name, value in changes.items():
        setattr(subscriber, name, list(value) if isinstance(value, tuple) else value)
    session.flush()
    return subscriber_record(subscriber)


def deactivate_subscriber(session: Session, subscriber_id: int, *, reason: str) -> int:
    """The chat is gone (bot blocked or kicked): stop alerts and fail its pending ones; returns how many."""
    subscriber = session.get(Subscriber, subscriber_id)
    if subscriber is None:
        return 0
    subscriber.active = False
    return _close_pending(session, subscriber_id, AlertStatus.FAILED, reason)


def migrate_chat(session: Session, subscriber_id: int, new_chat_id: int) -> bool:
    """A group became a supergroup: follow it to its new id. False (and the old row is retired, its
    pending alerts skipped) when the new id is already subscribed on its own."""
    subscriber = session.get_one(Subscriber, subscriber_id)
    if _by_chat(session, new_chat_id) is not None:
        subscriber.active = False
        _close_pending(session, subscriber_id, AlertStatus.SKIPPED, f"chat migrated to {new_chat_id}")
        return False
    subscriber.chat_id = new_chat_id
    subscriber.chat_type = "supergroup"
    return True


def _close_pending(session: Session, subscriber_id: int, status: AlertStatus, reason: str) -> int:
    return rows_changed(
        session,
        update(Alert)
        .where(Alert.subscriber_id == subscriber_id, Alert.status == AlertStatus.PENDING)
        .values(status=status, last_error=reason),
    )
