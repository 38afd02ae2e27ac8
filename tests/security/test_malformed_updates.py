"""Oversized and malformed updates: updates PTB cannot parse, missing fields, texts far over Telegram's
4096 characters, unknown commands and wrong arguments, garbage, forged and over-long callback data,
updates from channels and without a sender; and in webhook mode, forged, malformed and oversized
POST bodies. The bot answers with one short message or ignores the update, never crashes, and handles
the next update; every message it sends is valid Telegram HTML."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from telegram import Update

from bot.app import build_application
from bot.callbacks import Action, CallbackCodec
from storage.db import Database
from storage.feeds import list_feeds
from storage.keywords import list_rules
from storage.models import Feedback
from storage.overrides import THRESHOLD_KEY, get_runtime_setting
from storage.subscribers import get_subscriber
from tests.bot.doubles import keyword_classify
from tests.bot.fake_telegram import BOT_USERNAME, TOKEN, FakeTelegram, chat, message_update
from tests.bot.harness import ADMIN_ID, USER_ID, BotHarness, bot_settings, flag_story
from tests.security.telegram_html import check_everything_sent

HUGE = 64 * 1024


def _sticker() -> dict[str, Any]:
    return {
        "file_id": "s",
        "file_unique_id": "s",
        "type": "regular",
        "width": 1,
        "height": 1,
        "is_animated": False,
        "is_video": False,
    }


async def test_bad_input_gets_short_replies_and_never_crashes(bot: BotHarness) -> None:
    [unknown] = await bot.ask("/frobnicate now")
    assert "/help" in unknown
    [sticker] = await bot.ask("", sticker=_sticker())
    assert "only understand commands" in sticker
    [text] = await bot.ask("hello there ‏שלום 👋")
    assert "only understand commands" in text
    # edited messages, other bots' commands in groups and forwarded commands are ignored
    await bot.server.push(message_update("/subscribe", chat_id=USER_ID, kind="edited_message"))
    await bot.ask("/help@other_bot", chat_id=-555, user_id=USER_ID, replies=0)
    [ours] = await bot.ask(f"/frob@{BOT_USERNAME}", chat_id=-555, user_id=USER_ID)
    assert "/help" in ours
    [photo] = await bot.ask("", photo=[{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}])
    assert "only understand commands" in photo
    await bot.settle()
    assert not bot.server.sent(-555)[1:]
    with bot.database.session() as session:
        assert get_subscriber(session, USER_ID) is None  # the edited /subscribe did nothing
    [still_fine] = await bot.ask("/start")
    assert "warwatch" in still_fine


def _message(**fields: Any) -> dict[str, Any]:
    return {"message_id": 7, "date": int(time.time()), "chat": chat(USER_ID), **fields}


UNREADABLE = [
    {"message": {"chat": chat(USER_ID), "text": "/start"}},  # no message_id, no date
    {"message": "not an object"},
    {"message": ["a", "list"]},
    {"callback_query": {"id": "1", "data": "x"}},  # no from, no chat_instance
    {"message": _message(text="/start", entities=[{"type": "bot_command"}])},  # entity without offset
    {"message": _message(text="/start", chat={"id": "not a number"})},
]
ODD_BUT_READABLE = [
    {"message": _message(text="/subscribe", chat=None)},  # no chat
    {"message": _message()},  # no text, no from
    {"message": _message(text="/start", **{"from": None})},
    {"message": _message(text="/start", entities=[{"type": "bot_command", "offset": 50, "length": 9}])},
    {"message": _message(text="/threshold 0.1", date=-1)},
    {"weird_new_update_kind": {"x": 1}},
    {"my_chat_member": {"chat": chat(USER_ID), "junk": True}},
    {"callback_query": {"id": "2", "from": {"id": USER_ID}, "chat_instance": "c"}},  # no data, no message
    {"message": _message(text="/start", reply_to_message={"text": "no ids"})},
]


async def _still_answering(bot: BotHarness, after: dict[str, Any]) -> None:
    """Push ``after``, then /help: the help text must come (whatever ``after`` itself got)."""
    start = len(bot.server.sent(USER_ID))
    await bot.server.push(after)
    await bot.server.push(message_update("/help", chat_id=USER_ID))
    await bot.server.wait_for(
        lambda: any("/search" in c.params["text"] for c in bot.server.sent(USER_ID)[start:]), within=5
    )


async def test_updates_ptb_cannot_read_are_skipped_and_the_next_one_is_handled(bot: BotHarness) -> None:
    """Before ``bot.updates.UpdatesRequest``, the first of these wedged polling for good."""
    for update in UNREADABLE + ODD_BUT_READABLE:
        await _still_answering(bot, update)
    with bot.database.session() as session:
        assert get_subscriber(session, USER_ID) is None
        assert get_runtime_setting(session, THRESHOLD_KEY) is None


async def _one_reply_each(bot: BotHarness, texts: list[str], chat_id: int) -> list[str]:
    """Send each text; each must get exactly one reply (nothing split into a flood of parts)."""
    start = len(bot.server.sent(chat_id))
    replies = []
    for text in texts:
        [reply] = await bot.ask(text, chat_id=chat_id)
        assert "went wrong" not in reply, text[:80]  # the error handler's apology: a handler crashed
        replies.append(reply)
    await bot.settle()
    assert len(bot.server.sent(chat_id)) - start == len(texts), [
        c.params["text"][:60] for c in bot.server.sent(chat_id)
    ]
    return replies


async def test_huge_texts_get_one_short_reply(bot: BotHarness) -> None:
    word = "w" * HUGE
    user = [
        f"/subscribe {word}",
        f"/search {word}",
        f"/search {'word ' * (HUGE // 5)}",
        f"/follow {word}",
        f"/unfollow {word}",
        f"/frobnicate{word}",
        word,
        "🪖" * (HUGE // 2),
        "\u202e" * 5000 + "/start",
    ]
    replies = await _one_reply_each(bot, user, USER_ID)
    assert "Subscribed" in replies[0] and "No stories match" in replies[1] and "1 to 60" in replies[3]
    admin = [
        f"/addkeyword {word}",
        f"/rmkeyword {word}",
        f"/addfeed https://news.example/{word}",
        f"/rmfeed {'9' * 5000}",
        f"/threshold {'9' * 5000}",
        f"/backtest +{word}",
        f"/backtest -{word} 3d",
        f"/test {'recruit ' * (HUGE // 8)}",
    ]
    replies = await _one_reply_each(bot, admin, ADMIN_ID)
    assert all(len(reply) < 4096 for reply in replies)
    with bot.database.session() as session:
        assert list_rules(session) == [] and list_feeds(session) == []
    [still_fine] = await bot.ask("/start")
    assert "warwatch" in still_fine


async def test_wrong_arguments_get_a_usage_line(bot: BotHarness) -> None:
    admin = [
        "/rmfeed -1",
        "/rmfeed 1.5",
        "/rmfeed ١٢",  # Arabic-Indic digits are decimal to Python
        "/rmfeed 99999999999999999999999999",
        "/threshold inf",
        "/threshold -0",
        "/threshold 1e-400",
        "/threshold 0x1",
        "/addkeyword wagner 1e309",
        "/addkeyword wagner nan",
        "/backtest +x 1e400",
        "/backtest threshold",
        "/backtest 0d",
        "/backtest +wagner 99999d",
        "/addfeed",
        "/addfeed a b",
    ]
    for reply in await _one_reply_each(bot, admin, ADMIN_ID):
        assert reply and len(reply) < 500
    with bot.database.session() as session:
        assert list_feeds(session) == []


def test_callback_data_is_short_signed_and_versioned() -> None:
    codec = CallbackCodec("token")
    data = codec.encode(Action.FEEDBACK, 2**62, 1)
    assert len(data.encode()) <= 64
    decoded = codec.decode(data)
    assert decoded is not None and decoded.action is Action.FEEDBACK and decoded.int_arg(0, 1, 2**62) == 2**62
    assert CallbackCodec("other token").decode(data) is None
    assert codec.decode(data.replace("1:f", "2:f", 1)) is None
    assert codec.decode(None) is None and codec.decode(data + "x") is None
    assert codec.decode("é" * 40) is None  # over 64 bytes, though 40 characters


def _alert_message(bot: BotHarness) -> dict[str, Any]:
    call = next(c for c in bot.server.sent(USER_ID) if c.params.get("reply_markup"))
    return _message(message_id=5000, text="alert", reply_markup=call.params["reply_markup"])


async def test_forged_garbage_and_overlong_callback_data_get_a_polite_answer(bot: BotHarness) -> None:
    await bot.ask("/subscribe")
    flag_story(bot.database, "Recruiters jailed")
    await bot.server.wait_for(lambda: any(c.params.get("reply_markup") for c in bot.server.sent(USER_ID)))
    markup = _alert_message(bot)["reply_markup"]
    good = markup["inline_keyboard"][0][0]["callback_data"]
    tampered = (
        good.replace(":1:", ":0:", 1) if ":1:" in good else good[:-1] + ("A" if good[-1] != "A" else "B")
    )
    ours, other = CallbackCodec(TOKEN), CallbackCodec("another bot's token")
    for data in (
        tampered,
        "garbage",
        "2:f:1:1:AAAAAAAA",
        "x" * 64,
        "x" * 65,
        "y" * 4096,
        good + "x",
        "é" * 40,
        "",
        "::::",
        "\x00",
        other.encode(Action.FEEDBACK, 1, 1),  # signed, but not by us
        ours.encode(Action.FEEDBACK, 1, 7),  # ours, with arguments out of range
        ours.encode(Action.FEEDBACK, 0, 1),
        ours.encode(Action.FEEDBACK, "1e3", 1),
        ours.encode(Action.MUTE_OUTLET, 2**63),
        ours.encode(Action.SEARCH_PAGE, "nosuchtoken", 0),
        ours.encode(Action.SETTINGS, "nosuchop", "x"),
        ours.encode(Action.SETTINGS, "min", "9999"),
    ):
        answer = await bot.press(data, message=_alert_message(bot))
        assert "expired" in answer, (data, answer)
    assert not bot.server.calls_to("editMessageReplyMarkup")
    with bot.database.session() as session:
        assert session.query(Feedback).count() == 0
    assert "counted as relevant" in await bot.press(good, message=_alert_message(bot))  # the real one works


async def test_callback_queries_without_data_or_message_are_answered(bot: BotHarness) -> None:
    before = len(bot.server.calls_to("answerCallbackQuery"))
    await bot.server.push(
        {"callback_query": {"id": "g1", "from": {"id": USER_ID, "is_bot": False, "first_name": "T"},
                            "chat_instance": "c", "game_short_name": "pong"}}
    )  # fmt: skip
    await bot.server.push(
        {"callback_query": {"id": "i1", "from": {"id": USER_ID, "is_bot": False, "first_name": "T"},
                            "chat_instance": "c", "inline_message_id": "abc",
                            "data": CallbackCodec(TOKEN).encode(Action.FEEDBACK, 1, 1)}}
    )  # fmt: skip
    await bot.server.wait_for(lambda: len(bot.server.calls_to("answerCallbackQuery")) >= before + 2)
    [reply] = await bot.ask("/help")
    assert "/search" in reply


# -- webhook mode ------------------------------------------------------------------------------

SECRET = "s3cret-token"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def webhook(telegram: FakeTelegram, database: Database, database_url: str) -> AsyncIterator[str]:
    """The bot taking updates over PTB's webhook server, set up as `warwatch run` does in webhook mode."""
    settings = bot_settings(telegram, database_url).for_bot()
    application = build_application(settings, database, keyword_classify)
    await application.initialize()
    await application.start()
    port = _free_port()
    url = f"http://127.0.0.1:{port}/hook"
    assert application.updater is not None
    await application.updater.start_webhook(
        listen="127.0.0.1", port=port, url_path="hook", webhook_url=url, secret_token=SECRET,
        allowed_updates=Update.ALL_TYPES,
    )  # fmt: skip
    yield url
    await application.updater.stop()
    await application.stop()
    await application.shutdown()
    check_everything_sent(telegram)


async def test_the_webhook_refuses_forged_malformed_and_oversized_posts(
    webhook: str, telegram: FakeTelegram
) -> None:
    good = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
    start = json.dumps({"update_id": 1, **message_update("/start", chat_id=USER_ID)}).encode()
    refused = [
        ({"Content-Type": "application/json"}, start),  # no secret
        ({**good, "X-Telegram-Bot-Api-Secret-Token": "wrong"}, start),
        ({**good, "Content-Type": "text/plain"}, start),
        (good, b'{"update_id": 2, "message": '),  # malformed JSON
        (good, b"\xff\xfe\x00"),  # not UTF-8
        (good, b"[1, 2]"),
        (good, b'"a string"'),
        (good, b"null"),
        (
            good,
            json.dumps({"update_id": 3, "message": {"chat": {"id": USER_ID, "type": "private"}}}).encode(),
        ),
    ]
    async with httpx.AsyncClient(trust_env=False) as client:
        for headers, body in refused:
            response = await client.post(webhook, content=body, headers=headers)
            assert response.status_code in (400, 403, 500), (headers, body, response.status_code)
        huge = message_update("/search " + "x" * 2_000_000, chat_id=USER_ID)  # 2 MB, far over 4096
        response = await client.post(webhook, content=json.dumps({"update_id": 4, **huge}), headers=good)
        assert response.status_code == 200
    # A body declared larger than the server takes (100 MB) is refused before it is read.
    reader, writer = await asyncio.open_connection("127.0.0.1", int(str(httpx.URL(webhook).port)))
    writer.write(
        b"POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\nContent-Length: 200000000\r\n\r\n".encode()
    )
    await writer.drain()
    assert (await asyncio.wait_for(reader.read(100), 5)).startswith(b"HTTP/1.1 400")
    writer.close()
    async with httpx.AsyncClient(trust_env=False) as client:
        assert (await client.post(webhook, content=start, headers=good)).status_code == 200
    await telegram.wait_for(lambda: len(telegram.sent(USER_ID)) == 2)
    [search, welcome] = [call.params["text"] for call in telegram.sent(USER_ID)]
    assert "No stories match" in search and len(search) < 4096 and "/subscribe" in welcome
