"""/settings buttons and /follow over HTTP; rendering and splitting as plain functions."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from bot.render import esc, split_html, utf16_len, why_line
from storage.states import DeliveryMode
from storage.subscribers import get_subscriber
from tests.bot.harness import USER_ID, BotHarness


def _buttons(call_params: dict) -> dict[str, str]:
    markup = call_params["reply_markup"]["inline_keyboard"]
    return {button["text"]: button["callback_data"] for row in markup for button in row}


async def _press_and_redraw(bot: BotHarness, data: str) -> dict:
    before = len(bot.server.calls_to("editMessageText"))
    message = {
        "message_id": 9,
        "date": 0,
        "chat": {"id": USER_ID, "type": "private", "first_name": "T"},
        "text": "s",
    }
    await bot.press(data, message=message)
    await bot.server.wait_for(lambda: len(bot.server.calls_to("editMessageText")) > before)
    return bot.server.calls_to("editMessageText")[-1].params


async def test_settings_buttons_change_the_subscription(bot: BotHarness) -> None:
    [not_yet] = await bot.ask("/settings")
    assert "/subscribe" in not_yet
    await bot.ask("/subscribe")
    await bot.ask("/settings")
    main = _buttons(bot.server.sent(USER_ID)[-1].params)
    score_screen = await _press_and_redraw(bot, main["Minimum score"])
    screen = await _press_and_redraw(bot, _buttons(score_screen)["0.70"])
    assert "Minimum score: 0.70" in screen["text"]
    languages = await _press_and_redraw(bot, _buttons(screen)["« Back"])
    languages = await _press_and_redraw(bot, _buttons(languages)["Languages"])
    languages = await _press_and_redraw(bot, _buttons(languages)["ru"])
    assert "✅ ru" in _buttons(languages)
    mode = await _press_and_redraw(bot, main["Instant / digest"])
    mode = await _press_and_redraw(bot, _buttons(mode)["Daily digest"])
    mode = await _press_and_redraw(bot, _buttons(mode)["18"])
    assert "daily digest at 18:00 UTC" in mode["text"]
    mute = await _press_and_redraw(bot, main["Mute"])
    await _press_and_redraw(bot, _buttons(mute)["4 h"])
    [follow] = await bot.ask("/follow  Wagner   group ")
    assert "Following <b>Wagner group</b>" in follow
    [again] = await bot.ask("/follow wagner group")
    assert "already follow" in again
    with bot.database.session() as session:
        subscriber = get_subscriber(session, USER_ID)
    assert subscriber is not None
    assert subscriber.min_score == 0.7 and subscriber.languages == ("ru",)
    assert subscriber.mode is DeliveryMode.DIGEST and subscriber.digest_hour == 18
    assert subscriber.muted_until is not None and subscriber.muted_until > datetime.now(UTC)
    assert subscriber.keywords == ("Wagner group",)
    keywords = await _press_and_redraw(bot, main["Keywords"])
    keywords = await _press_and_redraw(bot, _buttons(keywords)["✖ Wagner group"])
    assert "Keywords: any" in keywords["text"]


def test_why_line_is_defensive_about_reasons() -> None:
    assert why_line({"summary": "  matched  recruit "}) == "matched recruit"
    cascade = {"rules": {"hits": [{"term": "recruit*"}, {"term": "x", "exclude": True}]}, "decision": "alert"}
    assert why_line(cascade) == "matched “recruit*”; alert"
    assert why_line({"score": 0.8, "nested": {"a": 1}, "flag": True}) == "score: 0.8"
    assert why_line({"rules": ["garbage"], "hits": None}) == "classifier score above the threshold"
    assert len(why_line({"summary": "x" * 5000})) <= 300


@given(st.lists(st.text(alphabet="ab<>&;\"'é🪖\u202e ", max_size=300), max_size=40), st.integers(20, 500))
def test_split_html_keeps_every_part_under_the_limit_and_entities_whole(lines: list[str], limit: int) -> None:
    html = "\n".join(f"<b>{esc(line)}</b>" if i % 2 else esc(line) for i, line in enumerate(lines))
    for part in split_html(html, limit):
        assert utf16_len(part) <= limit
        assert not re.search(r"&[#\w]*$", part)
        assert part.count("<b>") == part.count("</b>")
