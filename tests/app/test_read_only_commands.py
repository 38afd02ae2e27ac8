"""Commands that only look (status, search, feeds list/export) open the database read-only."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from storage.db import Database
from storage.migrate import upgrade

LOOKING_COMMANDS = [("status",), ("search", "mercenaries"), ("feeds", "list"), ("feeds", "export")]


def _cli_for(tmp_path: Path, url: str) -> Callable[..., Any]:
    config = tmp_path / "looking.toml"
    config.write_text(f'[database]\nurl = "{url}"\n', encoding="utf-8")
    from typer.testing import CliRunner

    from warwatch.cli import app

    def invoke(*args: str, code: int = 0) -> Any:
        result = CliRunner().invoke(app, ["--config", str(config), *args])
        assert result.exit_code == code, result.output
        return result

    return invoke


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", LOOKING_COMMANDS)
def test_looking_at_a_missing_database_creates_nothing(tmp_path: Path, command: tuple[str, ...]) -> None:
    path = tmp_path / "not-yet" / "warwatch.db"
    result = _cli_for(tmp_path, f"sqlite:///{path}")(*command, code=2)
    assert f"no database at {path}" in result.output
    assert "Traceback" not in result.output
    assert not path.parent.exists()


def test_looking_at_a_backup_leaves_it_byte_for_byte(tmp_path: Path) -> None:
    live = Database(f"sqlite:///{tmp_path / 'live.db'}")
    upgrade(live)
    live.dispose()
    backup = tmp_path / "backup.db"
    with sqlite3.connect(tmp_path / "live.db") as source, sqlite3.connect(backup) as target:
        source.backup(target)
    before = _digest(backup)
    cli = _cli_for(tmp_path, f"sqlite:///{backup}")
    for command in LOOKING_COMMANDS:
        cli(*command)
    assert _digest(backup) == before
    keywords = sqlite3.connect(backup).execute("SELECT count(*) FROM keyword_rules").fetchone()
    assert keywords == (0,)  # nothing seeded into the backup


def test_looking_at_an_old_schema_says_to_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(f"sqlite:///{path}")
    upgrade(old, "0002")
    old.dispose()
    result = _cli_for(tmp_path, f"sqlite:///{path}")("status", code=2)
    assert "run `warwatch db upgrade`" in result.output


def test_a_writing_command_says_it_created_the_database_folder(tmp_path: Path) -> None:
    path = tmp_path / "new-folder" / "warwatch.db"
    result = _cli_for(tmp_path, f"sqlite:///{path}")("feeds", "add", "https://news.example/rss")
    assert path.is_file()
    assert f"database_directory_created path={path.parent}" in result.output
