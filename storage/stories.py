"""Stories: storage decides what is new, so only new stories go on to classification."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar, cast

from sqlalchemy import ColumnElement, Table, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from storage.models import Classification, Story
from storage.records import StoryRecord
from storage.states import StoryState
from storage.types import utcnow


class StoryLike(Protocol):
    """What the poller hands over for one feed entry (``feeds.types.FeedEntry`` fits)."""

    @property
    def guid(self) -> str: ...
    @property
    def url(self) -> str | None: ...
    @property
    def canonical_url(self) -> str | None: ...
    @property
    def title(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def language(self) -> str | None: ...
    @property
    def host(self) -> str | None: ...
    @property
    def published_at(self) -> datetime: ...
    @property
    def content_hash(self) -> str: ...


Entry = TypeVar("Entry", bound=StoryLike)
# The table itself, for statements on many rows that need none of the ORM's per-object work.
_STORIES = cast(Table, Story.__table__)  # declared as a FromClause; a mapped class's is a Table


def _identity_url(entry: StoryLike) -> str:
    """The stored, unique URL of a story; entries without a link are identified by their guid."""
    return (entry.canonical_url or entry.url or f"urn:warwatch:guid:{entry.guid}")[:2048]


def story_record(story: Story) -> StoryRecord:
    return StoryRecord(
        id=story.id,
        feed_id=story.feed_id,
        url=story.url,
        canonical_url=story.canonical_url,
        title=story.title,
        summary=story.summary,
        language=story.language,
        outlet=story.outlet,
        published_at=story.published_at,
        cluster_id=story.cluster_id,
        state=story.state,
    )


def _already_stored(session: Session, feed_id: int | None, entries: Sequence[StoryLike]) -> set[str]:
    """Keys (canonical URL, content hash, feed+guid) of entries that match a stored story."""
    urls = {_identity_url(entry) for entry in entries}
    hashes = {entry.content_hash for entry in entries}
    guids = {entry.guid for entry in entries}
    conditions: list[ColumnElement[bool]] = [Story.canonical_url.in_(urls), Story.content_hash.in_(hashes)]
    if feed_id is not None:
        conditions.append((Story.feed_id == feed_id) & Story.guid.in_(guids))
    rows = session.execute(
        select(Story.canonical_url, Story.content_hash, Story.feed_id, Story.guid).where(or_(*conditions))
    )
    seen: set[str] = set()
    for url, content_hash, row_feed_id, guid in rows:
        seen.update({f"url:{url}", f"hash:{content_hash}"})
        if row_feed_id == feed_id:
            seen.add(f"guid:{guid}")
    return seen


def unseen_entries(session: Session, feed_id: int | None, entries: Iterable[Entry]) -> list[Entry]:
    """The entries not stored before (by canonical URL, content hash, or this feed's guid), in
    order; of duplicates within the batch, the first. The poller reads the pages of these alone."""
    batch = list(entries)
    if not batch:
        return []
    seen = _already_stored(session, feed_id, batch)
    unseen: list[Entry] = []
    for entry in batch:
        keys = {f"url:{_identity_url(entry)}", f"hash:{entry.content_hash}", f"guid:{entry.guid}"}
        if not keys & seen:
            unseen.append(entry)
            seen |= keys
    return unseen


def insert_stories(session: Session, feed_id: int | None, entries: Iterable[StoryLike]) -> list[StoryRecord]:
    """Store the entries not seen before (see ``unseen_entries``); returns the new stories in order."""
    return insert_unseen(session, feed_id, unseen_entries(session, feed_id, entries))


def insert_unseen(session: Session, feed_id: int | None, unseen: Iterable[StoryLike]) -> list[StoryRecord]:
    """Store entries that ``unseen_entries`` returned in this transaction (nothing checks again)."""
    fetched_at = utcnow()
    rows: list[dict[str, Any]] = [
        {
            "feed_id": feed_id,
            "guid": entry.guid[:1024],
            "url": (entry.url or _identity_url(entry))[:2048],
            "canonical_url": _identity_url(entry),
            "title": entry.title,
            "summary": entry.summary,
            "language": entry.language,
            "outlet": entry.host[:255] if entry.host else None,
            "published_at": entry.published_at,
            "fetched_at": fetched_at,
            "content_hash": entry.content_hash,
            "state": StoryState.PENDING,
        }
        for entry in unseen
    ]
    if not rows:
        return []
    # Batched INSERT … RETURNING on the table (the ORM's bulk insert costs a third more), not an ORM
    # object and a flush per row. Rows are matched to their ids by canonical URL (unique), as SQLite
    # does not promise RETURNING's order for many rows.
    returned = session.execute(insert(_STORIES).returning(_STORIES.c.canonical_url, _STORIES.c.id), rows)
    ids = {canonical_url: story_id for canonical_url, story_id in returned}
    return [
        StoryRecord(
            id=ids[row["canonical_url"]],
            feed_id=feed_id,
            url=row["url"],
            canonical_url=row["canonical_url"],
            title=row["title"],
            summary=row["summary"],
            language=row["language"],
            outlet=row["outlet"],
            published_at=row["published_at"],
            cluster_id=None,
            state=StoryState.PENDING,
        )
        for row in rows
    ]


def assign_clusters(session: Session, clusters: Mapping[int, int]) -> None:
    """Record the cluster of each story (story id -> id of the cluster's first story). Most stories
    start a cluster of their own: one statement sets all of those, one more the others."""
    own = [story for story, cluster in clusters.items() if story == cluster]
    joined = [{"story": story, "cluster": cluster} for story, cluster in clusters.items() if story != cluster]
    if own:
        session.execute(update(_STORIES).where(_STORIES.c.id.in_(own)).values(cluster_id=_STORIES.c.id))
    if joined:
        statement = update(_STORIES).where(_STORIES.c.id == bindparam("story"))
        session.execute(statement.values(cluster_id=bindparam("cluster")), joined)


def pending_stories(session: Session, limit: int) -> list[StoryRecord]:
    """Stories waiting for the classifier, oldest first."""
    statement = select(Story).where(Story.state == StoryState.PENDING).order_by(Story.id).limit(limit)
    return [story_record(story) for story in session.scalars(statement)]


def pending_story_ids(session: Session, *, fetched_before: datetime, limit: int) -> list[int]:
    """Stories still pending that were stored before ``fetched_before``, oldest first."""
    statement = (
        select(Story.id)
        .where(Story.state == StoryState.PENDING, Story.fetched_at < fetched_before)
        .order_by(Story.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


def requeue_stories(session: Session, since: datetime, *, unless_version: str | None = None) -> int:
    """Send classified stories published since ``since`` back to the classifier; returns how many.

    With ``unless_version``, a story whose newest verdict already has that model version stays put.
    """
    statement = update(Story).where(Story.published_at >= since, Story.state == StoryState.CLASSIFIED)
    if unless_version is not None:
        newest = select(func.max(Classification.id).label("id")).group_by(Classification.story_id).subquery()
        current = select(Classification.story_id).where(
            Classification.id.in_(select(newest.c.id)), Classification.model_version == unless_version
        )
        statement = statement.where(Story.id.not_in(current))
    result = session.execute(statement.values(state=StoryState.PENDING))
    return int(getattr(result, "rowcount", 0) or 0)


def claim_pending(session: Session, among: Sequence[int]) -> list[StoryRecord]:
    """Lock these stories that are still pending, for the rest of the transaction.

    On PostgreSQL, rows another worker has claimed are skipped (``FOR UPDATE SKIP LOCKED``), so
    two workers given the same ids classify each story once. SQLite has one writer anyway.
    """
    statement = (
        select(Story)
        .where(Story.state == StoryState.PENDING, Story.id.in_(among))
        .order_by(Story.id)
        .with_for_update(skip_locked=True)
    )
    return [story_record(story) for story in session.scalars(statement)]


def stories_after(session: Session, story_id: int, since: datetime) -> list[StoryRecord]:
    """Stories stored after ``story_id`` and published since ``since``, oldest first."""
    statement = select(Story).where(Story.id > story_id, Story.published_at >= since).order_by(Story.id)
    return [story_record(story) for story in session.scalars(statement)]


def get_story(session: Session, story_id: int) -> StoryRecord | None:
    story = session.get(Story, story_id)
    return story_record(story) if story else None


def count_stories(session: Session) -> int:
    return session.scalar(select(func.count(Story.id))) or 0


def recent_stories(session: Session, since: datetime, limit: int) -> list[StoryRecord]:
    """The newest stories fetched since ``since``, newest first: what /backtest replays."""
    statement = select(Story).where(Story.fetched_at >= since).order_by(Story.id.desc()).limit(limit)
    return [story_record(story) for story in session.scalars(statement)]


def cluster_outlets(session: Session, cluster_ids: Collection[int]) -> dict[int, list[tuple[int, str]]]:
    """(story id, outlet) of the stories in each of these clusters."""
    rows = session.execute(
        select(Story.cluster_id, Story.id, Story.outlet).where(
            Story.cluster_id.in_(cluster_ids), Story.outlet.is_not(None)
        )
    )
    outlets: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for cluster_id, story_id, outlet in rows:
        if cluster_id is not None and outlet is not None:  # as the query asked; tells the type checker
            outlets[cluster_id].append((story_id, outlet))
    return outlets
