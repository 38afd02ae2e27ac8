"""How much the archive holds and what is failing (``warwatch status``), and what gives disk space
back: the cap prunes the oldest archives of stories never flagged; an admin deletes any."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage.models import ArchiveNotice, Snapshot, StoryArchive
from storage.states import AlertStatus, ArchiveState, PageState

FAILURES_SHOWN = 3


@dataclass(frozen=True, slots=True)
class ArchiveFailure:
    story_id: int
    state: ArchiveState  # failed (given up) or pending/watching (retrying)
    attempts: int
    error: str


@dataclass(frozen=True, slots=True)
class ArchiveTally:
    archives: dict[str, int]  # by ArchiveState value
    pages: dict[str, int]  # by PageState value, archives with a kept copy
    snapshots: int
    bytes: int  # of the WARC files the rows name
    retrying: int  # archives whose last look failed and will be tried again
    failures: tuple[ArchiveFailure, ...]  # the latest few, failed or retrying
    notices_pending: int


@dataclass(frozen=True, slots=True)
class FreedSpace:
    archives: int  # archives deleted
    warc_files: tuple[str, ...]  # hashes no row names any more: their files can go
    bytes_left: int  # what the archive holds afterwards


def archive_bytes(session: Session) -> int:
    return int(session.scalar(select(func.coalesce(func.sum(Snapshot.warc_bytes), 0))) or 0)


def archive_tally(session: Session) -> ArchiveTally:
    by_state = dict(
        session.execute(select(StoryArchive.state, func.count()).group_by(StoryArchive.state)).all()
    )
    pages = dict(
        session.execute(
            select(StoryArchive.page_state, func.count())
            .where(StoryArchive.page_state.is_not(None))
            .group_by(StoryArchive.page_state)
        ).all()
    )
    failing = (StoryArchive.last_error.is_not(None)) & (
        (StoryArchive.state == ArchiveState.FAILED) | (StoryArchive.attempts > 0)
    )
    failures = session.execute(
        select(StoryArchive.story_id, StoryArchive.state, StoryArchive.attempts, StoryArchive.last_error)
        .where(failing)
        .order_by(StoryArchive.story_id.desc())
        .limit(FAILURES_SHOWN)
    )
    return ArchiveTally(
        archives={state.value: int(by_state.get(state, 0)) for state in ArchiveState},
        pages={state.value: int(pages.get(state, 0)) for state in PageState},
        snapshots=session.scalar(select(func.count(Snapshot.id))) or 0,
        bytes=archive_bytes(session),
        retrying=session.scalar(
            select(func.count()).where(StoryArchive.attempts > 0, StoryArchive.state != ArchiveState.FAILED)
        )
        or 0,
        failures=tuple(
            ArchiveFailure(story_id, state, attempts, error or "")
            for story_id, state, attempts, error in failures
        ),
        notices_pending=session.scalar(
            select(func.count(ArchiveNotice.id)).where(ArchiveNotice.status == AlertStatus.PENDING)
        )
        or 0,
    )


def prune_to_cap(session: Session, max_bytes: int) -> FreedSpace:
    """Delete the oldest archives of stories never flagged until the archive fits ``max_bytes``;
    flagged stories' archives stay whatever their size (``bytes_left`` then stays over the cap)."""
    total = archive_bytes(session)
    if total <= max_bytes:
        return FreedSpace(0, (), total)
    sizes = (
        select(Snapshot.story_id, func.sum(Snapshot.warc_bytes).label("size"))
        .group_by(Snapshot.story_id)
        .subquery()
    )
    candidates = session.execute(
        select(StoryArchive.story_id, func.coalesce(sizes.c.size, 0))
        .outerjoin(sizes, sizes.c.story_id == StoryArchive.story_id)
        .where(StoryArchive.kept.is_(False))
        .order_by(StoryArchive.created_at, StoryArchive.story_id)
    )
    chosen: list[int] = []
    for story_id, size in candidates:
        if total <= max_bytes:
            break
        chosen.append(story_id)
        total -= int(size)
    return FreedSpace(len(chosen), delete_archives(session, chosen), total)


def delete_archives(session: Session, story_ids: Collection[int]) -> tuple[str, ...]:
    """Delete these archives with their snapshots and notices; returns the hashes of the WARC files
    no remaining row names (delete those files after the commit: a crash between leaves an
    unnamed file, never a row naming a missing one)."""
    if not story_ids:
        return ()
    hashes = set(
        session.scalars(
            select(Snapshot.warc_sha256).where(
                Snapshot.story_id.in_(story_ids), Snapshot.warc_sha256.is_not(None)
            )
        )
    )
    session.execute(delete(ArchiveNotice).where(ArchiveNotice.story_id.in_(story_ids)))
    session.execute(delete(Snapshot).where(Snapshot.story_id.in_(story_ids)))
    session.execute(delete(StoryArchive).where(StoryArchive.story_id.in_(story_ids)))
    still_named = set(session.scalars(select(Snapshot.warc_sha256).where(Snapshot.warc_sha256.in_(hashes))))
    return tuple(sorted(hash_ for hash_ in hashes if hash_ is not None and hash_ not in still_named))
