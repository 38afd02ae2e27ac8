"""Console delivery (no Telegram token) prints the console pseudo-chat's alerts and no one else's."""

from __future__ import annotations

from sqlalchemy import select

from storage.db import Database
from storage.models import Alert, AlertStatus, Subscriber
from storage.outbox import record_verdicts
from storage.stories import insert_stories
from storage.subscribers import CONSOLE_CHAT_ID, set_console_subscriber, subscribe
from tests.storage.factories import Entry, FakeVerdict

TELEGRAM_CHAT = 777001


def test_a_tokenless_run_delivers_only_the_console_chats_alerts(cli, database_url: str) -> None:
    cli("db", "upgrade")
    database = Database(database_url)
    with database.session() as session:
        subscribe(session, TELEGRAM_CHAT, chat_type="private", title="analyst")
        set_console_subscriber(session, active=True)
        [story] = insert_stories(session, None, [Entry("Recruiters lured Nepali men to the front")])
        assert record_verdicts(session, [(story.id, FakeVerdict(0.9, True))]) == 2
    try:
        output = cli("run", "--once").stdout
        assert output.count("ALERT") == 1 and "Recruiters lured Nepali men to the front" in output
        with database.session() as session:
            status = dict(
                session.execute(
                    select(Subscriber.chat_id, Alert.status).join(
                        Subscriber, Subscriber.id == Alert.subscriber_id
                    )
                ).all()
            )
        assert status == {CONSOLE_CHAT_ID: AlertStatus.SENT, TELEGRAM_CHAT: AlertStatus.PENDING}
    finally:
        database.dispose()
