"""Case facts of flagged stories: stored as columns with each verdict, listed and shown from there, and
streamed for export (the stories whose newest verdict flagged them, with that verdict's case facts)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

import storage.cases
from storage.cases import EXPORT_COLUMNS, CaseColumns, case_columns, case_detail, flagged_cases, list_cases
from storage.db import Database
from storage.models import StoryCase, StoryCaseOrigin
from storage.retention import prune_stories
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


def _case_rows(database: Database) -> dict[int, tuple[str, str, str, int | None, list[str]]]:
    """story id -> (origin_countries, destination, event, people_count, origin rows), as stored."""
    with database.session() as session:
        origins: dict[int, list[str]] = {}
        for story_id, country in session.execute(
            select(StoryCaseOrigin.story_id, StoryCaseOrigin.country).order_by(StoryCaseOrigin.country)
        ):
            origins.setdefault(story_id, []).append(country)
        rows = session.execute(
            select(
                StoryCase.story_id,
                StoryCase.origin_countries,
                StoryCase.destination,
                StoryCase.event,
                StoryCase.people_count,
            )
        )
        return {story_id: (*facts, origins.get(story_id, [])) for story_id, *facts in rows}


def test_recording_a_flagged_verdict_stores_its_case_facts_as_columns(database: Database) -> None:
    two = {**NEPAL, "origin_countries": ["np", "IN"], "count": True}  # odd JSON is read defensively
    with database.session() as session:
        nepal, kenya, both, bare, cleared = insert_stories(
            session, None, [Entry(title) for title in ("Nepal", "Kenya", "Both", "Bare", "Cleared")]
        )
        record_verdicts(
            session,
            [
                (nepal.id, _flagged(NEPAL)),
                (kenya.id, _flagged(KENYA)),
                (both.id, _flagged(two)),
                (bare.id, _flagged()),  # flagged before case extraction: no facts, no row
                (cleared.id, FakeVerdict(0.1, False, {"case": NEPAL})),  # facts, but not flagged
            ],
        )
    assert _case_rows(database) == {
        nepal.id: ("NP", "russia", "casualties", 12, ["NP"]),
        kenya.id: ("KE", "unknown", "legal_action", None, ["KE"]),
        both.id: ("IN NP", "russia", "casualties", None, ["IN", "NP"]),
    }


def test_a_reclassified_story_gets_its_new_verdicts_facts_or_loses_them(database: Database) -> None:
    with database.session() as session:
        changed, cleared, kept = insert_stories(session, None, [Entry("A"), Entry("B"), Entry("C")])
        record_verdicts(session, [(story.id, _flagged(NEPAL)) for story in (changed, cleared, kept)])
    with database.session() as session:
        record_verdicts(session, [(changed.id, _flagged(KENYA)), (cleared.id, FakeVerdict(0.2, False))])
    rows = _case_rows(database)
    assert rows == {
        changed.id: ("KE", "unknown", "legal_action", None, ["KE"]),
        kept.id: ("NP", "russia", "casualties", 12, ["NP"]),
    }
    with database.session() as session:
        [detail] = list_cases(session, country="KE")
    assert detail.story.id == changed.id and detail.case == KENYA  # the newest verdict's facts


def test_pruning_a_story_removes_its_case_facts(database: Database) -> None:
    with database.session() as session:
        old, new = insert_stories(
            session, None, [Entry("Old", published_at=_day(1)), Entry("New", published_at=_day(20))]
        )
        record_verdicts(session, [(old.id, _flagged(NEPAL)), (new.id, _flagged(NEPAL))])
    prune_stories(database, _day(10))
    assert list(_case_rows(database)) == [new.id]
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(StoryCaseOrigin)) == 1


def test_list_cases_is_newest_first_filtered_by_date_and_origin_country(database: Database) -> None:
    with database.session() as session:
        stories = insert_stories(
            session,
            None,
            [Entry(f"Story {day}", published_at=_day(day)) for day in (3, 9, 15, 21)],
        )
        facts = (NEPAL, KENYA, {**KENYA, "origin_countries": ["KE", "NP"]}, NEPAL)
        record_verdicts(session, [(s.id, _flagged(f)) for s, f in zip(stories, facts, strict=True)])

    def titles(**filters: Any) -> list[str]:
        with database.session() as session:
            return [case.story.title for case in list_cases(session, **filters)]

    assert titles() == ["Story 21", "Story 15", "Story 9", "Story 3"]
    assert titles(country="np") == ["Story 21", "Story 15", "Story 3"]
    assert titles(country="RU") == []  # a party to the war named in the text is not an origin
    assert titles(since=_day(9), country="KE") == ["Story 15", "Story 9"]  # inclusive
    assert titles(limit=2) == ["Story 21", "Story 15"]


def test_case_detail_has_the_verdicts_evidence_the_cluster_and_its_other_outlets(database: Database) -> None:
    case = {**NEPAL, "evidence": {"NP": "Nepali", "count": "12 Nepali men"}}
    with database.session() as session:
        lead, other, same_outlet, unflagged = insert_stories(
            session,
            None,
            [
                Entry("Lead", host="kathmandupost.com"),
                Entry("Other", host="bbc.com"),
                Entry("Again", host="kathmandupost.com"),
                Entry("Unflagged"),
            ],
        )
        assign_clusters(session, {story.id: lead.id for story in (lead, other, same_outlet)})
        record_verdicts(session, [(lead.id, _flagged(case, 0.93)), (unflagged.id, FakeVerdict(0.1, False))])
    with database.session() as session:
        detail = case_detail(session, lead.id)
        assert case_detail(session, unflagged.id) is None and case_detail(session, 10**6) is None
    assert detail is not None
    assert (detail.cluster_id, detail.other_outlets) == (lead.id, ("bbc.com",))
    assert detail.case.evidence == {"NP": "Nepali", "count": "12 Nepali men"}
    assert detail.case.card == NEPAL["card"] and detail.case.score == 0.93
    assert detail.case.facts == CaseColumns(("NP",), "russia", "casualties", 12)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (None, None),
        ({}, None),
        ("not a dict", None),
        (
            {"origin_countries": "NP", "destination": None, "count": "12"},
            CaseColumns((), "unknown", "other", None),
        ),
        (
            {"origin_countries": ["ke", 7, "NP", "N P"], "count": 3},
            CaseColumns(("KE", "NP"), "unknown", "other", 3),
        ),
    ],
)
def test_case_columns_reads_a_verdicts_facts_defensively(case: object, expected: CaseColumns | None) -> None:
    assert case_columns(case) == expected
