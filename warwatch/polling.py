"""The poll half of the pipeline: fetch the due feeds, read new stories' pages when asked, and
hand each feed's final entries to the store."""

from __future__ import annotations

import asyncio
import gc
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cache

import httpx
import structlog

from feeds.article import fetch_article, with_article
from feeds.fetch import Fetcher, make_client
from feeds.parse_pool import ParsePool
from feeds.poller import poll_feed_batches
from feeds.schedule import polite_share
from feeds.types import FeedEntry, FeedToPoll, PollOutcome
from storage.db import Database
from storage.feeds import due_feeds
from storage.records import StoryRecord
from textkit.language import LanguageDetector
from warwatch import metrics
from warwatch.config import Settings
from warwatch.sources import QueryFeeds, warn_if_nothing_polled
from warwatch.story_store import StoryStore

log = structlog.get_logger(__name__)


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

    def count(self, outcome: PollOutcome, new: Sequence[StoryRecord]) -> None:
        self.feeds_polled += 1
        self.feeds_failed += outcome.error is not None
        if outcome.error is not None:
            self.errors[str(outcome.error_kind or "error")] += 1
        self.not_modified += outcome.result.not_modified
        self.entries_seen += len(outcome.entries)
        self.stories_new += len(new)
        self.new_story_ids += [story.id for story in new]

    def log(self) -> None:
        """One line per cycle, whatever failed (offline, 200 failing feeds are one line, not 200);
        each feed's error is stored with it (`warwatch feeds list`). A cycle that polled nothing is
        not news: the service wakes whenever a feed falls due."""
        log_cycle = log.warning if self.feeds_failed else log.info if self.feeds_polled else log.debug
        summary = {k: v for k, v in asdict(self).items() if k not in ("new_story_ids", "errors")}
        log_cycle("poll_cycle", **summary, **({"errors": dict(self.errors)} if self.errors else {}))


# Container objects allocated (net) before the collector looks at the youngest ones; Python's is 700.
_GC_YOUNG_THRESHOLD = 50_000


@cache
def collect_less_often() -> None:
    """Once the service is up: keep the collector off what start-up loaded (modules, models, the
    cluster index), which lives as long as the process, and run it less often. A cycle makes and
    drops millions of objects with hardly a reference cycle among them: at Python's defaults, the
    collections took 2.2 s of the main process in a 1 000-feed benchmark (a cold and a warm cycle);
    so, 0.6 s. Once per process: frozen objects are never freed, so freezing again with every new
    poller (a worker reconnecting, a test) would keep whatever garbage was waiting then."""
    gc.freeze()
    young, *older = gc.get_threshold()
    gc.set_threshold(max(young, _GC_YOUNG_THRESHOLD), *older)


@dataclass
class FeedPoller:
    """Polls due feeds and hands each one's new stories, final, to the ``StoryStore``."""

    settings: Settings
    database: Database
    store: StoryStore = field(init=False)
    detector: LanguageDetector = field(default_factory=LanguageDetector)
    parse_pool: ParsePool | None = field(init=False)
    query_feeds: QueryFeeds = field(default_factory=QueryFeeds)

    def __post_init__(self) -> None:
        poller = self.settings.poller
        self.parse_pool = ParsePool(poller.parse_workers) if poller.parse_workers else None
        self.store = StoryStore(self.settings, self.database)
        log.info("clusters_rebuilt", stories=self.store.catch_up())
        with self.database.session() as session:
            warn_if_nothing_polled(session)
        collect_less_often()

    def close(self) -> None:
        """Stop the parse workers."""
        if self.parse_pool is not None:
            self.parse_pool.close()

    def __enter__(self) -> FeedPoller:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def poll_due(self, client: httpx.AsyncClient, now: datetime | None = None) -> CycleReport:
        now = now or datetime.now(UTC)
        with self.database.session() as session:
            self.query_feeds.refresh(session)
        with self.database.session() as session:
            due = due_feeds(session, now, self.settings.service.feeds_per_cycle)
        poller = self.settings.poller
        due = polite_share(due, poller.polite_hosts, poller.polite_feeds_per_cycle)
        return await self.poll(client, due, now)

    async def poll(self, client: httpx.AsyncClient, due: Sequence[FeedToPoll], now: datetime) -> CycleReport:
        """Poll these feeds and store what is new; ``report.new_story_ids`` lists the stories stored."""
        report = CycleReport()
        started = time.perf_counter()
        batches = poll_feed_batches(
            client, due, self.settings.poller, now=now, detector=self.detector, parse_pool=self.parse_pool
        )
        async for outcomes in batches:  # the feeds polled while the previous batch was stored
            polls = [(outcome, self.store.keepable(outcome, now)) for outcome in outcomes]
            if self.settings.poller.fetch_full_text:
                polls = [
                    (outcome, await self._with_articles(client, outcome.feed_id, entries, report))
                    for outcome, entries in polls
                ]
            # Storing and clustering are CPU and disk work: a thread keeps the other fetches moving.
            news = await asyncio.to_thread(self.store.save_all, polls, now)
            for outcome, new in zip(outcomes, news, strict=True):
                report.count(outcome, new)
                self._observe(outcome, len(new))
        self.store.forget_before(now)
        metrics.POLL_CYCLE_SECONDS.observe(time.perf_counter() - started)
        report.log()
        return report

    async def _with_articles(
        self, client: httpx.AsyncClient, feed_id: int, entries: list[FeedEntry], report: CycleReport
    ) -> list[FeedEntry]:
        """The new entries with their pages read (within the feeds' limits and SSRF guard), before
        they are stored: the page's canonical URL may show a story is stored already."""
        if not entries:
            return entries
        unseen = await asyncio.to_thread(self.store.unseen, feed_id, entries)
        fetcher = Fetcher(client, self.settings.poller)

        async def read_page(entry: FeedEntry) -> FeedEntry:
            if not entry.url:
                return entry
            article = await fetch_article(client, entry.url, self.settings.poller, fetcher=fetcher)
            report.articles_fetched += article.text is not None
            return with_article(entry, article, max_chars=self.settings.poller.max_summary_chars)

        return list(await asyncio.gather(*(read_page(entry) for entry in unseen)))

    @staticmethod
    def _observe(outcome: PollOutcome, stored: int) -> None:
        metrics.STORIES_STORED.inc(stored)
        name = "error" if outcome.error else "not_modified" if outcome.result.not_modified else "ok"
        metrics.FEED_POLLS.labels(name).inc()
        if outcome.error:
            log.debug("feed_error", feed_id=outcome.feed_id, error=outcome.error, failing=outcome.failing)
        elif outcome.warning:
            log.info("feed_malformed_but_usable", feed_id=outcome.feed_id, error=outcome.warning)


async def poll_now(settings: Settings, database: Database, feed: FeedToPoll) -> CycleReport:
    """Poll one feed at once, back-off or not (`warwatch feeds poll`): its stories and next poll
    time are stored as the service would; its new stories wait for the service's classifier."""
    with FeedPoller(settings, database) as poller:
        async with make_client(settings.poller) as client:
            return await poller.poll(client, [feed], datetime.now(UTC))
