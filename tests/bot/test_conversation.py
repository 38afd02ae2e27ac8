"""Conversations over real HTTP: commands, subscription, the alert with its buttons, /search, /latest."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

from storage.models import Alert, Feedback
from storage.retention import prune_stories
from storage.states import AlertStatus
from storage.stories import assign_clusters, get_story, insert_stories
from storage.subscribers import get_subscriber
from tests.bot.doubles import keyword_classify
from tests.bot.fake_telegram import message_update
from tests.bot.harness import ADMIN_ID, USER_ID, BotHarness, flag_story
from tests.storage.factories import Entry
from warwatch.pipeline import Classification


async def test_start_help_and_subscribe(bot: BotHarness) -> None:
    [welcome] = await bot.ask("/start")
    assert "warwatch" in welcome and "/subscribe" in welcome
    [help_text] = await bot.ask("/help")
    assert "/search" in help_text and "/addkeyword" not in help_text
    [admin_help] = await bot.ask("/help", chat_id=ADMIN_ID)
    assert "/addkeyword" in admin_help
    [reply] = await bot.ask("/subscribe")
    assert "Subscribed" in reply
    [again] = await bot.ask("/subscribe")
    assert "already subscribed" in again
    with bot.database.session() as session:
        assert get_subscriber(session, USER_ID).active  # type: ignore[union-attr]
    [bye] = await bot.ask("/unsubscribe")
    assert "Unsubscribed" in bye
    with bot.database.session() as session:
        assert not get_subscriber(session, USER_ID).active  # type: ignore[union-attr]


async def test_set_my_commands_was_called_through_the_configured_base_url(bot: BotHarness) -> None:
    assert bot.server.calls_to("getMe") and bot.server.calls_to("setMyCommands")
    commands = bot.server.calls_to("setMyCommands")[0].params["commands"]
    assert {"command": "search", "description": "Search stored stories"} in commands


async def test_alert_arrives_once_with_escaped_html_and_buttons(bot: BotHarness) -> None:
    await bot.ask("/subscribe")
    story = flag_story(
        bot.database,
        '<script>alert("x")</script> & Recruiters <b>jailed</b>',
        summary="Men were recruited <i>abroad</i>",
        host='evil"outlet.example',
        url='https://news.example/a?x=1&y="2"',
    )
    await bot.server.wait_for(lambda: len(bot.server.sent(USER_ID)) >= 2)
    [alert] = bot.server.sent(USER_ID)[1:]
    text = alert.params["text"]
    assert alert.params["parse_mode"] == "HTML"
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Recruiters &lt;b&gt;jailed&lt;/b&gt;" in text
    )
    assert '<a href="https://news.example/a?x=1&amp;y=&quot;2&quot;">' in text
    assert "evil&quot;outlet.example" in text and "<script>" not in text
    assert "test reason for" in text  # the why line, from reasons["summary"]
    buttons = [b["text"] for row in alert.params["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == ["👍 Relevant", "👎 Not relevant", "🔇 Mute this outlet"]
    for row in alert.params["reply_markup"]["inline_keyboard"]:
        for button in row:
            assert len(button["callback_data"].encode()) <= 64
    await bot.server.wait_for(lambda: _statuses(bot) == [AlertStatus.SENT])
    assert len(bot.server.sent(USER_ID)) == 2  # exactly once
    with bot.database.session() as session:
        row = session.query(Alert).one()
        assert row.message_id is not None
        assert row.story_id == story.id


async def test_the_pipeline_classifies_a_story_and_its_cluster_alerts_once_with_every_field(
    bot: BotHarness,
) -> None:
    await bot.ask("/subscribe")
    with bot.database.session() as session:
        first, second = insert_stories(
            session,
            None,
            [
                Entry("Mercenaries recruited in Nepal", host="a.example"),
                Entry("Nepal: mercenary recruiters held", host="b.example"),
            ],
        )
        assign_clusters(session, {first.id: first.id, second.id: first.id})  # one event, two outlets
    report = Classification(bot.database, keyword_classify, batch_size=10).run_pending()
    assert (report.classified, report.flagged, report.alerts_queued) == (2, 2, 1)
    await bot.server.wait_for(lambda: _statuses(bot) == [AlertStatus.SENT])
    [alert] = bot.server.sent(USER_ID)[1:]
    text = alert.params["text"]
    assert "Mercenaries recruited in Nepal" in text and "a.example" in text
    assert "2026-11-01 12:00 UTC" in text and "EN" in text and "score 0.95" in text
    assert "Also reported by: b.example" in text and "“mercenar”" in text  # why: the matched terms
    assert Classification(bot.database, keyword_classify, batch_size=10).run_pending().classified == 0
    await asyncio.sleep(0.5)  # several delivery runs
    assert len(bot.server.sent(USER_ID)) == 2  # the welcome and one alert for the whole cluster


def _statuses(bot: BotHarness) -> list[AlertStatus]:
    with bot.database.session() as session:
        return [row.status for row in session.query(Alert).order_by(Alert.id)]


def _alert_message(bot: BotHarness, chat_id: int = USER_ID) -> dict:
    call = next(c for c in bot.server.sent(chat_id) if c.params.get("reply_markup"))
    return {
        "message_id": 5000,
        "date": 0,
        "chat": {"id": chat_id, "type": "private", "first_name": "T"},
        "text": "alert",
        "reply_markup": call.params["reply_markup"],
    }


def _button(bot: BotHarness, label: str, chat_id: int = USER_ID) -> str:
    markup = _alert_message(bot, chat_id)["reply_markup"]
    return next(
        b["callback_data"] for row in markup["inline_keyboard"] for b in row if b["text"].startswith(label)
    )


async def test_feedback_is_stored_counted_and_can_be_changed(bot: BotHarness) -> None:
    await bot.ask("/subscribe")
    story = flag_story(bot.database, "Mercenaries recruited in Nepal", summary="Job offers abroad")
    await bot.server.wait_for(lambda: _statuses(bot) == [AlertStatus.SENT])
    message = _alert_message(bot)
    answer = await bot.press(_button(bot, "👍"), message=message)
    assert "counted as relevant" in answer
    await bot.server.wait_for(lambda: bot.server.calls_to("editMessageReplyMarkup"))
    edited = bot.server.calls_to("editMessageReplyMarkup")[-1].params["reply_markup"]
    labels = [b["text"] for row in edited["inline_keyboard"] for b in row]
    assert labels == ["👍 Relevant (1)", "👎 Not relevant", "🔇 Mute this outlet"]
    answer = await bot.press(_button(bot, "👎"), message=message)
    assert "not relevant" in answer
    with bot.database.session() as session:
        [feedback] = session.query(Feedback).all()
        assert (feedback.story_id, feedback.user_id, feedback.relevant) == (story.id, USER_ID, False)
        assert feedback.title == "Mercenaries recruited in Nepal" and feedback.summary == "Job offers abroad"
        assert feedback.language == "en" and feedback.chat_id == USER_ID


async def test_mute_outlet_skips_later_alerts_from_it(bot: BotHarness) -> None:
    await bot.ask("/subscribe")
    flag_story(bot.database, "Recruiters arrested", host="noisy.example")
    await bot.server.wait_for(lambda: _statuses(bot) == [AlertStatus.SENT])
    answer = await bot.press(_button(bot, "🔇"), message=_alert_message(bot))
    assert "Muted noisy.example" in answer
    flag_story(bot.database, "More recruits sent to the front", host="noisy.example")
    flag_story(bot.database, "Mercenary network exposed", host="quiet.example")
    await bot.server.wait_for(
        lambda: _statuses(bot) == [AlertStatus.SENT, AlertStatus.SKIPPED, AlertStatus.SENT]
    )
    texts = [c.params["text"] for c in bot.server.sent(USER_ID)]
    assert not any("More recruits" in t for t in texts) and any("Mercenary network" in t for t in texts)


async def test_search_pages_through_results_with_more_buttons(bot: BotHarness) -> None:
    for i in range(12):
        flag_story(bot.database, f"Recruiters story number {i}", summary="wagner recruits")
    [first] = await bot.ask("/search wagner recruits")
    assert "Results 1–5 for <b>wagner recruits</b>" in first
    assert [f"\n{n}. " in first for n in range(1, 7)] == [True] * 5 + [False]
    assert first.count("score 0.90") == 5 and "<b>wagner</b>" in first  # matched words in bold
    call = bot.server.sent(USER_ID)[-1]
    [[more]] = call.params["reply_markup"]["inline_keyboard"]
    assert more["text"] == "More ▶"
    message = {
        "message_id": 77,
        "date": 0,
        "chat": {"id": USER_ID, "type": "private", "first_name": "T"},
        "text": "r",
    }
    await bot.press(more["callback_data"], message=message)
    await bot.server.wait_for(lambda: bot.server.calls_to("editMessageText"))
    page2 = bot.server.calls_to("editMessageText")[-1].params
    assert "Results 6–10" in page2["text"]
    labels = [b["text"] for row in page2["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["◀ Previous", "More ▶"]


async def test_latest_lists_recent_alerts(bot: BotHarness) -> None:
    [empty] = await bot.ask("/latest")
    assert "No alerts yet" in empty
    flag_story(bot.database, "Foreign fighters return home", host="first.example")
    flag_story(bot.database, "Recruiting office raided", host="second.example")
    [latest] = await bot.ask("/latest")
    assert latest.index("Recruiting office") < latest.index("Foreign fighters")
    assert "second.example" in latest


async def test_feedback_on_a_story_pruned_since_the_alert_is_answered_not_stored(bot: BotHarness) -> None:
    await bot.ask("/subscribe")
    story = flag_story(bot.database, "Recruiters story soon pruned")
    await bot.server.wait_for(lambda: _statuses(bot) == [AlertStatus.SENT])
    prune_stories(bot.database, datetime.now(UTC) + timedelta(days=1))  # retention took it meanwhile
    answer = await bot.press(_button(bot, "👍 Relevant"), message=_alert_message(bot))
    assert "no longer stored" in answer
    with bot.database.session() as session:
        assert session.query(Feedback).count() == 0 and get_story(session, story.id) is None


async def test_channel_posts_can_subscribe(bot: BotHarness) -> None:
    [reply] = await bot.ask("/subscribe", chat_id=-100123, chat_type="channel", kind="channel_post")
    assert "Subscribed" in reply
    flag_story(bot.database, "Recruiters jailed")
    await bot.server.wait_for(lambda: len(bot.server.sent(-100123)) == 2)


async def test_group_settings_need_a_chat_administrator(bot: BotHarness) -> None:
    group = -4001
    [refused] = await bot.ask("/subscribe", chat_id=group, user_id=USER_ID)
    assert "Only administrators" in refused
    bot.server.chat_member_status[(group, USER_ID)] = "administrator"
    [accepted] = await bot.ask("/subscribe", chat_id=group, user_id=USER_ID)
    assert "Subscribed" in accepted
    assert json.dumps(bot.server.calls_to("getChatMember")[0].params["user_id"]) == str(USER_ID)


async def test_export_sends_flagged_stories_with_their_case_facts_as_a_csv_document(bot: BotHarness) -> None:
    import csv
    import io
    from datetime import UTC, datetime

    from classifiers.types import Verdict
    from storage.stories import assign_clusters, insert_stories
    from storage.verdicts import record_verdicts
    from tests.storage.factories import Entry
    from warwatch.pipeline import with_case_facts

    with bot.database.session() as session:
        stories = insert_stories(
            session,
            None,
            [
                Entry("12 Nepali men killed in the Russian army", published_at=datetime.now(UTC)),
                Entry("Kenyans recruited", published_at=datetime.now(UTC)),
            ],
        )
        assign_clusters(session, {story.id: story.id for story in stories})
        verdicts = [Verdict(0.9, True, {}, "m", "1"), Verdict(0.9, True, {}, "m", "1")]
        record_verdicts(session, with_case_facts(stories, verdicts))
    await bot.ask("/export 3650", replies=1)  # out of range: the usage line
    assert "Usage" in bot.server.sent(USER_ID)[-1].params["text"]
    await bot.server.push(message_update("/export 30 Nepal", chat_id=USER_ID))
    await bot.server.wait_for(lambda: bot.server.calls_to("sendDocument", USER_ID))
    [call] = bot.server.calls_to("sendDocument", USER_ID)
    rows = list(csv.DictReader(io.StringIO(call.params["document"].decode())))
    assert [(row["title"], row["origin_countries"], row["count"]) for row in rows] == [
        ("12 Nepali men killed in the Russian army", "NP", "12")
    ]
    assert "1 flagged stories in the last 30 day(s) naming Nepal" in call.params["caption"]
    [none] = await bot.ask("/export 7 Atlantis")
    assert "No flagged stories in the last 7 day(s) naming Atlantis" in none
