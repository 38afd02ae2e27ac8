"""The case facts of flagged stories: kept as columns when a verdict is recorded (``story_cases``, with
one ``story_case_origins`` row per origin country), listed and shown from there (with the story's
storyline), and streamed for export with the facts their verdict carries."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, insert, select
from sqlalchemy.orm import Session

from storage.models import Classification, Story, StoryCase, StoryCaseOrigin
from storage.models import StorylineStory as StorylineLink
from storage.records import StoryRecord
from storage.stories import cluster_outlets, story_record
from storage.storylines import StorylineRecord, storyline_records, storylines_of

EXPORT_BATCH = 1000
EXPORT_COLUMNS = (
    "story_id", "published_at", "flagged_at", "title", "url", "outlet", "language", "cluster_id",
    "storyline", "score", "origin_countries", "destination", "event", "count", "recruiters", "case_card",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class FlaggedCase:
    story: StoryRecord
    score: float
    flagged_at: datetime
    case: dict[str, Any]  # the case facts (`cases.CaseFacts.to_dict`); empty for older verdicts
    storyline_id: int | None = None

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
            "storyline": self.storyline_id,
            "score": round(self.score, 4),
            "origin_countries": " ".join(case.get("origin_countries", [])),
            "destination": case.get("destination", ""),
            "event": case.get("event", ""),
            "count": case.get("count"),
            "recruiters": "; ".join(str(name) for name in case.get("recruiters", [])),
            "case_card": case.get("card", ""),
        }


def flagged_cases(
    session: Session, since: datetime | None = None, country: str | None = None
) -> Iterator[FlaggedCase]:
    """Every story whose newest verdict flagged it (naming ``country``, if given), oldest first,
    fetched ``EXPORT_BATCH`` rows at a time: a million-row export holds one batch in memory."""
    newest = select(func.max(Classification.id)).group_by(Classification.story_id)
    statement = (
        select(Story, Classification, StorylineLink.storyline_id)
        .join(Classification, Classification.story_id == Story.id)
        .outerjoin(StorylineLink, StorylineLink.story_id == Story.id)
        .where(Classification.id.in_(newest), Classification.alert.is_(True))
        .order_by(Story.published_at, Story.id)
        .execution_options(yield_per=EXPORT_BATCH)
    )
    if since is not None:
        statement = statement.where(Story.published_at >= since)
    for batch in session.execute(statement).partitions():
        for story, verdict, storyline_id in batch:
            case = verdict.reasons.get("case") if isinstance(verdict.reasons, dict) else None
            item = FlaggedCase(
                story_record(story), verdict.score, verdict.created_at, case or {}, storyline_id
            )
            # Each batch's rows leave the identity map (which would otherwise keep every row read),
            # one by one: clearing the whole map would break the result still loading batches.
            session.expunge(story)
            session.expunge(verdict)
            if country is None or item.names(country):
                yield item


@dataclass(frozen=True, slots=True)
class CaseColumns:
    """The stored columns of one story's case facts."""

    origin_countries: tuple[str, ...]  # sorted ISO 3166-1 alpha-2 codes
    destination: str
    event: str
    people_count: int | None


def case_columns(case: object) -> CaseColumns | None:
    """The columns of a verdict's ``reasons["case"]`` (``cases.CaseFacts.to_dict``); None when the
    verdict carries no facts. Read defensively: the reasons are JSON another version may have written."""
    if not isinstance(case, dict) or not case:
        return None
    origins = case.get("origin_countries")
    listed = origins if isinstance(origins, list) else []
    codes = {code.upper() for code in listed if isinstance(code, str)}
    count = case.get("count")
    return CaseColumns(
        tuple(sorted(code for code in codes if code.isascii() and code.isalpha() and len(code) <= 8)),
        str(case.get("destination") or "unknown")[:32],
        str(case.get("event") or "other")[:32],
        count if isinstance(count, int) and not isinstance(count, bool) else None,
    )


Rows = list[dict[str, Any]]


def case_rows(verdicts: Iterable[tuple[int, int, object]]) -> tuple[Rows, Rows]:
    """The ``story_cases`` and ``story_case_origins`` rows of (story id, verdict id, case facts)
    triples; a triple whose facts are missing (None, an older verdict) gives none."""
    cases: Rows = []
    origins: Rows = []
    for story_id, verdict_id, case in verdicts:
        columns = case_columns(case)
        if columns is None:
            continue
        cases.append(
            {
                "story_id": story_id,
                "classification_id": verdict_id,
                "origin_countries": " ".join(columns.origin_countries),
                "destination": columns.destination,
                "event": columns.event,
                "people_count": columns.people_count,
            }
        )
        origins += [{"story_id": story_id, "country": code} for code in columns.origin_countries]
    return cases, origins


def replace_case_facts(session: Session, verdicts: Sequence[tuple[int, int, object]]) -> None:
    """Store each (story id, verdict id, case facts or None) as the story's case row, replacing the
    row of its previous verdict; a verdict that did not flag the story (None) leaves it without one."""
    latest = {story_id: (story_id, verdict_id, case) for story_id, verdict_id, case in verdicts}
    if not latest:
        return
    session.execute(delete(StoryCase).where(StoryCase.story_id.in_(latest)))  # origins go by cascade
    cases, origins = case_rows(latest.values())
    if cases:
        session.execute(insert(StoryCase), cases)
    if origins:
        session.execute(insert(StoryCaseOrigin), origins)


@dataclass(frozen=True, slots=True)
class StoredCase:
    """A flagged story with its stored case facts and the verdict they came from."""

    story: StoryRecord
    facts: CaseColumns
    score: float
    flagged_at: datetime
    case: dict[str, Any]  # the verdict's reasons["case"]: the card, the evidence, the countries named

    @property
    def card(self) -> str:
        return str(self.case.get("card") or "")

    @property
    def evidence(self) -> dict[str, str]:
        evidence = self.case.get("evidence")
        return {str(key): str(value) for key, value in evidence.items()} if isinstance(evidence, dict) else {}


def _stored_case(row: StoryCase, story: Story, verdict: Classification) -> StoredCase:
    case = verdict.reasons.get("case") if isinstance(verdict.reasons, dict) else None
    facts = CaseColumns(tuple(row.origin_countries.split()), row.destination, row.event, row.people_count)
    return StoredCase(story_record(story), facts, verdict.score, verdict.created_at, case or {})


def _cases_query() -> Select[StoryCase, Story, Classification]:
    return (
        select(StoryCase, Story, Classification)
        .join(Story, Story.id == StoryCase.story_id)
        .join(Classification, Classification.id == StoryCase.classification_id)
    )


def list_cases(
    session: Session, *, since: datetime | None = None, country: str | None = None, limit: int = 50
) -> list[StoredCase]:
    """The newest flagged stories with case facts (published since ``since``; whose recruits come
    from ``country``, an ISO code), newest first."""
    statement = _cases_query().order_by(Story.published_at.desc(), Story.id.desc()).limit(limit)
    if since is not None:
        statement = statement.where(Story.published_at >= since)
    if country is not None:
        origin = select(StoryCaseOrigin.story_id).where(StoryCaseOrigin.country == country.upper())
        statement = statement.where(StoryCase.story_id.in_(origin))
    return [_stored_case(row, story, verdict) for row, story, verdict in session.execute(statement)]


@dataclass(frozen=True, slots=True)
class CaseDetail:
    case: StoredCase
    cluster_id: int
    other_outlets: tuple[str, ...]  # the other outlets that told the story (its cluster)
    storyline: StorylineRecord | None = None


def case_detail(session: Session, story_id: int) -> CaseDetail | None:
    """One story's case facts with its cluster and the other outlets; None without a case row."""
    found = session.execute(_cases_query().where(StoryCase.story_id == story_id)).one_or_none()
    if found is None:
        return None
    row, story, verdict = found
    case = _stored_case(row, story, verdict)
    cluster = case.story.cluster_id or case.story.id
    outlets = {outlet for _, outlet in cluster_outlets(session, [cluster]).get(cluster, [])}
    storyline_id = storylines_of(session, [story_id]).get(story_id)
    storyline = storyline_records(session, [storyline_id]).get(storyline_id) if storyline_id else None
    return CaseDetail(case, cluster, tuple(sorted(outlets - {case.story.outlet or ""})), storyline)
