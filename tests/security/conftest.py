"""Fixtures of the security suite.

The bot is the real application over PTB's HTTP stack against the fake Bot API of ``tests/bot``
(its fixtures are imported here, not copied); on teardown every message it sent is checked to be
valid Telegram HTML within the length limit. Feeds come from loopback HTTP servers; the databases
are the real ones of ``tests/conftest.py`` (a SQLite file, and PostgreSQL when configured).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner, Result

from feeds.fetch import make_client
from feeds.safety import UnsafeURLError, check_feed_url
from storage.db import Database
from storage.migrate import upgrade
from tests.bot.fake_telegram import FakeTelegram, message_update
from tests.bot.harness import USER_ID, BotHarness, bot_settings, start_bot, stop_bot
from tests.conftest import DATABASE_KINDS, POSTGRES_URL, postgres_schema
from tests.security.telegram_html import check_everything_sent
from textkit.language import LanguageDetector
from warwatch.cli import app as cli_app
from warwatch.config import Settings
from warwatch.polling import FeedPoller


@pytest.fixture
async def bot(
    telegram: FakeTelegram,
    database: Database,
    database_url: str,
    delivery_options: dict[str, Any],
) -> AsyncIterator[BotHarness]:
    """The bot of ``tests/bot`` (admin 111, SSRF guard on); everything it sent is checked afterwards."""
    settings = bot_settings(telegram, database_url, **delivery_options)
    application = await start_bot(settings, database, poll_timeout=0.2)  # stopping waits for one poll
    yield BotHarness(telegram, application, database)
    await stop_bot(application)
    check_everything_sent(telegram)


@pytest.fixture(scope="module", params=DATABASE_KINDS)
def module_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A migrated database of each kind kept for a whole module, so Hypothesis examples and long
    lists of hostile inputs share one fixed corpus instead of migrating a database each."""
    with ExitStack() as stack:
        if request.param == "postgresql":
            url = stack.enter_context(postgres_schema(str(POSTGRES_URL)))
        else:
            url = f"sqlite:///{tmp_path_factory.mktemp('module-db') / 'warwatch.db'}"
        database = Database(url)
        stack.callback(database.dispose)
        upgrade(database)
        yield database


async def ask_all(bot: BotHarness, texts: list[str], *, chat_id: int = USER_ID) -> list[str]:
    """Send all texts at once and return one reply each, in order (handlers that block run in turn)."""
    start = len(bot.server.sent(chat_id))
    for message in texts:
        await bot.server.push(message_update(message, chat_id=chat_id))
    await bot.server.wait_for(lambda: len(bot.server.sent(chat_id)) >= start + len(texts))
    await bot.settle()
    replies = [call.params["text"] for call in bot.server.sent(chat_id)[start:]]
    assert len(replies) == len(texts), replies
    return replies


@dataclass(frozen=True)
class NamedServer:
    """An HTTP server reached through a DNS name (not an IP literal, not "localhost") of this machine."""

    name: str
    server: HTTPServer

    def url(self, path: str) -> str:
        return f"http://{self.name}:{self.server.port}{path}"


def _loopback_name() -> tuple[str, str] | None:
    """The machine's own host name and its IPv4 address, if /etc/hosts (or DNS) maps it to loopback."""
    name = socket.gethostname()
    try:
        infos = socket.getaddrinfo(name, 80, type=socket.SOCK_STREAM)
        check_feed_url(f"http://{name}/", allow_private=False)  # not refused by name alone
    except (OSError, UnsafeURLError):
        return None
    addresses = {ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos}
    ipv4 = sorted(str(a) for a in addresses if a.version == 4)
    if not ipv4 or not all(address.is_loopback for address in addresses):
        return None
    return name, ipv4[0]


@pytest.fixture(scope="session")
def _loopback_name_or_none() -> tuple[str, str] | None:
    return _loopback_name()


@pytest.fixture
def loopback_name(_loopback_name_or_none: tuple[str, str] | None) -> str:
    """This machine's host name when it resolves to loopback only (/etc/hosts); skipped elsewhere."""
    if _loopback_name_or_none is None:
        pytest.skip("this machine's host name does not resolve to a loopback address only")
    return _loopback_name_or_none[0]


@pytest.fixture(scope="session")
def _named_server(_loopback_name_or_none: tuple[str, str] | None) -> Iterator[NamedServer | None]:
    if _loopback_name_or_none is None:
        yield None
        return
    name, address = _loopback_name_or_none
    server = HTTPServer(host=address, port=0, threaded=True)
    server.start()
    yield NamedServer(name, server)
    server.stop()


@pytest.fixture
def named_server(_named_server: NamedServer | None) -> Iterator[NamedServer]:
    """A loopback server behind a name that really resolves to loopback; skipped where there is none."""
    if _named_server is None:
        pytest.skip("this machine's host name does not resolve to a loopback address only")
    _named_server.server.clear()
    yield _named_server
    _named_server.server.clear()


async def poll_due_feeds(settings: Settings, database: Database, detector: LanguageDetector) -> None:
    """One poll cycle of the real feed poller (fetch, guard, parse, store), as `warwatch run` does it."""
    with FeedPoller(settings, database, detector=detector) as poller:
        async with make_client(settings.poller) as client:
            await poller.poll_due(client)


def ingest_settings(database_url: str, *, allow_private: bool, **poller: Any) -> Settings:
    return Settings(
        database={"url": database_url},
        poller={"allow_private_addresses": allow_private, "parse_processes": 0, **poller},
    )


def run_cli(tmp_path: Path, database_url: str, *args: str) -> Result:
    """`warwatch --config … ARGS` in-process, against the test database with default (strict) settings."""
    config = tmp_path / "security.toml"
    config.write_text(f'[database]\nurl = "{database_url}"\n', encoding="utf-8")
    return CliRunner().invoke(cli_app, ["--config", str(config), *args])
