"""Verdicts and the alert outbox, written in one transaction so no alert is lost between them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Alert, AlertStatus, Classification, Story, StoryState, Subscriber
from storage.records import AlertJob
from storage.stories import story_record


class VerdictLike(Protocol):
    """What the classifier decided about one story (``classifiers.types.Verdict`` fits)."""

    score: float
    alert: bool
    reasons: dict[str, Any]
    model_name: str
    model_version: str


def _wants(subscriber: Subscriber, story: Story, score: float) -> bool:
    """A subscriber's standing filters; muting is checked at send time, not here."""
    if subscriber.min_score is not None and score < subscriber.min_score:
        return False
    if subscriber.languages and story.language not in subscriber.languages:
        return False
    text = f"{story.title} {story.summary}".casefold()
    followed = [*subscriber.keywords, *subscriber.countries]
    return not followed or any(term.casefold() in text for term in followed)


def _enqueue_alerts(session: Session, story: Story, score: float) -> int:
    cluster_id = story.cluster_id or story.id
    already = set(session.scalars(select(Alert.subscriber_id).where(Alert.cluster_id == cluster_id)))
    subscribers = session.scalars(select(Subscriber).where(Subscriber.active.is_(True)))
    new = [
        Alert(story_id=story.id, cluster_id=cluster_id, subscriber_id=subscriber.id)
        for subscriber in subscribers
        if subscriber.id not in already and _wants(subscriber, story, score)
    ]
    session.add_all(new)
    return len(new)


def record_verdicts(session: Session, verdicts: Sequence[tuple[int, VerdictLike]]) -> int:
    """Store each story's verdict, mark it classified, and queue alerts for the positive ones.

    Alerts go out once per story cluster and chat (a unique constraint backs this up).
    Returns the number of alerts queued.
    """
    queued = 0
    for story_id, verdict in verdicts:
        story = session.get(Story, story_id)
        if story is None:  # pruned meanwhile
            continue
        session.add(
            Classification(
                story_id=story_id,
                score=verdict.score,
                alert=verdict.alert,
                model_name=verdict.model_name,
                model_version=verdict.model_version,
                reasons=verdict.reasons,
            )
        )
        story.state = StoryState.CLASSIFIED
        if verdict.alert:
            queued += _enqueue_alerts(session, story, verdict.score)
    session.flush()
    return queued


def _also_reported_by(session: Session, story: Story) -> tuple[str, ...]:
    cluster_id = story.cluster_id or story.id
    outlets = session.scalars(
        select(Story.outlet)
        .where(Story.cluster_id == cluster_id, Story.id != story.id, Story.outlet.is_not(None))
        .distinct()
    )
    return tuple(sorted({outlet for outlet in outlets if outlet and outlet != story.outlet}))


def _latest_classification(session: Session, story_id: int) -> Classification | None:
    statement = (
        select(Classification)
        .where(Classification.story_id == story_id)
        .order_by(Classification.id.desc())
        .limit(1)
    )
    return session.scalar(statement)


def alert_job(session: Session, alert: Alert) -> AlertJob | None:
    """Everything needed to render one alert; None when its story has been pruned."""
    story = session.get(Story, alert.story_id) if alert.story_id else None
    subscriber = session.get(Subscriber, alert.subscriber_id)
    if story is None or subscriber is None:
        return None
    verdict = _latest_classification(session, story.id)
    return AlertJob(
        alert_id=alert.id,
        status=alert.status,
        attempts=alert.attempts,
        chat_id=subscriber.chat_id,
        subscriber_id=subscriber.id,
        story=story_record(story),
        score=verdict.score if verdict else None,
        reasons=verdict.reasons if verdict else {},
        also_reported_by=_also_reported_by(session, story),
    )


def due_alerts(session: Session, now: datetime, limit: int) -> list[AlertJob]:
    """Pending alerts whose time has come, oldest first."""
    statement = (
        select(Alert)
        .where(Alert.status == AlertStatus.PENDING)
        .where((Alert.next_attempt_at.is_(None)) | (Alert.next_attempt_at <= now))
        .order_by(Alert.id)
        .limit(limit)
    )
    jobs = (alert_job(session, alert) for alert in session.scalars(statement))
    return [job for job in jobs if job is not None]


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
