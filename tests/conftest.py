"""Shared fixtures: real databases (a SQLite file, and PostgreSQL when WARWATCH_TEST_DATABASE_URL is set)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage.db import Database, normalise_database_url
from storage.migrate import upgrade
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.harness import BotHarness, bot_settings, start_bot, stop_bot
from tests.offline import SEED_SOURCES_ENV
from textkit.language import LanguageDetector

POSTGRES_URL = os.environ.get("WARWATCH_TEST_DATABASE_URL")
DATABASE_KINDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read the developer's own Telegram token, admins or config file, and never seed
    the source catalogue (it would poll real outlets); the seeding tests turn it back on."""
    for name in list(os.environ):
        if name.startswith(("WARWATCH_", "TELEGRAM_")) and name != "WARWATCH_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv(SEED_SOURCES_ENV, "false")


@contextmanager
def postgres_schema(server_url: str) -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped on the way out."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_database_url(server_url))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(normalise_database_url(server_url)).update_query_dict(
        {"options": f"-csearch_path={schema}"}
    )
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:  # a leaked transaction fails the test instead of hanging it
            connection.execute(text("SET LOCAL lock_timeout = '10s'"))
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped after the test."""
    if not POSTGRES_URL:
        pytest.skip("WARWATCH_TEST_DATABASE_URL is not set")
    with postgres_schema(POSTGRES_URL) as url:
        yield url


@pytest.fixture(params=DATABASE_KINDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to an empty database of each kind under test."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_schema_url")
    return f"sqlite:///{tmp_path / 'warwatch.db'}"


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """A migrated, empty database."""
    db = Database(database_url)
    upgrade(db)
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def _loopback_server() -> Iterator[HTTPServer]:
    """One threaded HTTP server on 127.0.0.1 for the session (stopping a server costs half a second;
    a slow handler must not block the others)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def feed_server(_loopback_server: HTTPServer) -> Iterator[HTTPServer]:
    """The loopback server with this test's handlers only: feeds, article pages, redirects."""
    _loopback_server.clear()
    yield _loopback_server
    _loopback_server.clear()


@pytest.fixture(scope="session")
def detector() -> LanguageDetector:
    """The language model loads once for the whole run."""
    return LanguageDetector()


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    """A fake Bot API on 127.0.0.1 that PTB's own HTTP stack talks to."""
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def delivery_options() -> dict[str, Any]:
    """Override in a test module to change the delivery settings of the ``bot`` fixture."""
    return {}


@pytest.fixture
async def bot(
    telegram: FakeTelegram, database: Database, database_url: str, delivery_options: dict[str, Any]
) -> AsyncIterator[BotHarness]:
    """The real bot application, polling the fake Bot API."""
    app = await start_bot(bot_settings(telegram, database_url, **delivery_options), database)
    yield BotHarness(telegram, app, database)
    await stop_bot(app)
