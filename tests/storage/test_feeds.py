"""Feeds: added once, scheduled by their polls, and keeping their validators through failures."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage.db import Database
from storage.feeds import (
    DuplicateFeedError,
    add_feed,
    due_feeds,
    list_feeds,
    record_poll,
    record_polls,
    remove_feed,
)
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


def test_polls_recorded_together_keep_what_each_poll_did_not_bring(database: Database) -> None:
    later = NOW + timedelta(minutes=30)
    with database.session() as session:
        named = add_feed(session, "https://a.example/rss", name="A")
        unnamed = add_feed(session, "https://b.example/rss")
        failing = add_feed(session, "https://c.example/rss")
        first = [
            Poll(named.id, later, etag='"a1"', last_modified="Mon", feed_title="Title A"),
            Poll(unnamed.id, later, feed_title="Title B", site_url="https://b.example/", ttl_minutes=30),
            Poll(failing.id, later, etag='"c1"'),
        ]
        record_polls(session, first, polled_at=NOW)
        second = [
            Poll(named.id, later, feed_title="Other"),  # a 304: no validators sent, the old ones stay
            Poll(unnamed.id, later, etag='"b2"', warning="bozo: not well-formed"),
            Poll(failing.id, later, error_count=1, failing=True, error="timeout", etag='"c2"'),
            Poll(unnamed.id + 100, later),  # removed while it was polled
        ]
        record_polls(session, second, polled_at=later)
        feeds = {feed.id: feed for feed in list_feeds(session)}
    a, b, c = feeds[named.id], feeds[unnamed.id], feeds[failing.id]
    assert (a.name, a.etag, a.last_modified, a.last_success_at) == ("A", '"a1"', "Mon", later)
    assert (b.name, b.site_url, b.etag, b.ttl_minutes) == ("Title B", "https://b.example/", '"b2"', None)
    assert (b.status, b.last_error, b.error_count) == (FeedStatus.OK, "bozo: not well-formed", 0)
    assert (c.status, c.etag, c.error_count, c.last_error) == (FeedStatus.FAILING, '"c1"', 1, "timeout")
    assert (c.last_polled_at, c.last_success_at) == (later, NOW)
