"""No secret reaches a log line, an error message or a traceback: the bot token, the webhook secret,
the password in a database URL."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from pathlib import Path

import pytest
import structlog

from tests.app.processes import ROOT, environment
from tests.bot.fake_telegram import FakeTelegram

REJECTED_TOKEN = "987654321:REJECTED-token_zyxwvutsrqponmlkjihgfedcba"
WEBHOOK_SECRET = "hook-secret-Qx7Zr2"
PASSWORD = "Hunter2-db-pass"


@pytest.mark.parametrize("fmt", ["console", "json"])
async def test_a_rejected_token_appears_in_no_output(
    telegram: FakeTelegram, database_url: str, fmt: str
) -> None:
    env = environment(
        database_url,
        env={
            "TELEGRAM_BOT_TOKEN": REJECTED_TOKEN,
            "TELEGRAM_API_BASE_URL": telegram.base_url,
            "WARWATCH_TELEGRAM__WEBHOOK_SECRET": WEBHOOK_SECRET,
            "WARWATCH_LOGGING__LEVEL": "DEBUG",
            "WARWATCH_LOGGING__FORMAT": fmt,
        },
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "warwatch",
        "run",
        "--once",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), 90)
    finally:
        if process.returncode is None:  # by its PID
            process.kill()
            await process.wait()
    output = (stdout + stderr).decode()
    assert process.returncode == 2, output
    assert REJECTED_TOKEN not in output and REJECTED_TOKEN.split(":")[1] not in output
    assert WEBHOOK_SECRET not in output
    assert "Traceback" not in output
    assert "error: telegram.token was rejected by the Bot API" in output


def test_a_database_password_appears_in_no_error_message(tmp_path: Path) -> None:
    url = f"postgresql://warwatch:{PASSWORD}@127.0.0.1:1/warwatch"  # nothing listens on port 1
    done = subprocess.run(
        [sys.executable, "-m", "warwatch", "status"],
        cwd=ROOT,
        env=environment(url),
        capture_output=True,
        timeout=60,
    )
    output = (done.stdout + done.stderr).decode()
    assert done.returncode == 2 and output.startswith("error: "), output
    assert PASSWORD not in output and "warwatch:***@127.0.0.1" in output
    shown = subprocess.run(
        [sys.executable, "-m", "warwatch", "config", "check"],
        cwd=ROOT,
        env=environment(url),
        capture_output=True,
        timeout=60,
    )
    assert shown.returncode == 0 and PASSWORD not in shown.stdout.decode() + shown.stderr.decode()


def test_every_log_line_and_traceback_is_redacted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from warwatch.config import load_settings, secret_values
    from warwatch.logs import configure_logging, redact

    monkeypatch.chdir(tmp_path)  # no config file: the defaults and the environment
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", REJECTED_TOKEN)
    monkeypatch.setenv("WARWATCH_TELEGRAM__WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setenv("WARWATCH_DATABASE__URL", f"postgresql://u:{PASSWORD}@db.example/w")
    settings = load_settings()
    configure_logging("DEBUG", "console", secrets=secret_values(settings))
    try:
        log = structlog.get_logger("warwatch.test")
        log.info("calling", url=f"https://api.telegram.org/bot{REJECTED_TOKEN}/getMe", secret=WEBHOOK_SECRET)
        logging.getLogger("telegram.ext").warning("token %s rejected", REJECTED_TOKEN)
        try:
            raise RuntimeError(f"connect to postgresql://u:{PASSWORD}@db.example/w failed")
        except RuntimeError:
            log.exception("crashed")
        # a password in a URL is hidden even when the configuration does not know it
        assert redact("postgresql://other:elsewhere-pw@h/db") == "postgresql://other:***@h/db"
    finally:
        configure_logging()
    err = capsys.readouterr().err
    assert "getMe" in err and "Traceback" in err and "rejected" in err
    for secret in (REJECTED_TOKEN, WEBHOOK_SECRET, PASSWORD):
        assert secret not in err
