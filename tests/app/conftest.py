"""The `warwatch` command run in-process against a fresh database of each kind."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
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


def serve_rss(server: HTTPServer, path: str, items: Sequence[tuple[str, str]]) -> str:
    """Serve an RSS feed of (title, summary) items published an hour ago; returns its URL."""
    published = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)
    body = "".join(
        f"<item><title>{title}</title><link>https://news.example{path}/{i}</link>"
        f"<description>{summary}</description><pubDate>{published}</pubDate></item>"
        for i, (title, summary) in enumerate(items)
    )
    server.expect_request(path).respond_with_data(
        f"<rss version='2.0'><channel><title>News</title>{body}</channel></rss>",
        content_type="application/rss+xml",
    )
    return server.url_for(path)
