"""UTC columns: aware datetimes in and out on both databases, naive ones refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage.db import Database
from storage.stories import get_story, insert_stories
from tests.storage.factories import Entry


def test_published_times_round_trip_as_aware_utc(database: Database) -> None:
    published = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    with database.session() as session:
        [story] = insert_stories(session, None, [Entry("Times", published_at=published)])
    with database.session() as session:
        loaded = get_story(session, story.id)
    assert loaded is not None
    assert loaded.published_at == published
    assert loaded.published_at.tzinfo is not None


def test_naive_datetimes_are_rejected(database: Database) -> None:
    with pytest.raises(Exception, match="naive"), database.session() as session:
        insert_stories(session, None, [Entry("Naive", published_at=datetime(2026, 1, 1))])
