"""A 429 on a command's reply is waited out (within a bound) and the reply arrives; beyond the bound the
reply is dropped with one log line. Delivery's sends are never retried inline: the outbox requeues."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from storage.models import Alert
from storage.subscribers import subscribe
from tests.bot.fake_telegram import FailureKind, message_update
from tests.bot.harness import USER_ID, BotHarness, flag_story
from warwatch.logs import configure_logging

APOLOGY = "Sorry, something went wrong"


async def test_a_search_reply_told_to_wait_arrives_after_retry_after(bot: BotHarness) -> None:
    flag_story(bot.database, "Recruiters story", summary="wagner recruits")
    bot.server.fail("sendMessage", FailureKind.RETRY_AFTER, retry_after=1, times=1)
    [reply] = await bot.ask("/search wagner recruits")
    assert "Results 1–1 for <b>wagner recruits</b>" in reply and APOLOGY not in reply
    refused, sent = bot.server.calls_to("sendMessage", USER_ID)
    assert refused.status == 429 and sent.status == 200
    assert sent.at - refused.at >= 0.95  # waited as told
    await bot.settle()
    assert not any(APOLOGY in call.params["text"] for call in bot.server.sent(USER_ID))


async def test_a_reply_told_to_wait_beyond_the_bound_is_dropped_with_one_log_line(
    bot: BotHarness, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(fmt="json")
    try:
        bot.server.fail("sendMessage", FailureKind.RETRY_AFTER, retry_after=45, times=-1)
        await bot.server.push(message_update("/search wagner", chat_id=USER_ID))
        await bot.server.wait_for(lambda: bot.server.calls_to("sendMessage", USER_ID))
        await bot.settle()
        await asyncio.sleep(0.3)
    finally:
        configure_logging()
    assert len(bot.server.calls_to("sendMessage", USER_ID)) == 1  # no wait, no retry, no apology
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    [dropped] = [line for line in lines if line["event"] == "reply_dropped"]
    assert dropped["chat_id"] == USER_ID and dropped["retry_after"] == 45.0
    assert "Retry in 45 seconds" in str(dropped["error"])
    assert not [line for line in lines if line["level"] == "error" or "exception" in line]


async def test_delivery_hands_a_429_back_to_the_outbox_instead_of_waiting_inline(bot: BotHarness) -> None:
    with bot.database.session() as session:
        subscribe(session, USER_ID, chat_type="private", title="flood")
    bot.server.fail("sendMessage", FailureKind.RETRY_AFTER, chat_id=USER_ID, retry_after=2, times=1)
    flag_story(bot.database, "Recruiters story")
    await bot.server.wait_for(lambda: bot.server.calls_to("sendMessage", USER_ID))
    refused_at = datetime.now(UTC)

    def postponed() -> bool:
        with bot.database.session() as session:
            [due] = session.scalars(select(Alert.next_attempt_at))
        return due is not None and due.replace(tzinfo=UTC) > refused_at + timedelta(seconds=1)

    # The limiter raised at once and delivery postponed the chat in the outbox (an inline retry
    # would sleep in the limiter and leave the row untouched until the resend).
    await bot.server.wait_for(postponed, within=1)
    await bot.server.wait_for(lambda: bot.server.sent(USER_ID), within=10)
