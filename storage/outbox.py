"""Verdicts and the alert outbox, written in one transaction so no alert is lost between them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Alert, AlertStatus, Classification, Feed, Story, StoryState, Subscriber
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


def _enqueue_alerts(session: Session, flagged: Sequence[tuple[Story, float]]) -> int:
    """Queue an alert per flagged story and wanting chat, unless the chat already has the story's cluster."""
    if not flagged:
        return 0
    subscribers = list(session.scalars(select(Subscriber).where(Subscriber.active.is_(True))))
    clusters = {story.cluster_id or story.id for story, _ in flagged}
    rows = session.execute(
        select(Alert.cluster_id, Alert.subscriber_id).where(Alert.cluster_id.in_(clusters))
    )
    taken = {(cluster_id, subscriber_id) for cluster_id, subscriber_id in rows}
    new: list[Alert] = []
    for story, score in flagged:
        cluster_id = story.cluster_id or story.id
        for subscriber in subscribers:
            if (cluster_id, subscriber.id) not in taken and _wants(subscriber, story, score):
                taken.add((cluster_id, subscriber.id))  # a second story of the cluster in this batch
                new.append(Alert(story_id=story.id, cluster_id=cluster_id, subscriber_id=subscriber.id))
    session.add_all(new)
    return len(new)


def record_verdicts(session: Session, verdicts: Sequence[tuple[int, VerdictLike]]) -> int:
    """Store each story's verdict, mark it classified, and queue alerts for the positive ones.

    Alerts go out once per story cluster and chat (a unique constraint backs this up).
    Returns the number of alerts queued.
    """
    ids = [story_id for story_id, _ in verdicts]
    stories = {story.id: story for story in session.scalars(select(Story).where(Story.id.in_(ids)))}
    flagged: list[tuple[Story, float]] = []
    for story_id, verdict in verdicts:
        story = stories.get(story_id)
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
            flagged.append((story, verdict.score))
    queued = _enqueue_alerts(session, flagged)
    session.flush()
    return queued


def _latest_verdicts(session: Session, story_ids: Collection[int]) -> dict[int, Classification]:
    newest = (
        select(func.max(Classification.id))
        .where(Classification.story_id.in_(story_ids))
        .group_by(Classification.story_id)
    )
    verdicts = session.scalars(select(Classification).where(Classification.id.in_(newest)))
    return {verdict.story_id: verdict for verdict in verdicts}


def _cluster_outlets(session: Session, cluster_ids: Collection[int]) -> dict[int, list[tuple[int, str]]]:
    """(story id, outlet) of the stories in each of these clusters."""
    rows = session.execute(
        select(Story.cluster_id, Story.id, Story.outlet).where(
            Story.cluster_id.in_(cluster_ids), Story.outlet.is_not(None)
        )
    )
    outlets: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for cluster_id, story_id, outlet in rows:
        outlets[cluster_id].append((story_id, outlet))
    return outlets


def alert_jobs(session: Session, alerts: Sequence[Alert]) -> dict[int, AlertJob]:
    """Everything needed to render these alerts, by alert id, in five queries whatever their number.

    An alert whose story has been pruned has no job.
    """
    stories = {
        story.id: story
        for story in session.scalars(select(Story).where(Story.id.in_({a.story_id for a in alerts})))
    }
    subscribers = {
        subscriber.id: subscriber
        for subscriber in session.scalars(
            select(Subscriber).where(Subscriber.id.in_({a.subscriber_id for a in alerts}))
        )
    }
    verdicts = _latest_verdicts(session, stories.keys())
    feed_ids = {story.feed_id for story in stories.values() if story.feed_id is not None}
    rows = session.execute(select(Feed.id, Feed.name).where(Feed.id.in_(feed_ids)))
    feed_names = {feed_id: name for feed_id, name in rows}
    outlets = _cluster_outlets(session, {story.cluster_id or story.id for story in stories.values()})
    jobs: dict[int, AlertJob] = {}
    for alert in alerts:
        story = stories.get(alert.story_id) if alert.story_id else None
        subscriber = subscribers.get(alert.subscriber_id)
        if story is None or subscriber is None:
            continue
        verdict = verdicts.get(story.id)
        others = outlets.get(story.cluster_id or story.id, [])
        jobs[alert.id] = AlertJob(
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
        )
    return jobs


def due_alerts(session: Session, now: datetime, limit: int, *, chat_id: int | None = None) -> list[AlertJob]:
    """Pending alerts whose time has come, oldest first; with ``chat_id``, only that chat's, so a
    channel (the console) never takes, and marks sent, alerts that belong to another (Telegram chats)."""
    statement = (
        select(Alert)
        .where(Alert.status == AlertStatus.PENDING)
        .where((Alert.next_attempt_at.is_(None)) | (Alert.next_attempt_at <= now))
        .order_by(Alert.id)
        .limit(limit)
    )
    if chat_id is not None:
        statement = statement.join(Subscriber, Subscriber.id == Alert.subscriber_id).where(
            Subscriber.chat_id == chat_id
        )
    alerts = list(session.scalars(statement))
    jobs = alert_jobs(session, alerts)
    return [jobs[alert.id] for alert in alerts if alert.id in jobs]


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
