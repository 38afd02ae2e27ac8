"""Chats following storylines: a followed storyline's later stories reach the chat as new developments."""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import Storyline, StorylineFollow, Subscriber
from storage.states import StorylineState
from storage.storylines import StorylineRecord, storyline_records


class FollowOutcome(enum.StrEnum):
    FOLLOWING = "following"  # now following
    ALREADY = "already"  # was following already
    NOT_SUBSCRIBED = "not_subscribed"  # the chat has no active subscription
    UNKNOWN = "unknown"  # no such storyline


@dataclass(frozen=True, slots=True)
class FollowResult:
    outcome: FollowOutcome
    storyline_id: int  # the one followed: a merged storyline's survivor, else the one asked for
    merged_from: int | None = None  # the merged storyline asked for, if it was one


def current_storyline(session: Session, storyline_id: int) -> int | None:
    """The storyline that holds a storyline's stories now: itself, or the one it was merged into;
    None when there is no such storyline."""
    row = session.get(Storyline, storyline_id)
    if row is None:
        return None
    return row.merged_into if row.state is StorylineState.MERGED and row.merged_into else row.id


def _subscriber(session: Session, chat_id: int) -> Subscriber | None:
    subscriber = session.scalar(select(Subscriber).where(Subscriber.chat_id == chat_id))
    return subscriber if subscriber is not None and subscriber.active else None


def follow_storyline(session: Session, chat_id: int, storyline_id: int) -> FollowResult:
    """Follow a storyline (a merged one's survivor) in a subscribed chat."""
    current = current_storyline(session, storyline_id)
    merged_from = storyline_id if current is not None and current != storyline_id else None
    if current is None:
        return FollowResult(FollowOutcome.UNKNOWN, storyline_id)
    subscriber = _subscriber(session, chat_id)
    if subscriber is None:
        return FollowResult(FollowOutcome.NOT_SUBSCRIBED, current, merged_from)
    if session.get(StorylineFollow, (subscriber.id, current)) is not None:
        return FollowResult(FollowOutcome.ALREADY, current, merged_from)
    session.add(StorylineFollow(subscriber_id=subscriber.id, storyline_id=current))
    session.flush()
    return FollowResult(FollowOutcome.FOLLOWING, current, merged_from)


def unfollow_storyline(session: Session, chat_id: int, storyline_id: int) -> bool:
    """Stop following a storyline (or the one a merged id points to); False when not followed."""
    current = current_storyline(session, storyline_id)
    subscriber = session.scalar(select(Subscriber).where(Subscriber.chat_id == chat_id))
    if current is None or subscriber is None:
        return False
    result = session.execute(
        delete(StorylineFollow).where(
            StorylineFollow.subscriber_id == subscriber.id, StorylineFollow.storyline_id == current
        )
    )
    return bool(getattr(result, "rowcount", 0))


def followed_storylines(session: Session, chat_id: int) -> list[StorylineRecord]:
    """The storylines a chat follows, the latest development first."""
    followed = (
        select(StorylineFollow.storyline_id)
        .join(Subscriber, Subscriber.id == StorylineFollow.subscriber_id)
        .where(Subscriber.chat_id == chat_id)
    )
    records = storyline_records(session, set(session.scalars(followed)))
    return sorted(records.values(), key=lambda record: (record.last_story_at, record.id), reverse=True)


def storyline_followers(session: Session, storyline_ids: Collection[int]) -> dict[int, set[int]]:
    """Storyline id -> the subscriber ids following it."""
    if not storyline_ids:
        return {}
    followers: dict[int, set[int]] = {}
    rows = session.execute(
        select(StorylineFollow.storyline_id, StorylineFollow.subscriber_id).where(
            StorylineFollow.storyline_id.in_(storyline_ids)
        )
    )
    for storyline_id, subscriber_id in rows:
        followers.setdefault(storyline_id, set()).add(subscriber_id)
    return followers
