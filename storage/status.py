"""One read of how the service is doing: feeds, the classifier's backlog, the outbox, latest activity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.feeds import poll_schedule
from storage.models import Alert, AlertStatus, Feed, Story, StoryState, Subscriber
from storage.records import FeedHealth, PollSchedule, feed_health
from storage.subscribers import CONSOLE_CHAT_ID


@dataclass(frozen=True, slots=True)
class ServiceStatus:
    feeds: dict[str, int]  # by FeedHealth value: ok, erroring (last poll failed), failing, disabled
    last_poll_at: datetime | None
    polling: PollSchedule  # feeds due now and the next to fall due
    last_story_at: datetime | None
    stories: int
    stories_pending: int  # waiting for the classifier
    alerts: dict[str, int]  # by AlertStatus value
    oldest_pending_alert_at: datetime | None
    last_alert_sent_at: datetime | None
    subscribers: int


def _by_status(session: Session, column: object) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).group_by(column))
    return {str(getattr(status, "value", status)): int(count) for status, count in rows}


def _feeds_by_health(session: Session) -> dict[str, int]:
    counts = dict.fromkeys((health.value for health in FeedHealth), 0)
    rows = session.execute(
        select(Feed.status, Feed.error_count, func.count()).group_by(Feed.status, Feed.error_count)
    )
    for status, error_count, count in rows:
        counts[feed_health(status, error_count).value] += int(count)
    return counts


def service_status(session: Session, now: datetime | None = None) -> ServiceStatus:
    alerts = _by_status(session, Alert.status)
    return ServiceStatus(
        feeds=_feeds_by_health(session),
        last_poll_at=session.scalar(select(func.max(Feed.last_polled_at))),
        polling=poll_schedule(session, now or datetime.now(UTC)),
        last_story_at=session.scalar(select(func.max(Story.fetched_at))),
        stories=session.scalar(select(func.count(Story.id))) or 0,
        stories_pending=session.scalar(select(func.count(Story.id)).where(Story.state == StoryState.PENDING))
        or 0,
        alerts={status.value: alerts.get(status.value, 0) for status in AlertStatus},
        oldest_pending_alert_at=session.scalar(
            select(func.min(Alert.created_at)).where(Alert.status == AlertStatus.PENDING)
        ),
        last_alert_sent_at=session.scalar(select(func.max(Alert.sent_at))),
        subscribers=session.scalar(
            select(func.count(Subscriber.id)).where(
                Subscriber.active.is_(True), Subscriber.chat_id != CONSOLE_CHAT_ID
            )
        )
        or 0,
    )


def recent_alert_latencies(session: Session, since: datetime, limit: int = 10_000) -> list[float]:
    """Seconds from each story's first fetch to its alert's confirmed send, for sends since ``since``."""
    rows = session.execute(
        select(Story.fetched_at, Alert.sent_at)
        .join(Story, Story.id == Alert.story_id)
        .where(Alert.status == AlertStatus.SENT, Alert.sent_at >= since)
        .order_by(Alert.sent_at.desc())
        .limit(limit)
    )
    return [max((sent_at - fetched_at).total_seconds(), 0.0) for fetched_at, sent_at in rows]
