"""The outbox: an alert is read with the verdict it was queued for and the cluster's other outlets, in a
fixed number of queries, and moves through retry, sent and final marks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import event, update

from storage.db import Database
from storage.models import Alert
from storage.outbox import due_alerts, mark_final, mark_retry, mark_sent
from storage.states import AlertStatus, StoryState
from storage.stories import assign_clusters, insert_stories
from storage.subscribers import subscribe
from storage.verdicts import record_verdicts
from tests.storage.factories import NOW, Entry, FakeVerdict, add_subscriber


def test_a_reclassification_after_queueing_does_not_change_what_the_alert_says(database: Database) -> None:
    with database.session() as session:
        subscribe(session, 42, chat_type="private", title="analyst")
        [story] = insert_stories(session, None, [Entry("Recruiters of foreign fighters jailed")])
        queued = FakeVerdict(0.91, True, {"summary": "keywords “recruiters”"}, model_version="1")
        assert record_verdicts(session, [(story.id, queued)]) == 1
    with database.session() as session:  # a rule change, then `warwatch reclassify`: a newer verdict
        record_verdicts(session, [(story.id, FakeVerdict(0.2, False, {"summary": "not flagged"}, "t", "2"))])
    with database.session() as session:
        [item] = due_alerts(session, datetime.now(UTC), limit=10)
    assert (item.job.score, item.job.reasons) == (0.91, {"summary": "keywords “recruiters”"})


def test_an_alert_without_its_verdict_falls_back_to_the_storys_latest(database: Database) -> None:
    """Alerts queued before they kept their verdict (or whose verdict was pruned) still render."""
    with database.session() as session:
        subscribe(session, 42, chat_type="private", title="analyst")
        [story] = insert_stories(session, None, [Entry("Mercenaries recruited abroad")])
        record_verdicts(session, [(story.id, FakeVerdict(0.8, True, model_version="1"))])
        record_verdicts(session, [(story.id, FakeVerdict(0.85, True, model_version="2"))])
        session.execute(update(Alert).values(classification_id=None))
    with database.session() as session:
        [item] = due_alerts(session, datetime.now(UTC), limit=10)
    assert item.job.score == 0.85


def test_alert_lifecycle(database: Database) -> None:
    with database.session() as session:
        add_subscriber(session, 101)
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


def test_also_reported_by_lists_other_outlets_of_the_cluster(database: Database) -> None:
    with database.session() as session:
        add_subscriber(session, 1)
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


def test_reading_the_outbox_takes_the_same_few_queries_for_one_alert_or_fifty(database: Database) -> None:
    """Rendering alerts must not query per alert (it did: 511 ms per 200 alerts in the fan-out benchmark)."""
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    with database.session() as session:
        for chat_id in range(50):
            add_subscriber(session, 1000 + chat_id)
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
