"""`warwatch status` and `warwatch db vacuum` on a real database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from storage.db import Database
from storage.feeds import add_feed, record_poll
from storage.stories import insert_stories
from storage.subscribers import set_console_subscriber
from storage.verdicts import record_verdicts
from tests.storage.factories import Entry, FakeVerdict, Poll


def fill(database_url: str) -> None:
    now = datetime.now(UTC)
    database = Database(database_url)
    with database.session() as session:
        set_console_subscriber(session, active=True)
        ok = add_feed(session, "https://ok.example/rss")
        bad = add_feed(session, "https://bad.example/rss")
        for feed, failing in ((ok, False), (bad, True)):
            poll = Poll(
                feed.id,
                now + timedelta(minutes=10),
                error_count=10 if failing else 0,
                failing=failing,
                error="HTTP 500" if failing else None,
            )
            record_poll(session, poll, polled_at=now)
        old, recent, _unclassified = insert_stories(
            session,
            ok.id,
            [
                Entry("Mercenaries recruited abroad", published_at=now - timedelta(days=400)),
                Entry("Foreign fighters on trial", published_at=now - timedelta(days=1)),
                Entry("Not yet classified", published_at=now),
            ],
        )
        record_verdicts(session, [(old.id, FakeVerdict(0.9, True)), (recent.id, FakeVerdict(0.2, False))])
    database.dispose()


def test_status_counts_feeds_backlog_and_outbox(cli, database_url: str) -> None:
    cli("db", "upgrade")
    fill(database_url)
    status = json.loads(cli("status", "--json").stdout)
    assert status["feeds"] == {"ok": 1, "erroring": 0, "failing": 1, "disabled": 0}
    assert (status["stories"], status["stories_pending"]) == (3, 1)
    assert status["alerts"]["pending"] == 1 and status["oldest_pending_alert_at"] is not None
    assert status["last_poll_at"] is not None and status["last_alert_sent_at"] is None
    assert status["subscribers"] == 0  # the console pseudo-chat is not a subscriber
    text = cli("status").stdout
    assert "1 ok, 0 erroring, 1 failing" in text and "1 waiting for the classifier" in text


def test_a_feed_whose_last_poll_failed_is_erroring_not_ok(cli, database_url: str) -> None:
    """Nine failures in a row are not yet `failing` (ten are, by default), but they are not ok."""
    cli("db", "upgrade")
    now = datetime.now(UTC)
    database = Database(database_url)
    with database.session() as session:
        add_feed(session, "https://fine.example/rss")
        flaky = add_feed(session, "https://flaky.example/rss")
        poll = Poll(flaky.id, now + timedelta(hours=6), error_count=9, error="HTTP 503")
        record_poll(session, poll, polled_at=now)
    database.dispose()
    status = json.loads(cli("status", "--json").stdout)
    assert status["feeds"] == {"ok": 1, "erroring": 1, "failing": 0, "disabled": 0}
    assert "1 ok, 1 erroring, 0 failing" in cli("status").stdout
    rows = json.loads(cli("feeds", "list", "--json").stdout)
    assert [(row["url"], row["status"]) for row in rows] == [
        ("https://fine.example/rss", "ok"),
        ("https://flaky.example/rss", "erroring"),
    ]


def test_vacuum_prunes_past_the_horizon_and_keeps_alerts(cli, database_url: str) -> None:
    cli("db", "upgrade")
    fill(database_url)
    out = cli("db", "vacuum").stdout
    assert "pruned 1 stories" in out and "1 undelivered alerts closed" in out and "space reclaimed" in out
    assert "0 storylines left without a story deleted" in out
    status = json.loads(cli("status", "--json").stdout)
    assert status["stories"] == 2 and status["alerts"]["skipped"] == 1
    assert "pruned 0 stories" in cli("db", "vacuum", "--days", "30").stdout
    assert "keeps every story" in cli("db", "vacuum", "--days", "0").stdout
