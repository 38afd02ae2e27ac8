"""Weekly counts of flagged clusters per origin country and destination: UTC weeks, quiet weeks as 0."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from storage.case_trends import TrendKey, WeeklyCounts, week_start, weekly_counts
from storage.db import Database
from storage.stories import assign_clusters, insert_stories
from storage.verdicts import record_verdicts
from tests.storage.factories import NOW, Entry, FakeVerdict

NEPAL = {"origin_countries": ["NP"], "destination": "russia", "event": "casualties"}
KENYA_NEPAL = {"origin_countries": ["KE", "NP"], "destination": "wagner_africa", "event": "recruitment"}
INDIA = {"origin_countries": ["IN"], "destination": "ukraine", "event": "recruitment"}
KATHMANDU = timezone(timedelta(hours=5, minutes=45))
MONDAYS = (date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23))


def _at(*moment: int, tz: timezone = UTC) -> datetime:
    return datetime(*moment, tzinfo=tz)  # type: ignore[misc]


def _fill(database: Database) -> None:
    stories = [  # NOW is Wednesday 2026-11-25: four weeks back start on Monday 2026-11-02
        (Entry("Sunday night", published_at=_at(2026, 11, 15, 23, 59, 59)), NEPAL),
        (Entry("Monday midnight", published_at=_at(2026, 11, 16)), NEPAL),
        (Entry("Monday morning in Kathmandu", published_at=_at(2026, 11, 16, 5, tz=KATHMANDU)), KENYA_NEPAL),
        (Entry("Same event, another outlet", published_at=_at(2026, 11, 17)), NEPAL),
        (Entry("Before the range", published_at=_at(2026, 11, 1, 23)), NEPAL),
        (Entry("This week", published_at=_at(2026, 11, 24)), INDIA),
        (Entry("Not flagged", published_at=_at(2026, 11, 24)), None),
    ]
    with database.session() as session:
        stored = insert_stories(session, None, [entry for entry, _ in stories])
        assign_clusters(session, {stored[3].id: stored[1].id, stored[1].id: stored[1].id})
        record_verdicts(
            session,
            [
                (story.id, FakeVerdict(0.9, True, {"case": case}) if case else FakeVerdict(0.1, False))
                for story, (_, case) in zip(stored, stories, strict=True)
            ],
        )


def test_counts_per_origin_country_by_utc_week_with_quiet_weeks_and_one_count_per_cluster(
    database: Database,
) -> None:
    _fill(database)
    with database.session() as session:
        counts = weekly_counts(session, TrendKey.COUNTRY, 4, NOW)
    assert counts == WeeklyCounts(
        MONDAYS,
        {"NP": (0, 2, 1, 0), "IN": (0, 0, 0, 1), "KE": (0, 1, 0, 0)},  # busiest first, then by name
    )
    assert counts.top(1) == WeeklyCounts(MONDAYS, {"NP": (0, 2, 1, 0)})


def test_counts_per_destination_and_an_empty_range(database: Database) -> None:
    _fill(database)
    with database.session() as session:
        counts = weekly_counts(session, TrendKey.DESTINATION, 4, NOW)
        empty = weekly_counts(session, TrendKey.COUNTRY, 2, NOW + timedelta(weeks=10))
    assert counts.counts == {"russia": (0, 1, 1, 0), "ukraine": (0, 0, 0, 1), "wagner_africa": (0, 1, 0, 0)}
    assert empty == WeeklyCounts((date(2027, 1, 25), date(2027, 2, 1)), {})


def test_a_week_starts_on_monday_in_utc() -> None:
    assert week_start(_at(2026, 11, 22, 23, 59)) == date(2026, 11, 16)  # Sunday
    assert week_start(_at(2026, 11, 23)) == date(2026, 11, 23)  # Monday
    assert week_start(_at(2026, 11, 23, 5, tz=KATHMANDU)) == date(2026, 11, 16)  # still Sunday in UTC
