"""Spike alerts over the fake Bot API: flagged stories that make a country's week spike reach each
admin once, however often the spike is found again."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from storage.case_trends import week_start
from storage.stories import assign_clusters, insert_stories
from tests.bot.harness import ADMIN_ID, BotHarness
from tests.bot.test_storylines import flag_everything
from tests.storage.factories import Entry
from warwatch.pipeline import Classification

TITLES = [
    "Kenyan men recruited into the Russian army through a Nairobi job agency",
    "Families of Kenyans lured to fight for Russia ask the government for help",
    "Kenya's foreign ministry says 200 Kenyans are fighting in Russia's war",
    "More Kenyan recruits stranded on the Russian front, relatives say",
]


def _flag(bot: BotHarness, titles: list[str]) -> None:
    """Store stories of this week (each its own event) and classify them with the admin told of spikes."""
    now = datetime.now(UTC)
    at = max(now - timedelta(minutes=5), datetime.combine(week_start(now), datetime.min.time(), UTC))
    with bot.database.session() as session:
        stories = insert_stories(session, None, [Entry(title, published_at=at) for title in titles])
        assign_clusters(session, {story.id: story.id for story in stories})
    classification = Classification(bot.database, flag_everything, batch_size=2, spike_chats=(ADMIN_ID,))
    classification.run_pending()


def _spike_messages(bot: BotHarness) -> list[str]:
    return [call.params["text"] for call in bot.server.sent(ADMIN_ID) if "Spike" in call.params["text"]]


async def test_a_spike_reaches_each_admin_once(bot: BotHarness) -> None:
    _flag(bot, TITLES[:2])  # two stories: under the rule's minimum of three
    await asyncio.sleep(0.5)
    assert _spike_messages(bot) == []
    _flag(bot, TITLES[2:3])
    await bot.server.wait_for(lambda: len(_spike_messages(bot)) == 2)  # Kenya, and Russia's forces
    kenya, force = sorted(_spike_messages(bot), key=lambda text: "Kenya" not in text)
    assert kenya.startswith(
        "📈 <b>Spike: Kenya (KE)</b> (origin country)\n3 flagged stories (distinct events)"
    )
    assert "against 0.00 a week before (Poisson tail p = 0.0e+00)" in kenya and "/trends draws" in kenya
    assert force.startswith("📈 <b>Spike: russia</b> (destination force)") and "/trends destination" in force
    _flag(bot, TITLES[3:])  # the spike grows and is found again: nothing new is sent
    await asyncio.sleep(0.5)
    assert len(_spike_messages(bot)) == 2
