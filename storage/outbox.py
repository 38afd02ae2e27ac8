"""The alert outbox, the one place every channel reads and closes alerts: due batches (console and
Telegram alike, each with its chat filter), digests, postponing, and sent/retry/final marks."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select, true, update
from sqlalchemy.orm import Session

from storage.db import rows_changed
from storage.models import Alert, Classification, Feed, Story, StorylineStory, Subscriber
from storage.records import AlertJob, SubscriberRecord
from storage.states import AlertStatus, DeliveryMode
from storage.stories import cluster_outlets, story_record
from storage.subscribers import subscriber_record


def _queued_verdicts(session: Session, alerts: Sequence[Alert]) -> dict[int, Classification]:
    """Each alert's verdict by alert id, in one query: the verdict it was queued for, else (queued
    before alerts kept theirs, or that verdict pruned) its story's latest."""
    kept = {alert.classification_id for alert in alerts if alert.classification_id is not None}
    newest = (
        select(func.max(Classification.id))
        .where(Classification.story_id.in_({alert.story_id for alert in alerts}))
        .group_by(Classification.story_id)
    )
    rows = session.scalars(
        select(Classification).where(Classification.id.in_(kept) | Classification.id.in_(newest))
    )
    by_id = {verdict.id: verdict for verdict in rows}
    latest: dict[int, Classification] = {}
    for verdict in sorted(by_id.values(), key=lambda verdict: verdict.id):
        latest[verdict.story_id] = verdict
    verdicts: dict[int, Classification] = {}
    for alert in alerts:
        queued = by_id.get(alert.classification_id) if alert.classification_id is not None else None
        fallback = latest.get(alert.story_id) if alert.story_id is not None else None
        chosen = queued or fallback
        if chosen is not None:
            verdicts[alert.id] = chosen
    return verdicts


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One pending alert with the chat settings that decide, at send time, whether it goes out."""

    job: AlertJob
    subscriber: SubscriberRecord


@dataclass(frozen=True, slots=True)
class DigestCandidate:
    """A digest-mode chat with alerts waiting, and when it last got anything from us."""

    subscriber: SubscriberRecord
    pending: int
    last_sent_at: datetime | None


def _is_due(now: datetime) -> ColumnElement[bool]:
    return Alert.next_attempt_at.is_(None) | (Alert.next_attempt_at <= now)


def _outbox_items(session: Session, alerts: Sequence[Alert]) -> list[OutboxItem]:
    """Everything needed to render and send these alerts, in five queries whatever their number.

    An alert whose story has been pruned (or whose chat is gone) is closed as skipped here, so it
    cannot clog the queue.
    """
    stories: dict[int, Story] = {}
    storylines: dict[int, int] = {}  # story id -> its storyline, read with the story
    for row, storyline_id in session.execute(
        select(Story, StorylineStory.storyline_id)
        .outerjoin(StorylineStory, StorylineStory.story_id == Story.id)
        .where(Story.id.in_({a.story_id for a in alerts}))
    ):
        stories[row.id] = row
        if storyline_id is not None:
            storylines[row.id] = storyline_id
    subscribers = {
        subscriber.id: subscriber
        for subscriber in session.scalars(
            select(Subscriber).where(Subscriber.id.in_({a.subscriber_id for a in alerts}))
        )
    }
    verdicts = _queued_verdicts(session, alerts)
    feed_ids = {story.feed_id for story in stories.values() if story.feed_id is not None}
    rows = session.execute(select(Feed.id, Feed.name).where(Feed.id.in_(feed_ids)))
    feed_names = {feed_id: name for feed_id, name in rows}
    outlets = cluster_outlets(session, {story.cluster_id or story.id for story in stories.values()})
    items: list[OutboxItem] = []
    for alert in alerts:
        story = stories.get(alert.story_id) if alert.story_id else None
        subscriber = subscribers.get(alert.subscriber_id)
        if story is None or subscriber is None:
            alert.status = AlertStatus.SKIPPED
            alert.last_error = "story no longer stored" if story is None else "chat no longer stored"
            continue
        verdict = verdicts.get(alert.id)
        others = outlets.get(story.cluster_id or story.id, [])
        job = AlertJob(
            alert_id=alert.id,
            status=alert.status,
            attempts=alert.attempts,
            chat_id=subscriber.chat_id,
            subscriber_id=subscriber.id,
            story=story_record(story),
            score=verdict.score if verdict else None,
            reasons=verdict.reasons if verdict else {},
            also_reported_by=tuple(
                sorted(
                    {outlet for story_id, outlet in others if story_id != story.id and outlet != story.outlet}
                )
            ),
            feed_name=feed_names.get(story.feed_id) if story.feed_id is not None else None,
            storyline_id=storylines.get(story.id),
            development=alert.storyline_id is not None,
        )
        items.append(OutboxItem(job, subscriber_record(subscriber)))
    return items


def due_alerts(
    session: Session,
    now: datetime,
    limit: int,
    *,
    chat_id: int | None = None,
    per_chat: int | None = None,
    skip: Collection[int] = (),
) -> list[OutboxItem]:
    """Due pending alerts for instant delivery, oldest first: the one outbox read of every channel.

    ``chat_id`` keeps one chat's alerts (the console reads only its own, so a tokenless run never
    takes a Telegram chat's); ``per_chat`` caps each chat's share so one backlog cannot fill the
    batch; ``skip`` leaves out subscribers (chats being sent to right now). Alerts of inactive
    chats are included so the sender can close them; digest-mode chats are left to the digest job.
    """
    rank = func.row_number().over(partition_by=Alert.subscriber_id, order_by=Alert.id).label("rank")
    ranked = (
        select(Alert.id.label("alert_id"), rank)
        .join(Subscriber, Subscriber.id == Alert.subscriber_id)
        .where(Alert.status == AlertStatus.PENDING, _is_due(now))
        .where((Subscriber.mode == DeliveryMode.INSTANT) | Subscriber.active.is_(False))
        .where(Subscriber.chat_id == chat_id if chat_id is not None else true())
        .where(Alert.subscriber_id.not_in(skip) if skip else true())
        .subquery()
    )
    statement = (
        select(Alert)
        .join(ranked, ranked.c.alert_id == Alert.id)
        .where(ranked.c.rank <= per_chat if per_chat is not None else true())
        .order_by(Alert.id)
        .limit(limit)
    )
    return _outbox_items(session, list(session.scalars(statement)))


def postpone_chat(session: Session, subscriber_id: int, *, until: datetime) -> int:
    """Hold every pending alert of one chat until ``until`` (a 429 for that chat); returns how many."""
    return rows_changed(
        session,
        update(Alert)
        .where(Alert.subscriber_id == subscriber_id, Alert.status == AlertStatus.PENDING)
        .where(Alert.next_attempt_at.is_(None) | (Alert.next_attempt_at < until))
        .values(next_attempt_at=until),
    )


def digest_candidates(session: Session) -> list[DigestCandidate]:
    """Active digest-mode chats that have pending alerts."""
    pending = (
        select(Alert.subscriber_id, func.count(Alert.id).label("n"))
        .where(Alert.status == AlertStatus.PENDING)
        .group_by(Alert.subscriber_id)
        .subquery()
    )
    last_sent = (
        select(Alert.subscriber_id, func.max(Alert.sent_at).label("at"))
        .where(Alert.status == AlertStatus.SENT)
        .group_by(Alert.subscriber_id)
        .subquery()
    )
    statement = (
        select(Subscriber, pending.c.n, last_sent.c.at)
        .join(pending, pending.c.subscriber_id == Subscriber.id)
        .outerjoin(last_sent, last_sent.c.subscriber_id == Subscriber.id)
        .where(Subscriber.active.is_(True), Subscriber.mode == DeliveryMode.DIGEST)
        .order_by(Subscriber.id)
    )
    return [
        DigestCandidate(subscriber_record(subscriber), count, last_sent_at)
        for subscriber, count, last_sent_at in session.execute(statement)
    ]


def pending_for(session: Session, subscriber_id: int, *, limit: int) -> list[OutboxItem]:
    """A chat's pending alerts, oldest first, whatever their retry time: what its digest lists."""
    statement = (
        select(Alert)
        .where(Alert.subscriber_id == subscriber_id, Alert.status == AlertStatus.PENDING)
        .order_by(Alert.id)
        .limit(limit)
    )
    return _outbox_items(session, list(session.scalars(statement)))


def mark_sent(session: Session, alert_id: int, *, message_id: int | None, sent_at: datetime) -> None:
    alert = session.get_one(Alert, alert_id)
    alert.status = AlertStatus.SENT
    alert.attempts += 1
    alert.message_id = message_id
    alert.sent_at = sent_at
    alert.last_error = None


def mark_retry(session: Session, alert_id: int, *, error: str, next_attempt_at: datetime) -> None:
    alert = session.get_one(Alert, alert_id)
    alert.attempts += 1
    alert.last_error = error[:2000]
    alert.next_attempt_at = next_attempt_at


def mark_final(session: Session, alert_id: int, status: AlertStatus, *, error: str | None = None) -> None:
    """Close an alert as FAILED or SKIPPED; it will not be sent again."""
    alert = session.get_one(Alert, alert_id)
    alert.status = status
    alert.last_error = error[:2000] if error else None
