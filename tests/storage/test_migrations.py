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


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'w.db'}")
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    database.dispose()


def test_sqlite_file_folder_is_created(tmp_path) -> None:
    path = tmp_path / "nested" / "dir" / "w.db"
    database = Database(f"sqlite:///{path}")
    upgrade(database)
    assert path.exists()
    database.dispose()
