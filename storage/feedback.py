"""Labelled examples for the classifier's feedback head: votes from the bot (with their tallies) and
imported files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from storage.models import Feedback, Story

IMPORT_SOURCE = "import"


@dataclass(frozen=True, slots=True)
class FeedbackExample:
    """One human judgement of a story's text; the text is a copy, so it outlives the story."""

    title: str
    summary: str
    language: str | None
    relevant: bool


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: int
    already_known: int


def import_feedback(session: Session, examples: Iterable[FeedbackExample]) -> ImportResult:
    """Store labelled examples from a file; a text already imported is not added twice.

    Importing the same file again is a no-op, so a file can be re-run after it grew.
    """
    imported = select(Feedback.title, Feedback.summary).where(Feedback.source == IMPORT_SOURCE)
    known = {(title, summary) for title, summary in session.execute(imported)}
    added = already_known = 0
    for example in examples:
        key = (example.title, example.summary)
        if key in known:
            already_known += 1
            continue
        known.add(key)
        session.add(
            Feedback(
                title=example.title,
                summary=example.summary,
                language=example.language,
                relevant=example.relevant,
                source=IMPORT_SOURCE,
            )
        )
        added += 1
    session.flush()
    return ImportResult(added, already_known)


def feedback_examples(session: Session) -> list[FeedbackExample]:
    """Every stored judgement, oldest first: the head's training set."""
    rows = session.scalars(select(Feedback).order_by(Feedback.id))
    return [FeedbackExample(row.title, row.summary, row.language, row.relevant) for row in rows]


def feedback_revision(session: Session) -> tuple[int, int, int]:
    """Changes whenever feedback is added, removed or a vote is changed: (rows, relevant rows, last id)."""
    rows, relevant, last_id = session.execute(
        select(
            func.count(Feedback.id),
            func.count(Feedback.id).filter(Feedback.relevant.is_(True)),
            func.coalesce(func.max(Feedback.id), 0),
        )
    ).one()
    return int(rows), int(relevant), int(last_id)


@dataclass(frozen=True, slots=True)
class FeedbackTally:
    relevant: int
    not_relevant: int


def record_feedback(
    session: Session, story_id: int, *, user_id: int, chat_id: int, relevant: bool
) -> FeedbackTally | None:
    """Store one user's judgement of a story (a second vote replaces the first); None if it was pruned.

    The story's text is copied so the feedback head can still learn from it after the story is pruned.
    """
    story = session.get(Story, story_id)
    if story is None:
        return None
    row = session.scalar(select(Feedback).where(Feedback.story_id == story_id, Feedback.user_id == user_id))
    if row is None:
        row = Feedback(story_id=story_id, user_id=user_id, source="telegram")
        session.add(row)
    row.chat_id = chat_id
    row.relevant = relevant
    row.title = story.title
    row.summary = story.summary
    row.language = story.language
    session.flush()
    return feedback_tally(session, story_id)


def feedback_tally(session: Session, story_id: int) -> FeedbackTally:
    return feedback_counts(session, Feedback.story_id == story_id)


def feedback_counts(session: Session, *where: ColumnElement[bool]) -> FeedbackTally:
    """Judgements for and against, of the feedback rows matching ``where`` (all of them without)."""
    rows = session.execute(select(Feedback.relevant, func.count()).where(*where).group_by(Feedback.relevant))
    counts = {bool(relevant): count for relevant, count in rows}
    return FeedbackTally(counts.get(True, 0), counts.get(False, 0))
