"""Verdicts: written with the alerts they queue, in one transaction so no alert is lost between them,
and read back as the latest flagged stories."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.cases import case_columns, replace_case_facts
from storage.follows import storyline_followers
from storage.models import Alert, Classification, Story, Subscriber
from storage.records import StoryRecord
from storage.states import StoryState
from storage.stories import story_record
from storage.storylines import Placement, StorylineRule, leave_storylines, place_in_storylines


class VerdictLike(Protocol):
    """What the classifier decided about one story (``classifiers.types.Verdict`` fits)."""

    @property
    def score(self) -> float: ...
    @property
    def alert(self) -> bool: ...
    @property
    def reasons(self) -> dict[str, Any]: ...
    @property
    def model_name(self) -> str: ...
    @property
    def model_version(self) -> str: ...


def _named_countries(reasons: dict[str, Any]) -> set[str]:
    """The English names of the countries the case facts found in the story, in any language."""
    case = reasons.get("case")
    names = case.get("country_names") if isinstance(case, dict) else None
    return {str(name).casefold() for name in names} if isinstance(names, list) else set()


def _wants(subscriber: Subscriber, story: Story, verdict: Classification) -> bool:
    """A subscriber's standing filters; muting is checked at send time, not here.

    A followed country matches a story whose case facts name it (a Nepali-language story about
    Nepali recruits names Nepal), or whose text contains the name; a keyword matches the text.
    """
    if subscriber.min_score is not None and verdict.score < subscriber.min_score:
        return False
    if subscriber.languages and story.language not in subscriber.languages:
        return False
    if not subscriber.keywords and not subscriber.countries:
        return True
    text = f"{story.title} {story.summary}".casefold()
    named = _named_countries(verdict.reasons)
    return any(term.casefold() in text for term in subscriber.keywords) or any(
        country.casefold() in named or country.casefold() in text for country in subscriber.countries
    )


def _enqueue_alerts(
    session: Session, flagged: Sequence[tuple[Story, Classification]], placements: dict[int, Placement]
) -> int:
    """Queue an alert per flagged story and wanting chat, unless the chat already has the story's cluster.

    A story that joined a storyline a chat follows reaches that chat as a new development (the
    alert names the storyline), whatever the chat's filters: following is the chat's own request.
    """
    if not flagged:
        return 0
    subscribers = list(session.scalars(select(Subscriber).where(Subscriber.active.is_(True))))
    clusters = {story.cluster_id or story.id for story, _ in flagged}
    rows = session.execute(
        select(Alert.cluster_id, Alert.subscriber_id).where(Alert.cluster_id.in_(clusters))
    )
    taken = {(cluster_id, subscriber_id) for cluster_id, subscriber_id in rows}
    joined = {
        story_id: placement.storyline_id for story_id, placement in placements.items() if placement.joined
    }
    followers = storyline_followers(session, set(joined.values()))
    new: list[Alert] = []
    for story, verdict in flagged:
        cluster_id = story.cluster_id or story.id
        storyline_id = joined.get(story.id)
        following = followers.get(storyline_id, set()) if storyline_id is not None else set()
        for subscriber in subscribers:
            if (cluster_id, subscriber.id) in taken:
                continue
            development = subscriber.id in following
            if development or _wants(subscriber, story, verdict):
                taken.add((cluster_id, subscriber.id))  # a second story of the cluster in this batch
                new.append(
                    Alert(
                        story_id=story.id,
                        cluster_id=cluster_id,
                        subscriber_id=subscriber.id,
                        classification_id=verdict.id,
                        storyline_id=storyline_id if development else None,
                    )
                )
    session.add_all(new)
    return len(new)


def record_verdicts(
    session: Session,
    verdicts: Sequence[tuple[int, VerdictLike]],
    storylines: StorylineRule | None = None,
) -> int:
    """Store each story's verdict, mark it classified, keep a flagged story's case facts
    (``reasons["case"]``) as its case row, place it in a storyline by the ``storylines`` rule (none
    given: stories are not placed), and queue alerts for the positive ones.

    Alerts go out once per story cluster and chat (a unique constraint backs this up).
    Returns the number of alerts queued.
    """
    ids = [story_id for story_id, _ in verdicts]
    stories = {story.id: story for story in session.scalars(select(Story).where(Story.id.in_(ids)))}
    recorded: list[Classification] = []
    flagged: list[tuple[Story, Classification]] = []
    for story_id, verdict in verdicts:
        story = stories.get(story_id)
        if story is None:  # pruned meanwhile
            continue
        classification = Classification(
            story_id=story_id,
            score=verdict.score,
            alert=verdict.alert,
            model_name=verdict.model_name,
            model_version=verdict.model_version,
            reasons=verdict.reasons,
        )
        session.add(classification)
        recorded.append(classification)
        story.state = StoryState.CLASSIFIED
        if verdict.alert:
            flagged.append((story, classification))
    session.flush()  # the classifications' ids, for the case rows and alerts that point to them
    facts = [(row.story_id, row.id, row.reasons.get("case") if row.alert else None) for row in recorded]
    replace_case_facts(session, facts)
    latest = {story_id: case for story_id, _, case in facts}
    leave_storylines(session, {story_id for story_id, case in latest.items() if case_columns(case) is None})
    placements = {}
    if storylines is not None:
        placements = place_in_storylines(session, [story.id for story, _ in flagged], storylines)
    queued = _enqueue_alerts(session, flagged, placements)
    session.flush()
    return queued


@dataclass(frozen=True, slots=True)
class FlaggedStory:
    story: StoryRecord
    score: float
    reasons: dict[str, Any]
    flagged_at: datetime


def latest_flagged(session: Session, limit: int) -> list[FlaggedStory]:
    """The newest flagged stories, one per cluster, newest first."""
    statement = (
        select(Classification, Story)
        .join(Story, Story.id == Classification.story_id)
        .where(Classification.alert.is_(True))
        .order_by(Classification.id.desc())
        .limit(limit * 4)
    )
    seen: set[int] = set()
    flagged: list[FlaggedStory] = []
    for classification, story in session.execute(statement):
        cluster = story.cluster_id or story.id
        if cluster in seen:
            continue
        seen.add(cluster)
        flagged.append(
            FlaggedStory(
                story_record(story), classification.score, classification.reasons, classification.created_at
            )
        )
        if len(flagged) == limit:
            break
    return flagged
