"""Service status and /stats: what is counted, what is left out, and on which UTC day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, text, update

from storage.db import Database
from storage.feedback import FeedbackTally, record_feedback
from storage.feeds import add_feed, record_poll
from storage.models import Alert, Classification, Feed, Story
from storage.outbox import mark_final, mark_sent
from storage.states import AlertStatus, DeliveryMode, FeedStatus
from storage.status import DayCount, bot_stats, recent_alert_latencies, service_status
from storage.stories import insert_stories
from storage.subscribers import set_console_subscriber, subscribe, unsubscribe, update_preferences
from storage.verdicts import record_verdicts
from tests.storage.factories import NOW, Entry, FakeVerdict, Poll, add_subscriber


def _at(hour: int, day: int = 25) -> datetime:
    return datetime(2026, 11, day, hour, 30, tzinfo=UTC)


def test_status_counts_feeds_by_health_and_schedules_only_polled_feeds(database: Database) -> None:
    with database.session() as session:
        fine, flaky, failing, disabled, _fresh = (
            add_feed(session, f"https://{name}.example/rss")
            for name in ("fine", "flaky", "failing", "disabled", "fresh")
        )
        record_poll(session, Poll(fine.id, NOW + timedelta(minutes=10)), polled_at=NOW - timedelta(hours=1))
        erroring = Poll(flaky.id, NOW + timedelta(hours=1), error_count=3, error="HTTP 503")
        record_poll(session, erroring, polled_at=NOW)
        given_up = Poll(failing.id, NOW + timedelta(hours=6), error_count=10, failing=True, error="HTTP 500")
        record_poll(session, given_up, polled_at=NOW)
        session.get_one(Feed, disabled.id).status = FeedStatus.DISABLED  # never polled: due, were it polled
    with database.session() as session:
        status = service_status(session, NOW)
    assert status.feeds == {"ok": 2, "erroring": 1, "failing": 1, "disabled": 1}
    assert status.last_poll_at == NOW
    assert (status.polling.polled, status.polling.due) == (4, 1)  # only the fresh feed is due
    assert (status.polling.next_feed_id, status.polling.next_at) == (fine.id, NOW + timedelta(minutes=10))


def test_status_counts_the_backlog_every_alert_status_and_only_real_active_chats(database: Database) -> None:
    with database.session() as session:
        set_console_subscriber(session, active=True)
        for chat_id in (1, 2, 3):
            subscribe(session, chat_id, chat_type="private", title=None)
        unsubscribe(session, 3)
        flagged, ignored, _pending = insert_stories(session, None, [Entry("A"), Entry("B"), Entry("C")])
        verdicts = [(flagged.id, FakeVerdict(0.9, True)), (ignored.id, FakeVerdict(0.1, False))]
        record_verdicts(session, verdicts)
        first, second, _third = session.scalars(select(Alert.id).order_by(Alert.id))
        mark_sent(session, first, message_id=1, sent_at=NOW)
        mark_final(session, second, AlertStatus.FAILED, error="forbidden")
    with database.session() as session:
        status = service_status(session, NOW)
    assert (status.stories, status.stories_pending) == (3, 1)
    assert status.alerts == {"pending": 1, "sent": 1, "failed": 1, "skipped": 0}
    assert status.oldest_pending_alert_at is not None and status.last_alert_sent_at == NOW
    assert status.subscribers == 2  # neither the console pseudo-chat nor the chat that left


def test_alert_latency_runs_from_first_fetch_to_confirmed_send_for_sends_since_the_cutoff(
    database: Database,
) -> None:
    with database.session() as session:
        subscribers = [add_subscriber(session, chat_id) for chat_id in range(1, 6)]
        [story] = insert_stories(session, None, [Entry("Recruiters jailed")])
        session.execute(update(Story).where(Story.id == story.id).values(fetched_at=NOW))
        record_verdicts(session, [(story.id, FakeVerdict(0.9, alert=True))])
        alerts = dict(session.execute(select(Alert.subscriber_id, Alert.id)).all())
        sends = {0: 90, 1: 30, 2: -5, 3: -20}  # seconds after the fetch; the fifth chat's alert is pending
        for index, seconds in sends.items():
            sent_at = NOW + timedelta(seconds=seconds)
            mark_sent(session, alerts[subscribers[index].id], message_id=index, sent_at=sent_at)
    since = NOW - timedelta(seconds=10)
    with database.session() as session:
        assert recent_alert_latencies(session, since) == [90.0, 30.0, 0.0]  # newest send first; skew is 0
        assert recent_alert_latencies(session, since, limit=2) == [90.0, 30.0]


def test_stats_count_stories_verdicts_and_flags_per_utc_day_since_the_cutoff(database: Database) -> None:
    with database.session() as session:
        set_console_subscriber(session, active=True)
        subscribe(session, 1, chat_type="private", title=None)
        subscribe(session, 2, chat_type="private", title=None)
        update_preferences(session, 2, mode=DeliveryMode.DIGEST, digest_hour=8)
        feed = add_feed(session, "https://failing.example/rss")
        add_feed(session, "https://fine.example/rss")
        poll = Poll(feed.id, NOW + timedelta(hours=6), error_count=10, failing=True, error="HTTP 500")
        record_poll(session, poll, polled_at=NOW)
        titles = ("Last week", "Late on the 24th", "Early on the 25th", "Later on the 25th")
        stories = insert_stories(session, None, [Entry(title) for title in titles])
        times = (_at(10, day=18), _at(23, day=24), _at(0), _at(10))
        flags = (True, True, False, True)
        pairs = zip(stories, flags, strict=True)
        record_verdicts(session, [(story.id, FakeVerdict(0.5, flag)) for story, flag in pairs])
        for story, at in zip(stories, times, strict=True):
            session.execute(update(Story).where(Story.id == story.id).values(fetched_at=at))
            session.execute(
                update(Classification).where(Classification.story_id == story.id).values(created_at=at)
            )
        record_feedback(session, stories[1].id, user_id=1, chat_id=1, relevant=True)
    with database.session() as session:
        if database.dialect == "postgresql":  # a server far from UTC: days still end at UTC midnight
            session.execute(text("SET LOCAL TIME ZONE 'Asia/Kathmandu'"))
        stats = bot_stats(session, since=datetime(2026, 11, 24, tzinfo=UTC))
    assert stats.days == (DayCount(date(2026, 11, 24), 1, 1, 1), DayCount(date(2026, 11, 25), 2, 2, 1))
    assert (stats.feeds, [f.url for f in stats.failing_feeds]) == (2, ["https://failing.example/rss"])
    assert (stats.subscribers, stats.digest_subscribers) == (2, 1)  # the console is not a subscriber
    assert stats.alerts == {"pending": 9}  # three flagged stories, three active chats
    assert stats.feedback == FeedbackTally(1, 0)
