"""Weekly counts of flagged cases per origin country or destination force, from the case rows.

A week is a UTC calendar week, Monday 00:00 to Monday 00:00. A count is of distinct story clusters
(the same event told by ten outlets counts once), by each story's publication date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, distinct, func, select
from sqlalchemy.orm import Session

from storage.models import Story, StoryCase, StoryCaseOrigin


class TrendKey(StrEnum):
    COUNTRY = "country"  # the recruits' origin country (a story naming two counts for each)
    DESTINATION = "destination"  # the force they were recruited for


@dataclass(frozen=True, slots=True)
class WeeklyCounts:
    weeks: tuple[date, ...]  # the Mondays, oldest first; every week of the range, quiet ones too
    counts: dict[str, tuple[int, ...]]  # key -> one count per week; the busiest key first

    def top(self, number: int) -> WeeklyCounts:
        return WeeklyCounts(self.weeks, dict(list(self.counts.items())[:number]))


def week_start(moment: datetime) -> date:
    """The Monday of ``moment``'s UTC week."""
    day = moment.astimezone(UTC).date()
    return day - timedelta(days=day.weekday())


def _week(session: Session, column: Any) -> ColumnElement[Any]:
    """The Monday of a timestamp's UTC week, on either database."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.date_trunc("week", func.timezone("UTC", column)))
    return func.date(column, "weekday 0", "-6 days")  # the coming Sunday (or this one), less six days


def weekly_counts(session: Session, by: TrendKey, weeks: int, now: datetime | None = None) -> WeeklyCounts:
    """Flagged clusters per week and key over the ``weeks`` weeks up to ``now``'s (which is partial)."""
    first = week_start(now or datetime.now(UTC)) - timedelta(weeks=weeks - 1)
    mondays = tuple(first + timedelta(weeks=index) for index in range(weeks))
    start = datetime.combine(first, time(), UTC)
    week = _week(session, Story.published_at)
    key = StoryCaseOrigin.country if by is TrendKey.COUNTRY else StoryCase.destination
    statement = (
        select(week, key, func.count(distinct(func.coalesce(Story.cluster_id, Story.id))))
        .select_from(StoryCase)
        .join(Story, Story.id == StoryCase.story_id)
        .where(Story.published_at >= start, Story.published_at < start + timedelta(weeks=weeks))
        .group_by(week, key)
    )
    if by is TrendKey.COUNTRY:
        statement = statement.join(StoryCaseOrigin, StoryCaseOrigin.story_id == StoryCase.story_id)
    found: dict[str, dict[date, int]] = {}
    for monday, name, count in session.execute(statement):
        found.setdefault(str(name), {})[date.fromisoformat(str(monday))] = int(count)
    series = {name: tuple(per_week.get(monday, 0) for monday in mondays) for name, per_week in found.items()}
    ranked = sorted(series.items(), key=lambda item: (-sum(item[1]), item[0]))
    return WeeklyCounts(mondays, dict(ranked))
