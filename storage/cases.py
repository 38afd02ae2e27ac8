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
EXPORT_COLUMNS = (
    "story_id", "published_at", "flagged_at", "title", "url", "outlet", "language", "cluster_id", "score",
    "origin_countries", "destination", "event", "count", "case_card",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class FlaggedCase:
    story: StoryRecord
    score: float
    flagged_at: datetime
    case: dict[str, Any]  # the case facts (`cases.CaseFacts.to_dict`); empty for older verdicts

    def names(self, country: str) -> bool:
        """Whether the story names this country: an origin code (NP) or any country's English name."""
        wanted = country.casefold()
        codes = [str(code).casefold() for code in self.case.get("origin_countries", [])]
        names = [str(name).casefold() for name in self.case.get("country_names", [])]
        return wanted in codes or wanted in names

    def as_row(self) -> dict[str, Any]:
        """One export row, its keys `EXPORT_COLUMNS`."""
        story, case = self.story, self.case
        return {
            "story_id": story.id,
            "published_at": story.published_at.isoformat(),
            "flagged_at": self.flagged_at.isoformat(),
            "title": story.title,
            "url": story.web_url or "",
            "outlet": story.outlet or "",
            "language": story.language or "",
            "cluster_id": story.cluster_id or story.id,
            "score": round(self.score, 4),
            "origin_countries": " ".join(case.get("origin_countries", [])),
            "destination": case.get("destination", ""),
            "event": case.get("event", ""),
            "count": case.get("count"),
            "case_card": case.get("card", ""),
        }


def flagged_cases(
    session: Session, since: datetime | None = None, country: str | None = None
) -> Iterator[FlaggedCase]:
    """Every story whose newest verdict flagged it (naming ``country``, if given), oldest first,
    fetched ``EXPORT_BATCH`` rows at a time: a million-row export holds one batch in memory."""
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
            item = FlaggedCase(story_record(story), verdict.score, verdict.created_at, case or {})
            # Each batch's rows leave the identity map (which would otherwise keep every row read),
            # one by one: clearing the whole map would break the result still loading batches.
            session.expunge(story)
            session.expunge(verdict)
            if country is None or item.names(country):
                yield item
