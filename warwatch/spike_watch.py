"""Spike watch: after flagged stories are recorded, this week's spikes by origin country and by force
(``cases.spikes``, over ``storage.case_trends``' weekly counts) are queued for each admin, once each."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy.orm import Session

from cases.spikes import BASELINE_WEEKS, find_spikes
from storage.case_trends import TrendKey, weekly_counts
from storage.spike_alerts import record_spikes


def queue_spike_alerts(session: Session, chat_ids: Collection[int], now: datetime | None = None) -> int:
    """Queue an alert per spike of this week (so far) not yet queued, for each of these chats;
    returns how many were queued."""
    if not chat_ids:
        return 0
    queued = 0
    for key in TrendKey:
        counts = weekly_counts(session, key, BASELINE_WEEKS + 1, now)
        queued += record_spikes(session, key.value, counts.weeks[-1], find_spikes(counts.counts), chat_ids)
    return queued
