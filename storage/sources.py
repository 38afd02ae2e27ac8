"""Catalogue sources in the feeds table: enabling and disabling packs, query feeds, their health.

A catalogue feed is an ordinary feed row that remembers its pack. Enabling a pack adds the
feeds not yet present and wakes its disabled ones; disabling one stops polling them (their
stories stay). A user's own feeds (no pack) are never touched, even when a pack lists the
same address. Query feeds are replaced as a whole when the rules that generate them change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from storage.db import rows_changed
from storage.models import Classification, Feed, Story
from storage.overrides import get_runtime_setting, set_runtime_setting
from storage.states import FeedStatus

SEEDED_KEY = "sources.seeded"


class SourceLike(Protocol):
    """A catalogue entry (``feeds.catalogue.CatalogueFeed`` fits)."""

    url: str
    name: str
    lang: str
    country: str
    pack: str
    kind: str


@dataclass(frozen=True, slots=True)
class PackChange:
    added: int  # new feed rows
    enabled_again: int  # rows of the pack that were disabled
    already_there: int  # present and polled already (in this pack, another, or a user's own)


def enable_sources(session: Session, sources: Sequence[SourceLike]) -> PackChange:
    """Poll these sources: add the missing ones, wake their pack's disabled ones. Idempotent."""
    urls = [source.url for source in sources]
    existing = {feed.url: feed for feed in session.scalars(select(Feed).where(Feed.url.in_(urls)))}
    added = enabled_again = already = 0
    for source in sources:
        feed = existing.get(source.url)
        if feed is None:
            feed = Feed(
                url=source.url,
                name=source.name,
                added_by=f"pack:{source.pack}",
                status=FeedStatus.OK,
                error_count=0,
                pack=source.pack,
                language=source.lang,
                country=source.country or None,
                kind=str(source.kind),
            )
            session.add(feed)
            existing[source.url] = feed
            added += 1
        elif feed.pack == source.pack and feed.status is FeedStatus.DISABLED:
            feed.status, feed.next_poll_at, feed.error_count = FeedStatus.OK, None, 0
            enabled_again += 1
        else:
            already += 1
    session.flush()
    return PackChange(added, enabled_again, already)


def disable_pack(session: Session, pack: str) -> int:
    """Stop polling every feed the pack brought; returns how many were being polled."""
    return rows_changed(
        session,
        update(Feed)
        .where(Feed.pack == pack, Feed.status != FeedStatus.DISABLED)
        .values(status=FeedStatus.DISABLED),
    )


def replace_pack(session: Session, pack: str, sources: Sequence[SourceLike]) -> tuple[int, int]:
    """Make the pack's feeds exactly ``sources`` (query feeds after a rule change): (added, removed).

    Removed feeds' stories stay, as when an admin removes a feed.
    """
    wanted = {source.url for source in sources}
    stale = list(session.scalars(select(Feed).where(Feed.pack == pack, Feed.url.not_in(wanted))))
    for feed in stale:
        session.delete(feed)
    session.flush()
    return enable_sources(session, sources).added, len(stale)


def pack_enabled(session: Session, pack: str) -> bool:
    """Whether any feed of the pack is polled."""
    polled = select(Feed.id).where(Feed.pack == pack, Feed.status != FeedStatus.DISABLED).limit(1)
    return session.scalar(polled) is not None


def polled_by_url(session: Session, urls: Iterable[str]) -> dict[str, bool]:
    """For each stored URL among ``urls``: whether it is polled (not disabled)."""
    rows = session.execute(select(Feed.url, Feed.status).where(Feed.url.in_(list(urls))))
    return {url: status is not FeedStatus.DISABLED for url, status in rows}


def seed_sources(session: Session, sources: Sequence[SourceLike]) -> int:
    """Enable the default sources once, on first run; later, admins decide. Returns feeds added."""
    if get_runtime_setting(session, SEEDED_KEY):
        return 0
    set_runtime_setting(session, SEEDED_KEY, True, updated_by="config")
    return enable_sources(session, sources).added


def polled_feed_count(session: Session) -> int:
    return session.scalar(select(func.count(Feed.id)).where(Feed.status != FeedStatus.DISABLED)) or 0


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """Whether a source earns its keep: when it last answered, what it brings, how much of it counts."""

    feed_id: int
    url: str
    name: str | None
    pack: str | None
    status: FeedStatus
    last_success_at: datetime | None
    last_error: str | None
    stories: int  # stored since the window began
    per_day: float
    classified: int
    flagged: int

    @property
    def flagged_share(self) -> float | None:
        return self.flagged / self.classified if self.classified else None


def source_health(session: Session, since: datetime, now: datetime) -> list[SourceHealth]:
    """Per feed: last success, stories per day since ``since`` and the share the classifier flagged."""
    days = max((now - since).total_seconds() / 86_400, 1 / 24)
    newest = (
        select(Classification.story_id, func.max(Classification.id).label("id"))
        .group_by(Classification.story_id)
        .subquery()
    )
    verdict = Classification.__table__.alias("verdict")
    rows = session.execute(
        select(
            Story.feed_id,
            func.count(Story.id),
            func.count(verdict.c.id),
            func.sum(case((verdict.c.alert.is_(True), 1), else_=0)),
        )
        .outerjoin(newest, newest.c.story_id == Story.id)
        .outerjoin(verdict, verdict.c.id == newest.c.id)
        .where(Story.fetched_at >= since, Story.feed_id.is_not(None))
        .group_by(Story.feed_id)
    )
    by_feed = {feed_id: (stories, classified, flagged or 0) for feed_id, stories, classified, flagged in rows}
    health = []
    for feed in session.scalars(select(Feed).order_by(Feed.pack.is_not(None), Feed.pack, Feed.id)):
        stories, classified, flagged = by_feed.get(feed.id, (0, 0, 0))
        health.append(
            SourceHealth(
                feed.id,
                feed.url,
                feed.name,
                feed.pack,
                feed.status,
                feed.last_success_at,
                feed.last_error,
                stories,
                stories / days,
                classified,
                int(flagged),
            )
        )
    return health
