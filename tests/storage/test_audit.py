"""The audit log: each row keeps who did what, with what details and when; the newest are read first."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.audit import recent_audit, record_audit
from storage.db import Database


def test_an_audit_row_keeps_actor_action_details_and_the_time_it_was_written(database: Database) -> None:
    before = datetime.now(UTC)
    with database.session() as session:
        record_audit(session, "telegram:7", "keyword.add", term="наёмник", weight=2.0, lang=None)
        record_audit(session, "cli", "feed.remove")
    after = datetime.now(UTC)
    with database.session() as session:
        removed, added = recent_audit(session)
    assert (added.actor, added.action) == ("telegram:7", "keyword.add")
    assert added.details == {"term": "наёмник", "weight": 2.0, "lang": None}
    assert (removed.actor, removed.action, removed.details) == ("cli", "feed.remove", {})
    assert before <= added.at <= after and added.at.tzinfo is not None


def test_recent_audit_lists_the_newest_rows_first_up_to_the_limit(database: Database) -> None:
    with database.session() as session:
        for n in range(5):
            record_audit(session, "cli", "threshold.set", new=n / 10)
    with database.session() as session:
        assert [entry.details["new"] for entry in recent_audit(session, limit=3)] == [0.4, 0.3, 0.2]
        assert len(recent_audit(session)) == 5
