"""The store half of polling: each new story stored once, joined to the cluster of the same event,
with its feed's poll state, several feeds in one transaction."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import chain

import structlog

from feeds import timing
from feeds.cluster import StoryClusterer, StoryText
from feeds.types import FeedEntry, PollOutcome
from storage.db import Database
from storage.feeds import record_polls
from storage.records import StoryRecord
from storage.stories import assign_clusters, insert_unseen, stories_after, unseen_entries
from warwatch.config import RetentionSettings, Settings

log = structlog.get_logger(__name__)


def retention_horizon(settings: RetentionSettings, now: datetime) -> datetime | None:
    """Stories published before this are pruned; None when everything is kept."""
    return now - timedelta(days=settings.story_days) if settings.story_days else None


def cluster_text(title: str, summary: str) -> str:
    return f"{title}\n{summary}"


def story_text(story: StoryRecord, key: int) -> StoryText:
    """What the clusterer compares of a stored story, under ``key``."""
    return StoryText(key, cluster_text(story.title, story.summary), story.published_at, story.title)


@dataclass
class StoryStore:
    """Stores polled stories and keeps the in-memory cluster index of the window's stories.

    Polls run concurrently (queue jobs) and store in threads: one at a time touches the index.
    """

    settings: Settings
    database: Database
    clusterer: StoryClusterer = field(init=False)
    _seen_up_to: int = field(default=0, init=False, repr=False)
    _index_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        poller = self.settings.poller
        self.clusterer = StoryClusterer(
            window=timedelta(hours=poller.cluster_window_hours), threshold=poller.cluster_similarity_threshold
        )

    def catch_up(self) -> int:
        """Index the window's stories not looked at yet: at start-up all of them, later those that
        other poller processes stored meanwhile (this process's own are indexed as it stores them)."""
        since = datetime.now(UTC) - timedelta(hours=self.settings.poller.cluster_window_hours)
        with self._index_lock, self.database.session() as session:
            recent = stories_after(session, self._seen_up_to, since)
            self.clusterer.assign_all([story_text(story, story.cluster_id or story.id) for story in recent])
        if recent:
            self._seen_up_to = recent[-1].id
        return len(recent)

    def keepable(self, outcome: PollOutcome, polled_at: datetime) -> list[FeedEntry]:
        """The outcome's entries inside the retention horizon: an older one would be pruned at
        once, then stored anew at the next poll."""
        horizon = retention_horizon(self.settings.retention, polled_at)
        return [e for e in outcome.entries if horizon is None or e.published_at >= horizon]

    def unseen(self, feed_id: int, entries: Sequence[FeedEntry]) -> list[FeedEntry]:
        """Those of ``entries`` not stored yet: the only ones whose article pages are worth reading."""
        with self.database.session() as session:
            return unseen_entries(session, feed_id, entries)

    def save_all(
        self, polls: Sequence[tuple[PollOutcome, Sequence[FeedEntry]]], polled_at: datetime
    ) -> list[list[StoryRecord]]:
        """For each poll, store the new ones of its entries (final: nothing rewrites them later),
        cluster them, and record the poll; returns each poll's new stories. One transaction for all (a
        transaction, commit and poll record per feed took the store 8.7 s of CPU a 1 000-feed cold
        cycle, 6.1 s in batches of eight feeds); should it fail, one per feed, so that a failure loses
        nothing another feed brought."""
        try:
            return self._save_in_one_transaction(polls, polled_at)
        except Exception:
            if len(polls) == 1:
                raise
        return self._save_feed_by_feed(polls, polled_at)

    def _save_feed_by_feed(
        self, polls: Sequence[tuple[PollOutcome, Sequence[FeedEntry]]], polled_at: datetime
    ) -> list[list[StoryRecord]]:
        """Each poll in its own transaction. A feed that still fails stores nothing and keeps its
        poll state, so the next cycle fetches it again; only when every feed fails (the database is
        down) does the error reach the caller."""
        news: list[list[StoryRecord]] = []
        failed: dict[int, Exception] = {}
        for poll in polls:
            try:
                news.extend(self._save_in_one_transaction([poll], polled_at))
            except Exception as error:
                failed[poll[0].feed_id] = error
                news.append([])
        if len(failed) == len(polls):
            raise next(iter(failed.values()))
        if failed:
            first = next(iter(failed.values()))
            log.warning(
                "stories_not_stored", feed_ids=sorted(failed), error=f"{type(first).__name__}: {first}"
            )
        return news

    def _save_in_one_transaction(
        self, polls: Sequence[tuple[PollOutcome, Sequence[FeedEntry]]], polled_at: datetime
    ) -> list[list[StoryRecord]]:
        with self._index_lock:
            laps = timing.Laps()
            news: list[list[StoryRecord]] = []
            try:
                with self.database.session() as session:
                    for outcome, entries in polls:  # in order: a feed's stories are seen by the next
                        unseen = unseen_entries(session, outcome.feed_id, entries)
                        laps.lap(timing.DEDUP)
                        news.append(insert_unseen(session, outcome.feed_id, unseen))
                        laps.lap(timing.INSERT)
                    texts = [story_text(story, story.id) for story in chain.from_iterable(news)]
                    assigned = zip(texts, self.clusterer.assign_all(texts), strict=True)
                    clusters = {text.key: cluster for text, cluster in assigned}
                    laps.lap(timing.CLUSTER)
                    assign_clusters(session, clusters)
                    record_polls(session, [outcome for outcome, _ in polls], polled_at=polled_at)
            except BaseException:  # rolled back: the index must not keep them
                self.clusterer.forget(story.id for story in chain.from_iterable(news))
                raise
            laps.lap(timing.INSERT)
            laps.commit()
        return news

    def forget_before(self, now: datetime) -> None:
        with self._index_lock:
            self.clusterer.forget_before(now - timedelta(hours=self.settings.poller.cluster_window_hours))
