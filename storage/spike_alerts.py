"""Spike alerts to admins: one row per spike (origin country or force, week) and admin chat, written
when the spike is first found, so it is sent once, and closed as sent or failed like an alert.

A spike concerns a week, not a story, so these rows are not in the story outbox (``storage/outbox.py``);
the bot's delivery sends them through the same pacing and failure handling.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import SpikeAlert
from storage.states import AlertStatus


class SpikeLike(Protocol):
    """A spike as the rule reports it (``cases.spikes.Spike`` fits)."""

    @property
    def key(self) -> str: ...
    @property
    def count(self) -> int: ...
    @property
    def baseline(self) -> float: ...
    @property
    def p_value(self) -> float: ...


@dataclass(frozen=True, slots=True)
class SpikeAlertRecord:
    id: int
    dimension: str  # "country" or "destination"
    key: str
    week: date  # its Monday (UTC)
    chat_id: int
    count: int
    baseline: float
    p_value: float
    attempts: int


def record_spikes(
    session: Session, dimension: str, week: date, spikes: Sequence[SpikeLike], chat_ids: Collection[int]
) -> int:
    """Queue an alert per spike and chat unless that spike of that week was queued for the chat
    before (found again, it is not repeated); returns how many were queued. Two processes finding
    the same spike at once queue it once: the unique key settles the race."""
    if not spikes or not chat_ids:
        return 0
    wanted = {(spike.key[:32], chat_id): spike for spike in spikes for chat_id in chat_ids}
    rows = session.execute(
        select(SpikeAlert.key, SpikeAlert.chat_id).where(
            SpikeAlert.dimension == dimension,
            SpikeAlert.week == week,
            tuple_(SpikeAlert.key, SpikeAlert.chat_id).in_(list(wanted)),
        )
    )
    known = {(key, chat_id) for key, chat_id in rows}
    new = [
        {
            "dimension": dimension, "key": key, "week": week, "chat_id": chat_id, "count": spike.count,
            "baseline": spike.baseline, "p_value": spike.p_value, "status": AlertStatus.PENDING,
            "attempts": 0,
        }
        for (key, chat_id), spike in wanted.items()
        if (key, chat_id) not in known
    ]  # fmt: skip
    if not new:
        return 0
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(SpikeAlert).on_conflict_do_nothing(), new)
    return len(new)


def _record(row: SpikeAlert) -> SpikeAlertRecord:
    return SpikeAlertRecord(
        row.id,
        row.dimension,
        row.key,
        row.week,
        row.chat_id,
        row.count,
        row.baseline,
        row.p_value,
        row.attempts,
    )


def due_spike_alerts(session: Session, now: datetime, limit: int) -> list[SpikeAlertRecord]:
    """Pending spike alerts whose time has come, oldest first."""
    statement = (
        select(SpikeAlert)
        .where(SpikeAlert.status == AlertStatus.PENDING)
        .where(SpikeAlert.next_attempt_at.is_(None) | (SpikeAlert.next_attempt_at <= now))
        .order_by(SpikeAlert.id)
        .limit(limit)
    )
    return [_record(row) for row in session.scalars(statement)]


def mark_spike_sent(session: Session, alert_id: int, *, sent_at: datetime) -> None:
    row = session.get_one(SpikeAlert, alert_id)
    row.status, row.sent_at, row.last_error = AlertStatus.SENT, sent_at, None
    row.attempts += 1


def mark_spike_retry(session: Session, alert_id: int, *, error: str, next_attempt_at: datetime) -> None:
    """Count a failed attempt and try again at ``next_attempt_at``."""
    row = session.get_one(SpikeAlert, alert_id)
    row.attempts += 1
    row.last_error = error[:2000]
    row.next_attempt_at = next_attempt_at


def mark_spike_failed(session: Session, alert_id: int, *, error: str) -> None:
    """The chat refused it (blocked the bot, gone, or the message was rejected): it is not sent again."""
    row = session.get_one(SpikeAlert, alert_id)
    row.status, row.last_error = AlertStatus.FAILED, error[:2000]
    row.attempts += 1
