from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storage.migrate import head_revision
from warwatch.cli import app

OPML = """<?xml version="1.0"?>
<opml version="2.0"><head><title>t</title></head><body>
  <outline text="News"><outline type="rss" text="Feed &amp; One" xmlUrl="https://one.example/rss"/></outline>
  <outline type="rss" text="Two" xmlUrl="https://two.example/atom"/>
  <outline type="rss" text="Local" xmlUrl="http://127.0.0.1/private"/>
  <outline type="rss" text="Bad" xmlUrl="javascript:alert(1)"/>
  <outline type="rss" text="Two again" xmlUrl="https://two.example:443/atom"/>
</body></opml>"""


def test_help_is_instant_and_imports_no_model() -> None:
    code = (
        "import sys, time; t=time.perf_counter(); from warwatch.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "assert 'torch' not in sys.modules and 'transformers' not in sys.modules, 'heavy import'\n"
        "assert 'sqlalchemy' not in sys.modules, 'storage imported for --help'\n"
        "print(time.perf_counter()-t, file=sys.stderr)"
    )
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert elapsed < 1.5, f"warwatch --help took {elapsed:.2f}s"


def test_db_upgrade(cli) -> None:
    head = head_revision()
    assert head is not None and f"database at revision {head}" in cli("db", "upgrade").output


def test_feeds_add_list_remove_export(cli) -> None:
    assert "added feed 1" in cli("feeds", "add", "https://news.example/rss", "--name", "News").output
    cli("feeds", "add", "https://news.example/rss", code=2)
    cli("feeds", "add", "ftp://news.example/rss", code=2)
    refused = cli("feeds", "add", "http://127.0.0.1:9/rss", code=2)  # private address refused by default
    assert "poller.allow_private_addresses = true allows it" in refused.output
    rows = json.loads(cli("feeds", "list", "--json").output)
    assert [(row["id"], row["url"], row["status"]) for row in rows] == [(1, "https://news.example/rss", "ok")]
    assert "https://news.example/rss" in cli("feeds", "list").output
    exported = cli("feeds", "export").output
    assert 'xmlUrl="https://news.example/rss"' in exported
    assert "removed feed 1" in cli("feeds", "remove", "1").output
    cli("feeds", "remove", "1", code=1)


def test_feeds_import_reports_and_skips_bad_entries(cli, tmp_path: Path) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_text(OPML, encoding="utf-8")
    result = cli("feeds", "import", str(opml))
    assert "imported 2 feeds (0 already present, 3 skipped)" in result.output  # local, javascript:, twice
    assert "https://two.example/atom: listed twice" in result.output
    urls = [row["url"] for row in json.loads(cli("feeds", "list", "--json").output)]
    assert urls == ["https://one.example/rss", "https://two.example/atom"]
    assert "imported 0 feeds (2 already present" in cli("feeds", "import", str(opml)).output  # idempotent


@pytest.mark.parametrize("content", [b"", b"garbage \x00\xff binary", b"<html><body>a page</body></html>"])
def test_feeds_import_of_a_file_that_is_not_opml_says_so(cli, tmp_path: Path, content: bytes) -> None:
    bogus = tmp_path / "feeds.opml"
    bogus.write_bytes(content)
    result = cli("feeds", "import", str(bogus), code=2)
    assert "is not an OPML file" in result.output and "Traceback" not in result.output
    refused = cli("feeds", "list", code=2).output  # nothing was written: no SQLite file, an empty schema
    assert "no database" in refused or "has schema none" in refused, refused


def test_feeds_import_honours_the_private_address_switch(tmp_path: Path, database_url: str) -> None:
    """For local use and tests, `poller.allow_private_addresses` admits loopback feeds from OPML too."""
    config = tmp_path / "local.toml"
    config.write_text(
        f'[database]\nurl = "{database_url}"\n[poller]\nallow_private_addresses = true\n', encoding="utf-8"
    )
    opml = tmp_path / "feeds.opml"
    opml.write_text(OPML, encoding="utf-8")
    result = CliRunner().invoke(app, ["--config", str(config), "feeds", "import", str(opml)])
    assert result.exit_code == 0, result.output
    assert "imported 3 feeds" in result.output


def test_keywords_add_list_remove(cli) -> None:
    cli("keywords", "add", "foreign legion", "--weight", "2", "--lang", "en")
    cli("keywords", "add", "recruit*", "--near", "russia|army", "--window", "6")
    cli("keywords", "add", "football", "--exclude")
    cli("keywords", "add", "x" * 500, code=2)
    rules = {rule["term"]: rule for rule in json.loads(cli("keywords", "list", "--json").output)}
    assert rules["foreign legion"]["weight"] == 2 and rules["foreign legion"]["lang"] == "en"
    assert rules["recruit*"]["near"] == "russia|army" and rules["recruit*"]["window"] == 6
    assert rules["football"]["exclude"] is True
    assert "removed 1 rule" in cli("keywords", "remove", "football").output
    cli("keywords", "remove", "football", code=1)


def test_search_empty_and_hostile_queries(cli) -> None:
    cli("db", "upgrade")
    assert "no stories match" in cli("search", "mercenaries").output
    assert json.loads(cli("search", '"; DROP TABLE stories; --', "--json").output) == []
    cli("search", "x", "--limit", "0", code=2)


def test_unknown_command_is_a_clear_error(cli) -> None:
    result = cli("frobnicate", code=2)
    assert "No such command" in result.output


def test_unusable_database_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{blocker}/sub/db.sqlite"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WARWATCH_", "TELEGRAM_"))}
    result = subprocess.run(
        [sys.executable, "-m", "warwatch", "--config", str(config), "db", "upgrade"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "error:" in result.stderr


def test_the_command_line_audits_changes_in_the_bots_vocabulary(cli, database_url: str) -> None:
    from storage.audit import recent_audit
    from storage.db import Database

    cli("feeds", "add", "https://news.example/rss")
    cli("keywords", "add", "mercenar*", "--weight", "2")
    cli("keywords", "remove", "mercenar*")
    cli("feeds", "remove", "1")
    database = Database(database_url)
    with database.session() as session:
        entries = list(reversed(recent_audit(session)))
    database.dispose()
    assert [(entry.actor, entry.action) for entry in entries] == [
        ("cli", "feed.add"),
        ("cli", "keyword.add"),
        ("cli", "keyword.remove"),
        ("cli", "feed.remove"),
    ]
