"""Verdicts queue their alerts: once per story cluster and chat, for the chats whose filters want them."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import Alert
from storage.outbox import due_alerts
from storage.stories import assign_clusters, insert_stories, pending_stories
from storage.verdicts import record_verdicts
from tests.storage.factories import NOW, Entry, FakeVerdict, add_subscriber


def test_outbox_has_one_row_per_cluster_and_chat(database: Database) -> None:
    with database.session() as session:
        alice = add_subscriber(session, 101)
        bob = add_subscriber(session, 102, min_score=0.9)
        first, second = insert_stories(
            session, None, [Entry("Event, outlet one"), Entry("Event, outlet two")]
        )
        assign_clusters(session, {first.id: first.id, second.id: first.id})
        queued = record_verdicts(
            session, [(first.id, FakeVerdict(0.8, alert=True)), (second.id, FakeVerdict(0.85, alert=True))]
        )
        assert queued == 1  # bob's min_score filters him out; the second story joins the first's cluster
        assert pending_stories(session, 10) == []
        rows = session.scalars(select(Alert)).all()
        assert [(row.subscriber_id, row.cluster_id) for row in rows] == [(alice.id, first.id)]
        session.add(Alert(story_id=second.id, cluster_id=first.id, subscriber_id=alice.id))
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()
        assert bob.id != alice.id


def test_subscriber_filters_select_alerts(database: Database) -> None:
    with database.session() as session:
        add_subscriber(session, 1, languages=["ru"])
        add_subscriber(session, 2, keywords=["Nepal"])
        add_subscriber(session, 3, active=False)
        [story] = insert_stories(session, None, [Entry("Nepali men sent to the front", language="en")])
        assert record_verdicts(session, [(story.id, FakeVerdict(0.9, alert=True))]) == 1
        [job] = [item.job for item in due_alerts(session, NOW, 10)]
        assert job.chat_id == 2


def test_a_cluster_flagged_twice_in_one_batch_alerts_each_chat_once(database: Database) -> None:
    with database.session() as session:
        add_subscriber(session, 1)
        add_subscriber(session, 2)
        stories = insert_stories(session, None, [Entry("Twin A", host="a.example"), Entry("Twin B")])
        assign_clusters(session, {story.id: stories[0].id for story in stories})
        verdicts = [(story.id, FakeVerdict(0.9, alert=True)) for story in stories]
        assert record_verdicts(session, verdicts) == 2
        assert sorted(item.job.chat_id for item in due_alerts(session, NOW, 10)) == [1, 2]


def test_a_story_joining_a_followed_storyline_reaches_its_followers_as_a_development(
    database: Database,
) -> None:
    from storage.follows import follow_storyline
    from storage.storylines import storylines_of
    from tests.storage.test_storylines import ARREST, CHARGE, RULE, flagged

    with database.session() as session:
        add_subscriber(session, 1, keywords=["Kenya"])  # follows; its filter alone would refuse both
        add_subscriber(session, 2)
        add_subscriber(session, 3, keywords=["Kenya"])
        arrest, charge, retold = insert_stories(
            session, None, [ARREST, CHARGE, Entry(CHARGE.title + " (update)", CHARGE.summary)]
        )
        assign_clusters(session, {arrest.id: arrest.id, charge.id: charge.id, retold.id: charge.id})
        assert record_verdicts(session, [(arrest.id, flagged(ARREST))], RULE) == 1  # chat 2 only
        line = storylines_of(session, [arrest.id])[arrest.id]
        follow_storyline(session, 1, line)
        assert record_verdicts(session, [(charge.id, flagged(CHARGE))], RULE) == 2
        assert record_verdicts(session, [(retold.id, flagged(CHARGE))], RULE) == 0  # same cluster
        jobs = {
            item.job.chat_id: item.job
            for item in due_alerts(session, NOW, 10)
            if item.job.story.id != arrest.id
        }
        assert sorted(jobs) == [1, 2]
        assert (jobs[1].development, jobs[1].storyline_id) == (True, line)
        assert (jobs[2].development, jobs[2].storyline_id) == (False, line)
