"""Flagged stories with the case facts their verdict carries, read as a stream for export."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Classification, Story
from storage.records import StoryRecord
from storage.stories import story_record

EXPORT_BATCH = 1000


@dataclass(frozen=True, slots=True)
class FlaggedCase:
    story: StoryRecord
    score: float
    flagged_at: datetime
    case: dict[str, Any]  # the case facts (`cases.CaseFacts.to_dict`); empty for older verdicts


def flagged_cases(session: Session, since: datetime | None = None) -> Iterator[FlaggedCase]:
    """Every story whose newest verdict flagged it, oldest first, fetched ``EXPORT_BATCH`` rows at a
    time: a million-row export holds one batch in memory, not the table."""
    newest = select(func.max(Classification.id)).group_by(Classification.story_id)
    statement = (
        select(Story, Classification)
        .join(Classification, Classification.story_id == Story.id)
        .where(Classification.id.in_(newest), Classification.alert.is_(True))
        .order_by(Story.published_at, Story.id)
        .execution_options(yield_per=EXPORT_BATCH)
    )
    if since is not None:
        statement = statement.where(Story.published_at >= since)
    for batch in session.execute(statement).partitions():
        for story, verdict in batch:
            case = verdict.reasons.get("case") if isinstance(verdict.reasons, dict) else None
            yield FlaggedCase(story_record(story), verdict.score, verdict.created_at, case or {})
        session.expunge_all()  # the identity map would otherwise keep every row read
