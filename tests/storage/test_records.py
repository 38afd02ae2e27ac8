"""The values storage hands out: a feed's displayed health and a story's web address."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.db import Database
from storage.feeds import add_feed, list_feeds, record_poll
from storage.models import Feed
from storage.records import FeedHealth
from storage.states import FeedStatus
from storage.stories import insert_stories
from tests.storage.factories import Entry, Poll


def test_an_ok_feed_whose_last_poll_failed_is_erroring_and_other_states_show_as_stored(
    database: Database,
) -> None:
    now = datetime.now(UTC)
    with database.session() as session:
        fine, flaky, failing, disabled = (add_feed(session, f"https://{n}.example/rss") for n in range(4))
        record_poll(session, Poll(fine.id, now + timedelta(minutes=10)), polled_at=now)
        record_poll(
            session, Poll(flaky.id, now + timedelta(hours=1), error_count=3, error="HTTP 503"), polled_at=now
        )
        record_poll(
            session,
            Poll(failing.id, now + timedelta(hours=6), error_count=10, failing=True, error="HTTP 500"),
            polled_at=now,
        )
        session.get_one(Feed, disabled.id).status = FeedStatus.DISABLED
        session.get_one(Feed, disabled.id).error_count = 4
    with database.session() as session:
        feeds = list_feeds(session)
    assert [(feed.status, feed.health) for feed in feeds] == [
        (FeedStatus.OK, FeedHealth.OK),
        (FeedStatus.OK, FeedHealth.ERRORING),
        (FeedStatus.FAILING, FeedHealth.FAILING),
        (FeedStatus.DISABLED, FeedHealth.DISABLED),
    ]


def test_a_story_has_a_web_url_only_when_its_link_is_http(database: Database) -> None:
    linkless = Entry("No link", url=None, canonical_url=None)
    object.__setattr__(linkless, "url", None)
    object.__setattr__(linkless, "canonical_url", None)
    entries = [
        Entry("Plain", url="https://a.example/news/1"),
        Entry("Shouting scheme", url="HTTP://B.example/news/2"),
        Entry("Not the web", url="ftp://c.example/news/3"),
        linkless,
    ]
    with database.session() as session:
        stories = insert_stories(session, None, entries)
    assert [story.web_url for story in stories] == [
        "https://a.example/news/1",
        "HTTP://B.example/news/2",
        None,
        None,
    ]
    assert stories[3].url.startswith("urn:warwatch:guid:")
