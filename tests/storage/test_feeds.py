"""Feeds: added once, scheduled by their polls, and keeping their validators through failures."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage.db import Database
from storage.feeds import DuplicateFeedError, add_feed, due_feeds, list_feeds, record_poll, remove_feed
from storage.states import FeedStatus
from tests.storage.factories import NOW, Poll


def test_feed_crud_and_scheduling(database: Database) -> None:
    with database.session() as session:
        feed = add_feed(session, "https://a.example/rss", name="A")
        with pytest.raises(DuplicateFeedError):
            add_feed(session, "https://a.example/rss")
        assert [f.id for f in due_feeds(session, NOW, 10)] == [feed.id]
        record_poll(
            session,
            Poll(feed.id, NOW + timedelta(minutes=10), etag='"v1"', feed_title="Feed A"),
            polled_at=NOW,
        )
        assert due_feeds(session, NOW, 10) == []
        assert [f.id for f in due_feeds(session, NOW + timedelta(minutes=11), 10)] == [feed.id]
        failed = Poll(
            feed.id,
            NOW + timedelta(hours=1),
            error_count=5,
            failing=True,
            error="http_status: 500",
            etag='"v2"',
        )
        record_poll(session, failed, polled_at=NOW)
        [stored] = list_feeds(session)
        assert stored.status is FeedStatus.FAILING
        assert stored.etag == '"v1"'  # a failed poll keeps the validators: the next one fetches in full
        assert stored.last_error == "http_status: 500"
        assert remove_feed(session, feed.id) is not None
        assert remove_feed(session, feed.id) is None
