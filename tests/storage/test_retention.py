"""Retention: old stories and their verdicts go; alerts and feedback stay; nothing waits on a pruned story."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from storage.db import Database
from storage.feedback import record_feedback
from storage.follows import FollowOutcome, follow_storyline
from storage.models import Alert, Classification, Feedback, Story, Storyline, StorylineFollow, Subscriber
from storage.outbox import due_alerts, mark_sent
from storage.retention import PRUNED_ERROR, prune_batch, prune_stories, vacuum
from storage.search import search
from storage.states import AlertStatus
from storage.stories import insert_stories
from storage.storylines import merge_storylines, storyline_detail, storylines_of
from storage.subscribers import set_console_subscriber
from storage.verdicts import record_verdicts
from tests.storage.factories import Entry, FakeVerdict, add_subscriber
from tests.storage.test_storylines import ARREST, CHARGE, SENTENCE, UNRELATED, record
from warwatch.config import RetentionSettings
from warwatch.pipeline import Retention

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
OLD = NOW - timedelta(days=400)


def fill(database: Database) -> int:
    """An old story alerted and sent, an old story alerted and still pending, a recent story (its id)."""
    with database.session() as session:
        set_console_subscriber(session, active=True)
        sent, pending, recent = insert_stories(
            session,
            None,
            [
                Entry("Mercenaries recruited in Colombia", published_at=OLD),
                Entry("Foreign fighters return home", published_at=OLD + timedelta(hours=1)),
                Entry("Recruiters of foreign fighters on trial", published_at=NOW - timedelta(days=2)),
            ],
        )
        verdicts = [(story.id, FakeVerdict(0.9, True)) for story in (sent, pending, recent)]
        assert record_verdicts(session, verdicts) == 3
        [first, *_] = [item.job for item in due_alerts(session, NOW, 10)]
        mark_sent(session, first.alert_id, message_id=1, sent_at=NOW)
        record_feedback(session, sent.id, user_id=5, chat_id=5, relevant=True)
    return recent.id


def test_prune_removes_old_stories_and_verdicts_and_keeps_alerts_and_feedback(database: Database) -> None:
    recent_id = fill(database)
    report = prune_stories(database, NOW - timedelta(days=365))
    assert (report.stories, report.classifications, report.alerts_closed) == (2, 2, 1)
    with database.session() as session:
        assert list(session.scalars(select(Story.id))) == [recent_id]
        assert session.scalar(select(func.count(Classification.id))) == 1
        alerts = {a.id: (a.story_id, a.status, a.last_error) for a in session.scalars(select(Alert))}
        feedback = session.scalar(select(Feedback))
        assert feedback is not None and feedback.story_id is None and feedback.title.startswith("Mercenaries")
        assert [hit.story_id for hit in search(session, "recruited Colombia", limit=5)] == []
        assert [item.job.story.id for item in due_alerts(session, NOW, 10)] == [recent_id]
    assert sorted(alerts.values(), key=str) == sorted(
        [
            (None, AlertStatus.SENT, None),
            (None, AlertStatus.SKIPPED, PRUNED_ERROR),
            (recent_id, AlertStatus.PENDING, None),
        ],
        key=str,
    )
    vacuum(database)  # reclaiming space after a prune works on both databases
    assert prune_stories(database, NOW - timedelta(days=365)).stories == 0


def test_prune_works_in_bounded_batches(database: Database) -> None:
    with database.session() as session:
        insert_stories(session, None, [Entry(f"Old story {i}", published_at=OLD) for i in range(5)])
    with database.session() as session:
        assert prune_batch(session, NOW, limit=2).stories == 2
    assert prune_stories(database, NOW).stories == 3


def test_the_service_prunes_at_most_once_per_check_interval(database: Database) -> None:
    fill(database)
    retention = Retention(database, RetentionSettings(story_days=365, check_hours=6))
    first = retention.maybe_prune(NOW)
    assert first is not None and first.stories == 2
    with database.session() as session:
        insert_stories(session, None, [Entry("Another old story", published_at=OLD)])
    assert retention.maybe_prune(NOW + timedelta(hours=1)) is None
    later = retention.maybe_prune(NOW + timedelta(hours=7))
    assert later is not None and later.stories == 1
    assert Retention(database, RetentionSettings(story_days=0)).maybe_prune(NOW) is None


def _storylines(database: Database) -> dict[int, tuple[int | None, set[int]]]:
    """Every stored storyline: what it was merged into, and its followers' chat ids."""
    with database.session() as session:
        rows = session.execute(
            select(Storyline.id, Storyline.merged_into, Subscriber.chat_id)
            .outerjoin(StorylineFollow, StorylineFollow.storyline_id == Storyline.id)
            .outerjoin(Subscriber, Subscriber.id == StorylineFollow.subscriber_id)
        )
        found: dict[int, tuple[int | None, set[int]]] = {}
        for line, merged_into, chat_id in rows:
            found.setdefault(line, (merged_into, set()))[1].update({chat_id} - {None})
        return found


def test_retention_deletes_the_storylines_it_empties_and_the_others_keep_working(database: Database) -> None:
    arrest, charge, sentence, unrelated = (record(database, e) for e in (ARREST, CHARGE, SENTENCE, UNRELATED))
    with database.session() as session:
        add_subscriber(session, 7)
        thapa, killed = (storylines_of(session, [sentence, unrelated])[s] for s in (sentence, unrelated))
        assert storylines_of(session, [arrest, charge]) == {arrest: thapa, charge: thapa}
        follow_storyline(session, 7, thapa)
        follow_storyline(session, 7, killed)

    report = prune_stories(database, CHARGE.published_at + timedelta(days=1))  # the arrest and the charge
    assert (report.stories, report.storylines) == (2, 0)
    assert _storylines(database) == {thapa: (None, {7}), killed: (None, {7})}
    appeal = record(
        database,
        Entry(
            "Ramesh Thapa appeals his sentence for sending Nepali men to the Russian army",
            "The recruiter's lawyer told the Kathmandu court he did not traffic the men.",
            published_at=SENTENCE.published_at + timedelta(days=10),
        ),
    )
    with database.session() as session:
        assert storylines_of(session, [appeal]) == {appeal: thapa}  # the remaining story still links
        development = session.scalar(select(Alert).where(Alert.story_id == appeal))
        assert development is not None and development.storyline_id == thapa
        detail = storyline_detail(session, thapa)
        assert detail is not None and [entry.story.id for entry in detail.entries] == [sentence, appeal]

    report = prune_stories(database, UNRELATED.published_at + timedelta(days=1))  # the sentence, the killed
    assert (report.stories, report.storylines) == (2, 1)
    assert _storylines(database) == {thapa: (None, {7})}
    assert prune_stories(database, datetime.now(UTC)).storylines == 1
    assert _storylines(database) == {}
    with database.session() as session:
        kept = session.get_one(Alert, development.id)  # the alert stays, without its storyline
        assert (kept.story_id, kept.storyline_id) == (None, None)
        assert follow_storyline(session, 7, thapa).outcome is FollowOutcome.UNKNOWN


def test_a_storyline_merged_into_one_retention_empties_goes_with_it(database: Database) -> None:
    arrest, unrelated = record(database, ARREST), record(database, UNRELATED)
    with database.session() as session:
        add_subscriber(session, 7)
        survivor, merged = (storylines_of(session, [arrest, unrelated])[s] for s in (arrest, unrelated))
        follow_storyline(session, 7, merged)
        merge_storylines(session, survivor, [merged])
    assert _storylines(database) == {survivor: (None, {7}), merged: (survivor, set())}
    with database.session() as session:  # only the survivor's newer story is left
        assert prune_batch(session, UNRELATED.published_at, limit=1).storylines == 0
    assert prune_stories(database, datetime.now(UTC)).storylines == 2
    assert _storylines(database) == {}
