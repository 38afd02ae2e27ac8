"""Console delivery (no Telegram token) prints the console pseudo-chat's alerts and no one else's."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from pytest_httpserver import HTTPServer
from sqlalchemy import select

from storage.db import Database
from storage.models import Alert, Subscriber
from storage.states import AlertStatus
from storage.stories import insert_stories, pending_stories
from storage.subscribers import CONSOLE_CHAT_ID, set_console_subscriber, subscribe
from storage.verdicts import record_verdicts
from tests.storage.factories import Entry, FakeVerdict

TELEGRAM_CHAT = 777001


def test_a_tokenless_run_delivers_only_the_console_chats_alerts(cli, database_url: str) -> None:
    cli("db", "upgrade")
    database = Database(database_url)
    with database.session() as session:
        subscribe(session, TELEGRAM_CHAT, chat_type="private", title="analyst")
        set_console_subscriber(session, active=True)
        [story] = insert_stories(session, None, [Entry("Recruiters lured Nepali men to the front")])
        assert record_verdicts(session, [(story.id, FakeVerdict(0.9, True))]) == 2
    try:
        output = cli("run", "--once").stdout
        assert output.count("ALERT") == 1 and "Recruiters lured Nepali men to the front" in output
        with database.session() as session:
            status = dict(
                session.execute(
                    select(Subscriber.chat_id, Alert.status).join(
                        Subscriber, Subscriber.id == Alert.subscriber_id
                    )
                ).all()
            )
        assert status == {CONSOLE_CHAT_ID: AlertStatus.SENT, TELEGRAM_CHAT: AlertStatus.PENDING}
    finally:
        database.dispose()


def test_a_console_alert_names_the_feed_and_shows_no_urn_for_a_story_without_a_link(
    make_cli, feed_server: HTTPServer, database_url: str
) -> None:
    cli = make_cli("[poller]\nallow_private_addresses = true\nparse_processes = 0\n")
    published = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)
    story_url = feed_server.url_for("/story/1")
    feed_server.expect_request("/rss").respond_with_data(
        "<rss version='2.0'><channel><title>Front page</title>"
        f"<item><title>Recruiters lured Nepali men to the front</title><link>{story_url}</link>"
        f"<pubDate>{published}</pubDate></item>"
        "<item><title>Kenyans sent to fight in Ukraine after job offers</title>"
        f"<guid isPermaLink='false'>item-2</guid><pubDate>{published}</pubDate></item>"
        "</channel></rss>",
        content_type="application/rss+xml",
    )
    cli("feeds", "add", feed_server.url_for("/rss"), "--name", "Kathmandu Post")
    assert "2 new stories stored" in cli("feeds", "poll", "1").stdout
    database = Database(database_url)
    try:
        with database.session() as session:
            set_console_subscriber(session, active=True)
            stories = pending_stories(session, 10)
            assert record_verdicts(session, [(story.id, FakeVerdict(0.9, True)) for story in stories]) == 2
    finally:
        database.dispose()
    output = cli("run", "--once").stdout
    assert output.count("ALERT") == 2 and output.count("  Kathmandu Post · ") == 2
    assert "127.0.0.1 ·" not in output and f"  {story_url}" in output
    assert "urn:" not in output


def test_a_new_development_in_a_followed_storyline_says_so_on_the_console() -> None:
    from storage.records import AlertJob, StoryRecord
    from storage.states import StoryState
    from warwatch.console import render_console_alert

    story = StoryRecord(
        1, None, "https://x.example/1", "https://x.example/1", "Recruiter charged", "", "en", "x.example",
        datetime(2026, 11, 1, tzinfo=UTC), None, StoryState.CLASSIFIED,
    )  # fmt: skip
    reasons: dict[str, object] = {"case": {"card": "🇳🇵 Nepal → Russia's forces · arrests or trials"}}
    job = AlertJob(1, AlertStatus.PENDING, 0, 0, 1, story, 0.9, reasons, (), storyline_id=7)
    assert render_console_alert(job).startswith("[bold red]ALERT[/]")
    assert "  case: 🇳🇵 Nepal → Russia's forces · arrests or trials · storyline 7" in render_console_alert(job)
    development = render_console_alert(replace(job, development=True))
    assert development.startswith(
        "[bold magenta]NEW DEVELOPMENT in storyline 7[/] [bold]Recruiter charged[/]"
    )
