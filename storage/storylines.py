"""Storylines: flagged stories about one case across weeks, placed when their verdicts are recorded.

Storage gathers a new story's candidates (stories of open storylines published within the rule's
window, with an origin country in common or none) and applies what the join rule (``cases.storylines``,
handed in as a ``StorylineRule``) decides: join the storyline, start one, or merge the several it links.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import ColumnElement, delete, func, insert, or_, select, true, update
from sqlalchemy.orm import Session

from storage.models import Classification, Story, StoryCase, StoryCaseOrigin, Storyline, StorylineFollow
from storage.models import StorylineStory as StorylineLink
from storage.records import StoryRecord
from storage.states import StorylineState
from storage.stories import story_record
from storage.types import utcnow

STORIES_SHOWN = 20


@dataclass(frozen=True, slots=True)
class StorylineStory:
    """What the join rule reads of a flagged story: its text, date and case facts."""

    story_id: int
    storyline_id: int | None  # None while it is being placed
    title: str
    summary: str
    language: str | None
    published_at: datetime
    origin_countries: tuple[str, ...]
    destination: str


class StorylineRule(Protocol):
    """The join rule (``cases.storylines.StorylineRule`` fits)."""

    @property
    def window(self) -> timedelta: ...
    def links(self, story: StorylineStory, candidates: Sequence[StorylineStory]) -> list[int]: ...


@dataclass(frozen=True, slots=True)
class Placement:
    storyline_id: int
    joined: bool  # joined a storyline that was there before (a new development), not started one


@dataclass(frozen=True, slots=True)
class StorylineRecord:
    id: int
    title: str
    first_story_at: datetime
    last_story_at: datetime
    state: StorylineState
    merged_into: int | None
    stories: int


@dataclass(frozen=True, slots=True)
class StorylineEntry:
    story: StoryRecord
    event: str
    card: str


@dataclass(frozen=True, slots=True)
class StorylineDetail:
    storyline: StorylineRecord
    entries: tuple[StorylineEntry, ...]  # the newest ``STORIES_SHOWN``, oldest first


def _rule_story(story: Story, case: StoryCase, storyline_id: int | None) -> StorylineStory:
    return StorylineStory(
        story.id, storyline_id, story.title, story.summary, story.language, story.published_at,
        tuple(case.origin_countries.split()), case.destination,
    )  # fmt: skip


def mark_dormant(session: Session, window: timedelta, now: datetime) -> int:
    """Open storylines no story joined within ``window`` become dormant; returns how many."""
    result = session.execute(
        update(Storyline)
        .where(Storyline.state == StorylineState.OPEN, Storyline.last_story_at < now - window)
        .values(state=StorylineState.DORMANT)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _candidates(
    session: Session, stories: Sequence[StorylineStory], window: timedelta
) -> list[StorylineStory]:
    """The stories of open storylines near these stories in time that share an origin country with
    one of them (or name none: the rule lets an unstated origin agree with any)."""
    earliest = min(story.published_at for story in stories) - window
    latest = max(story.published_at for story in stories) + window
    origins = {code for story in stories for code in story.origin_countries}
    shares_origin: ColumnElement[bool] = true()
    if all(story.origin_countries for story in stories):
        shares_origin = or_(
            StoryCase.origin_countries == "",
            StoryCase.story_id.in_(
                select(StoryCaseOrigin.story_id).where(StoryCaseOrigin.country.in_(origins))
            ),
        )
    statement = (
        select(Story, StoryCase, StorylineLink.storyline_id)
        .join(StoryCase, StoryCase.story_id == Story.id)
        .join(StorylineLink, StorylineLink.story_id == Story.id)
        .join(Storyline, Storyline.id == StorylineLink.storyline_id)
        .where(Storyline.state != StorylineState.MERGED)
        .where(Story.published_at >= earliest, Story.published_at <= latest, shares_origin)
    )
    return [_rule_story(story, case, storyline) for story, case, storyline in session.execute(statement)]


def merge_storylines(session: Session, into: int, merged: Collection[int]) -> None:
    """Move the stories and followers of ``merged`` to ``into`` and mark them merged into it."""
    if not merged:
        return
    session.execute(
        update(StorylineLink).where(StorylineLink.storyline_id.in_(merged)).values(storyline_id=into)
    )
    following = set(
        session.scalars(select(StorylineFollow.subscriber_id).where(StorylineFollow.storyline_id == into))
    )
    moving = set(
        session.scalars(select(StorylineFollow.subscriber_id).where(StorylineFollow.storyline_id.in_(merged)))
    )
    session.execute(delete(StorylineFollow).where(StorylineFollow.storyline_id.in_(merged)))
    if moving - following:
        session.execute(
            insert(StorylineFollow),
            [
                {"subscriber_id": subscriber, "storyline_id": into}
                for subscriber in sorted(moving - following)
            ],
        )
    session.execute(
        update(Storyline)
        .where(Storyline.id.in_(merged))
        .values(state=StorylineState.MERGED, merged_into=into)
    )
    session.execute(update(Storyline).where(Storyline.merged_into.in_(merged)).values(merged_into=into))
    times = select(func.min(Storyline.first_story_at), func.max(Storyline.last_story_at)).where(
        Storyline.id.in_([into, *merged])
    )
    first, last = session.execute(times).one()
    session.execute(
        update(Storyline).where(Storyline.id == into).values(first_story_at=first, last_story_at=last)
    )


def _place(session: Session, story: StorylineStory, linked: list[int], awake_since: datetime) -> Placement:
    """Put one story in the storyline it links to (the oldest of several, which takes in the others)
    or in a new one; a storyline whose last story is after ``awake_since`` is open."""
    if not linked:
        state = StorylineState.OPEN if story.published_at >= awake_since else StorylineState.DORMANT
        storyline = Storyline(
            title=story.title,
            first_story_at=story.published_at,
            last_story_at=story.published_at,
            state=state,
        )
        session.add(storyline)
        session.flush()
        session.add(StorylineLink(story_id=story.story_id, storyline_id=storyline.id))
        return Placement(storyline.id, joined=False)
    into = min(linked)
    merge_storylines(session, into, [storyline for storyline in linked if storyline != into])
    session.add(StorylineLink(story_id=story.story_id, storyline_id=into))
    row = session.get_one(Storyline, into)
    row.first_story_at = min(row.first_story_at, story.published_at)
    row.last_story_at = max(row.last_story_at, story.published_at)
    row.state = StorylineState.OPEN if row.last_story_at >= awake_since else StorylineState.DORMANT
    session.flush()
    return Placement(into, joined=True)


def place_in_storylines(
    session: Session, story_ids: Iterable[int], rule: StorylineRule, now: datetime | None = None
) -> dict[int, Placement]:
    """Place each of these stories that has a case row and no storyline yet, oldest first (a story
    of the batch can join one placed before it); returns story id -> its placement. Open storylines
    whose last story is older than the window (before ``now``) become dormant."""
    now = now or utcnow()
    mark_dormant(session, rule.window, now)
    awake_since = now - rule.window
    placed = select(StorylineLink.story_id)
    rows = session.execute(
        select(Story, StoryCase)
        .join(StoryCase, StoryCase.story_id == Story.id)
        .where(Story.id.in_(set(story_ids)), Story.id.not_in(placed))
        .order_by(Story.published_at, Story.id)
    ).all()
    stories = [_rule_story(story, case, None) for story, case in rows]
    if not stories:
        return {}
    candidates = _candidates(session, stories, rule.window)
    placements: dict[int, Placement] = {}
    moved: dict[int, int] = {}  # storyline merged in this batch -> the one it was merged into
    for story in stories:
        linked = rule.links(story, candidates)
        placement = _place(session, story, linked, awake_since)
        placements[story.story_id] = placement
        for storyline in linked:
            if storyline != placement.storyline_id:
                moved |= {old: placement.storyline_id for old, new in moved.items() if new == storyline}
                moved[storyline] = placement.storyline_id
        candidates = [
            replace(candidate, storyline_id=moved.get(candidate.storyline_id or 0, candidate.storyline_id))
            for candidate in candidates
        ]
        candidates.append(replace(story, storyline_id=placement.storyline_id))
    return {
        story_id: replace(placement, storyline_id=moved.get(placement.storyline_id, placement.storyline_id))
        for story_id, placement in placements.items()
    }


def leave_storylines(session: Session, story_ids: Collection[int]) -> int:
    """These stories leave their storylines (which keep their dates): no longer flagged, or pruned by
    retention. A storyline left without a story goes (then it was a false alarm, or it is all past);
    returns how many went."""
    if not story_ids:
        return 0
    storylines = set(storylines_of(session, story_ids).values())
    session.execute(delete(StorylineLink).where(StorylineLink.story_id.in_(story_ids)))
    return drop_emptied_storylines(session, storylines)


def drop_emptied_storylines(session: Session, storyline_ids: Collection[int]) -> int:
    """Delete those of these storylines left without a story (by retention or reclassification), and
    the storylines merged into them, which would otherwise point nowhere; returns how many went. Their
    follows go with them (``ON DELETE CASCADE``); an alert that named one keeps its row, without it."""
    if not storyline_ids:
        return 0
    holding = select(StorylineLink.storyline_id).where(StorylineLink.storyline_id.in_(storyline_ids))
    emptied = select(Storyline.id).where(
        Storyline.id.in_(storyline_ids),
        Storyline.state != StorylineState.MERGED,
        Storyline.id.not_in(holding),
    )
    empty = set(session.scalars(emptied))
    if not empty:
        return 0
    doomed = set(session.scalars(select(Storyline.id).where(Storyline.merged_into.in_(empty)))) | empty
    session.execute(delete(Storyline).where(Storyline.id.in_(doomed)))
    return len(doomed)


def storylines_of(session: Session, story_ids: Collection[int]) -> dict[int, int]:
    """Story id -> its storyline's id, for those of these stories in one."""
    if not story_ids:
        return {}
    rows = session.execute(
        select(StorylineLink.story_id, StorylineLink.storyline_id).where(
            StorylineLink.story_id.in_(story_ids)
        )
    )
    return {story_id: storyline_id for story_id, storyline_id in rows}


def _record(row: Storyline, stories: int) -> StorylineRecord:
    return StorylineRecord(
        row.id, row.title, row.first_story_at, row.last_story_at, row.state, row.merged_into, stories
    )


def storyline_records(session: Session, storyline_ids: Collection[int]) -> dict[int, StorylineRecord]:
    """These storylines (merged ones too) by id, with how many stories each holds."""
    if not storyline_ids:
        return {}
    rows = session.execute(
        select(StorylineLink.storyline_id, func.count())
        .where(StorylineLink.storyline_id.in_(storyline_ids))
        .group_by(StorylineLink.storyline_id)
    )
    counts = {storyline_id: count for storyline_id, count in rows}
    storylines = session.scalars(select(Storyline).where(Storyline.id.in_(storyline_ids)))
    return {row.id: _record(row, counts.get(row.id, 0)) for row in storylines}


def storyline_detail(session: Session, storyline_id: int) -> StorylineDetail | None:
    """One storyline with its newest ``STORIES_SHOWN`` stories (oldest first) and their case cards;
    None when no such storyline is stored. A merged one comes without stories: they moved."""
    record = storyline_records(session, [storyline_id]).get(storyline_id)
    if record is None:
        return None
    rows = session.execute(
        select(Story, StoryCase.event, StoryCase.classification_id)
        .join(StorylineLink, StorylineLink.story_id == Story.id)
        .join(StoryCase, StoryCase.story_id == Story.id)
        .where(StorylineLink.storyline_id == storyline_id)
        .order_by(Story.published_at.desc(), Story.id.desc())
        .limit(STORIES_SHOWN)
    ).all()
    cards = _case_cards(session, [verdict for _, _, verdict in rows])
    entries = [
        StorylineEntry(story_record(story), event, cards.get(verdict, "")) for story, event, verdict in rows
    ]
    return StorylineDetail(record, tuple(reversed(entries)))


def storyline_story_ids(session: Session, storyline_id: int) -> tuple[int, list[int]] | None:
    """The storyline a (possibly merged) id now lives on and the ids of all its stories, oldest
    first; None when no such storyline is stored. Stories pruned by retention are gone from it."""
    record = storyline_records(session, [storyline_id]).get(storyline_id)
    seen = {storyline_id}
    while record is not None and record.merged_into is not None and record.merged_into not in seen:
        seen.add(record.merged_into)
        record = storyline_records(session, [record.merged_into]).get(record.merged_into)
    if record is None:
        return None
    ids = session.scalars(
        select(StorylineLink.story_id)
        .join(Story, Story.id == StorylineLink.story_id)
        .where(StorylineLink.storyline_id == record.id)
        .order_by(Story.published_at, Story.id)
    ).all()
    return record.id, list(ids)


def _case_cards(session: Session, verdict_ids: Collection[int]) -> dict[int, str]:
    """Verdict id -> the case card its reasons carry."""
    cards: dict[int, str] = {}
    rows = session.execute(
        select(Classification.id, Classification.reasons).where(Classification.id.in_(verdict_ids))
    )
    for verdict_id, reasons in rows:
        case = reasons.get("case") if isinstance(reasons, dict) else None
        card = case.get("card") if isinstance(case, dict) else None
        cards[verdict_id] = card if isinstance(card, str) else ""
    return cards
