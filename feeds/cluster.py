"""Near-duplicate detection across outlets: one real-world event, one cluster.

A story is reduced to two sets of stems (words cut to five letters so that
"Russia"/"Russian" and "Nepal"/"Nepali" meet, stop words dropped):

* *shingles*, all content words: MinHash + LSH over them finds candidate stories of
  the last ``window`` whose estimated Jaccard similarity reaches ``threshold``;
* *entities*, capitalised words inside sentences and numbers: a candidate must also
  share most of the smaller entity set, because "Kenyan men duped into fighting for Russia" and "Indian
  men duped into fighting for Russia" use the same words about different events.

Among confirmed candidates the most similar one gives its cluster; a near-identical
title (rapidfuzz) counts as full word similarity. Rebuild at start-up by calling
``assign`` for the stored stories of the last window, oldest first.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from datasketch import LeanMinHash, MinHash, MinHashLSH
from rapidfuzz import fuzz

_NUM_PERM = 128
_MAX_CANDIDATES = 100
_STEM_CHARS = 5
_ENTITY_THRESHOLD = 0.75
_SAME_TITLE_RATIO = 92.0
_TITLE_CASE_SHARE = 0.6
_WORD = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# English and Russian function words; kept as text so the list stays readable.
_STOP_WORDS_TEXT = """
a an and are as at be been but by for from had has have he her his in into is it its of on or our over
said says she that the their them they this to up was were which who will with after about than then
there these those also more most new not no we you your can could would may
и в на с по что как из за к от для о не это его ее их а но же при до
"""
_STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


@dataclass(frozen=True, slots=True)
class StoryFeatures:
    """What clustering compares: content-word stems and name/number stems."""

    shingles: frozenset[str]
    entities: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Story:
    at: datetime
    cluster_id: int
    title: str
    entities: frozenset[str]
    signature: LeanMinHash


class StoryClusterer:
    """In-memory clusters of the stories of the last ``window``."""

    def __init__(self, window: timedelta, threshold: float) -> None:
        self._window = window
        self._threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=_NUM_PERM)
        # Computing the hash permutations is a third of a MinHash's cost: share one set.
        template = MinHash(num_perm=_NUM_PERM)
        self._permutations, self._scheme = template.permutations, template.scheme
        self._stories: dict[int, _Story] = {}
        self._by_time: list[tuple[datetime, int]] = []

    def __len__(self) -> int:
        return len(self._stories)

    def assign(self, key: int, text: str, at: datetime, *, title: str = "") -> int:
        """Cluster id for story ``key``: the key of the first story of its event, or ``key``.

        ``text`` is title plus summary; passing ``title`` too lets a near-identical
        headline count as a match even when the summaries differ.
        """
        known = self._stories.get(key)
        if known is not None:
            return known.cluster_id
        features = extract_features(text)
        minhash = MinHash(num_perm=_NUM_PERM, permutations=self._permutations, scheme=self._scheme)
        minhash.update_batch([token.encode() for token in features.shingles])
        signature = LeanMinHash(minhash)  # keeps only the hash values: a third of the memory
        match = self._best_match(signature, features.entities, at, title) if features.shingles else None
        story = _Story(at, key if match is None else match, title, features.entities, signature)
        self._stories[key] = story
        heapq.heappush(self._by_time, (at, key))
        if features.shingles:
            self._lsh.insert(key, signature)
        return story.cluster_id

    def forget_before(self, cutoff: datetime) -> int:
        """Drop stories older than ``cutoff`` to bound memory; returns how many went."""
        dropped = 0
        while self._by_time and self._by_time[0][0] < cutoff:
            _, key = heapq.heappop(self._by_time)
            if self._stories.pop(key, None) is not None and key in self._lsh:
                self._lsh.remove(key)
            dropped += 1
        return dropped

    def _best_match(
        self, signature: LeanMinHash, entities: frozenset[str], at: datetime, title: str
    ) -> int | None:
        best: tuple[float, int] | None = None
        # Newest candidates first, and a bounded number of them: a topical corpus can put hundreds of
        # stories in one LSH bucket, and checking them all would make clustering quadratic.
        candidates = heapq.nlargest(_MAX_CANDIDATES, self._lsh.query(signature))
        for candidate_key in candidates:
            candidate = self._stories[candidate_key]
            if abs(candidate.at - at) > self._window or not _entities_agree(entities, candidate.entities):
                continue
            score = signature.jaccard(candidate.signature)
            if (
                title
                and candidate.title
                and fuzz.token_set_ratio(title, candidate.title) >= _SAME_TITLE_RATIO
            ):
                score = 1.0
            if score >= self._threshold and (best is None or score > best[0]):
                best = (score, candidate.cluster_id)
        return None if best is None else best[1]


def _entities_agree(left: frozenset[str], right: frozenset[str]) -> bool:
    if not left or not right:
        return True
    # Overlap coefficient, not Jaccard: a short summary naming fewer people and places
    # than a long one about the same event must still agree with it.
    return len(left & right) / min(len(left), len(right)) >= _ENTITY_THRESHOLD


def extract_features(text: str) -> StoryFeatures:
    """Shingles and entities of a story's text (see the module docstring)."""
    shingles: set[str] = set()
    entities: set[str] = set()
    for sentence in _SENTENCE_END.split(text):
        words = _WORD.findall(sentence)
        capitalised = sum(word[0].isupper() for word in words)
        title_case = bool(words) and capitalised / len(words) >= _TITLE_CASE_SHARE
        for position, word in enumerate(words):
            folded = word.casefold()
            if folded in _STOP_WORDS or (len(folded) < 3 and not folded.isdigit()):
                continue
            stem = folded[:_STEM_CHARS]
            shingles.add(stem)
            if word.isdigit() or (position > 0 and not title_case and word[0].isupper()):
                entities.add(stem)
    return StoryFeatures(frozenset(shingles), frozenset(entities))
