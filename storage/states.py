"""The states stored rows move through (the docs' state diagrams name these values).

Kept apart from the ORM models so that code outside ``storage/`` (the bot, the CLI) can name a
state without importing the schema.
"""

from __future__ import annotations

import enum


class FeedStatus(enum.StrEnum):
    OK = "ok"
    FAILING = "failing"
    DISABLED = "disabled"


class StoryState(enum.StrEnum):
    PENDING = "pending"  # stored, waiting for the classifier
    CLASSIFIED = "classified"  # has a verdict; alerts (if any) are in the outbox


class AlertStatus(enum.StrEnum):
    PENDING = "pending"  # waiting to be sent (or to be retried at next_attempt_at)
    SENT = "sent"  # Telegram confirmed the message
    FAILED = "failed"  # gave up after the retry budget, or the chat is gone
    SKIPPED = "skipped"  # filtered out at send time (muted, unsubscribed, digest folded it)


class DeliveryMode(enum.StrEnum):
    INSTANT = "instant"
    DIGEST = "digest"
