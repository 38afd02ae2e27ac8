"""The storyline join rule: whether a flagged story continues the case of an earlier one, weeks
beyond the 72-hour event cluster (a recruiter's arrest, charge, trial and sentence; the men of one
village recruited, missing, then home).

Two stories link when all of these hold:

* they were published at most ``window`` apart (8 weeks unless configured);
* their case facts agree: the origin countries share one (or either story names none), and the
  destination forces are the same (or either is unknown);
* their texts are alike enough for what names they share (``cases.names``): a full name (two words
  or more, or a named recruiter: "Ramesh Thapa") needs ``NAME_SIMILARITY`` of their content-word
  stems in common (Jaccard over the title and the start of the summary), a single word (a village,
  a surname) ``PLACE_SIMILARITY``, and no common name ``TEXT_SIMILARITY`` (and ``MIN_TEXT_STEMS``
  stems on each side). A name the candidates give in ``COMMON_NAME_STORYLINES`` storylines or more
  (a president quoted everywhere) is not a shared name.

So "Police arrest recruiter Ramesh Thapa" and "Court sentences Ramesh Thapa" link, while "12 Nepali
men killed in the Russian army", with the same countries and force but no name in common, links to
neither unless its words are half the same. A story joins the storyline of the stories it links to;
storage decides what happens when it links to several (they merge).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Protocol

from cases.names import name_key, story_names
from textkit.stems import content_stems, stem_similarity

DEFAULT_WINDOW = timedelta(weeks=8)
NAME_SIMILARITY = 0.12
PLACE_SIMILARITY = 0.25
TEXT_SIMILARITY = 0.5
MIN_TEXT_STEMS = 6  # a text-only link needs this many stems on each side: short titles meet by chance
COMMON_NAME_STORYLINES = 5  # a name in this many candidate storylines is a public figure's, not a case's
SUMMARY_CHARS = 600  # the start of a summary: a full article's text would drown the shared words
UNKNOWN_DESTINATION = "unknown"


class StorylineStory(Protocol):
    """What the rule reads of a story (``storage.storylines.StorylineStory`` fits)."""

    @property
    def story_id(self) -> int: ...
    @property
    def storyline_id(self) -> int | None: ...  # None for the story being placed
    @property
    def title(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def language(self) -> str | None: ...
    @property
    def published_at(self) -> datetime: ...
    @property
    def origin_countries(self) -> tuple[str, ...]: ...
    @property
    def destination(self) -> str: ...


@dataclass(frozen=True, slots=True)
class _Features:
    stems: frozenset[str]
    names: tuple[frozenset[str], ...]


@lru_cache(maxsize=16_384)  # a candidate is compared with every story of a batch
def _features(title: str, summary: str, language: str | None) -> _Features:
    text = f"{title}\n{summary[:SUMMARY_CHARS]}"
    found = story_names(text, language)
    keys = {name_key(name) for name in (*found.names, *found.recruiters)}
    return _Features(content_stems(text), tuple(key for key in keys if key))


def _shared_name(left: Sequence[frozenset[str]], right: Sequence[frozenset[str]]) -> int:
    """2 when the stories share a full name, 1 a single word of one, 0 none; "Thapa" is part of
    "Ramesh Thapa"."""
    shared = 0
    for one in left:
        for other in right:
            if one <= other or other <= one:
                shared = max(shared, 2 if min(len(one), len(other)) >= 2 else 1)
    return shared


def _common_names(candidates: Sequence[StorylineStory]) -> frozenset[frozenset[str]]:
    """The names given in ``COMMON_NAME_STORYLINES`` or more of the candidates' storylines."""
    storylines: dict[frozenset[str], set[int | None]] = {}
    for candidate in candidates:
        for name in _features(candidate.title, candidate.summary, candidate.language).names:
            storylines.setdefault(name, set()).add(candidate.storyline_id)
    return frozenset(name for name, found in storylines.items() if len(found) >= COMMON_NAME_STORYLINES)


def facts_agree(story: StorylineStory, other: StorylineStory) -> bool:
    """Same origin country (or one names none) and same force (or one is unknown)."""
    countries = (
        not story.origin_countries
        or not other.origin_countries
        or bool(set(story.origin_countries) & set(other.origin_countries))
    )
    forces = UNKNOWN_DESTINATION in (story.destination, other.destination) or (
        story.destination == other.destination
    )
    return countries and forces


_NEEDED = {2: NAME_SIMILARITY, 1: PLACE_SIMILARITY, 0: TEXT_SIMILARITY}


@dataclass(frozen=True, slots=True)
class StorylineRule:
    """The join rule with its window (see the module docstring)."""

    window: timedelta = DEFAULT_WINDOW

    def similarity(
        self, story: StorylineStory, other: StorylineStory, common: frozenset[frozenset[str]] = frozenset()
    ) -> float | None:
        """How alike two stories are when they link (the share of stems in common); None when not.
        ``common`` names do not count as shared."""
        if abs(story.published_at - other.published_at) > self.window or not facts_agree(story, other):
            return None
        mine = _features(story.title, story.summary, story.language)
        theirs = _features(other.title, other.summary, other.language)
        similarity = stem_similarity(mine.stems, theirs.stems)
        shared = _shared_name(
            [name for name in mine.names if name not in common],
            [name for name in theirs.names if name not in common],
        )
        if not shared and min(len(mine.stems), len(theirs.stems)) < MIN_TEXT_STEMS:
            return None
        return similarity if similarity >= _NEEDED[shared] else None

    def links(self, story: StorylineStory, candidates: Sequence[StorylineStory]) -> list[int]:
        """The storylines of the candidates the story links to, the most alike first; empty when it
        starts a storyline of its own."""
        common = _common_names(candidates)
        best: dict[int, float] = {}
        for candidate in candidates:
            if candidate.storyline_id is None or candidate.story_id == story.story_id:
                continue
            similarity = self.similarity(story, candidate, common)
            if similarity is not None:
                best[candidate.storyline_id] = max(similarity, best.get(candidate.storyline_id, 0.0))
        return sorted(best, key=lambda storyline: (-best[storyline], storyline))
