"""Read and write what the Telegram bot shows and collects: feedback, latest alerts, statistics."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from storage.feeds import list_feeds
from storage.models import (
    Alert,
    AlertStatus,
    Classification,
    DeliveryMode,
    Feedback,
    FeedStatus,
    Story,
    Subscriber,
)
from storage.records import FeedRecord, StoryRecord
from storage.stories import story_record
from storage.subscribers import CONSOLE_CHAT_ID


@dataclass(frozen=True, slots=True)
class FeedbackTally:
    relevant: int
    not_relevant: int


@dataclass(frozen=True, slots=True)
class FlaggedStory:
    story: StoryRecord
    score: float
    reasons: dict[str, Any]
    flagged_at: datetime


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


def record_feedback(
    session: Session, story_id: int, *, user_id: int, chat_id: int, relevant: bool
) -> FeedbackTally | None:
    """Store one user's judgement of a story (a second vote replaces the first); None if it was pruned.

    The story's text is copied so the feedback head can still learn from it after the story is pruned.
    """
    story = session.get(Story, story_id)
    if story is None:
        return None
    row = session.scalar(select(Feedback).where(Feedback.story_id == story_id, Feedback.user_id == user_id))
    if row is None:
        row = Feedback(story_id=story_id, user_id=user_id, source="telegram")
        session.add(row)
    row.chat_id = chat_id
    row.relevant = relevant
    row.title = story.title
    row.summary = story.summary
    row.language = story.language
    session.flush()
    return feedback_tally(session, story_id)


def feedback_tally(session: Session, story_id: int) -> FeedbackTally:
    return _tally(session, Feedback.story_id == story_id)


def _tally(session: Session, *where: ColumnElement[bool]) -> FeedbackTally:
    rows = session.execute(select(Feedback.relevant, func.count()).where(*where).group_by(Feedback.relevant))
    counts = {bool(relevant): count for relevant, count in rows}
    return FeedbackTally(counts.get(True, 0), counts.get(False, 0))


def latest_flagged(session: Session, limit: int) -> list[FlaggedStory]:
    """The newest flagged stories, one per cluster, newest first."""
    statement = (
        select(Classification, Story)
        .join(Story, Story.id == Classification.story_id)
        .where(Classification.alert.is_(True))
        .order_by(Classification.id.desc())
        .limit(limit * 4)
    )
    seen: set[int] = set()
    flagged: list[FlaggedStory] = []
    for classification, story in session.execute(statement):
        cluster = story.cluster_id or story.id
        if cluster in seen:
            continue
        seen.add(cluster)
        flagged.append(
            FlaggedStory(
                story_record(story), classification.score, classification.reasons, classification.created_at
            )
        )
        if len(flagged) == limit:
            break
    return flagged


def recent_stories(session: Session, since: datetime, limit: int) -> list[StoryRecord]:
    """The newest stories fetched since ``since``, newest first: what /backtest replays."""
    statement = select(Story).where(Story.fetched_at >= since).order_by(Story.id.desc()).limit(limit)
    return [story_record(story) for story in session.scalars(statement)]


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
        feedback=_tally(session),
    )
