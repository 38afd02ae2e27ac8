"""Retention: old stories go with their verdicts; alerts and feedback stay, and space is reclaimed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import Alert, Classification, Story
from storage.states import AlertStatus
from storage.storylines import leave_storylines

PRUNE_BATCH = 1000
PRUNED_ERROR = "story pruned before delivery"


@dataclass(frozen=True, slots=True)
class PruneReport:
    stories: int = 0
    classifications: int = 0
    alerts_closed: int = 0
    storylines: int = 0  # left without a story, so deleted

    def __add__(self, other: PruneReport) -> PruneReport:
        return PruneReport(
            self.stories + other.stories,
            self.classifications + other.classifications,
            self.alerts_closed + other.alerts_closed,
            self.storylines + other.storylines,
        )


def prune_batch(session: Session, before: datetime, limit: int = PRUNE_BATCH) -> PruneReport:
    """Delete up to ``limit`` stories published before ``before``, oldest first, with their verdicts.

    Their alerts and feedback keep their rows (the story link becomes NULL); an alert still pending
    is closed as skipped, so the outbox never waits for a story that is gone. A storyline left with
    no story goes too: nothing could show or join it.
    """
    ids = list(
        session.scalars(select(Story.id).where(Story.published_at < before).order_by(Story.id).limit(limit))
    )
    if not ids:
        return PruneReport()
    closed = session.execute(
        update(Alert)
        .where(Alert.story_id.in_(ids), Alert.status == AlertStatus.PENDING)
        .values(status=AlertStatus.SKIPPED, last_error=PRUNED_ERROR)
    )
    verdicts = session.scalar(select(func.count(Classification.id)).where(Classification.story_id.in_(ids)))
    emptied = leave_storylines(session, ids)
    session.execute(delete(Classification).where(Classification.story_id.in_(ids)))
    session.execute(delete(Story).where(Story.id.in_(ids)))
    return PruneReport(len(ids), int(verdicts or 0), int(getattr(closed, "rowcount", 0) or 0), emptied)


def prune_stories(database: Database, before: datetime) -> PruneReport:
    """Prune in batches of one transaction each, so the poller and the bot are never held up long."""
    report = PruneReport()
    while True:
        with database.session() as session:
            batch = prune_batch(session, before)
        report += batch
        if batch.stories < PRUNE_BATCH:
            return report


def vacuum(database: Database) -> None:
    """Give the space of deleted rows back (SQLite: VACUUM and FTS merge; PostgreSQL: VACUUM ANALYZE)."""
    with database.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        if database.dialect == "sqlite":
            connection.execute(text("INSERT INTO stories_fts(stories_fts) VALUES ('optimize')"))
            connection.execute(text("VACUUM"))
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        else:
            connection.execute(text("VACUUM ANALYZE"))
