"""The archive's rows and states, on both databases: queueing, captures, re-checks, failures and
back-off, notices for the chats that got the alert, citations, the disk cap and deletion."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from archive.types import CheckOutcome, CheckResult, PageText, StoredFile
from storage.archive import (
    ArchiveSchedule,
    NoWebAddressError,
    archive_detail,
    citation,
    due_archives,
    kept_snapshots,
    pending_task,
    queue_archives,
    record_check,
    request_archive,
)
from storage.archive_notices import due_notices, mark_notice_sent
from storage.archive_space import archive_tally, delete_archives, prune_to_cap
from storage.db import Database
from storage.models import Alert, StoryArchive
from storage.retention import prune_batch
from storage.states import AlertStatus, ArchiveState, PageState
from storage.stories import assign_clusters, insert_stories
from storage.verdicts import record_verdicts
from tests.storage.factories import NOW, Entry, FakeVerdict, add_subscriber

SCHEDULE = ArchiveSchedule(
    recheck_days=(1, 7, 30), max_attempts=3, retry_base_seconds=60, retry_cap_seconds=100
)
DAY = timedelta(days=1)


def check(
    outcome: CheckOutcome, at: datetime = NOW, *, warc: str | None = None, size: int = 1000, **fields: Any
) -> CheckResult:
    stored = StoredFile(warc, size) if warc else None
    return CheckResult(
        outcome,
        url="https://example.org/news/a",
        final_url=fields.pop("final_url", "https://example.org/news/a"),
        retrieved_at=at,
        status_code=fields.pop("status_code", 200),
        warc=stored,
        **fields,
    )


def captured(at: datetime = NOW, warc: str = "a" * 64, size: int = 1000) -> CheckResult:
    return check(
        CheckOutcome.CAPTURED,
        at,
        warc=warc,
        size=size,
        body_sha256="b" * 64,
        text_sha256="c" * 64,
        headers={"content-type": "text/html"},
        page=PageText("text", author="Jane Q Roe"),
    )


def failed(at: datetime = NOW, *, permanent: bool = False) -> CheckResult:
    return check(
        CheckOutcome.FAILED, at, status_code=None, error="timeout: read timed out", permanent=permanent
    )


def flagged_story(database: Database, title: str = "Nepali men sent to the front") -> int:
    with database.session() as session:
        [story] = insert_stories(session, None, [Entry(title)])
        record_verdicts(session, [(story.id, FakeVerdict(0.9, alert=True))])
        assert queue_archives(session, [story.id], now=NOW) == 1
        return story.id


def test_flagged_stories_are_queued_once_and_linkless_ones_not(database: Database) -> None:
    with database.session() as session:
        linked, linkless = insert_stories(
            session, None, [Entry("A"), Entry("B", url="urn:x:1", canonical_url="urn:x:1")]
        )
        assert queue_archives(session, [linked.id, linkless.id], now=NOW) == 1
        assert queue_archives(session, [linked.id], now=NOW) == 0
        [task] = due_archives(session, NOW, 10)
        assert (task.story_id, task.url, task.previous) == (linked.id, linked.url, None)
        assert due_archives(session, NOW - DAY, 10) == []
        row = session.get_one(StoryArchive, linked.id)
        assert row.kept and row.state is ArchiveState.PENDING and row.requested_by == "pipeline"


def test_a_capture_then_three_rechecks_move_the_archive_to_done(database: Database) -> None:
    story_id = flagged_story(database)
    with database.session() as session:
        snapshot = record_check(session, story_id, captured(), SCHEDULE, NOW)
        assert snapshot is not None and snapshot.warc_sha256 == "a" * 64 and snapshot.warc_bytes == 1000
        assert due_archives(session, NOW + DAY - timedelta(seconds=1), 10) == []
        [task] = due_archives(session, NOW + DAY, 10)
        assert task.previous is not None and task.previous.warc_sha256 == "a" * 64
        for day in (1, 7, 30):
            same = check(CheckOutcome.UNCHANGED, NOW + day * DAY, body_sha256="d" * 64, text_sha256="c" * 64)
            assert record_check(session, story_id, same, SCHEDULE, NOW + day * DAY) is not None
            row = session.get_one(StoryArchive, story_id)
            if day < 30:
                assert row.state is ArchiveState.WATCHING
                assert row.next_check_at == NOW + {1: 7, 7: 30}[day] * DAY
        detail = archive_detail(session, story_id)
    assert (
        detail is not None and detail.archive.state is ArchiveState.DONE and detail.archive.checks_done == 3
    )
    assert detail.archive.author == "Jane Q Roe" and detail.archive.page_state is PageState.LIVE
    assert [s.outcome.value for s in detail.snapshots] == ["captured", "unchanged", "unchanged", "unchanged"]


def test_an_edit_or_removal_notifies_only_the_chats_that_got_the_story_alert(database: Database) -> None:
    story_id = flagged_story(database)
    with database.session() as session:
        sent, pending, inactive, other = (add_subscriber(session, chat) for chat in (11, 12, 13, 14))
        [twin] = insert_stories(session, None, [Entry("Same event elsewhere")])
        assign_clusters(session, {twin.id: story_id})
        session.query(Alert).delete()
        session.add_all(
            [
                Alert(story_id=story_id, cluster_id=story_id, subscriber_id=sent.id, status=AlertStatus.SENT),
                Alert(story_id=story_id, cluster_id=story_id, subscriber_id=pending.id),
                Alert(
                    story_id=story_id, cluster_id=story_id, subscriber_id=inactive.id, status=AlertStatus.SENT
                ),
                Alert(story_id=twin.id, cluster_id=story_id, subscriber_id=other.id, status=AlertStatus.SENT),
            ]
        )
        inactive.active = False
        record_check(session, story_id, captured(), SCHEDULE, NOW)
        edit = check(
            CheckOutcome.EDITED,
            NOW + DAY,
            warc="e" * 64,
            changed_words=4,
            diff="-12\n+40",
            text_sha256="f" * 64,
        )
        record_check(session, story_id, edit, SCHEDULE, NOW + DAY)
        [notice] = due_notices(session, NOW + DAY, 10)
        assert (notice.subscriber.chat_id, notice.outcome.value, notice.changed_words) == (11, "edited", 4)
        assert notice.captured_at == NOW and notice.title == "Nepali men sent to the front"
        mark_notice_sent(session, notice.notice_id, sent_at=NOW + DAY)
        gone = check(CheckOutcome.REMOVED, NOW + 7 * DAY, status_code=404, error="HTTP 404")
        record_check(session, story_id, gone, SCHEDULE, NOW + 7 * DAY)
        [removal] = due_notices(session, NOW + 7 * DAY, 10)
        assert (removal.outcome.value, removal.note) == ("removed", "HTTP 404")
        assert due_notices(session, NOW, 10, chat_id=12) == []
        row = session.get_one(StoryArchive, story_id)
        assert (row.state, row.page_state, row.next_check_at) == (ArchiveState.DONE, PageState.REMOVED, None)
        assert [s.warc_sha256 for s in kept_snapshots(session, story_ids=[story_id])] == ["a" * 64, "e" * 64]
        cited = citation(session, story_id)
    assert cited is not None and cited.page_state == "removed" and cited.warc_sha256 == "a" * 64


def test_failed_captures_back_off_then_fail_and_a_permanent_failure_fails_at_once(database: Database) -> None:
    story_id = flagged_story(database)
    other = flagged_story(database, "Another story")
    with database.session() as session:
        record_check(session, story_id, failed(), SCHEDULE, NOW)
        assert session.get_one(StoryArchive, story_id).next_check_at == NOW + timedelta(seconds=60)
        record_check(session, story_id, failed(), SCHEDULE, NOW)
        assert session.get_one(StoryArchive, story_id).next_check_at == NOW + timedelta(seconds=100)  # capped
        record_check(session, story_id, failed(), SCHEDULE, NOW)
        row = session.get_one(StoryArchive, story_id)
        assert (row.state, row.attempts, row.next_check_at) == (ArchiveState.FAILED, 3, None)
        assert row.last_error == "timeout: read timed out"
        record_check(session, other, failed(permanent=True), SCHEDULE, NOW)
        assert session.get_one(StoryArchive, other).state is ArchiveState.FAILED
        tally = archive_tally(session)
        assert tally.archives["failed"] == 2 and tally.retrying == 0
        assert {failure.story_id for failure in tally.failures} == {story_id, other}
        again = request_archive(session, story_id, actor="cli", now=NOW)  # tried afresh on demand
        assert again is not None and again.state is ArchiveState.PENDING and again.attempts == 0
        assert pending_task(session, story_id) is not None


def test_a_recheck_that_keeps_failing_is_skipped_with_its_error_kept(database: Database) -> None:
    story_id = flagged_story(database)
    with database.session() as session:
        record_check(session, story_id, captured(), SCHEDULE, NOW)
        record_check(session, story_id, failed(NOW + DAY), SCHEDULE, NOW + DAY)
        row = session.get_one(StoryArchive, story_id)
        assert (
            row.state is ArchiveState.WATCHING and row.attempts == 1 and archive_tally(session).retrying == 1
        )
        for _ in range(2):
            record_check(session, story_id, failed(NOW + DAY), SCHEDULE, NOW + DAY)
        row = session.get_one(StoryArchive, story_id)
        assert (row.checks_done, row.attempts, row.next_check_at) == (1, 0, NOW + 7 * DAY)
        assert row.last_error == "timeout: read timed out" and row.state is ArchiveState.WATCHING


def test_on_demand_archives_of_any_story(database: Database) -> None:
    with database.session() as session:
        plain, linkless = insert_stories(
            session, None, [Entry("Plain"), Entry("No link", url="urn:y", canonical_url="urn:y")]
        )
        record_verdicts(session, [(plain.id, FakeVerdict(0.1, alert=False))])
        assert request_archive(session, 999_999, actor="cli", now=NOW) is None
        with pytest.raises(NoWebAddressError):
            request_archive(session, linkless.id, actor="cli", now=NOW)
        record = request_archive(session, plain.id, actor="telegram:5", now=NOW)
        assert record is not None and not record.kept and record.requested_by == "telegram:5"
        assert citation(session, plain.id) is None
        record_check(session, plain.id, captured(), SCHEDULE, NOW)
        assert pending_task(session, plain.id) is None  # a copy is kept: nothing to fetch on demand
        queue_archives(session, [plain.id], now=NOW)  # flagged later: kept from now on
        assert session.get_one(StoryArchive, plain.id).kept


def test_an_archive_outlives_its_story_pruned_by_retention(database: Database) -> None:
    story_id = flagged_story(database)
    with database.session() as session:
        record_check(session, story_id, captured(), SCHEDULE, NOW)
    with database.session() as session:
        assert prune_batch(session, NOW + 365 * DAY).stories == 1
    with database.session() as session:
        cited = citation(session, story_id)
    assert (
        cited is not None and cited.title == "Nepali men sent to the front" and cited.author == "Jane Q Roe"
    )


def test_the_disk_cap_prunes_the_oldest_unflagged_archives_and_never_flagged_ones(database: Database) -> None:
    kept = flagged_story(database)
    with database.session() as session:
        old, new = insert_stories(session, None, [Entry("Old unflagged"), Entry("New unflagged")])
        request_archive(session, old.id, actor="cli", now=NOW - DAY)
        request_archive(session, new.id, actor="cli", now=NOW)
        session.get_one(StoryArchive, old.id).created_at = NOW - DAY
        for story_id, digest in ((kept, "1" * 64), (old.id, "2" * 64), (new.id, "3" * 64)):
            record_check(session, story_id, captured(warc=digest, size=1000), SCHEDULE, NOW)
        freed = prune_to_cap(session, 2500)
        assert (freed.archives, freed.warc_files, freed.bytes_left) == (1, ("2" * 64,), 2000)
        assert prune_to_cap(session, 2500).archives == 0
        freed = prune_to_cap(session, 10)
        assert (freed.archives, freed.warc_files, freed.bytes_left) == (1, ("3" * 64,), 1000)
        assert session.scalars(select(StoryArchive.story_id)).all() == [kept]
        assert delete_archives(session, [kept]) == ("1" * 64,)
        assert archive_tally(session).bytes == 0
