"""The store half of polling: each new story stored once, joined to the cluster of the same event,
with its feed's poll state, in one transaction per feed."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from feeds import timing
from feeds.cluster import StoryClusterer
from feeds.types import FeedEntry, PollOutcome
from storage.db import Database
from storage.feeds import record_poll
from storage.records import StoryRecord
from storage.stories import assign_clusters, insert_unseen, stories_after, unseen_entries
from warwatch.config import RetentionSettings, Settings


def retention_horizon(settings: RetentionSettings, now: datetime) -> datetime | None:
    """Stories published before this are pruned; None when everything is kept."""
    return now - timedelta(days=settings.story_days) if settings.story_days else None


def cluster_text(title: str, summary: str) -> str:
    return f"{title}\n{summary}"


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
            for story in recent:
                self._cluster(story, story.cluster_id or story.id)
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

    def save(
        self, outcome: PollOutcome, entries: Sequence[FeedEntry], polled_at: datetime
    ) -> list[StoryRecord]:
        """Store the new ones of ``entries`` (final: nothing rewrites them later), cluster them, and
        record the poll. One transaction per feed: a failure here loses nothing another feed brought."""
        with self._index_lock:
            laps = timing.Laps()
            with self.database.session() as session:
                unseen = unseen_entries(session, outcome.feed_id, entries)
                laps.lap(timing.DEDUP)
                new = insert_unseen(session, outcome.feed_id, unseen)
                laps.lap(timing.INSERT)
                clusters = {story.id: self._cluster(story, story.id) for story in new}
                laps.lap(timing.CLUSTER)
                assign_clusters(session, clusters)
                record_poll(session, outcome, polled_at=polled_at)
            laps.lap(timing.INSERT)
            laps.commit()
        return new

    def forget_before(self, now: datetime) -> None:
        with self._index_lock:
            self.clusterer.forget_before(now - timedelta(hours=self.settings.poller.cluster_window_hours))

    def _cluster(self, story: StoryRecord, story_id: int) -> int:
        text = cluster_text(story.title, story.summary)
        return self.clusterer.assign(story_id, text, story.published_at, title=story.title)
