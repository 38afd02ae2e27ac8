"""Delivery against the fake Bot API: 429, 403, migration, retries, bad requests, pacing, digests."""

from __future__ import annotations

import asyncio
import itertools
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import pytest

from bot.render import utf16_len
from storage.db import Database
from storage.models import Alert
from storage.states import AlertStatus, DeliveryMode
from storage.subscribers import get_subscriber, set_console_subscriber, subscribe, update_preferences
from tests.bot.fake_telegram import FailureKind
from tests.bot.harness import BotHarness, flag_story

A, B = 1001, 1002


def _subscribe(database: Database, *chat_ids: int) -> None:
    with database.session() as session:
        for chat_id in chat_ids:
            subscribe(session, chat_id, chat_type="private" if chat_id > 0 else "group", title=None)


def _alerts(database: Database) -> list[tuple[int, AlertStatus, int]]:
    with database.session() as session:
        rows = session.query(Alert).order_by(Alert.id)
        return [(row.subscriber_id, row.status, row.attempts) for row in rows]


def _texts(bot: BotHarness, chat_id: int) -> list[str]:
    return [call.params["text"] for call in bot.server.sent(chat_id)]


def _delivered(bot: BotHarness, chat_id: int, title: str) -> int:
    return sum(title in text for text in _texts(bot, chat_id))


async def test_a_429_for_one_chat_delays_only_that_chat_and_loses_nothing(bot: BotHarness) -> None:
    _subscribe(bot.database, A, B)
    bot.server.fail("sendMessage", FailureKind.RETRY_AFTER, chat_id=A, times=1, retry_after=2)
    for title in ("Recruiters one", "Recruiters two", "Recruiters three"):
        flag_story(bot.database, title)
    await bot.server.wait_for(lambda: len(bot.server.sent(B)) == 3, within=5)
    b_done = bot.server.sent(B)[-1].at
    refused = bot.server.calls_to("sendMessage", A)[0]
    assert refused.status == 429
    assert b_done - refused.at < 1.5  # B did not wait for A's retry_after
    await bot.server.wait_for(lambda: len(bot.server.sent(A)) == 3, within=10)
    first_retry = bot.server.sent(A)[0].at
    assert first_retry - refused.at >= 1.9  # A waited as told
    for title in ("Recruiters one", "Recruiters two", "Recruiters three"):
        assert _delivered(bot, A, title) == 1 and _delivered(bot, B, title) == 1
    # Telegram answers before the row is marked sent (never the other way round): wait for the mark.
    await bot.server.wait_for(lambda: all(s is AlertStatus.SENT for _, s, _ in _alerts(bot.database)))
    assert all(attempts == 1 for _, _, attempts in _alerts(bot.database))  # a 429 spends no attempt


async def test_a_blocked_chat_is_deactivated_and_its_alerts_closed(bot: BotHarness) -> None:
    _subscribe(bot.database, A, B)
    bot.server.fail("sendMessage", FailureKind.FORBIDDEN, chat_id=A, times=-1)
    flag_story(bot.database, "Recruiters one")
    flag_story(bot.database, "Recruiters two")
    await bot.server.wait_for(lambda: len(bot.server.sent(B)) == 2)
    await bot.server.wait_for(lambda: all(s is not AlertStatus.PENDING for _, s, _ in _alerts(bot.database)))
    with bot.database.session() as session:
        blocked = get_subscriber(session, A)
        assert blocked is not None and not blocked.active
    statuses = {(sub, status) for sub, status, _ in _alerts(bot.database)}
    assert (blocked.id, AlertStatus.FAILED) in statuses
    assert len(bot.server.calls_to("sendMessage", A)) == 1  # the second alert was closed, not tried


async def test_a_migrated_group_is_followed_and_the_alert_resent(bot: BotHarness) -> None:
    group, supergroup = -777, -1000000000777
    _subscribe(bot.database, group)
    bot.server.fail("sendMessage", FailureKind.MIGRATE, chat_id=group, migrate_to=supergroup)
    flag_story(bot.database, "Mercenaries recruited")
    await bot.server.wait_for(lambda: len(bot.server.sent(supergroup)) == 1)
    with bot.database.session() as session:
        moved = get_subscriber(session, supergroup)
        assert moved is not None and moved.active and get_subscriber(session, group) is None
    await bot.server.wait_for(lambda: _alerts(bot.database)[0][1] is AlertStatus.SENT)


@pytest.fixture
def delivery_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    return getattr(request, "param", {})


@pytest.mark.parametrize("delivery_options", [{"max_attempts": 3, "retry_base_seconds": 0.1}], indirect=True)
async def test_network_errors_are_retried_with_backoff_then_given_up(bot: BotHarness) -> None:
    _subscribe(bot.database, A, B)
    bot.server.fail("sendMessage", FailureKind.BAD_GATEWAY, chat_id=A, times=2)
    bot.server.fail("sendMessage", FailureKind.BAD_GATEWAY, chat_id=B, times=-1)
    flag_story(bot.database, "Recruiters one")
    await bot.server.wait_for(lambda: len(bot.server.sent(A)) == 1, within=5)
    await bot.server.wait_for(lambda: all(s is not AlertStatus.PENDING for _, s, _ in _alerts(bot.database)))
    a_calls = bot.server.calls_to("sendMessage", A)
    assert [c.status for c in a_calls] == [502, 502, 200]
    assert a_calls[2].at - a_calls[1].at >= 0.19  # the second retry waited twice as long as the first
    by_chat = {sub: (status, attempts) for sub, status, attempts in _alerts(bot.database)}
    assert set(by_chat.values()) == {(AlertStatus.SENT, 3), (AlertStatus.FAILED, 3)}
    assert len(bot.server.calls_to("sendMessage", B)) == 3


async def test_a_bad_request_fails_one_alert_and_the_others_go_on(bot: BotHarness) -> None:
    _subscribe(bot.database, A)
    bot.server.fail("sendMessage", FailureKind.BAD_REQUEST, chat_id=A, times=1)
    flag_story(bot.database, "Recruiters one")
    flag_story(bot.database, "Recruiters two")
    await bot.server.wait_for(lambda: len(bot.server.sent(A)) == 1)
    await bot.server.wait_for(
        lambda: [s for _, s, _ in _alerts(bot.database)] == [AlertStatus.FAILED, AlertStatus.SENT]
    )
    assert "Recruiters two" in _texts(bot, A)[0]


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag


async def test_long_alerts_are_split_at_safe_places_with_buttons_on_the_last_part(bot: BotHarness) -> None:
    _subscribe(bot.database, A)
    title = "Recruiters & <agents> " + "Ünïcödé 🪖 & more; " * 400
    flag_story(bot.database, title, summary="recruited")
    await bot.server.wait_for(lambda: _alerts(bot.database)[0][1] is AlertStatus.SENT)
    parts = bot.server.sent(A)
    assert len(parts) >= 2
    for part in parts:
        text = part.params["text"]
        assert utf16_len(text) <= 4096
        assert not re.search(r"&[#\w]*$", text)  # no entity cut in half
        parser = _Balance()
        parser.feed(text)
        assert parser.open == []
    assert [bool(p.params.get("reply_markup")) for p in parts] == [False] * (len(parts) - 1) + [True]


@pytest.mark.parametrize("delivery_options", [{"per_chat_interval_seconds": 1.0}], indirect=True)
async def test_messages_to_one_chat_are_spaced_while_other_chats_flow(bot: BotHarness) -> None:
    _subscribe(bot.database, A, B)
    for i in range(3):
        flag_story(bot.database, f"Recruiters number {i}")
    await bot.server.wait_for(lambda: len(bot.server.sent(A)) == 3 and len(bot.server.sent(B)) == 3, within=8)
    for chat in (A, B):
        times = [c.at for c in bot.server.sent(chat)]
        assert min(b - a for a, b in itertools.pairwise(times)) >= 0.95
    assert abs(bot.server.sent(A)[0].at - bot.server.sent(B)[0].at) < 0.5


async def test_muted_chats_and_the_console_chat_get_nothing(bot: BotHarness) -> None:
    _subscribe(bot.database, A, B)
    with bot.database.session() as session:
        set_console_subscriber(session, active=True)
        update_preferences(session, A, muted_until=datetime(2999, 1, 1, tzinfo=UTC))
    flag_story(bot.database, "Recruiters one")
    await bot.server.wait_for(lambda: all(s is not AlertStatus.PENDING for _, s, _ in _alerts(bot.database)))
    assert sorted(s for _, s, _ in _alerts(bot.database)) == [
        AlertStatus.SENT,
        AlertStatus.SKIPPED,
        AlertStatus.SKIPPED,
    ]
    assert len(bot.server.sent(B)) == 1 and not bot.server.sent(A) and not bot.server.sent(0)


@pytest.mark.parametrize("delivery_options", [{"digest_check_seconds": 0.3}], indirect=True)
async def test_digest_mode_sends_one_message_a_day(bot: BotHarness) -> None:
    _subscribe(bot.database, A)
    with bot.database.session() as session:
        update_preferences(session, A, mode=DeliveryMode.DIGEST, digest_hour=datetime.now(UTC).hour)
    for i in range(3):
        flag_story(bot.database, f"Recruiters digest {i}")
    await bot.server.wait_for(lambda: len(bot.server.sent(A)) == 1, within=5)
    [digest] = _texts(bot, A)
    assert "Daily digest" in digest and all(f"Recruiters digest {i}" in digest for i in range(3))
    await bot.server.wait_for(lambda: all(s is AlertStatus.SENT for _, s, _ in _alerts(bot.database)))
    flag_story(bot.database, "Recruiters after the digest")
    await asyncio.sleep(1.0)  # three more digest checks
    assert len(bot.server.sent(A)) == 1  # one digest a day; the new alert waits for tomorrow's
    assert _alerts(bot.database)[-1][1] is AlertStatus.PENDING


def _peak_in_one_second(times: list[float]) -> int:
    """Most sends inside any sliding 1-second window."""
    ordered, peak, start = sorted(times), 0, 0
    for end, at in enumerate(ordered):
        while at - ordered[start] >= 1.0:
            start += 1
        peak = max(peak, end - start + 1)
    return peak


@pytest.mark.parametrize(
    "delivery_options",
    [{"messages_per_second": 10.0, "per_chat_interval_seconds": 0.05, "per_chat_burst": 1}],
    indirect=True,
)
async def test_the_overall_rate_holds_across_many_chats(bot: BotHarness) -> None:
    chats = list(range(5001, 5031))
    _subscribe(bot.database, *chats)
    flag_story(bot.database, "Recruiters fan-out to thirty chats")
    await bot.server.wait_for(lambda: sum(len(bot.server.sent(c)) for c in chats) == 30, within=20)
    times = [call.at for chat in chats for call in bot.server.sent(chat)]
    assert _peak_in_one_second(times) <= 11  # 10 a second, plus one for arrival jitter
    assert max(times) - min(times) >= 2.5  # 30 messages at 10/s cannot go out faster than ~2.9 s


@pytest.mark.parametrize(
    "delivery_options",
    [{"group_messages_per_minute": 20.0, "per_chat_interval_seconds": 0.05}],
    indirect=True,
)
async def test_a_group_gets_no_more_than_its_rate_per_minute(bot: BotHarness) -> None:
    group, person = -100777, 5100
    _subscribe(bot.database, group, person)
    for i in range(2):
        flag_story(bot.database, f"Recruiters group story {i}")
    await bot.server.wait_for(lambda: len(bot.server.sent(group)) == 2, within=15)
    first, second = (call.at for call in bot.server.sent(group))
    assert second - first >= 2.9  # 20 a minute: 3 s apart
    private = [call.at for call in bot.server.sent(person)]
    assert len(private) == 2 and private[1] - private[0] < 1.5  # a private chat is not held to it


def test_a_notice_or_spike_alert_is_retried_with_backoff_until_its_budget_is_spent() -> None:
    from telegram.error import BadRequest, Forbidden, RetryAfter, TimedOut

    from bot.delivery import retry_delay
    from bot.settings import DeliverySettings

    settings = DeliverySettings(max_attempts=3, retry_base_seconds=10, retry_cap_seconds=15)
    assert retry_delay(TimedOut(), 0, settings) == 10
    assert retry_delay(TimedOut(), 1, settings) == 15  # doubled, capped
    assert retry_delay(TimedOut(), 2, settings) is None  # the third failure spends the budget
    assert retry_delay(RetryAfter(42), 0, settings) == 42
    assert retry_delay(Forbidden("bot was blocked by the user"), 0, settings) is None
    assert retry_delay(BadRequest("can't parse entities"), 0, settings) is None
