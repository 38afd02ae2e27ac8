"""kill -9 of the delivering process between Telegram's receipt and our commit, then a restart."""

from __future__ import annotations

import asyncio
import os
import sys
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from storage.db import Database
from storage.models import Alert
from storage.states import AlertStatus
from storage.subscribers import subscribe
from tests.bot.fake_telegram import TOKEN, FakeTelegram
from tests.bot.harness import flag_story

ROOT = Path(__file__).resolve().parents[2]
A, B = 3001, 3002
TITLES = [f"Recruiters case {i}" for i in range(5)]


@asynccontextmanager
async def bot_process(telegram: FakeTelegram, database_url: str) -> AsyncIterator[asyncio.subprocess.Process]:
    """The bot in a subprocess; stopped by its PID with SIGTERM (or SIGKILL by the test) on exit."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": telegram.base_url,
        "WARWATCH_DATABASE__URL": database_url,
        "WARWATCH_DELIVERY__INTERVAL_SECONDS": "0.1",
        "WARWATCH_DELIVERY__PER_CHAT_INTERVAL_SECONDS": "0.05",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.bot.delivery_process", cwd=ROOT, env=env
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()


def _statuses(database: Database) -> Counter[AlertStatus]:
    with database.session() as session:
        return Counter(row.status for row in session.query(Alert))


def _received(telegram: FakeTelegram, chat_id: int) -> Counter[str]:
    """How many times Telegram received each title for this chat (answered or not)."""
    calls = telegram.calls_to("sendMessage", chat_id)
    return Counter(title for call in calls for title in TITLES if title in call.params["text"])


async def _until(condition: Callable[[], bool], within: float = 20.0) -> None:
    """Poll the database and the fake server, which another process changes (no event to wait on)."""
    deadline = asyncio.get_running_loop().time() + within
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def test_kill_between_send_and_confirm_loses_nothing_and_duplicates_only_that_message(
    telegram: FakeTelegram, database: Database, database_url: str
) -> None:
    with database.session() as session:
        for chat_id in (A, B):
            subscribe(session, chat_id, chat_type="private", title=None)
    for title in TITLES:
        flag_story(database, title)
    telegram.hold(A)  # Telegram receives A's first alert but its answer never reaches the bot

    async with bot_process(telegram, database_url) as first:
        await _until(lambda: telegram.holding.is_set() and _received(telegram, B).total() == len(TITLES))
        await _until(lambda: _statuses(database)[AlertStatus.SENT] == len(TITLES))  # B's are all committed
        first.kill()  # SIGKILL by PID: no shutdown code runs
        await first.wait()
    telegram.release()
    held_title = next(iter(_received(telegram, A)))
    assert _received(telegram, A) == Counter({held_title: 1})
    assert _statuses(database) == Counter({AlertStatus.SENT: 5, AlertStatus.PENDING: 5})

    async with bot_process(telegram, database_url):
        await _until(lambda: _statuses(database) == Counter({AlertStatus.SENT: 10}))

    assert _received(telegram, B) == Counter(dict.fromkeys(TITLES, 1))  # confirmed before the crash: once
    expected_a = Counter(dict.fromkeys(TITLES, 1)) + Counter({held_title: 1})
    assert _received(telegram, A) == expected_a  # only the message in the crash window came twice
