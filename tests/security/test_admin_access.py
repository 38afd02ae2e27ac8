"""Privilege: admin commands from non-admins (in private, in groups, from a group's own administrators,
in any letter case or addressed to the bot), from forwarded messages whose origin is an admin, from
channels and from messages with no sender; and the chat-administrator buttons (mute an outlet,
settings) pressed by ordinary group members. All are refused and change nothing."""

from __future__ import annotations

import time
from typing import Any

from bot.callbacks import Action, CallbackCodec, SettingsOp
from storage.audit import recent_audit
from storage.feeds import list_feeds
from storage.keywords import list_rules
from storage.overrides import THRESHOLD_KEY, get_runtime_setting
from storage.subscribers import get_subscriber, subscribe
from tests.bot.fake_telegram import BOT_USERNAME, TOKEN, chat, message_update
from tests.bot.harness import ADMIN_ID, USER_ID, BotHarness, flag_story

GROUP = -4001
MEMBER = 333
ANONYMOUS_ADMIN_BOT = 1087968824  # Telegram's "Group" user behind anonymous group administrators
ADMIN_COMMANDS = [
    "/keywords",
    "/addkeyword wagner 2",
    "/rmkeyword wagner",
    "/threshold 0.7",
    "/threshold",
    "/feeds",
    "/addfeed https://news.example/rss",
    "/rmfeed 1",
    "/test recruits",
    "/stats",
    "/backtest +wagner",
    "/THRESHOLD 0.1",
    f"/threshold@{BOT_USERNAME} 0.1",
]


def _nothing_changed(bot: BotHarness) -> None:
    with bot.database.session() as session:
        assert recent_audit(session) == []
        assert list_rules(session) == [] and list_feeds(session) == []
        assert get_runtime_setting(session, THRESHOLD_KEY) is None


async def test_non_admins_are_refused_politely(bot: BotHarness) -> None:
    for index, command in enumerate(ADMIN_COMMANDS):
        group = GROUP - index  # one group each: the bot sends a group at most 20 messages a minute
        bot.server.chat_member_status[(group, USER_ID)] = "administrator"  # a group's admin is no bot admin
        [private] = await bot.ask(command, chat_id=USER_ID)
        [in_group] = await bot.ask(command, chat_id=group, user_id=USER_ID)
        assert "administrators only" in private and "administrators only" in in_group, command
    assert not bot.server.calls_to("sendPhoto")
    _nothing_changed(bot)
    [done] = await bot.ask("/threshold 0.7", chat_id=ADMIN_ID)  # the same command works for an admin
    assert "set to <b>0.7</b>" in done


def _forward_origins() -> list[dict[str, Any]]:
    now = int(time.time())
    admin = {"id": ADMIN_ID, "is_bot": False, "first_name": "Admin"}
    return [
        {"type": "user", "date": now, "sender_user": admin},
        {"type": "hidden_user", "date": now, "sender_user_name": "Admin"},
        {"type": "chat", "date": now, "sender_chat": chat(ADMIN_ID)},
        {"type": "channel", "date": now, "chat": chat(-100999, "channel"), "message_id": 5},
    ]


async def test_forwarded_admin_commands_grant_nothing(bot: BotHarness) -> None:
    for origin in _forward_origins():
        for command in ("/threshold 0.1", "/addfeed https://news.example/rss", "/addkeyword wagner"):
            await bot.server.push(message_update(command, chat_id=USER_ID, forward_origin=origin))
            await bot.server.push(
                message_update(command, chat_id=GROUP, user_id=USER_ID, forward_origin=origin)
            )
    admin_message = {"message_id": 1, "date": 0, "chat": chat(ADMIN_ID), "text": "/threshold 0.1"}
    admin_message["from"] = {"id": ADMIN_ID, "is_bot": False, "first_name": "Admin"}
    [reply] = await bot.ask("/threshold 0.2", chat_id=USER_ID, reply_to_message=admin_message)
    assert "administrators only" in reply  # replying to an admin's message grants nothing either
    await bot.settle()
    assert len(bot.server.sent(USER_ID)) == 1 and not bot.server.sent(GROUP)  # forwards: ignored
    _nothing_changed(bot)


async def test_admin_commands_without_a_user_are_refused(bot: BotHarness) -> None:
    channel = -100777
    [from_channel] = await bot.ask(
        "/threshold 0.1", chat_id=channel, chat_type="channel", kind="channel_post"
    )
    [anonymous] = await bot.ask(
        "/addfeed https://news.example/rss",
        chat_id=GROUP,
        user_id=ANONYMOUS_ADMIN_BOT,
        sender_chat=chat(GROUP),
    )
    on_behalf = message_update("/addkeyword wagner", chat_id=GROUP - 1, sender_chat=chat(-100888, "channel"))
    del on_behalf["message"]["from"]
    await bot.server.push(on_behalf)
    await bot.server.wait_for(lambda: bot.server.sent(GROUP - 1))
    for reply in (from_channel, anonymous, bot.server.sent(GROUP - 1)[0].params["text"]):
        assert "administrators only" in reply
    _nothing_changed(bot)


SETTINGS_PRESSES = [
    (SettingsOp.MIN_SCORE, "90"),
    (SettingsOp.MUTE, "24"),
    (SettingsOp.MODE, "digest"),
    (SettingsOp.HOUR, "3"),
    (SettingsOp.LANGUAGE, "en"),
    (SettingsOp.MENU, "main"),
]


def _buttons(call_params: dict[str, Any]) -> dict[str, str]:
    rows = call_params["reply_markup"]["inline_keyboard"]
    return {button["text"]: button["callback_data"] for row in rows for button in row}


async def test_group_buttons_need_a_chat_administrator(bot: BotHarness) -> None:
    """Any member can press a button under a group's alert; only the chat's administrators may mute."""
    with bot.database.session() as session:
        subscribe(session, GROUP, chat_type="group", title="Group")
    bot.server.chat_member_status[(GROUP, USER_ID)] = "administrator"
    story = flag_story(bot.database, "Recruiters jailed", host="outlet.example")
    await bot.server.wait_for(lambda: bot.server.sent(GROUP))
    [alert] = bot.server.sent(GROUP)
    mute = _buttons(alert.params)["🔇 Mute this outlet"]
    codec = CallbackCodec(TOKEN)  # the bot's own settings buttons, as /settings draws them
    settings = [codec.encode(Action.SETTINGS, op, value) for op, value in SETTINGS_PRESSES]
    message = {"message_id": 9, "date": 0, "chat": chat(GROUP), "text": "x"}
    for data in [mute, *settings]:
        answer = await bot.press(data, chat_id=GROUP, user_id=MEMBER, message=message)
        assert "Only administrators" in answer, (data, answer)
    for command in ("/settings", "/follow wagner", "/unfollow wagner", "/subscribe", "/unsubscribe"):
        [refused] = await bot.ask(command, chat_id=GROUP - 1, user_id=MEMBER)
        assert "Only administrators" in refused, command
    with bot.database.session() as session:
        before = get_subscriber(session, GROUP)
    assert before is not None and before.muted_outlets == () and before.min_score is None
    assert not bot.server.calls_to("editMessageText")
    answer = await bot.press(mute, chat_id=GROUP, user_id=USER_ID, message=message)
    assert "Muted outlet.example" in answer  # the chat's administrator may
    with bot.database.session() as session:
        assert get_subscriber(session, GROUP).muted_outlets == ("outlet.example",)  # type: ignore[union-attr]
    assert story.outlet == "outlet.example"
