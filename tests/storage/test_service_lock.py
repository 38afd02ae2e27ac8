"""The service lock itself, in one process: who holds it is told, and PostgreSQL's is taken again
after its connection drops (tests/app/test_service_lock.py runs the real processes)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import Database
from storage.service_lock import (
    AdvisoryServiceLock,
    LockState,
    ServiceRunningError,
    acquire_service_lock,
    sqlite_file,
)


def test_a_second_lock_on_one_database_names_the_holder(database: Database) -> None:
    first = acquire_service_lock(database)
    assert first is not None
    try:
        with pytest.raises(ServiceRunningError, match=rf"pid {os.getpid()} on host "):
            acquire_service_lock(database)
        assert first.check() is LockState.HELD
    finally:
        first.release()
    second = acquire_service_lock(database)
    assert second is not None
    second.release()


def test_in_memory_sqlite_needs_no_lock(tmp_path: Path) -> None:
    assert acquire_service_lock(Database("sqlite://")) is None
    assert sqlite_file("sqlite:///:memory:") is None
    assert sqlite_file(f"sqlite:///file:{tmp_path}/w.db?mode=rw&uri=true") == tmp_path / "w.db"


def _drop_lock_connections(database: Database) -> None:
    """What a PostgreSQL restart does to the lock's session."""
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name LIKE :tag AND pid <> pg_backend_pid()"
            ),
            {"tag": f"warwatch pid={os.getpid()} %"},
        )


def test_a_postgresql_lock_lost_with_its_connection_is_taken_again(postgres_schema_url: str) -> None:
    database = Database(postgres_schema_url)
    lock = AdvisoryServiceLock(database)
    try:
        _drop_lock_connections(database)
        assert lock.check() is LockState.HELD  # reconnected and locked again
        with pytest.raises(ServiceRunningError):
            AdvisoryServiceLock(database)
    finally:
        lock.release()
        database.dispose()


def test_a_postgresql_lock_another_service_took_meanwhile_stops_this_one(postgres_schema_url: str) -> None:
    database = Database(postgres_schema_url)
    lock = AdvisoryServiceLock(database)
    try:
        _drop_lock_connections(database)
        usurper = AdvisoryServiceLock(database)
        try:
            with pytest.raises(ServiceRunningError):
                lock.check()
        finally:
            usurper.release()
    finally:
        lock.release()
        database.dispose()
