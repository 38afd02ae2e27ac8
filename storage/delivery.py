"""What Telegram delivery needs from the outbox: fair batches of due alerts, postponing, digests."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select, true, update
from sqlalchemy.orm import Session

from storage.models import Alert, AlertStatus, DeliveryMode, Subscriber
from storage.outbox import alert_jobs
from storage.records import AlertJob, SubscriberRecord
from storage.subscribers import subscriber_record


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


def _items(session: Session, alert_ids: list[int]) -> list[OutboxItem]:
    """Jobs for these alerts; an alert whose story was pruned is skipped here, so it cannot clog the queue."""
    alerts = list(session.scalars(select(Alert).where(Alert.id.in_(alert_ids)).order_by(Alert.id)))
    jobs = alert_jobs(session, alerts)
    items: list[OutboxItem] = []
    for alert in alerts:
        job = jobs.get(alert.id)
        if job is None:
            alert.status = AlertStatus.SKIPPED
            alert.last_error = "story no longer stored"
            continue
        subscriber = session.get_one(Subscriber, alert.subscriber_id)  # loaded by alert_jobs
        items.append(OutboxItem(job, subscriber_record(subscriber)))
    return items


def due_instant(
    session: Session, now: datetime, *, limit: int, per_chat: int, skip: Collection[int] = ()
) -> list[OutboxItem]:
    """Due pending alerts for instant delivery, oldest first, at most ``per_chat`` per chat.

    The per-chat cap keeps one chat's backlog from filling the batch; ``skip`` leaves out subscribers
    (chats being sent to right now). Alerts of inactive chats are included so the sender can close
    them; digest-mode chats are left to the digest job.
    """
    ranked = (
        select(
            Alert.id.label("alert_id"),
            func.row_number().over(partition_by=Alert.subscriber_id, order_by=Alert.id).label("rank"),
        )
        .join(Subscriber, Subscriber.id == Alert.subscriber_id)
        .where(Alert.status == AlertStatus.PENDING, _is_due(now))
        .where((Subscriber.mode == DeliveryMode.INSTANT) | Subscriber.active.is_(False))
        .where(Alert.subscriber_id.not_in(skip) if skip else true())
        .subquery()
    )
    statement = select(ranked.c.alert_id).where(ranked.c.rank <= per_chat).order_by(ranked.c.alert_id)
    return _items(session, list(session.scalars(statement.limit(limit))))


def postpone(session: Session, alert_id: int, *, until: datetime, error: str) -> None:
    """Try again later without spending an attempt: Telegram asked us to wait (429)."""
    session.execute(
        update(Alert)
        .where(Alert.id == alert_id, Alert.status == AlertStatus.PENDING)
        .values(next_attempt_at=until, last_error=error[:2000])
    )


def postpone_chat(session: Session, subscriber_id: int, *, until: datetime) -> int:
    """Hold every pending alert of one chat until ``until`` (a 429 for that chat); returns how many."""
    result = session.execute(
        update(Alert)
        .where(Alert.subscriber_id == subscriber_id, Alert.status == AlertStatus.PENDING)
        .where(Alert.next_attempt_at.is_(None) | (Alert.next_attempt_at < until))
        .values(next_attempt_at=until)
    )
    return result.rowcount or 0


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
        select(Alert.id)
        .where(Alert.subscriber_id == subscriber_id, Alert.status == AlertStatus.PENDING)
        .order_by(Alert.id)
        .limit(limit)
    )
    return _items(session, list(session.scalars(statement)))
