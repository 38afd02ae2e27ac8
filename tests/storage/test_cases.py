"""Flagged cases for export: the stories whose newest verdict flagged them, with that verdict's case facts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

import storage.cases
from storage.cases import EXPORT_COLUMNS, flagged_cases
from storage.db import Database
from storage.stories import assign_clusters, insert_stories
from storage.verdicts import record_verdicts
from tests.storage.factories import Entry, FakeVerdict

NEPAL = {
    "origin_countries": ["NP"],
    "country_names": ["Nepal", "Russia"],
    "destination": "russia",
    "event": "casualties",
    "count": 12,
    "card": "🇳🇵 Nepal → Russia's forces · deaths or wounds · 12 people",
}
KENYA = {"origin_countries": ["KE"], "country_names": ["Kenya"], "event": "legal_action"}


def _day(day: int) -> datetime:
    return datetime(2026, 11, day, tzinfo=UTC)


def _flagged(case: dict[str, Any] | None = None, score: float = 0.9) -> FakeVerdict:
    return FakeVerdict(score, True, {"summary": "test"} | ({"case": case} if case is not None else {}))


def test_only_stories_whose_newest_verdict_flagged_them_come_out_oldest_first(database: Database) -> None:
    titles = ("Cleared on review", "Flagged on review", "Flagged long ago", "Never flagged", "No case facts")
    days = (9, 20, 1, 5, 12)
    with database.session() as session:
        stories = insert_stories(
            session,
            None,
            [Entry(title, published_at=_day(day)) for title, day in zip(titles, days, strict=True)],
        )
        cleared, reviewed, old, never, bare = (story.id for story in stories)
        first = [
            (cleared, _flagged(KENYA)),
            (reviewed, FakeVerdict(0.2, False)),
            (old, _flagged(NEPAL, 0.95)),
        ]
        record_verdicts(session, [*first, (never, FakeVerdict(0.1, False)), (bare, _flagged())])
        record_verdicts(session, [(cleared, FakeVerdict(0.3, False)), (reviewed, _flagged(KENYA, 0.8))])
    with database.session() as session:
        cases = list(flagged_cases(session))
    assert [(case.story.title, case.score, case.case) for case in cases] == [
        ("Flagged long ago", 0.95, NEPAL),
        ("No case facts", 0.9, {}),
        ("Flagged on review", 0.8, KENYA),
    ]
    assert all(case.flagged_at.tzinfo is not None for case in cases)


def test_since_and_country_filter_on_publication_and_the_named_countries(database: Database) -> None:
    with database.session() as session:
        entries = [
            Entry("Nepali men killed", published_at=_day(9)),
            Entry("Kenyan recruiters jailed", published_at=_day(20)),
            Entry("Nepal in the title only", published_at=_day(21)),
        ]
        nepal, kenya, title_only = insert_stories(session, None, entries)
        verdicts = [(nepal.id, _flagged(NEPAL)), (kenya.id, _flagged(KENYA)), (title_only.id, _flagged({}))]
        record_verdicts(session, verdicts)

    def titles(since: datetime | None = None, country: str | None = None) -> list[str]:
        with database.session() as session:
            return [case.story.title for case in flagged_cases(session, since, country)]

    assert titles(since=_day(20)) == ["Kenyan recruiters jailed", "Nepal in the title only"]  # inclusive
    assert titles(country="np") == titles(country="NEPAL") == ["Nepali men killed"]
    assert titles(country="Russia") == ["Nepali men killed"]  # any country the facts name
    assert titles(since=_day(10), country="Nepal") == []  # the story's text is not searched
    assert titles(country="Atlantis") == []


def test_an_export_row_falls_back_to_the_story_for_its_cluster_and_has_no_urn_for_a_url(
    database: Database,
) -> None:
    linkless = Entry("Told by a wire service", url=None, canonical_url=None, published_at=_day(9))
    object.__setattr__(linkless, "url", None)
    object.__setattr__(linkless, "canonical_url", None)
    with database.session() as session:
        lead, follower, wire = insert_stories(
            session,
            None,
            [Entry("Lead", published_at=_day(7)), Entry("Follower", published_at=_day(8)), linkless],
        )
        assign_clusters(session, {lead.id: lead.id, follower.id: lead.id})
        record_verdicts(
            session,
            [
                (follower.id, _flagged(NEPAL, 0.912345)),
                (wire.id, _flagged({"origin_countries": ["NP", "IN"]})),
            ],
        )
    with database.session() as session:
        first, second = (case.as_row() for case in flagged_cases(session))
    assert tuple(first) == EXPORT_COLUMNS
    assert (first["story_id"], first["cluster_id"], first["score"]) == (follower.id, lead.id, 0.9123)
    assert (first["url"], first["origin_countries"], first["count"]) == (follower.url, "NP", 12)
    assert (second["cluster_id"], second["url"], second["origin_countries"]) == (wire.id, "", "NP IN")
    assert (second["destination"], second["event"], second["count"], second["case_card"]) == (
        "",
        "",
        None,
        "",
    )


def test_a_stream_longer_than_a_batch_yields_every_case_once_in_order(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage.cases, "EXPORT_BATCH", 2)
    with database.session() as session:
        stories = insert_stories(
            session, None, [Entry(f"Case {n}", published_at=_day(n + 1)) for n in range(7)]
        )
        record_verdicts(session, [(story.id, _flagged(NEPAL)) for story in stories])
    with database.session() as session:
        assert [case.story.title for case in flagged_cases(session, country="NP")] == [
            f"Case {n}" for n in range(7)
        ]
