"""The one-way flow: feed → story (stored once) → classification → alert rows in the outbox.

This is the only module that knows all of ``feeds``, ``classifiers`` and ``storage``.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta

import httpx
import structlog

from cases import extract_case
from classifiers.types import StoryText, Verdict
from feeds.article import Article, fetch_article
from feeds.cluster import StoryClusterer
from feeds.fetch import Fetcher, make_client
from feeds.language import LanguageDetector
from feeds.parse_pool import ParsePool
from feeds.poller import poll_feeds
from feeds.schedule import polite_share
from feeds.text import clean_text
from feeds.types import FeedToPoll, PollOutcome
from storage.db import Database
from storage.feeds import due_feeds, record_poll
from storage.records import FeedRecord, StoryRecord
from storage.retention import PruneReport, prune_stories
from storage.stories import (
    apply_article,
    assign_clusters,
    claim_pending,
    insert_stories,
    pending_stories,
    stories_after,
)
from storage.verdicts import record_verdicts
from warwatch import metrics
from warwatch.config import RetentionSettings, Settings
from warwatch.sources import QueryFeeds, warn_if_nothing_polled

log = structlog.get_logger(__name__)

ClassifyBatch = Callable[[Sequence[StoryText]], list[Verdict]]


@dataclass
class CycleReport:
    feeds_polled: int = 0
    feeds_failed: int = 0
    not_modified: int = 0
    entries_seen: int = 0
    stories_new: int = 0
    articles_fetched: int = 0
    errors: Counter[str] = field(default_factory=Counter)  # failed feeds by kind of error
    new_story_ids: list[int] = field(default_factory=list)


@dataclass
class ClassifyReport:
    classified: int = 0
    flagged: int = 0
    alerts_queued: int = 0


def story_text(story: StoryRecord) -> StoryText:
    return StoryText(title=story.title, summary=story.summary, lang=story.language)


def cluster_text(title: str, summary: str) -> str:
    return f"{title}\n{summary}"


@dataclass
class Ingestor:
    """Polls due feeds and stores their new stories, each joined to its cluster of the same event."""

    settings: Settings
    database: Database
    clusterer: StoryClusterer = field(init=False)
    detector: LanguageDetector = field(default_factory=LanguageDetector)
    parse_pool: ParsePool | None = field(init=False)
    query_feeds: QueryFeeds = field(default_factory=QueryFeeds)
    _seen_up_to: int = field(init=False, repr=False)
    _index_lock: threading.Lock = field(init=False, repr=False)

    def __post_init__(self) -> None:
        poller = self.settings.poller
        self.parse_pool = ParsePool(poller.parse_processes) if poller.parse_processes else None
        self.clusterer = StoryClusterer(
            window=timedelta(hours=poller.cluster_window_hours), threshold=poller.cluster_similarity_threshold
        )
        self._seen_up_to = 0
        # Polls run concurrently (queue jobs) and store in threads: one at a time touches the index.
        self._index_lock = threading.Lock()
        log.info("clusters_rebuilt", stories=self.catch_up())
        with self.database.session() as session:
            warn_if_nothing_polled(session)

    def catch_up(self) -> int:
        """Index the window's stories not looked at yet: at start-up all of them, later those that
        other poller processes stored meanwhile (this process's own are indexed as it stores them)."""
        since = datetime.now(UTC) - timedelta(hours=self.settings.poller.cluster_window_hours)
        with self._index_lock, self.database.session() as session:
            recent = stories_after(session, self._seen_up_to, since)
            self._index(recent)
        return len(recent)

    def _index(self, recent: list[StoryRecord]) -> None:
        for story in recent:
            self.clusterer.assign(
                story.cluster_id or story.id,
                cluster_text(story.title, story.summary),
                story.published_at,
                title=story.title,
            )
        if recent:
            self._seen_up_to = recent[-1].id

    def close(self) -> None:
        """Stop the parse workers."""
        if self.parse_pool is not None:
            self.parse_pool.close()

    def __enter__(self) -> Ingestor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _cluster(self, story: StoryRecord) -> int:
        text = cluster_text(story.title, story.summary)
        return self.clusterer.assign(story.id, text, story.published_at, title=story.title)

    async def poll_due(self, client: httpx.AsyncClient, now: datetime | None = None) -> CycleReport:
        now = now or datetime.now(UTC)
        with self.database.session() as session:
            self.query_feeds.refresh(session)
        with self.database.session() as session:
            due = due_feeds(session, now, self.settings.service.feeds_per_cycle)
        poller = self.settings.poller
        due = polite_share(due, poller.polite_hosts, poller.polite_feeds_per_cycle)
        return await self.poll(client, due, now)

    async def poll(self, client: httpx.AsyncClient, due: list[FeedRecord], now: datetime) -> CycleReport:
        """Poll these feeds and store what is new; ``report.new_story_ids`` lists the stories stored."""
        report = CycleReport()
        started = time.perf_counter()
        feeds = [FeedToPoll(f.id, f.url, f.etag, f.last_modified, f.error_count, f.ttl_minutes) for f in due]
        new: list[StoryRecord] = []
        polls = poll_feeds(
            client, feeds, self.settings.poller, now=now, detector=self.detector, parse_pool=self.parse_pool
        )
        async for outcome in polls:
            # Storing and clustering are CPU and disk work: a thread keeps the other fetches moving.
            new += await asyncio.to_thread(self._store, outcome, report, now)
        if self.settings.poller.fetch_full_text and new:
            await self._add_full_text(client, new, report)
        with self._index_lock:
            self.clusterer.forget_before(now - timedelta(hours=self.settings.poller.cluster_window_hours))
        metrics.POLL_CYCLE_SECONDS.observe(time.perf_counter() - started)
        report.new_story_ids = [story.id for story in new]
        # One line per cycle, whatever failed (offline, 200 failing feeds are one line, not 200);
        # each feed's error is stored with it (`warwatch feeds list`). A cycle that polled nothing
        # is not news: the service wakes whenever a feed falls due.
        log_cycle = log.warning if report.feeds_failed else log.info if report.feeds_polled else log.debug
        summary = {k: v for k, v in asdict(report).items() if k not in ("new_story_ids", "errors")}
        log_cycle("poll_cycle", **summary, **({"errors": dict(report.errors)} if report.errors else {}))
        return report

    async def _add_full_text(
        self, client: httpx.AsyncClient, stories: list[StoryRecord], report: CycleReport
    ) -> None:
        """Fetch each new story's page, within the feeds' limits and SSRF guard, before it is classified."""
        fetcher = Fetcher(client, self.settings.poller)
        articles = await asyncio.gather(
            *(fetch_article(client, story.url, self.settings.poller, fetcher=fetcher) for story in stories)
        )
        await asyncio.to_thread(self._apply_articles, stories, articles, report)

    def _apply_articles(
        self, stories: list[StoryRecord], articles: list[Article], report: CycleReport
    ) -> None:
        limit = self.settings.poller.max_summary_chars
        with self.database.session() as session:
            for story, article in zip(stories, articles, strict=True):
                text = clean_text(article.text, max_chars=limit) if article.text else None
                report.articles_fetched += text is not None
                if not apply_article(session, story.id, text=text, canonical_url=article.canonical_url):
                    report.stories_new -= 1

    def _store(self, outcome: PollOutcome, report: CycleReport, polled_at: datetime) -> list[StoryRecord]:
        """One transaction per feed: a failure here loses nothing that another feed brought."""
        report.feeds_polled += 1
        report.feeds_failed += outcome.error is not None
        if outcome.error is not None:
            report.errors[str(outcome.error_kind or "error")] += 1
        report.not_modified += outcome.result.not_modified
        report.entries_seen += len(outcome.entries)
        horizon = retention_horizon(self.settings.retention, polled_at)
        # An item older than the retention horizon would be pruned at once, then stored anew next poll.
        entries = [e for e in outcome.entries if horizon is None or e.published_at >= horizon]
        warning = malformed_warning(outcome)
        with self._index_lock, self.database.session() as session:
            new = insert_stories(session, outcome.feed_id, entries)
            clusters = {story.id: self._cluster(story) for story in new}
            assign_clusters(session, clusters)
            record_poll(
                session,
                outcome.feed_id,
                polled_at=polled_at,
                next_poll_at=outcome.next_poll_at,
                error_count=outcome.error_count,
                failing=outcome.failing,
                error=outcome.error,
                etag=outcome.etag,
                last_modified=outcome.last_modified,
                title=outcome.parsed.title if outcome.parsed else None,
                site_url=outcome.parsed.site_url if outcome.parsed else None,
                warning=warning,
                ttl_minutes=outcome.ttl_minutes,
            )
        report.stories_new += len(new)
        metrics.STORIES_STORED.inc(len(new))
        outcome_name = "error" if outcome.error else "not_modified" if outcome.result.not_modified else "ok"
        metrics.FEED_POLLS.labels(outcome_name).inc()
        if outcome.error:
            log.debug("feed_error", feed_id=outcome.feed_id, error=outcome.error, failing=outcome.failing)
        elif warning:
            log.info("feed_malformed_but_usable", feed_id=outcome.feed_id, error=warning)
        return new


def malformed_warning(outcome: PollOutcome) -> str | None:
    bozo = outcome.parsed.bozo_error if outcome.parsed else None
    return f"malformed but usable: {bozo}"[:500] if bozo else None


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
    """Classifies stored stories that have no verdict yet, and queues alerts for the flagged ones."""

    database: Database
    classify_batch: ClassifyBatch
    batch_size: int

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
                queued = record_verdicts(session, with_case_facts(stories, verdicts))
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
            queued = record_verdicts(session, with_case_facts(stories, verdicts))
        report = ClassifyReport(len(stories), sum(verdict.alert for verdict in verdicts), queued)
        self._count(report, time.perf_counter() - started)
        return report

    @staticmethod
    def _count(batch: ClassifyReport, seconds: float) -> None:
        metrics.CLASSIFY_BATCH_SECONDS.observe(seconds)
        metrics.STORIES_CLASSIFIED.inc(batch.classified)
        metrics.STORIES_FLAGGED.inc(batch.flagged)
        metrics.ALERTS_QUEUED.inc(batch.alerts_queued)
        log.info("classified_batch", stories=batch.classified, flagged=batch.flagged)


def retention_horizon(settings: RetentionSettings, now: datetime) -> datetime | None:
    """Stories published before this are pruned; None when everything is kept."""
    return now - timedelta(days=settings.story_days) if settings.story_days else None


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


async def poll_now(settings: Settings, database: Database, feed: FeedRecord) -> CycleReport:
    """Poll one feed at once, back-off or not (`warwatch feeds poll`): its stories and next poll
    time are stored as the service would; its new stories wait for the service's classifier."""
    with Ingestor(settings, database) as ingestor:
        async with make_client(settings.poller) as client:
            return await ingestor.poll(client, [feed], datetime.now(UTC))
