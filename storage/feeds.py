"""Feed subscriptions of the service and their polling state."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol, cast

from sqlalchemy import ColumnElement, Table, and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from storage.models import Feed
from storage.records import FeedRecord, PollSchedule
from storage.states import FeedStatus

# The table itself, for statements on many rows that need none of the ORM's per-object work.
_FEEDS = cast(Table, Feed.__table__)  # declared as a FromClause; a mapped class's is a Table


class DuplicateFeedError(ValueError):
    """The feed URL is already subscribed."""


def _record(feed: Feed) -> FeedRecord:
    return FeedRecord(
        id=feed.id,
        url=feed.url,
        name=feed.name,
        site_url=feed.site_url,
        status=feed.status,
        etag=feed.etag,
        last_modified=feed.last_modified,
        error_count=feed.error_count,
        last_error=feed.last_error,
        last_polled_at=feed.last_polled_at,
        last_success_at=feed.last_success_at,
        next_poll_at=feed.next_poll_at,
        ttl_minutes=feed.ttl_minutes,
        pack=feed.pack,
        kind=feed.kind,
    )


def add_feed(
    session: Session, url: str, *, name: str | None = None, added_by: str | None = None
) -> FeedRecord:
    if session.scalar(select(Feed.id).where(Feed.url == url)) is not None:
        raise DuplicateFeedError(f"feed already added: {url}")
    feed = Feed(url=url, name=name, added_by=added_by, status=FeedStatus.OK, error_count=0)
    session.add(feed)
    session.flush()
    return _record(feed)


def remove_feed(session: Session, feed_id: int) -> FeedRecord | None:
    """Delete a feed; its stories stay (their feed_id becomes NULL)."""
    feed = session.get(Feed, feed_id)
    if feed is None:
        return None
    record = _record(feed)
    session.delete(feed)
    session.flush()
    return record


def get_feed(session: Session, feed_id: int) -> FeedRecord | None:
    feed = session.get(Feed, feed_id)
    return _record(feed) if feed else None


def list_feeds(session: Session) -> list[FeedRecord]:
    return [_record(feed) for feed in session.scalars(select(Feed).order_by(Feed.id))]


def _is_due(now: datetime) -> ColumnElement[bool]:
    return and_(
        Feed.status != FeedStatus.DISABLED, or_(Feed.next_poll_at.is_(None), Feed.next_poll_at <= now)
    )


def due_feeds(session: Session, now: datetime, limit: int) -> list[FeedRecord]:
    """Feeds whose next poll time has come, oldest due first; never-polled feeds first of all."""
    statement = (
        select(Feed)
        .where(_is_due(now))
        .order_by(Feed.next_poll_at.is_not(None), Feed.next_poll_at, Feed.id)
        .limit(limit)
    )
    return [_record(feed) for feed in session.scalars(statement)]


def next_due_at(session: Session, now: datetime) -> datetime | None:
    """When the next feed falls due: ``now`` when one is due already, None when no feed is polled."""
    statement = (
        select(Feed.next_poll_at)
        .where(Feed.status != FeedStatus.DISABLED)
        .order_by(Feed.next_poll_at.is_not(None), Feed.next_poll_at)
        .limit(1)
    )
    row = session.execute(statement).first()
    if row is None:
        return None
    due: datetime | None = row.next_poll_at
    return now if due is None or due <= now else due


def poll_schedule(session: Session, now: datetime) -> PollSchedule:
    """How many feeds are due now, and which one falls due next (a feed in back-off waits here)."""
    polled = Feed.status != FeedStatus.DISABLED
    upcoming = session.execute(
        select(Feed.id, Feed.next_poll_at)
        .where(polled, Feed.next_poll_at > now)
        .order_by(Feed.next_poll_at, Feed.id)
        .limit(1)
    ).first()
    return PollSchedule(
        polled=session.scalar(select(func.count(Feed.id)).where(polled)) or 0,
        due=session.scalar(select(func.count(Feed.id)).where(_is_due(now))) or 0,
        next_feed_id=upcoming.id if upcoming else None,
        next_at=upcoming.next_poll_at if upcoming else None,
    )


def due_feed(session: Session, feed_id: int, now: datetime) -> FeedRecord | None:
    """The feed if it is still due (not polled by someone else meanwhile, not disabled or removed)."""
    feed = session.scalar(select(Feed).where(Feed.id == feed_id, _is_due(now)))
    return _record(feed) if feed is not None else None


class PollLike(Protocol):
    """What one poll of a feed produced (``feeds.types.PollOutcome`` has these fields)."""

    @property
    def feed_id(self) -> int: ...
    @property
    def next_poll_at(self) -> datetime: ...
    @property
    def error_count(self) -> int: ...
    @property
    def failing(self) -> bool: ...
    @property
    def error(self) -> str | None: ...
    @property
    def warning(self) -> str | None: ...
    @property
    def etag(self) -> str | None: ...
    @property
    def last_modified(self) -> str | None: ...
    @property
    def ttl_minutes(self) -> int | None: ...
    @property
    def feed_title(self) -> str | None: ...
    @property
    def site_url(self) -> str | None: ...


def record_poll(session: Session, poll: PollLike, *, polled_at: datetime) -> None:
    """Store the scheduling state after one poll (see ``record_polls``)."""
    record_polls(session, [poll], polled_at=polled_at)


def record_polls(session: Session, polls: Iterable[PollLike], *, polled_at: datetime) -> None:
    """Store the scheduling state after these polls: one statement for the failed ones, one for the
    others, not a query and an update per feed. A feed removed meanwhile is simply not updated.

    The one place that decides which validators to keep: a failed poll keeps the previous ones
    (a body that failed to parse must be fetched in full again), and so does a response that sent
    none (a 304). A ``warning`` (a malformed feed that still yielded entries) is kept as the last
    error, so admins see it, but counts as no error.
    """
    failed: list[dict[str, object]] = []
    succeeded: list[dict[str, object]] = []
    for poll in polls:
        state: dict[str, object] = {
            "feed": poll.feed_id,
            "new_next_poll_at": poll.next_poll_at,
            "new_error_count": poll.error_count,
            "new_status": FeedStatus.FAILING if poll.failing else FeedStatus.OK,
            "new_last_error": poll.error if poll.error is not None else poll.warning,
        }
        if poll.error is not None:
            failed.append(state)
            continue
        succeeded.append(
            state
            | {
                "new_etag": poll.etag or None,
                "new_last_modified": poll.last_modified or None,
                "new_name": poll.feed_title[:300] if poll.feed_title else None,
                "new_site_url": poll.site_url,
                "new_ttl_minutes": poll.ttl_minutes,
            }
        )
    statement = update(_FEEDS).where(_FEEDS.c.id == bindparam("feed"))
    statement = statement.values(
        last_polled_at=polled_at,
        next_poll_at=bindparam("new_next_poll_at"),
        error_count=bindparam("new_error_count"),
        status=bindparam("new_status"),
        last_error=bindparam("new_last_error"),
    )
    if failed:
        session.execute(statement, failed)
    if succeeded:
        # As ``a or b`` in Python: a previous value is kept when the poll brought none, a name or
        # site URL only filled in when the feed has none (an empty one counts as none).
        kept_or_new = statement.values(
            last_success_at=polled_at,
            etag=func.coalesce(bindparam("new_etag"), _FEEDS.c.etag),
            last_modified=func.coalesce(bindparam("new_last_modified"), _FEEDS.c.last_modified),
            name=func.coalesce(func.nullif(_FEEDS.c.name, ""), bindparam("new_name")),
            site_url=func.coalesce(func.nullif(_FEEDS.c.site_url, ""), bindparam("new_site_url")),
            ttl_minutes=bindparam("new_ttl_minutes"),
        )
        session.execute(kept_or_new, succeeded)


def feed_ids_by_url(session: Session, urls: Sequence[str]) -> dict[str, int]:
    rows = session.execute(select(Feed.url, Feed.id).where(Feed.url.in_(urls)))
    return {url: feed_id for url, feed_id in rows}
