"""The outbox read: an alert is sent with the verdict it was queued for."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from storage.db import Database
from storage.models import Alert
from storage.outbox import due_alerts
from storage.stories import insert_stories
from storage.subscribers import subscribe
from storage.verdicts import record_verdicts
from tests.storage.factories import Entry, FakeVerdict


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
