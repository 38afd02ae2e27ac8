"""Spike alerts are remembered per spike, week and chat: found again, a spike is not queued again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from storage.db import Database
from storage.spike_alerts import (
    due_spike_alerts,
    mark_spike_failed,
    mark_spike_retry,
    mark_spike_sent,
    record_spikes,
)
from tests.storage.factories import NOW


@dataclass(frozen=True)
class Spike:
    key: str
    count: int
    baseline: float = 0.25
    p_value: float = 0.002


WEEK = date(2026, 11, 23)


def test_a_spike_is_queued_once_per_week_and_chat(database: Database) -> None:
    with database.session() as session:
        assert record_spikes(session, "country", WEEK, [Spike("KE", 3), Spike("NP", 4)], [1, 2]) == 4
        assert record_spikes(session, "country", WEEK, [Spike("KE", 5)], [1, 2, 3]) == 1  # chat 3 is new
        assert record_spikes(session, "destination", WEEK, [Spike("KE", 3)], [1]) == 1  # another dimension
        assert record_spikes(session, "country", WEEK + timedelta(weeks=1), [Spike("KE", 3)], [1]) == 1
        assert (
            record_spikes(session, "country", WEEK, [], [1])
            == record_spikes(session, "country", WEEK, [Spike("KE", 3)], [])
            == 0
        )
        due = due_spike_alerts(session, NOW, 100)
        assert len(due) == 7 and (due[0].key, due[0].chat_id, due[0].count, due[0].week) == ("KE", 1, 3, WEEK)


def test_sent_failed_and_retried_spike_alerts_leave_the_due_list_as_they_should(database: Database) -> None:
    with database.session() as session:
        record_spikes(session, "country", WEEK, [Spike("KE", 3)], [1, 2, 3])
        first, second, third = due_spike_alerts(session, NOW, 10)
        mark_spike_sent(session, first.id, sent_at=NOW)
        mark_spike_failed(session, second.id, error="Forbidden: bot was blocked by the user")
        mark_spike_retry(session, third.id, error="timed out", next_attempt_at=NOW + timedelta(minutes=5))
        assert due_spike_alerts(session, NOW, 10) == []
        [later] = due_spike_alerts(session, NOW + timedelta(minutes=5), 10)
        assert (later.id, later.attempts) == (third.id, 1)
        mark_spike_failed(session, third.id, error="gave up: timed out")
        assert due_spike_alerts(session, NOW + timedelta(days=1), 10) == []
