from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from warwatch.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_config_file_is_valid_and_matches_the_defaults() -> None:
    from warwatch.config import Settings

    shipped = load_settings(ROOT / "config.toml")
    assert shipped.database.url == "sqlite:///warwatch.db"
    assert shipped.model_dump() == Settings().model_dump()


def test_file_values_then_environment_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(
        tmp_path, '[database]\nurl = "sqlite:///from-file.db"\n[poller]\ndefault_interval_seconds = 900\n'
    )
    assert load_settings(path).poller.default_interval_seconds == 900
    monkeypatch.setenv("WARWATCH_DATABASE__URL", "sqlite:///from-env.db")
    monkeypatch.setenv("WARWATCH_LOGGING__LEVEL", "DEBUG")
    settings = load_settings(path)
    assert settings.database.url == "sqlite:///from-env.db"
    assert settings.logging.level == "DEBUG"
    assert settings.poller.default_interval_seconds == 900  # untouched keys keep the file's value


def test_config_file_from_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, '[logging]\nformat = "json"\n')
    monkeypatch.setenv("WARWATCH_CONFIG", str(path))
    assert load_settings().logging.format == "json"


def test_conventional_telegram_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot")
    monkeypatch.setenv("WARWATCH_ADMINS", "111, 222")
    settings = load_settings(ROOT / "config.toml")
    assert settings.telegram.token is not None and settings.telegram.token.get_secret_value() == "123:abc"
    assert str(settings.telegram.api_base_url) == "http://127.0.0.1:8081/bot"
    assert settings.telegram.admins == [111, 222]
    assert "123:abc" not in settings.model_dump_json()  # the token never shows up in dumps or logs


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("[poller]\nmin_interval_seconds = -5\n", {}, "poller.min_interval_seconds"),
        ("[poller]\nintervall = 5\n", {}, "poller.intervall: unknown key"),
        ("[nonsense]\nx = 1\n", {}, "nonsense: unknown key"),
        ("[telegram]\napi_base_url = 'not a url'\n", {}, "telegram.api_base_url"),
        ("[logging]\nlevel = 'LOUD'\n", {}, "logging.level"),
        ("", {"WARWATCH_ADMINS": "12,abc"}, "telegram.admins"),
        ("", {"WARWATCH_SERVICE__CYCLE_SECONDS": "0"}, "service.cycle_seconds"),
        ("[database\nurl=", {}, "not valid TOML"),
    ],
)
def test_bad_values_name_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, env: dict[str, str], expected: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=expected.replace(".", r"\.")):
        load_settings(write(tmp_path, text))


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "absent.toml")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ConfigError, match=r"cannot read|not valid TOML"):
        load_settings(binary)


def test_cli_reports_a_bad_config_in_one_clear_message(tmp_path: Path) -> None:
    path = write(tmp_path, "[poller]\nmax_redirects = -1\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WARWATCH_", "TELEGRAM_"))}
    result = subprocess.run(
        [sys.executable, "-m", "warwatch", "--config", str(path), "feeds", "list"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert "poller.max_redirects" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_setting_is_documented_in_the_readme() -> None:
    from warwatch.reference import setting_keys, settings_reference

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [key for key, _ in setting_keys() if f"`{key}`" not in readme]
    assert missing == []
    assert settings_reference() in readme, "README is stale: paste `warwatch config reference` into it"
