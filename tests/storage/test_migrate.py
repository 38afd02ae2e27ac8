"""Migrations: an empty database upgrades to the head revision, idempotently, and downgrades back."""

from __future__ import annotations

from sqlalchemy import inspect

from storage.db import Database
from storage.migrate import current_revision, downgrade, head_revision, upgrade

TABLES = {
    "feeds",
    "stories",
    "classifications",
    "keyword_rules",
    "subscribers",
    "alerts",
    "feedback",
    "audit_log",
    "runtime_settings",
}


def test_upgrade_from_empty_creates_every_table(database_url: str) -> None:
    database = Database(database_url)
    assert current_revision(database) is None
    upgrade(database)
    assert current_revision(database) == head_revision()
    assert TABLES <= set(inspect(database.engine).get_table_names())
    database.dispose()


def test_upgrade_is_idempotent_and_downgrade_reverses_it(database_url: str) -> None:
    database = Database(database_url)
    upgrade(database)
    upgrade(database)
    downgrade(database, "base")
    assert current_revision(database) is None
    assert not TABLES & set(inspect(database.engine).get_table_names())
    upgrade(database)
    assert current_revision(database) == head_revision()
    database.dispose()
