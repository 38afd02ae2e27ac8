"""Webhook mode: `warwatch run` in a process of its own takes updates Telegram posts to it."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

import httpx

from storage.db import Database
from tests.bot.fake_telegram import TOKEN, FakeTelegram, message_update
from tests.offline import SEED_SOURCES_ENV

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cret-token"
CHAT = 4242


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_mode_registers_its_url_and_answers_posted_updates(
    telegram: FakeTelegram, database: Database, database_url: str
) -> None:
    port = free_port()
    hook = f"http://127.0.0.1:{port}/hook"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": telegram.base_url,
        "WARWATCH_DATABASE__URL": database_url,
        "WARWATCH_TELEGRAM__MODE": "webhook",
        "WARWATCH_TELEGRAM__WEBHOOK_URL": hook,
        "WARWATCH_TELEGRAM__WEBHOOK_PORT": str(port),
        "WARWATCH_TELEGRAM__WEBHOOK_SECRET": SECRET,
        SEED_SOURCES_ENV: "false",
    }
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "warwatch", "run", cwd=ROOT, env=env)
    try:
        await telegram.wait_for(lambda: telegram.calls_to("setWebhook"), within=60)
        [registered] = telegram.calls_to("setWebhook")
        assert registered.params["url"] == hook and registered.params["secret_token"] == SECRET
        update = {"update_id": 1, **message_update("/start", chat_id=CHAT)}
        async with httpx.AsyncClient() as client:
            forged = await client.post(
                hook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            )
            assert forged.status_code == 403
            accepted = await client.post(
                hook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
            )
            assert accepted.status_code == 200
        await telegram.wait_for(lambda: telegram.sent(CHAT), within=20)
        assert "/subscribe" in telegram.sent(CHAT)[0].params["text"]
        assert len(telegram.sent(CHAT)) == 1  # the forged update was never processed
    finally:
        process.terminate()  # SIGTERM by PID: the service shuts down cleanly
        try:
            await asyncio.wait_for(process.wait(), 20)
        except TimeoutError:
            process.kill()
            await process.wait()
    assert process.returncode == 0
