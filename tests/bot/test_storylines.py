"""Storylines over the fake Bot API: the follow button on an alert, the new-development alert instead of
a fresh one (and not both), /storyline, /following, /unfollowstoryline, and bad or merged ids on one line."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.callbacks import Action
from classifiers.types import StoryText, Verdict
from storage.db import Database
from storage.follows import follow_storyline
from storage.models import Alert
from storage.states import AlertStatus, DeliveryMode
from storage.stories import assign_clusters, insert_stories, requeue_stories
from storage.storylines import merge_storylines, storylines_of
from storage.subscribers import subscribe, update_preferences
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.harness import USER_ID, BotHarness, bot_settings, start_bot, stop_bot
from tests.storage.factories import Entry
from warwatch.pipeline import Classification

NOW = datetime.now(UTC)
ARREST = Entry(
    "Nepal police arrest recruiter Ramesh Thapa for sending men to the Russian army",
    "Police in Kathmandu said Thapa took money from 40 families in Dhading and sent their sons to Russia.",
    published_at=NOW - timedelta(weeks=5),
)
CHARGE = Entry(
    "Recruiter Ramesh Thapa charged with human trafficking over Nepalis sent to Russia",
    "Prosecutors in Kathmandu charged Ramesh Thapa with trafficking 40 Nepali men to the Russian army.",
    published_at=NOW - timedelta(weeks=1),
)
KILLED = Entry(
    "12 Nepali men killed fighting in the Russian army, families say",
    "Families in Nepal say their sons, recruited with promises of jobs, died on the front line.",
    published_at=NOW - timedelta(days=2),
)


def flag_everything(texts: Sequence[StoryText]) -> list[Verdict]:
    """A classifier that flags every story (the pipeline adds the case facts and the storyline)."""
    return [Verdict(0.9, True, {"summary": "test"}, "test", "1") for _ in texts]


def classify(database: Database, entry: Entry) -> int:
    """Store a story in a cluster of its own and run the pipeline's classification on it."""
    with database.session() as session:
        [story] = insert_stories(session, None, [entry])
        assign_clusters(session, {story.id: story.id})
    Classification(database, flag_everything, batch_size=10).run_pending()
    return story.id


def _storyline(bot: BotHarness, story_id: int) -> int:
    with bot.database.session() as session:
        return storylines_of(session, [story_id])[story_id]


def _sent_alerts(bot: BotHarness) -> list[dict[str, Any]]:
    return [call.params for call in bot.server.sent(USER_ID) if call.params.get("reply_markup")]


def _buttons(params: dict[str, Any]) -> dict[str, str]:
    return {b["text"]: b["callback_data"] for row in params["reply_markup"]["inline_keyboard"] for b in row}


def _message(params: dict[str, Any]) -> dict[str, Any]:
    """The alert as the button press carries it back."""
    chat = {"id": USER_ID, "type": "private", "first_name": "T"}
    return {
        "message_id": 77,
        "date": 0,
        "chat": chat,
        "text": "alert",
        "reply_markup": params["reply_markup"],
    }


async def _wait_sent(bot: BotHarness, alerts: int) -> None:
    def done() -> bool:
        with bot.database.session() as session:
            statuses = [row.status for row in session.query(Alert)]
        return len(statuses) == alerts and set(statuses) == {AlertStatus.SENT}

    await bot.server.wait_for(done)


async def test_a_follower_gets_the_next_story_as_a_new_development_and_not_twice(bot: BotHarness) -> None:
    await bot.ask("/subscribe")
    arrest = classify(bot.database, ARREST)
    line = _storyline(bot, arrest)
    await _wait_sent(bot, 1)
    [alert] = _sent_alerts(bot)
    assert alert["text"].startswith("🚨 <b>") and f"/case {arrest} · 🧵 /storyline {line}" in alert["text"]
    buttons = _buttons(alert)
    assert list(buttons)[-1] == f"🧵 Follow storyline {line}"
    assert all(len(data.encode()) <= 64 for data in buttons.values())

    answer = await bot.press(buttons[f"🧵 Follow storyline {line}"], message=_message(alert))
    assert answer == f"Following storyline {line}: its next stories come as new developments."
    await bot.server.wait_for(lambda: bot.server.calls_to("editMessageReplyMarkup"))
    edited = bot.server.calls_to("editMessageReplyMarkup")[-1].params
    assert list(_buttons(edited)) == [
        "👍 Relevant",
        "👎 Not relevant",
        "🔇 Mute this outlet",
        f"🔕 Unfollow storyline {line}",
    ]
    again = await bot.press(buttons[f"🧵 Follow storyline {line}"], message=_message(alert))
    assert again == f"This chat already follows storyline {line}."

    charge = classify(bot.database, CHARGE)
    assert _storyline(bot, charge) == line
    await _wait_sent(bot, 2)
    development = _sent_alerts(bot)[1]
    assert development["text"].startswith(f"🔁 <b>New development in storyline {line}</b>: <a href=")
    assert "Ramesh Thapa charged" in development["text"]
    assert f"🔕 Unfollow storyline {line}" in _buttons(development)
    assert len(_sent_alerts(bot)) == 2  # the development is the chat's one alert for that story

    killed = classify(bot.database, KILLED)  # the same countries and force, another case: an ordinary alert
    assert _storyline(bot, killed) != line
    await _wait_sent(bot, 3)
    assert _sent_alerts(bot)[2]["text"].startswith("🚨 <b>")

    [listed] = await bot.ask("/following")
    assert f"/storyline {line}: Nepal police arrest recruiter Ramesh Thapa" in listed
    assert "2 stories · open" in listed
    [shown] = await bot.ask(f"/storyline {line}")
    assert shown.startswith(f"🧵 <b>Storyline {line}</b>: Nepal police arrest") and "followed here" in shown
    assert shown.index("arrest recruiter") < shown.index("Thapa charged") and f"/case {charge}" in shown
    [case] = await bot.ask(f"/case {charge}")
    assert f"<b>Storyline</b>: #{line} · 2 stories · open" in case and f"🧵 /storyline {line}" in case

    [stopped] = await bot.ask(f"/unfollowstoryline {line}")
    assert stopped == f"No longer following storyline {line}."
    [not_followed] = await bot.ask(f"/unfollowstoryline {line}")
    assert not_followed == f"This chat does not follow storyline {line}. See /following."
    [none] = await bot.ask("/following")
    assert none.startswith("This chat follows no storyline.")


async def test_bad_unknown_and_merged_storyline_ids_are_answered_on_one_line(bot: BotHarness) -> None:
    await bot.ask("/subscribe")
    first, second = classify(bot.database, ARREST), classify(bot.database, KILLED)
    await _wait_sent(bot, 2)  # the alerts come first: every reply below is one message
    survivor, merged = _storyline(bot, first), _storyline(bot, second)
    with bot.database.session() as session:
        merge_storylines(session, survivor, [merged])
    for text, answer in [
        ("/storyline", "Usage: <code>/storyline ID</code>"),
        ("/storyline seven", "Usage"),
        ("/storyline 1 2", "Usage"),
        (f"/storyline {'9' * 300}", "Usage"),
        ("/storyline 999999", "No storyline #999999 is stored."),
        (
            f"/storyline {merged}",
            f"Storyline {merged} was merged into storyline {survivor}: /storyline {survivor}",
        ),
        ("/unfollowstoryline", "Usage: <code>/unfollowstoryline ID</code>"),
        ("/unfollowstoryline 999999", "No storyline #999999 is stored."),
    ]:
        [reply] = await bot.ask(text)
        assert reply.startswith(answer) and "\n" not in reply, (text, reply)
    codec = bot.app.bot_data.services.codec
    answer = await bot.press(codec.encode(Action.STORYLINE, merged, 1))
    assert answer == (
        f"Storyline {merged} was merged into {survivor}. "
        f"Following storyline {survivor}: its next stories come as new developments."
    )
    assert await bot.press(codec.encode(Action.STORYLINE, 999999, 1)) == "That storyline is no longer stored."
    expired = await bot.press(codec.encode(Action.STORYLINE, "x", 1))
    assert expired.startswith("This button has expired")
    assert (
        await bot.press(codec.encode(Action.STORYLINE, survivor, 0))
        == f"No longer following storyline {survivor}."
    )
    await bot.ask("/unsubscribe")
    with bot.database.session() as session:
        assert follow_storyline(session, USER_ID, survivor).outcome == "not_subscribed"
    answer = await bot.press(codec.encode(Action.STORYLINE, survivor, 1))
    assert answer == "This chat is not subscribed. Send /subscribe first."


async def test_a_digest_marks_a_followed_storylines_development_and_lists_each_story_once(
    telegram: FakeTelegram, database: Database, database_url: str
) -> None:
    with database.session() as session:
        subscribe(session, USER_ID, chat_type="private", title=None)
        update_preferences(session, USER_ID, mode=DeliveryMode.DIGEST, digest_hour=datetime.now(UTC).hour)
    arrest = classify(database, ARREST)
    with database.session() as session:
        line = storylines_of(session, [arrest])[arrest]
        follow_storyline(session, USER_ID, line)
    charge, killed = classify(database, CHARGE), classify(database, KILLED)
    with database.session() as session:  # a re-clustered, reclassified story: a second alert for it
        assign_clusters(session, {charge: 10**6})
        requeue_stories(session, CHARGE.published_at)
    Classification(database, flag_everything, batch_size=10).run_pending()
    with database.session() as session:
        alerts = [(row.story_id, row.storyline_id) for row in session.query(Alert).order_by(Alert.id)]
    assert alerts == [(arrest, None), (charge, line), (killed, None), (charge, None)]

    app = await start_bot(bot_settings(telegram, database_url, digest_check_seconds=0.3), database)
    try:
        await _wait_sent(BotHarness(telegram, app, database), 4)  # the four alerts, in one digest
    finally:
        await stop_bot(app)
    [digest] = [call.params["text"] for call in telegram.sent(USER_ID)]
    assert digest.startswith("🗞 <b>Daily digest</b>") and ", 3 alert(s)" in digest
    rows = digest.split("\n")
    arrest_row, charge_row, killed_row = (
        next(row for row in rows if entry.title in row) for entry in (ARREST, CHARGE, KILLED)
    )
    assert charge_row.startswith(f"2. 🔁 <b>New development in storyline {line}</b>: <a href=")
    assert "🔁" not in arrest_row and "🔁" not in killed_row  # KILLED's storyline is not followed
    assert digest.count(CHARGE.title) == 1 and digest.count("New development") == 1
