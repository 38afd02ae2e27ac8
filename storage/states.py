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


class StorylineState(enum.StrEnum):
    OPEN = "open"  # a story joined within the window: later stories may join it
    DORMANT = "dormant"  # none joined within the window: a later story starts a storyline of its own
    MERGED = "merged"  # a story linked it to an older storyline, which took its stories and followers


class ArchiveState(enum.StrEnum):
    """Where a story's archive stands (docs/architecture.md draws the moves)."""

    PENDING = "pending"  # no copy kept yet: fetched at next_check_at (retried with back-off)
    WATCHING = "watching"  # a copy is kept; re-checked at next_check_at
    DONE = "done"  # every re-check done, or the page is gone: nothing more to fetch
    FAILED = "failed"  # no copy could be kept (retry budget spent, or a failure no retry mends)


class PageState(enum.StrEnum):
    """What the last look found of the page itself, since its first copy."""

    LIVE = "live"
    EDITED = "edited"  # its text changed materially at some re-check
    REMOVED = "removed"  # 404/410, or redirected to another host or the site's front page


class SnapshotOutcome(enum.StrEnum):
    """What one successful look at a page found (a failed look is counted, not stored)."""

    CAPTURED = "captured"
    UNCHANGED = "unchanged"
    EDITED = "edited"
    REMOVED = "removed"
