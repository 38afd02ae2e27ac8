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

The LSH buckets (datasketch's band layout for the threshold: 37 bands of 3 rows at 0.3) are kept
in sorted numpy arrays of band hashes, 16 bytes per band of a story, where datasketch's dicts of
byte strings took some 8 KB a story (150 MB for 18 000 stories); the newest stories wait in a small
buffer that is merged in batches.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt
from datasketch import MinHash, MinHashLSH
from rapidfuzz import fuzz

from textkit.stems import WORD, word_stem

_NUM_PERM = 128
_MAX_CANDIDATES = 100
_ENTITY_THRESHOLD = 0.75
_SAME_TITLE_RATIO = 92.0
_TITLE_CASE_SHARE = 0.6
_FIRST_ROWS = 1024
_MERGE_EVERY = 1024  # stories buffered before their band hashes join the sorted arrays
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# splitmix64's finaliser: a bijection on 64 bits that spreads every input bit.
_MIX_SHIFTS = (np.uint64(30), np.uint64(27), np.uint64(31))
_MIX_MULTIPLIERS = (np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))
_BAND_SEED = np.uint64(0x9E3779B97F4A7C15)

Signature = npt.NDArray[np.uint32]
Hashes = npt.NDArray[np.uint64]
Keys = npt.NDArray[np.int64]


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
    row: int  # of its signature and entity mask in the clusterer's arrays


class StoryClusterer:
    """In-memory clusters of the stories of the last ``window``."""

    def __init__(self, window: timedelta, threshold: float) -> None:
        self._window = window
        self._threshold = threshold
        bands = MinHashLSH(threshold=threshold, num_perm=_NUM_PERM)  # datasketch's optimal bands
        self._buckets = _Buckets(bands.b, bands.r)
        # One MinHash, cleared for each story: building one parses its permutations again.
        self._minhash = MinHash(num_perm=_NUM_PERM)
        self._stories: dict[int, _Story] = {}
        self._by_time: list[tuple[datetime, int]] = []
        # A row per story: its signature, and a 64-bit mask of its entities (disjoint masks, disjoint
        # entities), so the candidates are compared in a few array operations.
        self._signatures: Signature = np.empty((_FIRST_ROWS, _NUM_PERM), np.uint32)
        self._masks: Hashes = np.empty(_FIRST_ROWS, np.uint64)
        self._free_rows: list[int] = []
        self._rows_used = 0

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
        self._minhash.clear()
        self._minhash.update_batch([token.encode() for token in features.shingles])
        row = self._new_row()
        self._signatures[row] = self._minhash.hashvalues
        self._masks[row] = _entity_mask(features.entities)
        match = None
        if features.shingles:
            hashes = self._buckets.band_hashes(self._signatures[row])
            match = self._best_match(hashes, row, features.entities, at, title)
            self._buckets.add(key, hashes)
        story = _Story(at, key if match is None else match, title, features.entities, row)
        self._stories[key] = story
        heapq.heappush(self._by_time, (at, key))
        return story.cluster_id

    def forget_before(self, cutoff: datetime) -> int:
        """Drop stories older than ``cutoff`` to bound memory; returns how many went."""
        dropped = 0
        while self._by_time and self._by_time[0][0] < cutoff:
            _, key = heapq.heappop(self._by_time)
            story = self._stories.pop(key, None)
            if story is not None:
                self._buckets.remove(key)
                self._free_rows.append(story.row)
            dropped += 1
        return dropped

    def _new_row(self) -> int:
        if self._free_rows:
            return self._free_rows.pop()
        if self._rows_used == len(self._masks):
            grown = len(self._masks) * 3 // 2
            self._signatures = np.resize(self._signatures, (grown, _NUM_PERM))
            self._masks = np.resize(self._masks, grown)
        self._rows_used += 1
        return self._rows_used - 1

    def _best_match(
        self, hashes: Hashes, row: int, entities: frozenset[str], at: datetime, title: str
    ) -> int | None:
        # Newest candidates first, and a bounded number of them: a topical corpus can put hundreds of
        # stories in one LSH bucket, and checking them all would make clustering quadratic.
        candidates = self._newest_live(self._buckets.candidates(hashes))
        if not candidates:
            return None
        rows = np.fromiter((story.row for story in candidates), np.intp, len(candidates))
        jaccards = np.count_nonzero(self._signatures[rows] == self._signatures[row], axis=1) / _NUM_PERM
        # Entities agree only if one side has none or they share one: a cheap test on the masks that
        # leaves the exact one (below) to the few candidates that pass it.
        mask, masks = self._masks[row], self._masks[rows]
        may_agree = (masks & mask) != 0 if mask else np.ones(len(rows), bool)
        may_agree |= masks == 0
        if not title:  # below the threshold only a near-identical title could still match
            may_agree &= jaccards >= self._threshold
        best: tuple[float, int] | None = None
        for index in np.flatnonzero(may_agree).tolist():
            candidate, jaccard = candidates[index], float(jaccards[index])
            same_title = bool(title and candidate.title)
            if (jaccard < self._threshold and not same_title) or abs(candidate.at - at) > self._window:
                continue
            if not _entities_agree(entities, candidate.entities):
                continue
            score = jaccard
            if same_title and fuzz.token_set_ratio(title, candidate.title) >= _SAME_TITLE_RATIO:
                score = 1.0
            if score >= self._threshold and (best is None or score > best[0]):
                best = (score, candidate.cluster_id)
        return None if best is None else best[1]

    def _newest_live(self, keys: Keys) -> list[_Story]:
        """The stories of the ``_MAX_CANDIDATES`` largest ``keys`` (ascending) still in the window,
        largest first."""
        newest: list[_Story] = []
        for key in reversed(keys.tolist()):
            story = self._stories.get(key)
            if story is not None:
                newest.append(story)
                if len(newest) == _MAX_CANDIDATES:
                    break
        return newest


class _Buckets:
    """LSH buckets: story keys by band hash. Sorted arrays, searched with ``searchsorted``, plus the
    newest stories in a buffer scanned whole; removed keys stay until the next merge (candidates are
    checked against the live stories anyway)."""

    def __init__(self, bands: int, rows: int) -> None:
        self._bands, self._rows = bands, rows
        self._hashes: Hashes = np.empty(0, np.uint64)
        self._keys: Keys = np.empty(0, np.int64)
        self._new_hashes: Hashes = np.empty((_MERGE_EVERY, bands), np.uint64)
        self._new_keys: Keys = np.empty(_MERGE_EVERY, np.int64)
        self._new = 0
        self._removed: set[int] = set()
        self._seeds = np.arange(1, bands + 1, dtype=np.uint64) * _BAND_SEED

    def band_hashes(self, signature: Signature) -> Hashes:
        """One 64-bit hash per band of ``rows`` signature values (the band's number mixed in)."""
        rows = signature[: self._bands * self._rows].reshape(self._bands, self._rows).astype(np.uint64)
        hashes = self._seeds
        for column in range(self._rows):
            hashes = _mix(hashes ^ rows[:, column])
        return hashes

    def add(self, key: int, hashes: Hashes) -> None:
        if key in self._removed:  # back after being forgotten: its old bands must go first
            self._merge()
        self._new_hashes[self._new] = hashes
        self._new_keys[self._new] = key
        self._new += 1
        if self._new == _MERGE_EVERY:
            self._merge()

    def remove(self, key: int) -> None:
        self._removed.add(key)

    def candidates(self, hashes: Hashes) -> Keys:
        """Keys sharing a band with ``hashes``, ascending, once each (removed ones included)."""
        left = np.searchsorted(self._hashes, hashes, "left").tolist()
        right = np.searchsorted(self._hashes, hashes, "right").tolist()
        parts = [self._keys[start:end] for start, end in zip(left, right, strict=True) if end > start]
        buffered = self._new_hashes[: self._new] == hashes
        parts.append(self._new_keys[: self._new][buffered.any(axis=1)])
        return np.unique(np.concatenate(parts))

    def _merge(self) -> None:
        """Move the buffer into the sorted arrays, dropping removed keys: linear, not a re-sort."""
        new_hashes = self._new_hashes[: self._new].ravel()
        new_keys = np.repeat(self._new_keys[: self._new], self._bands)
        hashes, keys = self._hashes, self._keys
        if self._removed:
            removed = np.fromiter(self._removed, np.int64, len(self._removed))
            kept = ~np.isin(keys, removed)
            hashes, keys = hashes[kept], keys[kept]
            new_kept = ~np.isin(new_keys, removed)
            new_hashes, new_keys = new_hashes[new_kept], new_keys[new_kept]
            self._removed.clear()
        order = np.argsort(new_hashes, kind="stable")
        at = np.searchsorted(hashes, new_hashes[order])
        self._hashes = np.insert(hashes, at, new_hashes[order])
        self._keys = np.insert(keys, at, new_keys[order])
        self._new = 0


def _entity_mask(entities: frozenset[str]) -> int:
    """A 64-bit set of the entities' hashes: sets with no common bit have no common entity."""
    mask = 0
    for entity in entities:
        mask |= 1 << (hash(entity) & 63)
    return mask


def _mix(values: Hashes) -> Hashes:
    values = values ^ (values >> _MIX_SHIFTS[0])
    values = values * _MIX_MULTIPLIERS[0]
    values = values ^ (values >> _MIX_SHIFTS[1])
    values = values * _MIX_MULTIPLIERS[1]
    return values ^ (values >> _MIX_SHIFTS[2])


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
        words = WORD.findall(sentence)
        capitalised = sum(word[0].isupper() for word in words)
        title_case = bool(words) and capitalised / len(words) >= _TITLE_CASE_SHARE
        for position, word in enumerate(words):
            stem = word_stem(word)
            if stem is None:
                continue
            shingles.add(stem)
            if word.isdigit() or (position > 0 and not title_case and word[0].isupper()):
                entities.add(stem)
    return StoryFeatures(frozenset(shingles), frozenset(entities))
