"""Following storylines: a subscribed chat follows (a merged storyline's survivor), lists and unfollows."""

from __future__ import annotations

from datetime import timedelta

from storage.db import Database
from storage.follows import (
    FollowOutcome,
    current_storyline,
    follow_storyline,
    followed_storylines,
    storyline_followers,
    unfollow_storyline,
)
from storage.models import Storyline
from storage.states import StorylineState
from storage.storylines import merge_storylines
from tests.storage.factories import NOW, add_subscriber


def _storylines(database: Database, count: int) -> list[int]:
    with database.session() as session:
        rows = [
            Storyline(title=f"case {n}", first_story_at=NOW, last_story_at=NOW + timedelta(days=n))
            for n in range(count)
        ]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def test_a_subscribed_chat_follows_lists_and_unfollows(database: Database) -> None:
    old, new = _storylines(database, 2)
    with database.session() as session:
        subscriber = add_subscriber(session, 5)
        add_subscriber(session, 6, active=False)
        assert follow_storyline(session, 5, old).outcome is FollowOutcome.FOLLOWING
        assert follow_storyline(session, 5, old).outcome is FollowOutcome.ALREADY
        assert follow_storyline(session, 5, new).outcome is FollowOutcome.FOLLOWING
        assert follow_storyline(session, 6, old).outcome is FollowOutcome.NOT_SUBSCRIBED
        assert follow_storyline(session, 99, old).outcome is FollowOutcome.NOT_SUBSCRIBED
        assert follow_storyline(session, 5, 10**9).outcome is FollowOutcome.UNKNOWN
        assert [record.id for record in followed_storylines(session, 5)] == [new, old]  # latest first
        assert storyline_followers(session, [old, new]) == {old: {subscriber.id}, new: {subscriber.id}}
        assert unfollow_storyline(session, 5, old) and not unfollow_storyline(session, 5, old)
        assert not unfollow_storyline(session, 99, new) and not unfollow_storyline(session, 5, 10**9)
        assert [record.id for record in followed_storylines(session, 5)] == [new]
        assert followed_storylines(session, 6) == []


def test_a_merged_storyline_points_to_its_survivor(database: Database) -> None:
    survivor, merged = _storylines(database, 2)
    with database.session() as session:
        add_subscriber(session, 5)
        merge_storylines(session, survivor, [merged])
        assert session.get_one(Storyline, merged).state is StorylineState.MERGED
        assert current_storyline(session, merged) == survivor and current_storyline(session, 10**9) is None
        result = follow_storyline(session, 5, merged)
        assert (result.outcome, result.storyline_id, result.merged_from) == (
            FollowOutcome.FOLLOWING,
            survivor,
            merged,
        )
        assert unfollow_storyline(session, 5, merged)  # the survivor, through the merged id
        assert followed_storylines(session, 5) == []
