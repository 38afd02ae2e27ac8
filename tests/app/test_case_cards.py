"""A flagged story's verdict carries its case facts, and its alert shows them on one line."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.render import render_alert
from classifiers.types import Verdict
from storage.db import Database
from storage.outbox import due_alerts
from storage.stories import insert_stories
from storage.subscribers import set_console_subscriber
from storage.verdicts import record_verdicts
from tests.storage.factories import Entry
from warwatch.console import render_console_alert
from warwatch.pipeline import with_case_facts


def test_an_alert_shows_the_case_card_and_a_quiet_story_gets_none(database: Database) -> None:
    with database.session() as session:
        set_console_subscriber(session, active=True)
        flagged, quiet = insert_stories(
            session,
            None,
            [
                Entry("12 Nepali men killed fighting in the Russian army", "Families in Kathmandu mourn."),
                Entry("Nepal's cricket team wins", "A fine day in Kathmandu."),
            ],
        )
        verdicts = [Verdict(0.9, True, {"summary": "s"}, "m", "1"), Verdict(0.1, False, {}, "m", "1")]
        judged = with_case_facts([flagged, quiet], verdicts)
        assert "case" not in judged[1][1].reasons
        record_verdicts(session, judged)
    with database.session() as session:
        [item] = due_alerts(session, datetime.now(UTC), limit=10)
    card = "🇳🇵 Nepal → Russia's forces · deaths or wounds · 12 people"
    assert item.job.reasons["case"]["origin_countries"] == ["NP"]
    escaped = card.replace("'", "&#x27;")  # escaped as every feed field
    assert f"🧭 {escaped} · /case {item.job.story.id}" in render_alert(item.job)
    assert f"case: {card}" in render_console_alert(item.job)


def test_the_country_filter_follows_the_case_facts_in_any_language(database: Database) -> None:
    from storage.subscribers import subscribe, update_preferences

    with database.session() as session:
        for chat, countries in ((1, ["Nepal"]), (2, ["Kenya"]), (3, [])):
            subscribe(session, chat, chat_type="private", title=str(chat))
            update_preferences(session, chat, countries=countries)
        [story] = insert_stories(
            session, None, [Entry("रुसी सेनामा भर्ना भएका नेपाली युवाहरू युद्धमा मारिए", "", language="ne")]
        )
        verdict = Verdict(0.9, True, {}, "m", "1")
        assert record_verdicts(session, with_case_facts([story], [verdict])) == 2
    with database.session() as session:
        chats = sorted(item.job.chat_id for item in due_alerts(session, datetime.now(UTC), limit=10))
    assert chats == [1, 3]  # "Nepal" matched the Nepali-language story; "Kenya" did not
