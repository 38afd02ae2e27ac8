"""Feedback storage: imports are idempotent, the revision moves with every change, requeueing by version."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from storage.db import Database
from storage.feedback import (
    FeedbackExample,
    feedback_examples,
    feedback_revision,
    import_feedback,
    record_feedback,
)
from storage.models import Story
from storage.states import StoryState
from storage.stories import insert_stories, pending_stories, requeue_stories
from storage.verdicts import record_verdicts
from tests.storage.factories import Entry, FakeVerdict

EXAMPLES = [
    FeedbackExample("Nepali men lured to fight for Russia", "Recruiters promised jobs.", "en", True),
    FeedbackExample("Stocks close higher", "", None, False),
]


def test_import_adds_each_text_once_and_keeps_its_label(database: Database) -> None:
    with database.session() as session:
        first = import_feedback(session, [*EXAMPLES, EXAMPLES[0]])
    with database.session() as session:
        again = import_feedback(session, EXAMPLES)
        stored = feedback_examples(session)
    assert (first.added, first.already_known) == (2, 1)
    assert (again.added, again.already_known) == (0, 2)
    assert stored == EXAMPLES


def test_revision_changes_on_import_and_on_a_changed_vote(database: Database) -> None:
    with database.session() as session:
        assert feedback_revision(session) == (0, 0, 0)
        [story] = insert_stories(session, None, [Entry("Mercenaries recruited abroad")])
        import_feedback(session, EXAMPLES)
        after_import = feedback_revision(session)
        record_feedback(session, story.id, user_id=7, chat_id=7, relevant=True)
        after_vote = feedback_revision(session)
        record_feedback(session, story.id, user_id=7, chat_id=7, relevant=False)
        after_change = feedback_revision(session)
    assert after_import[:2] == (2, 1)
    assert after_vote[:2] == (3, 2)
    assert after_change[:2] == (3, 1)


def test_requeue_skips_stories_already_judged_by_the_current_version(database: Database) -> None:
    with database.session() as session:
        old, new, older = insert_stories(
            session,
            None,
            [
                Entry("Story judged by version 1"),
                Entry("Story judged by version 2"),
                Entry("Story from last year", published_at=datetime(2025, 1, 1, tzinfo=UTC)),
            ],
        )
        record_verdicts(session, [(s.id, FakeVerdict(0.1, False, model_version="1")) for s in (old, older)])
        record_verdicts(session, [(new.id, FakeVerdict(0.1, False, model_version="1"))])
        record_verdicts(session, [(new.id, FakeVerdict(0.2, False, model_version="2"))])
    since = datetime(2026, 1, 1, tzinfo=UTC)
    with database.session() as session:
        assert requeue_stories(session, since, unless_version="2") == 1
        assert [s.id for s in pending_stories(session, 10)] == [old.id]
        assert requeue_stories(session, since) == 1  # `new`; `old` is pending already, `older` too old
        states = {id_: state for id_, state in session.execute(select(Story.id, Story.state))}
    assert states == {old.id: StoryState.PENDING, new.id: StoryState.PENDING, older.id: StoryState.CLASSIFIED}
