"""Subscribers: a chat's alerts start and stop, its preferences persist, and a chat that is gone or
moved takes its pending alerts with it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from storage.db import Database
from storage.models import Alert
from storage.outbox import mark_sent
from storage.states import AlertStatus, DeliveryMode
from storage.stories import insert_stories
from storage.subscribers import (
    deactivate_subscriber,
    get_subscriber,
    migrate_chat,
    subscribe,
    unsubscribe,
    update_preferences,
)
from storage.verdicts import record_verdicts
from tests.storage.factories import Entry, FakeVerdict


def _flag(database: Database, *titles: str) -> None:
    with database.session() as session:
        stories = insert_stories(session, None, [Entry(title) for title in titles])
        record_verdicts(session, [(story.id, FakeVerdict(0.9, alert=True)) for story in stories])


def _alerts(database: Database, subscriber_id: int) -> list[tuple[AlertStatus, str | None]]:
    with database.session() as session:
        rows = session.scalars(select(Alert).where(Alert.subscriber_id == subscriber_id).order_by(Alert.id))
        return [(row.status, row.last_error) for row in rows]


def test_preferences_persist_and_only_preference_fields_can_be_changed(database: Database) -> None:
    with database.session() as session:
        subscribe(session, 42, chat_type="private", title="analyst")
        changed = update_preferences(
            session, 42, countries=("NP", "KE"), min_score=0.7, mode=DeliveryMode.DIGEST, digest_hour=8
        )
        assert changed is not None and changed.countries == ("NP", "KE")
        with pytest.raises(ValueError, match="active"):
            update_preferences(session, 42, active=False, min_score=0.1)  # nothing of it is applied
        with pytest.raises(ValueError, match="chat_type"):
            update_preferences(session, 42, chat_type="channel")
        assert update_preferences(session, 99, min_score=0.5) is None  # never subscribed
    with database.session() as session:
        stored = get_subscriber(session, 42)
    assert stored is not None and stored.active and stored.chat_type == "private"
    assert (stored.countries, stored.min_score, stored.mode, stored.digest_hour) == (
        ("NP", "KE"),
        0.7,
        DeliveryMode.DIGEST,
        8,
    )


def test_subscribing_again_restarts_alerts_and_keeps_the_chats_settings(database: Database) -> None:
    with database.session() as session:
        first, started = subscribe(session, 42, chat_type="group", title="Desk")
        assert started and first.active
        assert subscribe(session, 42, chat_type="group", title="Desk")[1] is False  # already active
        update_preferences(session, 42, keywords=["wagner"])
        assert unsubscribe(session, 42) is True
        assert unsubscribe(session, 42) is False
        assert unsubscribe(session, 7) is False  # never subscribed
        again, restarted = subscribe(session, 42, chat_type="supergroup", title=None)
    assert restarted and again.id == first.id and again.active
    assert (again.keywords, again.title, again.chat_type) == (("wagner",), "Desk", "supergroup")


def test_unsubscribing_skips_pending_alerts_and_a_gone_chat_fails_them(database: Database) -> None:
    with database.session() as session:
        leaving, _ = subscribe(session, 1, chat_type="private", title=None)
        blocked, _ = subscribe(session, 2, chat_type="private", title=None)
    _flag(database, "Recruiters jailed")
    with database.session() as session:
        sent = session.scalar(select(Alert.id).where(Alert.subscriber_id == leaving.id))
        assert sent is not None
        mark_sent(session, sent, message_id=5, sent_at=datetime.now(UTC))
    _flag(database, "Mercenaries return home")
    with database.session() as session:
        assert unsubscribe(session, 1)
        assert deactivate_subscriber(session, blocked.id, reason="forbidden") == 2
        assert deactivate_subscriber(session, 12345, reason="forbidden") == 0
    assert _alerts(database, leaving.id) == [(AlertStatus.SENT, None), (AlertStatus.SKIPPED, "unsubscribed")]
    assert _alerts(database, blocked.id) == [(AlertStatus.FAILED, "forbidden")] * 2
    with database.session() as session:
        gone = get_subscriber(session, 2)
    assert gone is not None and not gone.active


def test_a_migrated_group_follows_its_new_id_unless_that_id_is_subscribed_already(database: Database) -> None:
    with database.session() as session:
        group, _ = subscribe(session, -777, chat_type="group", title="Desk")
        other, _ = subscribe(session, -888, chat_type="group", title="Other desk")
        subscribe(session, -1000000000888, chat_type="supergroup", title="Other desk")
    _flag(database, "Recruiters jailed")
    with database.session() as session:
        assert migrate_chat(session, group.id, -1000000000777) is True
        assert migrate_chat(session, other.id, -1000000000888) is False
    with database.session() as session:
        moved = get_subscriber(session, -1000000000777)
        retired = get_subscriber(session, -888)
    assert moved is not None and (moved.id, moved.chat_type, moved.active) == (group.id, "supergroup", True)
    assert _alerts(database, group.id) == [(AlertStatus.PENDING, None)]  # it is resent to the new id
    assert retired is not None and not retired.active
    assert _alerts(database, other.id) == [(AlertStatus.SKIPPED, "chat migrated to -1000000000888")]
