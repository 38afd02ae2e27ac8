"""Parsing in worker processes, so a cold poll cycle uses more than one core.

feedparser, HTML cleaning and language detection are pure Python and hold the GIL: in threads they
queue behind storing and clustering. A worker process parses the fetched bytes and sends back the
``ParsedFeed``. Workers are spawned (not forked: the parent may hold torch's threads) on first use.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime

from feeds import timing
from feeds.parse import parse_feed
from feeds.settings import PollerSettings
from feeds.types import ParsedFeed
from textkit.language import LanguageDetector

_worker_detector: LanguageDetector | None = None


class ParseWorkerLostError(RuntimeError):
    """A parse worker died (killed, out of memory) under this feed; the pool starts afresh."""


def _parse_in_worker(
    body: bytes, url: str, content_type: str | None, fetched_at: datetime, settings: PollerSettings
) -> tuple[ParsedFeed, dict[str, float]]:
    """The parsed feed, and the seconds its stages took (for the parent's ``feeds.timing``)."""
    global _worker_detector  # one detector (its model loads once) per worker process
    if _worker_detector is None:
        _worker_detector = LanguageDetector()
    parsed = parse_feed(
        body,
        url=url,
        content_type=content_type,
        fetched_at=fetched_at,
        settings=settings,
        detector=_worker_detector,
    )
    return parsed, timing.drain()


class ParsePool:
    """``processes`` worker processes that parse feeds; ``close`` stops them."""

    def __init__(self, processes: int) -> None:
        if processes < 1:
            raise ValueError("a parse pool needs at least one process")
        self._processes = processes
        self._executor: ProcessPoolExecutor | None = None

    async def parse(
        self,
        body: bytes,
        *,
        url: str,
        content_type: str | None,
        fetched_at: datetime,
        settings: PollerSettings,
    ) -> ParsedFeed:
        """Parse in a worker; a ``FeedParseError`` there is raised here.

        A dead worker breaks a process pool for good: every later parse would fail. So the broken
        pool is dropped (the next parse spawns a new one) and ``ParseWorkerLostError`` names this feed.
        """
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                self._processes, mp_context=multiprocessing.get_context("spawn")
            )
        executor = self._executor
        loop = asyncio.get_running_loop()
        try:
            parsed, seconds = await loop.run_in_executor(
                executor, _parse_in_worker, body, url, content_type, fetched_at, settings
            )
        except BrokenProcessPool as error:
            if self._executor is executor:
                self._executor = None
                executor.shutdown(wait=False, cancel_futures=True)
            message = "a parse worker died (killed or out of memory); parsing restarts"
            raise ParseWorkerLostError(message) from error
        timing.add_all(seconds)
        return parsed

    def close(self) -> None:
        """Stop the workers (waiting for them, so none outlives its owner)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
