"""The queue of "this story was edited / removed" notices: read by the console and by the bot's
delivery job, each with its chat filter, and closed as alerts are (sent, retried, final)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from storage.models import ArchiveNotice, Snapshot, StoryArchive, Subscriber
from storage.records import SubscriberRecord
from storage.states import AlertStatus, SnapshotOutcome
from storage.subscribers import subscriber_record

MAX_ERROR_CHARS = 2000


@dataclass(frozen=True, slots=True)
class NoticeItem:
    """One pending notice with what its message says."""

    notice_id: int
    attempts: int
    subscriber: SubscriberRecord
    story_id: int
    title: str
    url: str
    outcome: SnapshotOutcome  # edited or removed
    note: str | None  # why the page counts as removed
    changed_words: int
    seen_at: datetime  # when the re-check found it
    captured_at: datetime | None  # when the archived copy was taken


def due_notices(
    session: Session, now: datetime, limit: int, *, chat_id: int | None = None
) -> list[NoticeItem]:
    """Due pending notices, oldest first; ``chat_id`` keeps one chat's (the console's)."""
    statement = (
        select(ArchiveNotice, Subscriber, Snapshot, StoryArchive)
        .join(Subscriber, Subscriber.id == ArchiveNotice.subscriber_id)
        .join(Snapshot, Snapshot.id == ArchiveNotice.snapshot_id)
        .join(StoryArchive, StoryArchive.story_id == ArchiveNotice.story_id)
        .where(ArchiveNotice.status == AlertStatus.PENDING)
        .where(ArchiveNotice.next_attempt_at.is_(None) | (ArchiveNotice.next_attempt_at <= now))
        .where(Subscriber.chat_id == chat_id if chat_id is not None else true())
        .order_by(ArchiveNotice.id)
        .limit(limit)
    )
    return [
        NoticeItem(
            notice_id=notice.id,
            attempts=notice.attempts,
            subscriber=subscriber_record(subscriber),
            story_id=archive.story_id,
            title=archive.title,
            url=archive.url,
            outcome=snapshot.outcome,
            note=snapshot.note,
            changed_words=snapshot.changed_words,
            seen_at=snapshot.retrieved_at,
            captured_at=archive.captured_at,
        )
        for notice, subscriber, snapshot, archive in session.execute(statement)
    ]


def mark_notice_sent(session: Session, notice_id: int, *, sent_at: datetime) -> None:
    notice = session.get_one(ArchiveNotice, notice_id)
    notice.status, notice.sent_at, notice.last_error = AlertStatus.SENT, sent_at, None
    notice.attempts += 1


def mark_notice_retry(session: Session, notice_id: int, *, error: str, next_attempt_at: datetime) -> None:
    notice = session.get_one(ArchiveNotice, notice_id)
    notice.attempts += 1
    notice.last_error = error[:MAX_ERROR_CHARS]
    notice.next_attempt_at = next_attempt_at


def mark_notice_final(
    session: Session, notice_id: int, status: AlertStatus, *, error: str | None = None
) -> None:
    """Close a notice as FAILED or SKIPPED; it will not be sent again."""
    notice = session.get_one(ArchiveNotice, notice_id)
    notice.status = status
    notice.last_error = error[:MAX_ERROR_CHARS] if error else None
