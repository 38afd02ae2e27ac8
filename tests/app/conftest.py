"""The `warwatch` command run in-process against a fresh database of each kind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from warwatch.cli import app

Invoke = Callable[..., Any]


@pytest.fixture
def make_cli(tmp_path: Path, database_url: str) -> Callable[[str], Invoke]:
    """``make_cli(extra_toml)`` → ``invoke(*args, code=0)``: runs `warwatch` with that configuration."""

    def make(extra_toml: str = "") -> Invoke:
        config = tmp_path / "config.toml"
        config.write_text(f'[database]\nurl = "{database_url}"\n{extra_toml}', encoding="utf-8")
        runner = CliRunner()

        def invoke(*args: str, code: int = 0) -> Any:
            result = runner.invoke(app, ["--config", str(config), *args])
            assert result.exit_code == code, result.output
            return result

        return invoke

    return make


@pytest.fixture
def cli(make_cli: Callable[[str], Invoke]) -> Invoke:
    return make_cli("")
