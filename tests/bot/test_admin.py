"""Admin commands over real HTTP: each works for an admin and is audited (refusals: tests/security)."""

from __future__ import annotations

from typing import Any

from storage.audit import recent_audit
from storage.feeds import add_feed, list_feeds
from storage.keywords import list_rules
from storage.overrides import THRESHOLD_KEY, get_runtime_setting
from tests.bot.harness import ADMIN_ID, USER_ID, BotHarness, flag_story


async def test_keyword_commands(bot: BotHarness) -> None:
    [added] = await bot.ask("/addkeyword foreign legion 1.5", chat_id=ADMIN_ID)
    assert "foreign legion (+1.5)" in added
    [bad] = await bot.ask("/addkeyword recruit(ed|ing)", chat_id=ADMIN_ID)
    assert "Not added" in bad and "regular expressions" in bad
    [usage] = await bot.ask("/addkeyword", chat_id=ADMIN_ID)
    assert "Usage" in usage
    [listing] = await bot.ask("/keywords", chat_id=ADMIN_ID)
    assert "foreign legion (+1.5)" in listing
    [removed] = await bot.ask("/rmkeyword foreign legion", chat_id=ADMIN_ID)
    assert "Removed 1 rule" in removed
    [missing] = await bot.ask("/rmkeyword <b>nothing</b>", chat_id=ADMIN_ID)
    assert "&lt;b&gt;nothing" in missing
    with bot.database.session() as session:
        assert list_rules(session) == []
        actions = [entry.action for entry in recent_audit(session)]
        assert actions == ["keyword.remove", "keyword.add"]
        assert recent_audit(session)[0].actor == f"telegram:{ADMIN_ID}"


async def test_threshold_command(bot: BotHarness) -> None:
    [shown] = await bot.ask("/threshold", chat_id=ADMIN_ID)
    assert "is <b>0.5</b>" in shown
    [set_] = await bot.ask("/threshold 0.65", chat_id=ADMIN_ID)
    assert "set to <b>0.65</b>" in set_
    for bad in ("/threshold 7", "/threshold nan", "/threshold 0.5 0.6", "/threshold abc"):
        [reply] = await bot.ask(bad, chat_id=ADMIN_ID)
        assert "Usage" in reply
    with bot.database.session() as session:
        assert get_runtime_setting(session, THRESHOLD_KEY) == 0.65
        [entry] = recent_audit(session)
        assert (entry.action, entry.details) == ("threshold.set", {"old": 0.5, "new": 0.65})


async def test_feed_commands(bot: BotHarness) -> None:
    [added] = await bot.ask("/addfeed https://news.example/rss", chat_id=ADMIN_ID)
    assert "Feed #1 added" in added
    [dup] = await bot.ask("/addfeed https://news.example/rss", chat_id=ADMIN_ID)
    assert "already" in dup
    [listing] = await bot.ask("/feeds", chat_id=ADMIN_ID)
    assert "#1" in listing and "https://news.example/rss" in listing
    [removed] = await bot.ask("/rmfeed 1", chat_id=ADMIN_ID)
    assert "Removed feed #1" in removed
    [gone] = await bot.ask("/rmfeed 1", chat_id=ADMIN_ID)
    assert "No feed #1" in gone
    [usage] = await bot.ask("/rmfeed one", chat_id=ADMIN_ID)
    assert "Usage" in usage
    with bot.database.session() as session:
        assert list_feeds(session) == []
        assert [e.action for e in recent_audit(session)] == ["feed.remove", "feed.add"]


async def test_test_command_shows_score_and_reasons(bot: BotHarness) -> None:
    [hit] = await bot.ask("/test Men recruited as mercenaries <script>", chat_id=ADMIN_ID)
    assert "Would alert" in hit and "score <b>0.950</b>" in hit and "&lt;script&gt;" not in hit
    assert "recruit" in hit
    [miss] = await bot.ask("/test weather is fine", chat_id=ADMIN_ID)
    assert "Would not alert" in miss


async def test_stats_sends_text_and_a_chart(bot: BotHarness) -> None:
    with bot.database.session() as session:
        feed = add_feed(session, "https://failing.example/rss")
        from datetime import UTC, datetime

        from storage.feeds import record_poll
        from tests.storage.factories import Poll

        now = datetime.now(UTC)
        poll = Poll(feed.id, now, error_count=12, failing=True, error="HTTP 500")
        record_poll(session, poll, polled_at=now)
    flag_story(bot.database, "Recruiters jailed")
    await bot.ask("/subscribe", chat_id=USER_ID)
    [text] = await bot.ask("/stats", chat_id=ADMIN_ID)
    assert "Flagged rate: 100.0%" in text and "failing: 1" in text and "HTTP 500" in text
    assert "Subscribers: 1" in text and "<b>Sources</b> (last 14 days): 1 polled" in text
    await bot.server.wait_for(lambda: bot.server.calls_to("sendPhoto", ADMIN_ID))
    photo = bot.server.calls_to("sendPhoto", ADMIN_ID)[0]
    assert photo.status == 200 and photo.params["photo"].startswith(b"\x89PNG\r\n\x1a\n")


async def test_backtest_reports_what_a_change_would_flag_without_applying_it(bot: BotHarness) -> None:
    for title in ("Wagner hiring abroad", "Wagner recruits men", "Football results"):
        flag_story(bot.database, title, score=0.1)
    with bot.database.session() as session:
        from bot.backtest import Rule
        from storage.keywords import add_rule

        add_rule(session, Rule("recruit", 0.5))
    [_, result] = await bot.ask("/backtest +wagner 1", chat_id=ADMIN_ID, replies=2)
    assert "Stories in the last 7 day(s): 3" in result
    assert "Flagged now: 1 → with the change: 2" in result and "+ Wagner hiring abroad" in result
    [_, result] = await bot.ask("/backtest -recruit 3d", chat_id=ADMIN_ID, replies=2)
    assert "Flagged now: 1 → with the change: 0" in result
    [_, result] = await bot.ask("/backtest threshold 0.01", chat_id=ADMIN_ID, replies=2)
    assert "with the change: 3" in result
    for bad in ("/backtest", "/backtest wagner", "/backtest threshold 2", "/backtest +x 999d"):
        [reply] = await bot.ask(bad, chat_id=ADMIN_ID)
        assert "threshold" in reply  # the usage line
    with bot.database.session() as session:
        assert [rule.term for rule in list_rules(session)] == ["recruit"]  # nothing applied


def _buttons(call_params: dict[str, Any]) -> dict[str, str]:
    rows = call_params["reply_markup"]["inline_keyboard"]
    return {button["text"]: button["callback_data"] for row in rows for button in row}


async def test_sources_lists_the_packs_and_its_buttons_switch_them(bot: BotHarness) -> None:
    [listing] = await bot.ask("/sources", chat_id=ADMIN_ID)
    assert "<b>wires</b> 0/" in listing and "<b>queries</b> 0/" in listing
    enable = _buttons(bot.server.sent(ADMIN_ID)[-1].params)["▶️ Enable wires"]
    answer = await bot.press(enable, chat_id=ADMIN_ID, user_id=ADMIN_ID)
    with bot.database.session() as session:
        wires = [feed for feed in list_feeds(session) if feed.pack == "wires"]
    assert wires and f"wires: {len(wires)} added" in answer
    assert "wires: 0 added, 0 enabled again" in await bot.press(enable, chat_id=ADMIN_ID, user_id=ADMIN_ID)
    await bot.server.wait_for(lambda: bot.server.calls_to("editMessageText", ADMIN_ID))
    redrawn = bot.server.calls_to("editMessageText", ADMIN_ID)[-1].params
    assert f"<b>wires</b> {len(wires)}/{len(wires)}" in redrawn["text"]
    disable = _buttons(redrawn)["⏸ Disable wires"]
    refused = await bot.press(disable, chat_id=USER_ID, user_id=USER_ID)
    assert "administrators only" in refused
    stopped = await bot.press(disable, chat_id=ADMIN_ID, user_id=ADMIN_ID)
    assert f"{len(wires)} feeds no longer polled" in stopped
    with bot.database.session() as session:
        assert [e.action for e in recent_audit(session)][:3] == ["pack.disable", "pack.enable", "pack.enable"]
