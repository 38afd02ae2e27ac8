"""A read-only Database reads what is there and refuses every write, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import InternalError, OperationalError, ProgrammingError

from storage.db import Database
from storage.migrate import upgrade
from storage.models import RuntimeSetting


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
