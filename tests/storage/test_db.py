"""The database connection: SQLite in WAL mode with foreign keys enforced and its folder created, and a
read-only reader that reads what is there and refuses every write, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import InternalError, OperationalError, ProgrammingError

from storage.db import Database
from storage.migrate import upgrade
from storage.models import Classification, RuntimeSetting, Story
from storage.stories import insert_stories
from storage.verdicts import record_verdicts
from tests.storage.factories import Entry, FakeVerdict


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'w.db'}")
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    database.dispose()


def test_sqlite_file_folder_is_created(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "w.db"
    database = Database(f"sqlite:///{path}")
    upgrade(database)
    assert path.exists()
    database.dispose()


def test_deleting_a_story_deletes_its_classifications(database: Database) -> None:
    with database.session() as session:
        [story] = insert_stories(session, None, [Entry("Cascade")])
        record_verdicts(session, [(story.id, FakeVerdict(0.1, alert=False))])
    with database.session() as session:
        session.delete(session.get(Story, story.id))
    with database.session() as session:
        assert session.scalars(select(Classification)).all() == []


def test_reader_reads_and_refuses_writes(database_url: str) -> None:
    writer = Database(database_url)
    upgrade(writer)
    with writer.session() as session:
        session.add(RuntimeSetting(key="probe", value="1"))
    writer.dispose()
    reader = Database(database_url, read_only=True)
    try:
        with reader.session() as session:
            assert session.get(RuntimeSetting, "probe").value == "1"
        with pytest.raises((OperationalError, InternalError, ProgrammingError)), reader.session() as session:
            session.execute(text("DELETE FROM runtime_settings"))
    finally:
        reader.dispose()
