"""The archive's rows: which stories' pages to fetch and when, every successful look at them, and
the state a look moves an archive to (docs/architecture.md draws it). The WARC files themselves
are on disk (``archive/``); rows name them by hash."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage.models import Alert, ArchiveNotice, Classification, Snapshot, Story, StoryArchive, Subscriber
from storage.states import AlertStatus, ArchiveState, PageState, SnapshotOutcome

MAX_ERROR_CHARS = 2000
PIPELINE_ACTOR = "pipeline"
KEPT_COPIES = (SnapshotOutcome.CAPTURED, SnapshotOutcome.EDITED)  # the looks that wrote a WARC file


class StoredLike(Protocol):
    @property
    def sha256(self) -> str: ...
    @property
    def size(self) -> int: ...


class PageLike(Protocol):
    @property
    def author(self) -> str | None: ...


class CheckLike(Protocol):
    """One look at a page (``archive.types.CheckResult`` fits); ``outcome`` is a SnapshotOutcome
    value, or ``failed``."""

    @property
    def outcome(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def final_url(self) -> str: ...
    @property
    def retrieved_at(self) -> datetime: ...
    @property
    def status_code(self) -> int | None: ...
    @property
    def headers(self) -> dict[str, str] | None: ...
    @property
    def body_sha256(self) -> str | None: ...
    @property
    def text_sha256(self) -> str | None: ...
    @property
    def warc(self) -> StoredLike | None: ...
    @property
    def page(self) -> PageLike | None: ...
    @property
    def diff(self) -> str | None: ...
    @property
    def changed_words(self) -> int: ...
    @property
    def error(self) -> str | None: ...
    @property
    def permanent(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class ArchiveSchedule:
    """When to look again: re-checks after these many days from the capture; failed looks retried
    after ``retry_base_seconds``, doubling up to ``retry_cap_seconds``, ``max_attempts`` times."""

    recheck_days: tuple[float, ...] = (1.0, 7.0, 30.0)
    max_attempts: int = 6
    retry_base_seconds: float = 300.0
    retry_cap_seconds: float = 21600.0

    def retry_delay(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.retry_cap_seconds, self.retry_base_seconds * 2 ** (attempts - 1)))


@dataclass(frozen=True, slots=True)
class KeptCopy:
    """The newest copy kept of a page: what a re-check compares with."""

    final_url: str
    text_sha256: str | None
    warc_sha256: str


@dataclass(frozen=True, slots=True)
class ArchiveTask:
    """A due look at a page: its first capture (``previous`` None) or a re-check."""

    story_id: int
    url: str
    previous: KeptCopy | None


@dataclass(frozen=True, slots=True)
class ArchiveRecord:
    story_id: int
    url: str
    title: str
    outlet: str | None
    author: str | None
    published_at: datetime | None
    kept: bool
    state: ArchiveState
    page_state: PageState | None
    attempts: int
    checks_done: int
    next_check_at: datetime | None
    captured_at: datetime | None
    last_error: str | None
    requested_by: str


@dataclass(frozen=True, slots=True)
class SnapshotRecord:
    id: int
    story_id: int
    outcome: SnapshotOutcome
    retrieved_at: datetime
    url: str
    final_url: str
    status_code: int | None
    headers: dict[str, Any]
    body_sha256: str | None
    text_sha256: str | None
    warc_sha256: str | None
    warc_bytes: int
    changed_words: int
    diff: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class ArchiveDetail:
    archive: ArchiveRecord
    snapshots: tuple[SnapshotRecord, ...]  # oldest first


@dataclass(frozen=True, slots=True)
class Citation:
    """What a citation of the first kept copy names (``archive.cite.Citable``)."""

    story_id: int
    title: str
    outlet: str | None
    author: str | None
    published_at: datetime | None
    url: str
    retrieved_at: datetime
    status_code: int | None
    body_sha256: str
    warc_sha256: str
    page_state: str


def archive_record(row: StoryArchive) -> ArchiveRecord:
    return ArchiveRecord(
        story_id=row.story_id,
        url=row.url,
        title=row.title,
        outlet=row.outlet,
        author=row.author,
        published_at=row.published_at,
        kept=row.kept,
        state=row.state,
        page_state=row.page_state,
        attempts=row.attempts,
        checks_done=row.checks_done,
        next_check_at=row.next_check_at,
        captured_at=row.captured_at,
        last_error=row.last_error,
        requested_by=row.requested_by,
    )


def snapshot_record(row: Snapshot) -> SnapshotRecord:
    return SnapshotRecord(
        id=row.id,
        story_id=row.story_id,
        outcome=row.outcome,
        retrieved_at=row.retrieved_at,
        url=row.url,
        final_url=row.final_url,
        status_code=row.status_code,
        headers=dict(row.headers or {}),
        body_sha256=row.body_sha256,
        text_sha256=row.text_sha256,
        warc_sha256=row.warc_sha256,
        warc_bytes=row.warc_bytes,
        changed_words=row.changed_words,
        diff=row.diff,
        note=row.note,
    )


class NoWebAddressError(ValueError):
    """The story came without a link (stored under a urn:): there is no page to archive."""


def _web_url(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def _new_archive(story: Story, *, kept: bool, actor: str, now: datetime) -> StoryArchive:
    return StoryArchive(
        story_id=story.id,
        url=story.url,
        title=story.title,
        outlet=story.outlet,
        published_at=story.published_at,
        kept=kept,
        state=ArchiveState.PENDING,
        attempts=0,
        checks_done=0,
        next_check_at=now,
        requested_by=actor,
        created_at=now,
    )


def queue_archives(session: Session, story_ids: Collection[int], *, now: datetime) -> int:
    """An archive, due now, for each of these flagged stories that has none (stories without a
    link have no page); an archive made on demand before the story was flagged is kept from now on.
    Returns how many were queued."""
    if not story_ids:
        return 0
    existing = set(session.scalars(select(StoryArchive.story_id).where(StoryArchive.story_id.in_(story_ids))))
    if existing:
        session.execute(
            update(StoryArchive)
            .where(StoryArchive.story_id.in_(existing), StoryArchive.kept.is_(False))
            .values(kept=True)
        )
    stories = session.scalars(select(Story).where(Story.id.in_(set(story_ids) - existing)))
    new = [
        _new_archive(story, kept=True, actor=PIPELINE_ACTOR, now=now)
        for story in stories
        if _web_url(story.url)
    ]
    session.add_all(new)
    return len(new)


def _is_flagged(session: Session, story_id: int) -> bool:
    newest = session.scalar(
        select(Classification.alert)
        .where(Classification.story_id == story_id)
        .order_by(Classification.id.desc())
        .limit(1)
    )
    return bool(newest)


def request_archive(session: Session, story_id: int, *, actor: str, now: datetime) -> ArchiveRecord | None:
    """Archive this story on demand (``warwatch archive ID``, ``/archive ID``): its archive, due now
    if no copy is kept yet (a failed one is tried afresh). None when no such story is stored;
    ``NoWebAddressError`` when it has no link."""
    row = session.get(StoryArchive, story_id)
    if row is None:
        story = session.get(Story, story_id)
        if story is None:
            return None
        if not _web_url(story.url):
            raise NoWebAddressError(f"story {story_id} has no web address (its feed item had no link)")
        row = _new_archive(story, kept=_is_flagged(session, story_id), actor=actor, now=now)
        session.add(row)
    elif row.state in (ArchiveState.PENDING, ArchiveState.FAILED):
        row.state, row.attempts, row.next_check_at = ArchiveState.PENDING, 0, now
    session.flush()
    return archive_record(row)


def _kept_copies(session: Session, story_ids: Collection[int]) -> dict[int, KeptCopy]:
    """The newest kept copy of each of these archives."""
    newest = (
        select(func.max(Snapshot.id))
        .where(Snapshot.story_id.in_(story_ids), Snapshot.outcome.in_(KEPT_COPIES))
        .group_by(Snapshot.story_id)
    )
    rows = session.execute(
        select(Snapshot.story_id, Snapshot.final_url, Snapshot.text_sha256, Snapshot.warc_sha256).where(
            Snapshot.id.in_(newest)
        )
    )
    return {
        story_id: KeptCopy(final_url, text_sha256, warc_sha256)
        for story_id, final_url, text_sha256, warc_sha256 in rows
        if warc_sha256 is not None
    }


def due_archives(session: Session, now: datetime, limit: int) -> list[ArchiveTask]:
    """Archives whose next look is due, the longest-waiting first."""
    rows = session.execute(
        select(StoryArchive.story_id, StoryArchive.url, StoryArchive.state)
        .where(
            StoryArchive.state.in_((ArchiveState.PENDING, ArchiveState.WATCHING)),
            StoryArchive.next_check_at <= now,
        )
        .order_by(StoryArchive.next_check_at)
        .limit(limit)
    ).all()
    kept = _kept_copies(session, [story_id for story_id, _, state in rows if state is ArchiveState.WATCHING])
    return [ArchiveTask(story_id, url, kept.get(story_id)) for story_id, url, _ in rows]


def pending_task(session: Session, story_id: int) -> ArchiveTask | None:
    """The look an on-demand request should make now: a capture, unless a copy is kept already."""
    row = session.get(StoryArchive, story_id)
    if row is None or row.state is not ArchiveState.PENDING:
        return None
    return ArchiveTask(row.story_id, row.url, None)


def record_check(
    session: Session, story_id: int, check: CheckLike, schedule: ArchiveSchedule, now: datetime
) -> SnapshotRecord | None:
    """Record one look and move the archive on; an edit or a removal queues a notice for each chat
    that got the story's alert. A failed look is counted (and retried, or given up), not stored.
    Returns the snapshot stored, if any."""
    row = session.get(StoryArchive, story_id)
    if row is None:  # deleted by an admin while the page was fetched
        return None
    if check.outcome == "failed":
        _record_failure(row, check, schedule, now)
        return None
    outcome = SnapshotOutcome(check.outcome)
    snapshot = Snapshot(
        story_id=story_id,
        outcome=outcome,
        retrieved_at=check.retrieved_at,
        url=check.url,
        final_url=check.final_url,
        status_code=check.status_code,
        headers=check.headers or {},
        body_sha256=check.body_sha256,
        text_sha256=check.text_sha256,
        warc_sha256=check.warc.sha256 if check.warc else None,
        warc_bytes=check.warc.size if check.warc else 0,
        changed_words=check.changed_words,
        diff=check.diff,
        note=check.error if outcome is SnapshotOutcome.REMOVED else None,
    )
    session.add(snapshot)
    row.attempts, row.last_error = 0, None
    if outcome is SnapshotOutcome.CAPTURED:
        row.captured_at, row.page_state, row.checks_done = check.retrieved_at, PageState.LIVE, 0
        row.author = check.page.author if check.page else None
    else:
        row.checks_done += 1
    if outcome is SnapshotOutcome.EDITED:
        row.page_state = PageState.EDITED
    if outcome is SnapshotOutcome.REMOVED:
        row.page_state = PageState.REMOVED
    _schedule_next(row, schedule, done=outcome is SnapshotOutcome.REMOVED)
    session.flush()
    if outcome in (SnapshotOutcome.EDITED, SnapshotOutcome.REMOVED):
        _queue_notices(session, story_id, snapshot.id)
    return snapshot_record(snapshot)


def _record_failure(row: StoryArchive, check: CheckLike, schedule: ArchiveSchedule, now: datetime) -> None:
    row.attempts += 1
    row.last_error = (check.error or "failed")[:MAX_ERROR_CHARS]
    if not check.permanent and row.attempts < schedule.max_attempts:
        row.next_check_at = now + schedule.retry_delay(row.attempts)
    elif row.state is ArchiveState.PENDING:
        row.state, row.next_check_at = ArchiveState.FAILED, None
    else:  # this re-check is given up (its error stays shown); the next one is made as planned
        row.checks_done += 1
        row.attempts = 0
        _schedule_next(row, schedule, done=False)


def _schedule_next(row: StoryArchive, schedule: ArchiveSchedule, *, done: bool) -> None:
    if done or row.captured_at is None or row.checks_done >= len(schedule.recheck_days):
        row.state, row.next_check_at = ArchiveState.DONE, None
        return
    row.state = ArchiveState.WATCHING
    row.next_check_at = row.captured_at + timedelta(days=schedule.recheck_days[row.checks_done])


def _queue_notices(session: Session, story_id: int, snapshot_id: int) -> None:
    """A notice for each active chat whose alert about this very story was sent."""
    chats = session.scalars(
        select(Alert.subscriber_id)
        .join(Subscriber, Subscriber.id == Alert.subscriber_id)
        .where(Alert.story_id == story_id, Alert.status == AlertStatus.SENT, Subscriber.active.is_(True))
        .distinct()
    )
    session.add_all(
        ArchiveNotice(story_id=story_id, snapshot_id=snapshot_id, subscriber_id=subscriber_id)
        for subscriber_id in chats
    )


def archive_detail(session: Session, story_id: int) -> ArchiveDetail | None:
    row = session.get(StoryArchive, story_id)
    if row is None:
        return None
    snapshots = session.scalars(select(Snapshot).where(Snapshot.story_id == story_id).order_by(Snapshot.id))
    return ArchiveDetail(archive_record(row), tuple(snapshot_record(snapshot) for snapshot in snapshots))


def citation(session: Session, story_id: int) -> Citation | None:
    """The citation of a story's first kept copy; None until one is kept."""
    row = session.get(StoryArchive, story_id)
    first = session.scalar(
        select(Snapshot)
        .where(Snapshot.story_id == story_id, Snapshot.outcome == SnapshotOutcome.CAPTURED)
        .order_by(Snapshot.id)
        .limit(1)
    )
    if row is None or first is None or first.warc_sha256 is None or first.body_sha256 is None:
        return None
    return Citation(
        story_id=story_id,
        title=row.title,
        outlet=row.outlet,
        author=row.author,
        published_at=row.published_at,
        url=first.final_url,
        retrieved_at=first.retrieved_at,
        status_code=first.status_code,
        body_sha256=first.body_sha256,
        warc_sha256=first.warc_sha256,
        page_state=(row.page_state or PageState.LIVE).value,
    )


def kept_snapshots(
    session: Session, *, since: datetime | None = None, story_ids: Collection[int] | None = None
) -> list[SnapshotRecord]:
    """Every copy kept (with its WARC file) of these stories, or retrieved since ``since``: a
    bundle's contents, by story then time."""
    statement = select(Snapshot).where(Snapshot.outcome.in_(KEPT_COPIES), Snapshot.warc_sha256.is_not(None))
    if since is not None:
        statement = statement.where(Snapshot.retrieved_at >= since)
    if story_ids is not None:
        statement = statement.where(Snapshot.story_id.in_(story_ids))
    return [
        snapshot_record(row) for row in session.scalars(statement.order_by(Snapshot.story_id, Snapshot.id))
    ]
