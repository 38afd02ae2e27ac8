"""One delivering service per database: a second `warwatch run` refuses to start, naming the first,
and the lock goes with the process that held it, even after kill -9."""

from __future__ import annotations

import signal
import subprocess

import pytest
from sqlalchemy import select

from storage.db import Database
from storage.migrate import upgrade
from storage.models import Subscriber
from storage.subscribers import CONSOLE_CHAT_ID, set_console_subscriber
from tests.app.processes import ROOT, environment, run_command, start, stop, until


def _serving(database: Database) -> bool:
    """The service switches the console pseudo-chat on once it holds the lock and starts serving."""
    with database.session() as session:
        return bool(session.scalar(select(Subscriber.active).where(Subscriber.chat_id == CONSOLE_CHAT_ID)))


def _start_serving(database: Database, role: str = "all") -> subprocess.Popen[bytes]:
    with database.session() as session:
        set_console_subscriber(session, active=False)
    process = start(role, database.url)
    until(lambda: _serving(database) or process.poll() is not None, within=90)
    assert process.poll() is None, "the service exited instead of serving"
    return process


def _refused_line(database: Database, role: str = "all") -> str:
    """Start a second service; it must exit at once, non-zero, with one line on stderr."""
    try:
        second = subprocess.run(
            run_command(role), cwd=ROOT, env=environment(database.url), capture_output=True, timeout=45
        )
    except subprocess.TimeoutExpired:  # subprocess.run has killed it (by its PID)
        pytest.fail("a second service started alongside the first")
    lines = second.stderr.decode().strip().splitlines()
    assert second.returncode != 0, lines
    assert len(lines) == 1, lines
    return lines[0]


def test_a_second_service_on_the_same_database_refuses_to_start_naming_the_first(database: Database) -> None:
    first = _start_serving(database)
    try:
        line = _refused_line(database)
        assert line.startswith("error: another `warwatch run`") and f"pid {first.pid}" in line
        assert first.poll() is None  # the first one serves on
    finally:
        assert stop(first) == [0]


def test_the_lock_goes_with_a_service_killed_by_sigkill(database: Database) -> None:
    first = _start_serving(database)
    first.send_signal(signal.SIGKILL)  # by PID: no clean-up code runs
    first.wait(timeout=30)
    successor = _start_serving(database)
    try:
        assert f"pid {successor.pid}" in _refused_line(database)  # the successor holds the lock now
    finally:
        assert stop(successor) == [0]


def test_on_postgresql_the_bot_role_and_the_single_process_service_exclude_each_other(
    postgres_schema_url: str,
) -> None:
    database = Database(postgres_schema_url)
    upgrade(database)
    try:
        first = _start_serving(database, role="all")
        try:
            assert f"pid {first.pid}" in _refused_line(database, role="bot")
        finally:
            assert stop(first) == [0]
        bot = _start_serving(database, role="bot")
        try:
            assert f"pid {bot.pid}" in _refused_line(database, role="all")
        finally:
            assert stop(bot) == [0]
    finally:
        database.dispose()
