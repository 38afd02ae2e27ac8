"""`warwatch run` with a token while the Bot API is down: the service stays up, polls and classifies,
retries the connection with backoff (one line per attempt), and delivers once the API answers."""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path

from pytest_httpserver import HTTPServer
from sqlalchemy import select

from storage.db import Database
from storage.feeds import add_feed
from storage.models import Alert
from storage.states import AlertStatus
from storage.subscribers import subscribe
from tests.app.conftest import serve_rss
from tests.app.processes import counts, start, stop
from tests.bot.fake_telegram import TOKEN, FakeTelegram

CHAT = 777
QUIET = ("Markets rally as inflation cools", "Stocks rose on Monday after new inflation figures.")
ON_TOPIC = (
    "Recruiters lured Nepali men to fight for Russia in Ukraine",
    "Families say agents recruited them.",
)


def free_port() -> int:
    """A loopback port nothing listens on (yet)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def log_events(log: Path, event: str) -> list[dict[str, object]]:
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    entries = [json.loads(line) for line in lines if line.startswith("{")]
    return [entry for entry in entries if entry.get("event") == event]


def alert_statuses(database: Database) -> list[AlertStatus]:
    with database.session() as session:
        return list(session.scalars(select(Alert.status)))


async def test_the_service_outlives_an_unreachable_bot_api_and_delivers_once_it_answers(
    feed_server: HTTPServer, database: Database, tmp_path: Path
) -> None:
    with database.session() as session:
        add_feed(session, serve_rss(feed_server, "/feed.xml", [QUIET, ON_TOPIC]))
        subscribe(session, CHAT, chat_type="private", title="bot api down")
    telegram = FakeTelegram(port=free_port())  # started only later: nothing listens there yet
    log = tmp_path / "service.log"
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": telegram.base_url,
        "WARWATCH_LOGGING__FORMAT": "json",
    }
    with log.open("wb") as stderr:
        service = start("all", database.url, env=env, stderr=stderr)
    try:
        # Polled and classified while the Bot API is down; the alert waits in the outbox.
        await telegram.wait_for(lambda: counts(database)[1] == 2 or service.poll() is not None, within=90)
        await telegram.wait_for(lambda: len(log_events(log, "bot_api_unreachable")) >= 3, within=30)
        assert service.poll() is None, log.read_text()
        assert alert_statuses(database) == [AlertStatus.PENDING]

        await telegram.start()
        await telegram.wait_for(lambda: telegram.sent(CHAT), within=30)
        assert ON_TOPIC[0] in telegram.sent(CHAT)[0].params["text"]
        await telegram.wait_for(lambda: alert_statuses(database) == [AlertStatus.SENT])
    finally:
        codes = await asyncio.to_thread(stop, service)  # the fake API keeps answering meanwhile
        await telegram.stop()
    assert codes == [0]

    attempts = log_events(log, "bot_api_unreachable")
    assert [entry["attempt"] for entry in attempts] == list(range(1, len(attempts) + 1))
    assert [entry["retry_in"] for entry in attempts[:4]] == [1.0, 2.0, 4.0, 8.0][: len(attempts)]
    assert {entry["error"] for entry in attempts} == {"NetworkError (ConnectError)"}
    assert len(log_events(log, "bot_api_connected")) == 1
    text = log.read_text(encoding="utf-8")
    assert TOKEN not in text and TOKEN.split(":")[1] not in text
    assert "Traceback" not in text
