"""Bad input a new user gives the real `warwatch` command: one clear line and exit 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_warwatch(
    config: Path, *args: str | bytes, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """`python -m warwatch --config CONFIG ARGS…` in a child process, as a shell would start it."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("WARWATCH_", "TELEGRAM_"))}
    return subprocess.run(
        [sys.executable, "-m", "warwatch", "--config", str(config), *args],
        capture_output=True,
        env={**clean, **(env or {})},
        timeout=120,
    )


def assert_one_error_line(result: subprocess.CompletedProcess[bytes], *expected: str) -> str:
    """Exit 2, no traceback, exactly one ``error:`` line on stderr, containing every ``expected``."""
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2, stderr
    assert "Traceback" not in stderr, stderr
    [line] = [line for line in stderr.splitlines() if line.startswith("error:")]
    for text in expected:
        assert text in line, line
    return line


def sqlite_config(tmp_path: Path, url: str | None = None) -> Path:
    """A config file naming ``url`` (default: a fresh SQLite file in ``tmp_path``)."""
    url = url or f"sqlite:///{tmp_path / 'w.db'}"
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{url}"\n', encoding="utf-8")
    return config


def test_classify_of_bytes_that_are_not_utf8_is_one_line(tmp_path: Path) -> None:
    result = run_warwatch(sqlite_config(tmp_path), "classify", b"\xff\xfe\x80 recruits sent to the front")
    assert_one_error_line(result, "not valid UTF-8")


def test_an_unsupported_database_url_is_one_line_naming_the_supported_ones(tmp_path: Path) -> None:
    config = sqlite_config(tmp_path)
    for command in (["db", "upgrade"], ["feeds", "list"]):
        result = run_warwatch(config, *command, env={"WARWATCH_DATABASE__URL": "mysql://me:hunter2@db/news"})
        line = assert_one_error_line(
            result, "'mysql' databases are not supported", "sqlite:///", "postgresql://"
        )
        assert "hunter2" not in line
    result = run_warwatch(
        config, "db", "upgrade", env={"WARWATCH_DATABASE__URL": "postgresql+asyncpg://db/x"}
    )
    assert_one_error_line(result, "No module named 'asyncpg'")
    result = run_warwatch(config, "status", env={"WARWATCH_DATABASE__URL": "news.db"})
    assert_one_error_line(result, "not a database URL")


def test_an_in_memory_sqlite_database_is_refused_for_the_cli_and_the_service(tmp_path: Path) -> None:
    """It would say "added feed 1" and keep nothing."""
    for url in ("sqlite://", "sqlite:///:memory:", "sqlite:///file:news?mode=memory&uri=true"):
        config = sqlite_config(tmp_path, url)
        for command in (["feeds", "add", "https://news.example/rss"], ["run", "--once"]):
            result = run_warwatch(config, *command)
            assert_one_error_line(result, "in-memory SQLite database keeps nothing", "sqlite:///warwatch.db")
            assert b"added feed" not in result.stdout


def test_malformed_json_in_a_list_setting_from_the_environment_names_the_variable(tmp_path: Path) -> None:
    config = sqlite_config(tmp_path)
    for name in ("WARWATCH_CLASSIFIER__KEYWORDS", "WARWATCH_CLASSIFIER__TOPIC_LABELS"):
        result = run_warwatch(config, "config", "check", env={name: '["unclosed'})
        assert_one_error_line(result, f"{name} is not valid JSON")


def assert_usage_error(result: subprocess.CompletedProcess[bytes], *expected: str) -> None:
    """Typer's own usage message (usage line, a hint to --help, the problem), exit 2, no traceback."""
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2, stderr
    assert "Traceback" not in stderr and stderr.startswith("Usage:") and "-h' for help." in stderr, stderr
    flat = " ".join(stderr.replace("│", " ").split())
    for text in expected:
        assert text in flat, stderr


def test_feeds_remove_with_a_30_digit_id_is_a_usage_error(tmp_path: Path) -> None:
    config = sqlite_config(tmp_path)
    result = run_warwatch(config, "feeds", "remove", "123456789012345678901234567890")
    assert_usage_error(result, "Invalid value for 'feed_id'", "less than or equal to 9223372036854775807")
    result = run_warwatch(config, "feeds", "remove", "9223372036854775807")
    assert result.returncode == 1 and b"no feed with id 9223372036854775807" in result.stderr


def test_db_vacuum_with_a_huge_number_of_days_is_one_line(tmp_path: Path) -> None:
    config = sqlite_config(tmp_path)
    for days in ("1000000", "999999999999999999999999"):
        result = run_warwatch(config, "db", "vacuum", "--days", days)
        assert_one_error_line(result, f"--days {days}", "less than or equal to 36500")
    result = run_warwatch(config, "db", "vacuum", env={"WARWATCH_RETENTION__STORY_DAYS": "1000000"})
    assert_one_error_line(result, "retention.story_days", "less than or equal to 36500")


def test_config_reference_update_of_a_file_without_markers_or_no_file_changes_nothing(tmp_path: Path) -> None:
    config = sqlite_config(tmp_path)
    plain = tmp_path / "NOTES.md"
    plain.write_text("# notes\n", encoding="utf-8")
    result = run_warwatch(config, "config", "reference", "--update", str(plain))
    assert_one_error_line(
        result, str(plain), "<!-- config-reference:start -->", "<!-- config-reference:end -->"
    )
    assert plain.read_text(encoding="utf-8") == "# notes\n"
    result = run_warwatch(config, "config", "reference", "--update", str(tmp_path / "missing.md"))
    assert_usage_error(result, "Invalid value for '--update'", "does not exist")
    assert not (tmp_path / "missing.md").exists()
