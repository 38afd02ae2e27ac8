"""The archive wired in: every flagged story's page captured and re-checked by the service cycle
(or the poller role's periodic job), on demand for the CLI and the bot, within the disk cap.

``archive/`` fetches through the poller's own ``Fetcher`` (size cap, timeouts, SSRF guard, per-host
limits), handed in as a function; ``storage/archive.py`` keeps the rows and moves the states.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import structlog

from archive.capture import Archivist, Previous
from archive.settings import ArchiveSettings
from archive.store import WarcStore
from archive.types import CheckOutcome, CheckResult
from feeds.article import HTML_ACCEPT
from feeds.fetch import Fetcher
from feeds.settings import PollerSettings
from feeds.types import FetchResult
from storage.archive import (
    ArchiveDetail,
    ArchiveSchedule,
    ArchiveTask,
    archive_detail,
    due_archives,
    pending_task,
    record_check,
    request_archive,
)
from storage.archive_space import FreedSpace, prune_to_cap
from storage.db import Database, sqlite_file

log = structlog.get_logger(__name__)
LEFTOVER_SECONDS = 3600.0  # a temporary file this old is a crashed write, not one in progress


def archive_directory(settings: ArchiveSettings, database_url: str) -> Path:
    """``archive.directory``, else ``archive`` beside the SQLite file (or here, for PostgreSQL)."""
    if settings.directory is not None:
        return settings.directory
    database = sqlite_file(database_url)
    return (database.parent if database is not None else Path()) / "archive"


def archive_schedule(settings: ArchiveSettings) -> ArchiveSchedule:
    return ArchiveSchedule(
        recheck_days=tuple(settings.recheck_days),
        max_attempts=settings.max_attempts,
        retry_base_seconds=settings.retry_base_seconds,
        retry_cap_seconds=settings.retry_cap_seconds,
    )


@dataclass
class ArchiveService:
    """Looks at due pages, records what it found, and keeps the archive within its cap."""

    database: Database
    settings: ArchiveSettings
    archivist: Archivist

    @property
    def store(self) -> WarcStore:
        return self.archivist.store

    async def run_due(self) -> Counter[str]:
        """One archive cycle: the due captures and re-checks, fetched together within the fetcher's
        limits; returns how many looks had each outcome."""
        now = datetime.now(UTC)
        with self.database.session() as session:
            tasks = due_archives(session, now, self.settings.pages_per_cycle)
        if not tasks:
            return Counter()
        results = await asyncio.gather(*(self._look(task) for task in tasks))
        outcomes: Counter[str] = Counter()
        for task, result in zip(tasks, results, strict=True):
            await asyncio.to_thread(self._record, task.story_id, result)
            outcomes[result.outcome.value] += 1
        freed = await asyncio.to_thread(self.enforce_cap)
        line = log.warning if outcomes[CheckOutcome.FAILED] else log.info
        line("archive_cycle", **outcomes, pruned=freed.archives)
        return outcomes

    async def archive_now(self, story_id: int, actor: str) -> ArchiveDetail | None:
        """Archive one stored story now unless a copy is kept already; None when no such story.
        Raises ``storage.archive.NoWebAddressError`` for a story without a link."""
        with self.database.session() as session:
            if request_archive(session, story_id, actor=actor, now=datetime.now(UTC)) is None:
                return None
            task = pending_task(session, story_id)
        if task is not None:
            await asyncio.to_thread(self._record, story_id, await self._look(task))
        with self.database.session() as session:
            return archive_detail(session, story_id)

    async def _look(self, task: ArchiveTask) -> CheckResult:
        """Capture or re-check one page; whatever goes wrong is a failed look, retried later."""
        try:
            if task.previous is None:
                return await self.archivist.capture(task.url)
            previous = Previous(task.previous.final_url, task.previous.text_sha256, task.previous.warc_sha256)
            return await self.archivist.recheck(task.url, previous)
        except Exception as error:  # disk full, a damaged earlier copy, a bug: shown, then retried
            log.exception("archive_look_failed", story_id=task.story_id, url=task.url)
            return CheckResult(
                CheckOutcome.FAILED,
                url=task.url,
                final_url=task.url,
                retrieved_at=datetime.now(UTC),
                error=f"{type(error).__name__}: {error}",
            )

    def _record(self, story_id: int, result: CheckResult) -> None:
        schedule = archive_schedule(self.settings)
        with self.database.session() as session:
            record_check(session, story_id, result, schedule, datetime.now(UTC))
        if result.outcome is not CheckOutcome.UNCHANGED:
            log.info(
                "archive_looked",
                story_id=story_id,
                outcome=result.outcome.value,
                status=result.status_code,
                warc=result.warc.sha256 if result.warc else None,
                error=result.error,
            )

    def enforce_cap(self) -> FreedSpace:
        """Prune to ``max_bytes`` (0: no cap); the files go once their rows are gone."""
        if not self.settings.max_bytes:
            return FreedSpace(0, (), 0)
        with self.database.session() as session:
            freed = prune_to_cap(session, self.settings.max_bytes)
        for sha256 in freed.warc_files:
            self.store.remove(sha256)
        if freed.bytes_left > self.settings.max_bytes:
            log.warning("archive_over_cap", bytes=freed.bytes_left, max_bytes=self.settings.max_bytes)
        return freed


def make_archive_service(
    settings: ArchiveSettings,
    database: Database,
    client: httpx.AsyncClient,
    poller: PollerSettings,
) -> ArchiveService:
    """The archive of this process, fetching through the poller's fetcher on ``client``."""
    fetcher = Fetcher(client, poller)

    async def fetch(url: str) -> FetchResult:
        return await fetcher.fetch(url, accept=HTML_ACCEPT)

    store = WarcStore(archive_directory(settings, database.url))
    if store.directory.is_dir():
        store.sweep_temporary(older_than_seconds=LEFTOVER_SECONDS)
    archivist = Archivist(fetch, store, min_changed_words=settings.min_changed_words)
    return ArchiveService(database, settings, archivist)
