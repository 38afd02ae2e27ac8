"""The one-way flow: feed → story (stored once) → classification → alert rows in the outbox.

``warwatch/polling.py`` polls and ``warwatch/story_store.py`` stores; this module classifies,
prunes, and runs the cycle of both.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta

import httpx
import structlog
from sqlalchemy.orm import Session

from cases import extract_case
from cases.storylines import StorylineRule
from classifiers.types import StoryText, Verdict
from storage.archive import queue_archives
from storage.db import Database
from storage.feeds import next_due_at
from storage.records import StoryRecord
from storage.retention import PruneReport, prune_stories
from storage.stories import claim_pending, pending_stories
from storage.verdicts import record_verdicts
from warwatch import metrics
from warwatch.archiving import ArchiveService
from warwatch.config import RetentionSettings, Settings
from warwatch.polling import FeedPoller
from warwatch.spike_watch import queue_spike_alerts
from warwatch.story_store import retention_horizon

log = structlog.get_logger(__name__)
WAKE_FLOOR_SECONDS = 1.0  # feeds falling due less than this apart share one cycle

ClassifyBatch = Callable[[Sequence[StoryText]], list[Verdict]]


@dataclass
class ClassifyReport:
    classified: int = 0
    flagged: int = 0
    alerts_queued: int = 0


def story_text(story: StoryRecord) -> StoryText:
    return StoryText(title=story.title, summary=story.summary, lang=story.language)


def with_case_facts(stories: Sequence[StoryRecord], verdicts: Sequence[Verdict]) -> list[tuple[int, Verdict]]:
    """(story id, verdict) pairs, each flagged story's verdict carrying its case facts (origin
    countries, destination force, event, number of people) for the alert's case card."""
    judged = []
    for story, verdict in zip(stories, verdicts, strict=True):
        if verdict.alert:
            facts = extract_case(story.title, story.summary, story.language)
            verdict = replace(verdict, reasons={**verdict.reasons, "case": facts.to_dict()})
        judged.append((story.id, verdict))
    return judged


@dataclass
class Classification:
    """Classifies stored stories that have no verdict yet, places the flagged ones in storylines, and
    queues their alerts."""

    database: Database
    classify_batch: ClassifyBatch
    batch_size: int
    storylines: StorylineRule = field(default_factory=StorylineRule)
    spike_chats: tuple[int, ...] = ()  # admins told of this week's spikes when stories are flagged
    archive_flagged: bool = True  # archive.enabled: each flagged story's page is queued for the archive

    @classmethod
    def configured(
        cls, settings: Settings, database: Database, classify_batch: ClassifyBatch
    ) -> Classification:
        """As the configuration says: its batch size, storyline window, who hears of spikes, and the
        archive switch."""
        window = timedelta(weeks=settings.cases.storyline_weeks)
        return cls(
            database,
            classify_batch,
            settings.service.classify_batch_size,
            storylines=StorylineRule(window),
            spike_chats=tuple(settings.telegram.admins) if settings.cases.spike_alerts else (),
            archive_flagged=settings.archive.enabled,
        )

    def run_pending(self, on_batch: Callable[[int], object] | None = None) -> ClassifyReport:
        """Classify until no story is pending; ``on_batch`` hears how many each batch did."""
        report = ClassifyReport()
        while True:
            with self.database.session() as session:
                stories = pending_stories(session, self.batch_size)
            if not stories:
                return report
            started = time.perf_counter()
            verdicts = self.classify_batch([story_text(story) for story in stories])
            with self.database.session() as session:
                queued = self._record(session, stories, verdicts)
                self._queue_archives(session, stories, verdicts)
            batch = ClassifyReport(len(stories), sum(verdict.alert for verdict in verdicts), queued)
            self._count(batch, time.perf_counter() - started)
            report.classified += batch.classified
            report.flagged += batch.flagged
            report.alerts_queued += batch.alerts_queued
            if on_batch is not None:
                on_batch(len(stories))

    def run_claimed(self, among: Sequence[int]) -> ClassifyReport:
        """Classify those of these stories still pending, holding their rows while the model runs.

        For the task queue: each story is claimed in the transaction that stores its verdict, so
        of two workers given the same story, one classifies it and the other skips it.
        """
        with self.database.session() as session:
            stories = claim_pending(session, among)
            if not stories:
                return ClassifyReport()
            started = time.perf_counter()
            verdicts = self.classify_batch([story_text(story) for story in stories])
            queued = self._record(session, stories, verdicts)
            self._queue_archives(session, stories, verdicts)
        report = ClassifyReport(len(stories), sum(verdict.alert for verdict in verdicts), queued)
        self._count(report, time.perf_counter() - started)
        return report

    def _queue_archives(
        self, session: Session, stories: Sequence[StoryRecord], verdicts: Sequence[Verdict]
    ) -> None:
        """In the verdicts' transaction: a flagged story is never left without its archive row."""
        if self.archive_flagged:
            flagged = [story.id for story, verdict in zip(stories, verdicts, strict=True) if verdict.alert]
            queue_archives(session, flagged, now=datetime.now(UTC))

    def _record(self, session: Session, stories: Sequence[StoryRecord], verdicts: Sequence[Verdict]) -> int:
        """Record the verdicts (with case facts and storylines) and queue their alerts, and, when
        some flagged a story, this week's new spikes for the admins; returns the alerts queued."""
        queued = record_verdicts(session, with_case_facts(stories, verdicts), self.storylines)
        if any(verdict.alert for verdict in verdicts) and (
            spikes := queue_spike_alerts(session, self.spike_chats)
        ):
            log.info("spikes_queued", alerts=spikes)
        return queued

    @staticmethod
    def _count(batch: ClassifyReport, seconds: float) -> None:
        metrics.CLASSIFY_BATCH_SECONDS.observe(seconds)
        metrics.STORIES_CLASSIFIED.inc(batch.classified)
        metrics.STORIES_FLAGGED.inc(batch.flagged)
        metrics.ALERTS_QUEUED.inc(batch.alerts_queued)
        log.info("classified_batch", stories=batch.classified, flagged=batch.flagged)


@dataclass
class Retention:
    """Prunes stories past the retention horizon, at most once every ``check_hours``."""

    database: Database
    settings: RetentionSettings
    _next_at: datetime | None = field(default=None, repr=False)

    def maybe_prune(self, now: datetime | None = None) -> PruneReport | None:
        now = now or datetime.now(UTC)
        horizon = retention_horizon(self.settings, now)
        if horizon is None or (self._next_at is not None and now < self._next_at):
            return None
        self._next_at = now + timedelta(hours=self.settings.check_hours)
        report = prune_stories(self.database, horizon)
        if report.stories:
            log.info("stories_pruned", before=horizon.isoformat(), **asdict(report))
        return report


async def classify_in_thread(classification: Classification) -> ClassifyReport:
    """The model is CPU-bound: keep it off the event loop so polling and delivery go on."""
    return await asyncio.to_thread(classification.run_pending)


@dataclass
class PipelineCycle:
    """One poll of the due feeds, classification of what is new (which queues the alerts), and
    retention: the cycle both services run, the console one and the Telegram one."""

    poller: FeedPoller | None  # None in the bot role: queue workers poll and classify
    classification: Classification
    retention: Retention
    client: httpx.AsyncClient
    settings: Settings
    archive: ArchiveService | None = None  # captures and re-checks pages after each classification

    async def run(self) -> int:
        """One cycle; returns how many alerts it queued."""
        queued = 0
        if self.poller is not None:
            await self.poller.poll_due(self.client)
            queued = (await classify_in_thread(self.classification)).alerts_queued
            if self.archive is not None:
                await self.archive.run_due()
        await asyncio.to_thread(self.retention.maybe_prune)
        return queued

    def seconds_to_next(self) -> float:
        """Polling: until the next feed falls due (at most a cycle); the bot role: a cycle."""
        if self.poller is None:
            return self.settings.service.cycle_seconds
        return seconds_until_next_cycle(self.classification.database, self.settings)


def seconds_until_next_cycle(database: Database, settings: Settings, now: datetime | None = None) -> float:
    """Until the next feed falls due, so a story waits no longer than its feed's poll interval; at
    most ``service.cycle_seconds`` (stories pending from elsewhere, retention), at least a second."""
    now = now or datetime.now(UTC)
    cycle = settings.service.cycle_seconds
    with database.session() as session:
        due = next_due_at(session, now)
    if due is None:
        return cycle
    return min(cycle, max(WAKE_FLOOR_SECONDS, (due - now).total_seconds()))
