"""How the service is doing: one read of feeds, the classifier's backlog, the outbox and latest activity
(`warwatch status`), and the per-day counts behind /stats."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import QueryableAttribute, Session

from storage.feedback import FeedbackTally, feedback_counts
from storage.feeds import list_feeds, poll_schedule
from storage.models import Alert, Classification, Feed, Story, Subscriber
from storage.records import FeedHealth, FeedRecord, PollSchedule, feed_health
from storage.states import AlertStatus, DeliveryMode, FeedStatus, StoryState
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


def _by_status(session: Session, column: QueryableAttribute[Any]) -> dict[str, int]:
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
    return [
        max((sent_at - fetched_at).total_seconds(), 0.0)
        for fetched_at, sent_at in rows
        if sent_at is not None
    ]


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    stories: int
    classified: int
    flagged: int


@dataclass(frozen=True, slots=True)
class BotStats:
    days: tuple[DayCount, ...]  # oldest first, one entry per day with any activity
    feeds: int
    failing_feeds: tuple[FeedRecord, ...]
    subscribers: int
    digest_subscribers: int
    alerts: dict[str, int]  # by AlertStatus value
    feedback: FeedbackTally


def _day(session: Session, column: Any) -> ColumnElement[Any]:
    """The UTC calendar day of a timestamp column, on either database."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)


def _per_day(session: Session, column: Any, *where: ColumnElement[bool]) -> Counter[date]:
    day = _day(session, column)
    rows = session.execute(select(day, func.count()).where(*where).group_by(day))
    return Counter({date.fromisoformat(str(value)): count for value, count in rows})


def bot_stats(session: Session, since: datetime) -> BotStats:
    """Counts for /stats: per-day activity since ``since``, feeds, subscribers, alerts and feedback."""
    stories = _per_day(session, Story.fetched_at, Story.fetched_at >= since)
    classified = _per_day(session, Classification.created_at, Classification.created_at >= since)
    flagged = _per_day(
        session, Classification.created_at, Classification.created_at >= since, Classification.alert.is_(True)
    )
    days = tuple(
        DayCount(day, stories[day], classified[day], flagged[day])
        for day in sorted(set(stories) | set(classified))
    )
    feeds = list_feeds(session)
    real_chats = (Subscriber.active.is_(True), Subscriber.chat_id != CONSOLE_CHAT_ID)
    alerts = dict(session.execute(select(Alert.status, func.count()).group_by(Alert.status)).all())
    return BotStats(
        days=days,
        feeds=len(feeds),
        failing_feeds=tuple(feed for feed in feeds if feed.status == FeedStatus.FAILING),
        subscribers=session.scalar(select(func.count(Subscriber.id)).where(*real_chats)) or 0,
        digest_subscribers=session.scalar(
            select(func.count(Subscriber.id)).where(*real_chats, Subscriber.mode == DeliveryMode.DIGEST)
        )
        or 0,
        alerts={AlertStatus(status).value: count for status, count in alerts.items()},
        feedback=feedback_counts(session),
    )
