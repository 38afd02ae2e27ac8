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
``assign_all`` for the stored stories of the last window, oldest first.

The LSH buckets (datasketch's band layout for the threshold: 37 bands of 3 rows at 0.3) are kept
in sorted numpy arrays of band hashes, 12 bytes per band of a story, where datasketch's dicts of
byte strings took some 8 KB a story (150 MB for 18 000 stories); the newest stories wait in a small
buffer that is merged in batches. A bucket keeps only its newest ``_BUCKET_CANDIDATES`` stories, the
candidates it gives a new story: a bucket that thousands of stories share is made of boilerplate
words, not of an event, and collecting all of it made clustering quadratic in the stories of the
window. Copies of one event share rarer bands too. Of the candidates, the ``_MAX_CANDIDATES`` sharing
the most bands with the new story (then the newest) are compared with it: taking the newest alone
missed a copy once a hundred newer stories shared a bucket with it.

The stories' signatures, entity bins, times and clusters are numpy arrays with a row per story, so
the candidates are narrowed in array operations (alive, in the window, an upper bound of the entities
they share); only the few that may match reach the exact checks in Python.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple, TypeVar

import numpy as np
import numpy.typing as npt
from datasketch import MinHash, MinHashLSH
from datasketch.hashfunc import sha1_hash32
from rapidfuzz import fuzz

from textkit.stems import WORD, word_stem

_NUM_PERM = 128
_BUCKET_CANDIDATES = 16  # the newest stories a bucket keeps: a new story's candidates
_MAX_CANDIDATES = 100  # of those, how many are compared with it
_ENTITY_THRESHOLD = 0.75
_ENTITY_BINS = 64  # entities in bins by hash: bits of a mask, for an upper bound of two sets' overlap
_SAME_TITLE_RATIO = 92.0
_TITLE_CASE_SHARE = 0.6
_FIRST_ROWS = 1024
_SIGNATURE_BLOCK = 4096  # signatures are allocated this many rows at a time, never copied to grow
_MERGE_EVERY = 1024  # stories buffered before their band hashes join the sorted arrays
_SIGNED_TOGETHER = 64  # stories whose signatures are computed in one array operation
_BUCKET_WINDOW = np.arange(_BUCKET_CANDIDATES)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
# splitmix64's finaliser: a bijection on 64 bits that spreads every input bit.
_MIX_SHIFTS = (np.uint64(30), np.uint64(27), np.uint64(31))
_MIX_MULTIPLIERS = (np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))
# MurmurHash3's 32-bit finaliser, which datasketch's MinHash applies to a token's hash before permuting it.
_FMIX32_SHIFTS = (np.uint32(16), np.uint32(13), np.uint32(16))
_FMIX32_MULTIPLIERS = (np.uint32(0x85EBCA6B), np.uint32(0xC2B2AE35))
_EMPTY_SIGNATURE = np.iinfo(np.uint32).max  # datasketch's value of a MinHash of no token
_BAND_SEED = np.uint64(0x9E3779B97F4A7C15)

Signature = npt.NDArray[np.uint32]  # one story's, or a row per story
Hashes = npt.NDArray[np.uint64]
Rows = npt.NDArray[np.int32]
_Item = TypeVar("_Item", bound=np.generic)
_Unsigned = TypeVar("_Unsigned", np.uint32, np.uint64)


@dataclass(frozen=True, slots=True)
class StoryFeatures:
    """What clustering compares: content-word stems and name/number stems."""

    shingles: frozenset[str]
    entities: frozenset[str]


class StoryText(NamedTuple):
    """A story to cluster: ``text`` is title plus summary; passing ``title`` too lets a
    near-identical headline count as a match even when the summaries differ."""

    key: int
    text: str
    at: datetime
    title: str = ""


class StoryClusterer:
    """In-memory clusters of the stories of the last ``window``."""

    def __init__(self, window: timedelta, threshold: float) -> None:
        self._window = window // _MICROSECOND
        self._threshold = threshold
        bands = MinHashLSH(threshold=threshold, num_perm=_NUM_PERM)  # datasketch's optimal bands
        self._buckets = _Buckets(bands.b, bands.r)
        # datasketch's permutations, applied to many stories at once (see ``_signatures``).
        self._permutations: Signature = MinHash(num_perm=_NUM_PERM).permutations
        self._table = _Table()
        self._rows: dict[int, int] = {}  # story key -> its row of the table

    def __len__(self) -> int:
        return len(self._rows)

    def assign(self, key: int, text: str, at: datetime, *, title: str = "") -> int:
        """Cluster id for story ``key``: the key of the first story of its event, or ``key``
        (see ``StoryText``)."""
        return self.assign_all([StoryText(key, text, at, title)])[0]

    def assign_all(self, stories: Sequence[StoryText]) -> list[int]:
        """Cluster ids of ``stories``, as ``assign`` gives them one after the other; their signatures
        and band hashes are computed together, a few array operations for all, not for each."""
        clusters: list[int] = []
        for start in range(0, len(stories), _SIGNED_TOGETHER):
            batch = stories[start : start + _SIGNED_TOGETHER]
            features = [extract_features(story.text) for story in batch]
            signatures = _signatures([feature.shingles for feature in features], self._permutations)
            band_hashes = self._buckets.band_hashes(signatures)
            clusters += map(self._assign_one, batch, features, signatures, band_hashes)
        return clusters

    def forget_before(self, cutoff: datetime) -> int:
        """Drop stories older than ``cutoff`` to bound memory; returns how many went."""
        table = self._table
        old = np.flatnonzero(table.alive & (table.times < _microseconds(cutoff))).tolist()
        for row in old:
            self._drop(int(table.keys[row]), row)
        return len(old)

    def forget(self, keys: Iterable[int]) -> None:
        """Drop these stories, as if never assigned: their storing was rolled back."""
        for key in keys:
            row = self._rows.get(key)
            if row is not None:
                self._drop(key, row)

    def _drop(self, key: int, row: int) -> None:
        del self._rows[key]
        self._table.kill(row)
        self._buckets.remove(row)

    def _assign_one(
        self, story: StoryText, features: StoryFeatures, signature: Signature, band_hashes: Hashes
    ) -> int:
        known = self._rows.get(story.key)
        if known is not None:
            return int(self._table.clusters[known])
        row = self._table.add(story.key, _microseconds(story.at), signature, features.entities, story.title)
        cluster_id = story.key
        if features.shingles:
            candidates = self._buckets.candidates(band_hashes)
            match = self._best_match(row, candidates, features.entities, story.title)
            cluster_id = story.key if match is None else match
            self._table.free(self._buckets.add(row, band_hashes))
        self._table.clusters[row] = cluster_id
        self._rows[story.key] = row
        return cluster_id

    def _best_match(self, row: int, candidates: Rows, entities: frozenset[str], title: str) -> int | None:
        table = self._table
        near = np.abs(table.times[candidates] - table.times[row]) <= self._window
        candidates, bands = np.unique(candidates[near & table.alive[candidates]], return_counts=True)
        # At most _MAX_CANDIDATES, the likeliest: those sharing the most bands, then the newest.
        candidates = candidates[np.lexsort((table.keys[candidates], bands))[::-1][:_MAX_CANDIDATES]]
        candidates = candidates[table.may_share_entities(candidates, row)]
        if not len(candidates):
            return None
        signatures = np.array([table.signature(candidate) for candidate in candidates.tolist()])
        jaccards = np.count_nonzero(signatures == table.signature(row), axis=1) / _NUM_PERM
        if not title:  # below the threshold only a near-identical title could still match
            passing = jaccards >= self._threshold
            candidates, jaccards = candidates[passing], jaccards[passing]
        best: tuple[float, int] | None = None
        # Newest first, so that of equally similar stories the newest gives the cluster.
        for index in np.argsort(-table.keys[candidates], kind="stable").tolist():
            candidate, jaccard = int(candidates[index]), float(jaccards[index])
            other_title = table.titles[candidate]
            same_title = bool(title and other_title)
            if jaccard < self._threshold and not same_title:
                continue
            if not _entities_agree(entities, table.entities[candidate]):
                continue
            score = jaccard
            if same_title and fuzz.token_set_ratio(title, other_title) >= _SAME_TITLE_RATIO:
                score = 1.0
            if score >= self._threshold and (best is None or score > best[0]):
                best = (score, int(table.clusters[candidate]))
        return None if best is None else best[1]


class _Table:
    """A row per story of the window: its signature, entities (in hash bins too), time in microseconds
    since the epoch, key and cluster, each field an array of its own, so that filtering candidates on
    one reads only it; the signatures, most of the bytes, in blocks that grow without a copy. A freed
    row is reused only once the buckets hold no band of it, so a bucket's row is always its story's."""

    def __init__(self) -> None:
        self._signatures: list[Signature] = []  # blocks of _SIGNATURE_BLOCK rows
        # Per row, the bins holding one entity or more, and those holding two or more.
        self.entity_bins: npt.NDArray[np.uint64] = np.zeros((_FIRST_ROWS, 2), np.uint64)
        self.entity_counts: npt.NDArray[np.int32] = np.zeros(_FIRST_ROWS, np.int32)
        self.times: npt.NDArray[np.int64] = np.zeros(_FIRST_ROWS, np.int64)
        self.keys: npt.NDArray[np.int64] = np.zeros(_FIRST_ROWS, np.int64)
        self.clusters: npt.NDArray[np.int64] = np.zeros(_FIRST_ROWS, np.int64)
        self.alive: npt.NDArray[np.bool_] = np.zeros(_FIRST_ROWS, np.bool_)
        self.titles: list[str] = []
        # Tuples of interned stems: a frozenset of five took 472 bytes, and each story its own copies.
        self.entities: list[tuple[str, ...]] = []
        self._free: list[int] = []

    def add(self, key: int, at: int, signature: Signature, entities: frozenset[str], title: str) -> int:
        kept = tuple(sys.intern(entity) for entity in entities)
        if self._free:
            row = self._free.pop()
            self.titles[row], self.entities[row] = title, kept
        else:
            row = len(self.titles)
            if row == len(self.alive):
                self._grow()
            self.titles.append(title)
            self.entities.append(kept)
        if row == len(self._signatures) * _SIGNATURE_BLOCK:
            self._signatures.append(np.zeros((_SIGNATURE_BLOCK, _NUM_PERM), np.uint32))
        self.signature(row)[:] = signature
        self.entity_bins[row] = _entity_bins(entities)
        self.entity_counts[row] = len(entities)
        self.times[row], self.keys[row], self.clusters[row], self.alive[row] = at, key, key, True
        return row

    def signature(self, row: int) -> Signature:
        signature: Signature = self._signatures[row // _SIGNATURE_BLOCK][row % _SIGNATURE_BLOCK]
        return signature

    def kill(self, row: int) -> None:
        """The row's story left the window: no candidate any more, its row not yet reusable."""
        self.alive[row] = False
        self.titles[row], self.entities[row] = "", ()

    def free(self, rows: list[int]) -> None:
        """These killed rows are in no bucket any more: reuse them."""
        self._free.extend(rows)

    def may_share_entities(self, rows: Rows, row: int) -> npt.NDArray[np.bool_]:
        """False where ``_entities_agree`` is surely false. Common entities lie in bins both sets
        use, so while no bin holds two of each set, those bins bound the overlap from above."""
        bins, own = self.entity_bins[rows], self.entity_bins[row]
        shared = np.bitwise_count(bins[:, 0] & own[0])
        crowded = (bins[:, 1] & own[1]) != 0
        smaller = np.minimum(self.entity_counts[rows], self.entity_counts[row])
        agree: npt.NDArray[np.bool_] = (smaller == 0) | crowded | (shared >= _ENTITY_THRESHOLD * smaller)
        return agree

    def _grow(self) -> None:
        size = len(self.alive) * 3 // 2
        self.entity_bins = _grown(self.entity_bins, size)
        self.entity_counts = _grown(self.entity_counts, size)
        self.times = _grown(self.times, size)
        self.keys = _grown(self.keys, size)
        self.clusters = _grown(self.clusters, size)
        self.alive = _grown(self.alive, size)


class _Buckets:
    """LSH buckets: rows by band hash, at most the newest ``_BUCKET_CANDIDATES`` of each. Sorted arrays
    searched with ``searchsorted`` (a bucket's rows in the order they came), plus the newest stories in
    a buffer, a dict by band hash; removed rows stay until the next merge (candidates are checked
    against the live rows anyway)."""

    def __init__(self, bands: int, rows: int) -> None:
        self._bands, self._rows = bands, rows
        self._hashes: Hashes = np.empty(0, np.uint64)
        self._members: Rows = np.empty(0, np.int32)
        self._new_hashes: Hashes = np.empty((_MERGE_EVERY, bands), np.uint64)
        self._new_members: Rows = np.empty(_MERGE_EVERY, np.int32)
        self._new = 0
        self._new_buckets: defaultdict[int, list[int]] = defaultdict(list)
        self._removed: set[int] = set()
        self._seeds = np.arange(1, bands + 1, dtype=np.uint64) * _BAND_SEED

    def band_hashes(self, signatures: Signature) -> Hashes:
        """A row per signature of one 64-bit hash per band of ``rows`` values (the band's number
        mixed in)."""
        width = self._bands * self._rows
        rows = signatures[:, :width].reshape(len(signatures), self._bands, self._rows).astype(np.uint64)
        hashes = np.broadcast_to(self._seeds, rows.shape[:2])
        for column in range(self._rows):
            hashes = _finalised(hashes ^ rows[:, :, column], _MIX_SHIFTS, _MIX_MULTIPLIERS)
        return hashes

    def add(self, row: int, hashes: Hashes) -> list[int]:
        """Put ``row`` in its bands' buckets. When that merges the buffer, the rows removed before
        are in no bucket any more: they are returned, to be reused."""
        self._new_hashes[self._new] = hashes
        self._new_members[self._new] = row
        self._new += 1
        for value in hashes.tolist():
            self._new_buckets[value].append(row)
        return self._merge() if self._new == _MERGE_EVERY else []

    def remove(self, row: int) -> None:
        self._removed.add(row)

    def candidates(self, hashes: Hashes) -> Rows:
        """Rows sharing a band with ``hashes``: the newest of each bucket (up to
        ``_BUCKET_CANDIDATES`` merged and as many buffered), removed ones included, some repeated."""
        merged = self._members
        if len(self._hashes):  # a bucket holds at most _BUCKET_CANDIDATES rows: look no further
            window = np.searchsorted(self._hashes, hashes)[:, None] + _BUCKET_WINDOW
            window = np.minimum(window, len(self._hashes) - 1)
            merged = self._members[window[self._hashes[window] == hashes[:, None]]]
        found = map(self._new_buckets.get, hashes.tolist())  # not [], which would add the key
        buffered = [row for rows in found if rows for row in rows[-_BUCKET_CANDIDATES:]]
        return np.concatenate((merged, np.array(buffered, np.int32))) if buffered else merged

    def _merge(self) -> list[int]:
        """Move the buffer into the sorted arrays, dropping removed rows and all but the newest
        ``_BUCKET_CANDIDATES`` of a bucket: linear, not a re-sort. Returns the removed rows."""
        new_hashes = self._new_hashes[: self._new].ravel()
        new_members = np.repeat(self._new_members[: self._new], self._bands)
        removed = list(self._removed)
        if removed:
            kept = ~np.isin(self._members, removed, kind="table")
            self._hashes, self._members = self._hashes[kept], self._members[kept]
            new_kept = ~np.isin(new_members, removed, kind="table")
            new_hashes, new_members = new_hashes[new_kept], new_members[new_kept]
        order = np.argsort(new_hashes, kind="stable")
        at = np.searchsorted(self._hashes, new_hashes[order], "right")  # after the bucket's older rows
        self._hashes = np.insert(self._hashes, at, new_hashes[order])
        self._members = np.insert(self._members, at, new_members[order])
        # Sorted, so a row is among its bucket's newest unless the hash recurs that many places on.
        newest = np.ones(len(self._hashes), bool)
        newest[:-_BUCKET_CANDIDATES] = self._hashes[:-_BUCKET_CANDIDATES] != self._hashes[_BUCKET_CANDIDATES:]
        if not newest.all():
            self._hashes, self._members = self._hashes[newest], self._members[newest]
        self._new = 0
        self._new_buckets.clear()
        self._removed.clear()
        return removed


def _entity_bins(entities: frozenset[str]) -> tuple[int, int]:
    """The bits of the bins (by hash) that hold one of ``entities`` or more, and two or more."""
    once = twice = 0
    for entity in entities:
        bit = 1 << (hash(entity) % _ENTITY_BINS)
        twice |= once & bit
        once |= bit
    return once, twice


def _grown(array: npt.NDArray[_Item], size: int) -> npt.NDArray[_Item]:
    """``array`` with ``size`` rows; the new ones, zeros from calloc, stay untouched (not resident)
    until used."""
    grown: npt.NDArray[_Item] = np.zeros((size, *array.shape[1:]), array.dtype)
    grown[: len(array)] = array
    return grown


@lru_cache(maxsize=1 << 15)
def _stem_hash(stem: str) -> int:
    """datasketch's default token hash, kept for the stems met most: hashing was half of a signature."""
    return int(sha1_hash32(stem.encode()))


def _microseconds(at: datetime) -> int:
    """``at`` as microseconds since the epoch (a naive time taken as UTC)."""
    return ((at if at.tzinfo else at.replace(tzinfo=UTC)) - _EPOCH) // _MICROSECOND


def _finalised(
    values: npt.NDArray[_Unsigned],
    shifts: tuple[_Unsigned, _Unsigned, _Unsigned],
    multipliers: tuple[_Unsigned, _Unsigned],
) -> npt.NDArray[_Unsigned]:
    """A hash finaliser's xor-shift-multiply rounds (splitmix64's, MurmurHash3's), wrapping."""
    values = values ^ (values >> shifts[0])
    values = values * multipliers[0]
    values = values ^ (values >> shifts[1])
    values = values * multipliers[1]
    return values ^ (values >> shifts[2])


def _signatures(shingle_sets: Sequence[frozenset[str]], permutations: Signature) -> Signature:
    """A row per set: the MinHash signature datasketch's ``MinHash`` (its default 32-bit scheme)
    has after ``update_batch`` of the set, hashing each token with ``_stem_hash``; for all the sets
    in one pass over their tokens, where a MinHash per story took a dozen array operations."""
    sizes = np.fromiter(map(len, shingle_sets), np.intp, len(shingle_sets))
    tokens = (_stem_hash(shingle) for shingles in shingle_sets for shingle in shingles)
    hashes = np.fromiter(tokens, np.uint32, int(sizes.sum()))
    multipliers, offsets = permutations
    permuted = _finalised(hashes, _FMIX32_SHIFTS, _FMIX32_MULTIPLIERS)[:, None] * multipliers + offsets
    signatures = np.full((len(shingle_sets), _NUM_PERM), _EMPTY_SIGNATURE, np.uint32)
    filled = sizes > 0
    if filled.any():  # each set's tokens run from its start to the next non-empty set's
        starts = np.cumsum(sizes) - sizes
        signatures[filled] = np.minimum.reduceat(permuted, starts[filled], axis=0)
    return signatures


def _entities_agree(left: frozenset[str], right: tuple[str, ...]) -> bool:
    """``right`` holds distinct stems."""
    if not left or not right:
        return True
    # Overlap coefficient, not Jaccard: a short summary naming fewer people and places
    # than a long one about the same event must still agree with it.
    return len(left.intersection(right)) / min(len(left), len(right)) >= _ENTITY_THRESHOLD


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
