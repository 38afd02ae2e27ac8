"""/case ID and /trends over the fake Bot API: a story's case facts in one message, the weekly chart,
and bad input answered on one line."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

from classifiers.types import Verdict
from storage.records import StoryRecord
from storage.stories import assign_clusters, insert_stories
from storage.verdicts import record_verdicts
from tests.bot.fake_telegram import message_update
from tests.bot.harness import USER_ID, BotHarness
from tests.storage.factories import Entry
from warwatch.pipeline import with_case_facts


def _classify(bot: BotHarness, entries: list[Entry], flagged: list[bool]) -> list[StoryRecord]:
    """Store and classify the stories as the pipeline does: flagged ones carry extracted case facts."""
    with bot.database.session() as session:
        stories = insert_stories(session, None, entries)
        assign_clusters(session, {story.id: story.id for story in stories})
        verdicts = [Verdict(0.9 if alert else 0.1, alert, {}, "m", "1") for alert in flagged]
        record_verdicts(session, with_case_facts(stories, verdicts))
    return stories


async def test_case_shows_the_facts_evidence_and_link_in_one_escaped_message(bot: BotHarness) -> None:
    title = "12 Nepali men <b>killed</b> & missing in the Russian army"
    [story] = _classify(bot, [Entry(title, published_at=datetime.now(UTC), host="a<b>.com")], [True])
    [reply] = await bot.ask(f"/case {story.id}")
    assert reply.startswith(f'🧭 <b>Case #{story.id}</b>: <a href="{html.escape(story.url)}">')
    assert "12 Nepali men &lt;b&gt;killed&lt;/b&gt; &amp; missing" in reply and "<b>killed</b>" not in reply
    assert "<b>Case</b>: 🇳🇵 Nepal → Russia&#x27;s forces · deaths or wounds · 12 people" in reply
    assert "<b>Evidence</b>: NP “Nepali”" in reply and "<b>Outlet</b>: a&lt;b&gt;.com · EN" in reply
    await bot.settle()
    assert len(bot.server.sent(USER_ID)) == 1  # one message


async def test_an_id_that_is_not_a_case_is_answered_on_one_line(bot: BotHarness) -> None:
    [unflagged] = _classify(bot, [Entry("Football: a new season begins")], [False])
    for text, answer in [
        (f"/case {unflagged.id}", f"Story #{unflagged.id} has no case facts"),
        ("/case 999999", "No story #999999 is stored"),
        ("/case", "Usage: <code>/case ID</code>"),
        ("/case abc", "Usage"),
        ("/case 1 2", "Usage"),
        ("/case 0", "Usage"),
        (f"/case {2**63}", "Usage"),  # more than either database stores
        (f"/case {'9' * 5000}", "Usage"),
    ]:
        [reply] = await bot.ask(text)
        assert reply.startswith(answer) and "\n" not in reply, (text, reply)


async def test_trends_sends_a_chart_of_the_top_countries_with_their_totals(bot: BotHarness) -> None:
    [empty] = await bot.ask("/trends")
    assert empty == "No flagged stories with case facts in the last 12 weeks."
    now = datetime.now(UTC)
    _classify(
        bot,
        [
            Entry("12 Nepali men killed fighting in the Russian army", published_at=now),
            Entry("Nepali and Indian recruits return from Russia", published_at=now - timedelta(weeks=3)),
            Entry("Kenyans recruited long ago", published_at=now - timedelta(weeks=13)),  # outside
        ],
        [True, True, True],
    )
    await bot.server.push(message_update("/trends", chat_id=USER_ID))
    await bot.server.wait_for(lambda: bot.server.calls_to("sendPhoto", USER_ID))
    [photo] = bot.server.calls_to("sendPhoto", USER_ID)
    assert photo.status == 200 and photo.params["photo"].startswith(b"\x89PNG\r\n\x1a\n")
    assert photo.params["caption"] == "Last 12 weeks by origin country: Nepal 2 · India 1"
    await bot.server.push(message_update("/trends destination", chat_id=USER_ID))
    await bot.server.wait_for(lambda: len(bot.server.calls_to("sendPhoto", USER_ID)) == 2)
    by_force = bot.server.calls_to("sendPhoto", USER_ID)[1]
    assert by_force.params["caption"] == "Last 12 weeks by destination force: russia 2"
    [usage] = await bot.ask("/trends outlets")
    assert usage.startswith("Usage: <code>/trends</code>") and "\n" not in usage
