"""A full disk or a read-only database file: one clear error line, the service keeps trying, nothing lost."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner

from storage.db import Database
from storage.feeds import add_feed
from storage.migrate import upgrade
from storage.models import Story
from tests.app.conftest import serve_rss
from warwatch.cli import app
from warwatch.config import Settings
from warwatch.console_service import run_console_service

ITEMS = 40


@pytest.fixture
def feed_url(feed_server: HTTPServer) -> str:
    items = [(f"Story {i} about markets", "Long summary text. " * 80) for i in range(ITEMS)]
    return serve_rss(feed_server, "/feed.xml", items)


def full_disk(database: Database) -> None:
    """From now on the file cannot grow: SQLite answers SQLITE_FULL, as on a full disk."""
    with database.engine.connect() as connection:
        pages = connection.execute(text("PRAGMA page_count")).scalar_one()
    database.engine.dispose()

    @event.listens_for(database.engine, "connect")
    def _cap(dbapi_connection, _record) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")


def stories(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count(Story.id))) or 0


async def test_a_full_disk_is_reported_and_retried_and_loses_nothing(
    tmp_path: Path, feed_url: str, capfd: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'full.db'}"
    settings = Settings(
        database={"url": url}, poller={"allow_private_addresses": True}, service={"cycle_seconds": 0.2}
    )
    database = Database(url)
    upgrade(database)
    with database.session() as session:
        add_feed(session, feed_url)
    full_disk(database)

    with pytest.raises(OperationalError, match="full"):
        await run_console_service(settings, database, once=True)
    service = asyncio.create_task(run_console_service(settings, database, once=False))
    await asyncio.sleep(1.5)
    assert not service.done(), "the service must keep running while the disk is full"
    service.cancel()
    with pytest.raises(asyncio.CancelledError):
        await service
    assert "cycle_failed" in capfd.readouterr().err
    database.dispose()

    relieved = Database(url)  # space again: the feed was never marked polled, so nothing is lost
    await run_console_service(settings, relieved, once=True)
    assert stories(relieved) == ITEMS
    relieved.dispose()


def test_a_read_only_database_gives_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    runner = CliRunner()
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{path}"\n', encoding="utf-8")
    assert runner.invoke(app, ["--config", str(config), "db", "upgrade"]).exit_code == 0
    config.write_text(f'[database]\nurl = "sqlite:///file:{path}?mode=ro&uri=true"\n', encoding="utf-8")
    result = runner.invoke(app, ["--config", str(config), "run", "--once"])
    assert result.exit_code != 0
    assert "readonly database" in result.output and "Traceback" not in result.output
    error_lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1, result.output
