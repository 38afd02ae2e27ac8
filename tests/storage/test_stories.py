from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.feeds import DuplicateFeedError, add_feed, due_feeds, list_feeds, record_poll, remove_feed
from storage.models import Alert, Classification, Story, Subscriber
from storage.outbox import due_alerts, mark_final, mark_retry, mark_sent
from storage.states import AlertStatus, FeedStatus, StoryState
from storage.stories import assign_clusters, get_story, insert_stories, pending_stories
from storage.verdicts import record_verdicts
from tests.storage.factories import Entry, FakeVerdict

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def test_new_stories_are_returned_once_and_duplicates_are_skipped(database: Database) -> None:
    with database.session() as session:
        feed = add_feed(session, "https://a.example/rss")
        other = add_feed(session, "https://b.example/rss")
        first = insert_stories(session, feed.id, [Entry("Recruiters jailed"), Entry("Mercenaries return")])
        assert [s.title for s in first] == ["Recruiters jailed", "Mercenaries return"]
        # same canonical URL with another title, same text under another URL, same guid in the same feed
        again = insert_stories(
            session,
            other.id,
            [
                Entry("Recruiters jailed (updated)", url=first[0].url),
                Entry("Mercenaries return", url="https://mirror.example/x"),
                Entry("A different story", guid=first[0].url, url="https://c.example/y"),
            ],
        )
        assert [s.title for s in again] == ["A different story"]  # guid only counts within one feed
        same_feed_guid = insert_stories(
            session, feed.id, [Entry("Edited", guid=first[0].url, url="https://z/1")]
        )
        assert same_feed_guid == []
        within_batch = insert_stories(session, feed.id, [Entry("Twice"), Entry("Twice")])
        assert len(within_batch) == 1


def test_stories_without_links_are_identified_by_guid(database: Database) -> None:
    entry = Entry("No link", url=None, canonical_url=None)
    object.__setattr__(entry, "url", None)
    object.__setattr__(entry, "canonical_url", None)
    with database.session() as session:
        [story] = insert_stories(session, None, [entry])
        assert story.canonical_url.startswith("urn:warwatch:guid:")


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


def test_deleting_a_story_deletes_its_classifications(database: Database) -> None:
    with database.session() as session:
        [story] = insert_stories(session, None, [Entry("Cascade")])
        record_verdicts(session, [(story.id, FakeVerdict(0.1, alert=False))])
    with database.session() as session:
        session.delete(session.get(Story, story.id))
    with database.session() as session:
        assert session.scalars(select(Classification)).all() == []


def test_feed_crud_and_scheduling(database: Database) -> None:
    with database.session() as session:
        feed = add_feed(session, "https://a.example/rss", name="A")
        with pytest.raises(DuplicateFeedError):
            add_feed(session, "https://a.example/rss")
        assert [f.id for f in due_feeds(session, NOW, 10)] == [feed.id]
        record_poll(
            session,
            feed.id,
            polled_at=NOW,
            next_poll_at=NOW + timedelta(minutes=10),
            error_count=0,
            failing=False,
            etag='"v1"',
            title="Feed A",
        )
        assert due_feeds(session, NOW, 10) == []
        assert [f.id for f in due_feeds(session, NOW + timedelta(minutes=11), 10)] == [feed.id]
        record_poll(
            session,
            feed.id,
            polled_at=NOW,
            next_poll_at=NOW + timedelta(hours=1),
            error_count=5,
            failing=True,
            error="http_status: 500",
        )
        [stored] = list_feeds(session)
        assert stored.status is FeedStatus.FAILING
        assert stored.etag == '"v1"'  # validators survive a failed poll
        assert stored.last_error == "http_status: 500"
        assert remove_feed(session, feed.id) is not None
        assert remove_feed(session, feed.id) is None


def _subscriber(session, chat_id: int, **settings) -> Subscriber:
    subscriber = Subscriber(chat_id=chat_id, **settings)
    session.add(subscriber)
    session.flush()
    return subscriber


def test_outbox_has_one_row_per_cluster_and_chat(database: Database) -> None:
    with database.session() as session:
        alice = _subscriber(session, 101)
        bob = _subscriber(session, 102, min_score=0.9)
        first, second = insert_stories(
            session, None, [Entry("Event, outlet one"), Entry("Event, outlet two")]
        )
        assign_clusters(session, {first.id: first.id, second.id: first.id})
        queued = record_verdicts(
            session, [(first.id, FakeVerdict(0.8, alert=True)), (second.id, FakeVerdict(0.85, alert=True))]
        )
        assert queued == 1  # bob's min_score filters him out; the second story joins the first's cluster
        assert pending_stories(session, 10) == []
        rows = session.scalars(select(Alert)).all()
        assert [(row.subscriber_id, row.cluster_id) for row in rows] == [(alice.id, first.id)]
        session.add(Alert(story_id=second.id, cluster_id=first.id, subscriber_id=alice.id))
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()
        assert bob.id != alice.id


def test_alert_lifecycle(database: Database) -> None:
    with database.session() as session:
        _subscriber(session, 101)
        [story] = insert_stories(session, None, [Entry("Lifecycle", host="one.example")])
        record_verdicts(session, [(story.id, FakeVerdict(0.7, alert=True, reasons={"summary": "why"}))])
        [job] = [item.job for item in due_alerts(session, NOW, 10)]
        assert job.chat_id == 101 and job.score == 0.7 and job.reasons == {"summary": "why"}
        mark_retry(session, job.alert_id, error="network", next_attempt_at=NOW + timedelta(seconds=30))
        assert [item.job for item in due_alerts(session, NOW, 10)] == []
        [retry] = [item.job for item in due_alerts(session, NOW + timedelta(seconds=31), 10)]
        assert retry.attempts == 1
        mark_sent(session, retry.alert_id, message_id=55, sent_at=NOW)
        assert [item.job for item in due_alerts(session, NOW + timedelta(days=1), 10)] == []
        alert = session.get(Alert, job.alert_id)
        assert alert.status is AlertStatus.SENT and alert.message_id == 55 and alert.attempts == 2
        mark_final(session, job.alert_id, AlertStatus.FAILED, error="forbidden")
        assert session.get(Alert, job.alert_id).status is AlertStatus.FAILED


def test_subscriber_filters_select_alerts(database: Database) -> None:
    with database.session() as session:
        _subscriber(session, 1, languages=["ru"])
        _subscriber(session, 2, keywords=["Nepal"])
        _subscriber(session, 3, active=False)
        [story] = insert_stories(session, None, [Entry("Nepali men sent to the front", language="en")])
        assert record_verdicts(session, [(story.id, FakeVerdict(0.9, alert=True))]) == 1
        [job] = [item.job for item in due_alerts(session, NOW, 10)]
        assert job.chat_id == 2


def test_also_reported_by_lists_other_outlets_of_the_cluster(database: Database) -> None:
    with database.session() as session:
        _subscriber(session, 1)
        stories = insert_stories(
            session,
            None,
            [Entry("E1", host="a.example"), Entry("E2", host="b.example"), Entry("E3", host="a.example")],
        )
        assign_clusters(session, {story.id: stories[0].id for story in stories})
        record_verdicts(session, [(stories[0].id, FakeVerdict(0.9, alert=True))])
        [job] = [item.job for item in due_alerts(session, NOW, 10)]
        assert job.also_reported_by == ("b.example",)
        assert job.story.state is StoryState.CLASSIFIED


def test_a_cluster_flagged_twice_in_one_batch_alerts_each_chat_once(database: Database) -> None:
    with database.session() as session:
        _subscriber(session, 1)
        _subscriber(session, 2)
        stories = insert_stories(session, None, [Entry("Twin A", host="a.example"), Entry("Twin B")])
        assign_clusters(session, {story.id: stories[0].id for story in stories})
        verdicts = [(story.id, FakeVerdict(0.9, alert=True)) for story in stories]
        assert record_verdicts(session, verdicts) == 2
        assert sorted(item.job.chat_id for item in due_alerts(session, NOW, 10)) == [1, 2]


def test_reading_the_outbox_takes_the_same_few_queries_for_one_alert_or_fifty(database: Database) -> None:
    """Rendering alerts must not query per alert (it did: 511 ms per 200 alerts in the fan-out benchmark)."""
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    with database.session() as session:
        for chat_id in range(50):
            _subscriber(session, 1000 + chat_id)
        stories = insert_stories(session, None, [Entry(f"Story {n}", host=f"h{n}.example") for n in range(5)])
        record_verdicts(session, [(story.id, FakeVerdict(0.9, alert=True)) for story in stories])
    counts = []
    for limit in (1, 250):
        statements.clear()
        event.listen(database.engine, "before_cursor_execute", count)
        with database.session() as session:
            jobs = [item.job for item in due_alerts(session, NOW, limit)]
        event.remove(database.engine, "before_cursor_execute", count)
        assert len(jobs) == limit
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 6, statements
