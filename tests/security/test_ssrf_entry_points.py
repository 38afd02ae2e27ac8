"""SSRF through the ways feed URLs come in from people: the bot's /addfeed (an admin's message over
the fake Bot API) and OPML import (``parse_opml`` and `warwatch feeds import`; the bot takes no OPML
uploads). Every unsafe URL is refused with a reason and nothing is stored; a name only DNS reveals
as loopback is stored, but the real poll refuses to fetch it. And the parsing libraries never fetch
or open anything themselves."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

from feeds.opml import OpmlFeed, parse_opml
from feeds.parse import FeedParseError, parse_feed
from feeds.settings import PollerSettings
from storage.audit import recent_audit
from storage.db import Database
from storage.feeds import list_feeds
from tests.bot.harness import ADMIN_ID, BotHarness
from tests.security.conftest import NamedServer, ask_all, ingest_settings, poll_due_feeds, run_cli
from tests.security.ssrf_cases import UNSAFE
from textkit.language import LanguageDetector

GOOD = "https://news.example/rss"
RSS = b"<rss version='2.0'><channel><title>t</title><item><title>x</title></item></channel></rss>"
ONE_WORD = [url for url in UNSAFE if url.split() == [url]]  # what fits in one command argument
IN_XML = [url for url in UNSAFE if url.strip() and all(ch >= " " for ch in url)]  # what XML can carry


def opml(*urls: str) -> bytes:
    outlines = "".join(f"<outline type='rss' text='feed' xmlUrl={quoteattr(url)}/>" for url in urls)
    return f"<?xml version='1.0'?><opml version='2.0'><head/><body>{outlines}</body></opml>".encode()


def _stored_urls(database: Database) -> list[str]:
    with database.session() as session:
        return [feed.url for feed in list_feeds(session)]


async def test_addfeed_refuses_every_unsafe_url(bot: BotHarness) -> None:
    replies = await ask_all(bot, [f"/addfeed {url}" for url in ONE_WORD], chat_id=ADMIN_ID)
    for url, reply in zip(ONE_WORD, replies, strict=True):
        assert reply.startswith("Not added:"), (url, reply)
    [usage] = await bot.ask("/addfeed http://exa mple.com/", chat_id=ADMIN_ID)
    assert "Usage" in usage
    assert _stored_urls(bot.database) == []
    with bot.database.session() as session:
        assert recent_audit(session) == []
    [added] = await bot.ask(f"/addfeed {GOOD}", chat_id=ADMIN_ID)  # the same path does add a safe one
    assert "Feed #1 added" in added and _stored_urls(bot.database) == [GOOD]


async def test_addfeed_of_a_name_resolving_to_loopback_is_stored_but_never_fetched(
    bot: BotHarness, named_server: NamedServer, database_url: str, detector: LanguageDetector
) -> None:
    """/addfeed does no DNS lookup (a name's answer can change); the poll's guard does, every time."""
    named_server.server.expect_request("/feed").respond_with_data(RSS)
    [reply] = await bot.ask(f"/addfeed {named_server.url('/feed')}", chat_id=ADMIN_ID)
    assert "added" in reply
    await poll_due_feeds(ingest_settings(database_url, allow_private=False), bot.database, detector)
    with bot.database.session() as session:
        [feed] = list_feeds(session)
    assert feed.error_count == 1 and "non-public address" in str(feed.last_error)
    assert not named_server.server.log


def test_parse_opml_reports_every_unsafe_url_and_keeps_the_safe_one() -> None:
    document = parse_opml(opml(*IN_XML, GOOD))
    assert document.feeds == (OpmlFeed(GOOD, "feed"),)
    for url in IN_XML:
        assert any(problem.startswith(f"{url.strip()}:") for problem in document.problems), url
    assert len(document.problems) == len(IN_XML)


def test_opml_import_never_fetches_a_url_passed_as_text() -> None:
    """listparser fetches a str that looks like a URL; parse_opml only ever hands it bytes."""
    assert parse_opml(b"https://example.com/subscriptions.opml").feeds == ()
    assert parse_opml(b"/etc/passwd").feeds == ()


def test_a_feed_body_that_looks_like_a_path_is_never_opened(
    tmp_path: Path, detector: LanguageDetector
) -> None:
    """feedparser opens a str or bytes argument that names a file; parse_feed hands it a stream."""
    secret = tmp_path / "secret.xml"
    secret.write_bytes(RSS)
    with pytest.raises(FeedParseError):
        parse_feed(
            str(secret).encode(), url="https://feeds.example/rss", content_type=None,
            fetched_at=datetime.now(UTC), settings=PollerSettings(), detector=detector,
        )  # fmt: skip


def test_cli_import_skips_every_unsafe_url(tmp_path: Path, database: Database, database_url: str) -> None:
    path = tmp_path / "feeds.opml"
    path.write_bytes(opml(*IN_XML, GOOD))
    result = run_cli(tmp_path, database_url, "feeds", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "imported 1 feeds" in result.output
    assert result.output.count("skipped: ") == len(IN_XML)
    assert _stored_urls(database) == [GOOD]


def test_cli_import_survives_hostile_outline_titles(
    tmp_path: Path, database: Database, database_url: str
) -> None:
    """A title longer than a feed name may be used to abort the whole import on PostgreSQL."""
    title = "<b>Wire</b> &amp; \u202eevil\u200b\x07 " + "t" * 1000
    outline = f"<outline type='rss' text={quoteattr(title)} xmlUrl='{GOOD}'/>"
    path = tmp_path / "feeds.opml"
    path.write_text(f"<?xml version='1.0'?><opml version='2.0'><head/><body>{outline}</body></opml>")
    result = run_cli(tmp_path, database_url, "feeds", "import", str(path))
    assert result.exit_code == 0 and "imported 1 feeds" in result.output, result.output
    with database.session() as session:
        [feed] = list_feeds(session)
    assert feed.name is not None and len(feed.name) <= 300 and feed.name.startswith("<b>Wire</b> &amp; evil ")
    assert "\u202e" not in feed.name and "\u200b" not in feed.name and "\x07" not in feed.name


async def test_cli_import_of_a_name_resolving_to_loopback_is_never_fetched(
    tmp_path: Path,
    database: Database,
    database_url: str,
    named_server: NamedServer,
    detector: LanguageDetector,
) -> None:
    named_server.server.expect_request("/feed").respond_with_data(RSS)
    path = tmp_path / "feeds.opml"
    path.write_bytes(opml(named_server.url("/feed")))
    result = run_cli(tmp_path, database_url, "feeds", "import", str(path))
    assert "imported 1 feeds" in result.output, result.output
    await poll_due_feeds(ingest_settings(database_url, allow_private=False), database, detector)
    with database.session() as session:
        [feed] = list_feeds(session)
    assert "non-public address" in str(feed.last_error) and not named_server.server.log
