"""Where a poll cycle's time goes: seconds per stage, summed in this process (``benchmarks/poll.py``).

Cheap enough to stay on: a stage costs two ``perf_counter`` reads and a dict update under a lock.
Parse workers hand their seconds back with each parsed feed (``drain`` there, ``add_all`` here), so
the parent's totals cover the workers too. The event loop's own work (HTTP) is not timed here: it
interleaves with every other task, so the benchmark reads it as the loop thread's CPU time instead.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from time import perf_counter

PARSE = "parse"  # feedparser itself
CLEAN = "clean"  # fields to plain text, URLs, guid, dates
LANGUAGE = "language"
DEDUP = "dedup"  # content hash, and the query for stories already stored
CLUSTER = "cluster"
INSERT = "insert"  # new rows, their clusters, the feed's poll record, the commit

_seconds: dict[str, float] = {}
_lock = threading.Lock()


def add_all(seconds: Mapping[str, float]) -> None:
    """Add seconds per stage to this process's totals."""
    with _lock:
        for stage, value in seconds.items():
            _seconds[stage] = _seconds.get(stage, 0.0) + value


def totals() -> dict[str, float]:
    """Seconds per stage so far."""
    with _lock:
        return dict(_seconds)


def drain() -> dict[str, float]:
    """Seconds per stage so far, and start again from zero."""
    with _lock:
        drained = dict(_seconds)
        _seconds.clear()
        return drained


@contextmanager
def timed(stage: str) -> Iterator[None]:
    """Charge the time inside the block to ``stage`` (for coarse blocks: a feed, not an item)."""
    started = perf_counter()
    try:
        yield
    finally:
        add_all({stage: perf_counter() - started})


class Laps:
    """One piece of work split into stages: ``lap(stage)`` charges the time since the previous lap
    (or since the start) to ``stage``; ``commit`` adds the sums to the totals at once."""

    __slots__ = ("_last", "_seconds")

    def __init__(self) -> None:
        self._last = perf_counter()
        self._seconds: dict[str, float] = {}

    def lap(self, stage: str) -> None:
        now = perf_counter()
        self._seconds[stage] = self._seconds.get(stage, 0.0) + (now - self._last)
        self._last = now

    def commit(self) -> None:
        add_all(self._seconds)
        self._seconds = {}
