"""HTML injection through feeds into Telegram messages: a loopback feed whose titles, summaries,
links and host names carry tags (<b>, <script>, <a href="javascript:…">, unbalanced ones),
entities, quotes, ``&`` and search-highlight markers goes through the real poll, classification and
delivery; every message the fake Telegram receives (alert, /search, /latest) is valid Telegram HTML
under 4096 characters, with the feed's text shown as text, never as markup."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from pytest_httpserver import HTTPServer

from bot.render import highlight
from feeds.parse import FeedParseError, parse_feed
from feeds.settings import PollerSettings
from storage.feeds import add_feed
from storage.models import Alert
from storage.search import HIGHLIGHT_END, HIGHLIGHT_START
from storage.states import AlertStatus
from tests.bot.doubles import keyword_classify
from tests.bot.harness import USER_ID, BotHarness
from tests.security.conftest import ingest_settings, poll_due_feeds
from tests.security.telegram_html import TelegramHTMLError, check_message, visible_text
from textkit.language import LanguageDetector
from warwatch.pipeline import Classification

PUBLISHED = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)
LONG_QUERY = "&amp;x=" * 600  # escaped, the link alone passes Telegram's limit


def _item(title: str, link: str, description: str) -> str:
    return (
        f"<item><title>{title}</title><link>{link}</link><description>{description}</description>"
        f"<pubDate>{PUBLISHED}</pubDate></item>"
    )


HOSTILE_FEED = (
    "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel>"
    "<title>&lt;b&gt;Evil&lt;/b&gt; feed</title><link>https://evil.example/</link>"
    # Double-escaped: after XML and HTML decoding, literal markup that must be shown as text.
    + _item(
        "Recruiters &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; "
        "&amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt; 5 &amp;lt; 7 &amp;amp; co &amp;quot;q&amp;quot;",
        "https://news.example/a?x=1&amp;y=&quot;2&quot;&amp;z=&lt;i&gt;",
        '<![CDATA[<p onclick="evil()">Men <a href="javascript:alert(1)">recruited</a> <b>unbalanced '
        "<i>tags <script>steal()</script><style>p{}</style> &amp; \"quotes\" 'single' &lt;/b&gt;</p>]]>",
    )
    # Real markup in the title: reduced to its text, so nothing of it survives as a tag.
    + _item(
        '<![CDATA[<a href="javascript:alert(2)">Mercenary</a> <b>recruits <i>unclosed <tg-spoiler>x]]>',
        "https://a&amp;b&lt;i&gt;&quot;x.example/story",  # no host name: no outlet, an escaped href
        "Recruited abroad, say families of the men.",
    )
    + _item(
        '<![CDATA[<a href="javascript:alert(2)">Mercenary</a> <b>recruits <i>unclosed</i></b> again]]>',
        "https://wire.example/story",
        "Recruited abroad, families of the men say.",  # same event, another outlet: "Also reported by"
    )
    # Search-highlight markers (private-use characters) in the text itself.
    + _item(
        "Recruits &#xE001; exposed &#xE000; again",
        "https://news.example/markers",
        "Families speak.",
    )
    # Long: the escaped link and title together are longer than one message.
    + _item(
        "Recruitment " + "&amp;amp;&amp;lt;" * 120,
        "https://news.example/long?" + LONG_QUERY,
        "&amp;lt;recruit&amp;gt; " * 300,
    )
    + "</channel></rss>"
).encode()


@pytest.fixture
async def delivered(
    bot: BotHarness, feed_server: HTTPServer, detector: LanguageDetector, database_url: str
) -> BotHarness:
    """The hostile feed polled, classified and delivered to a subscribed chat."""
    await bot.ask("/subscribe")
    feed_server.expect_request("/hostile.xml").respond_with_data(
        HOSTILE_FEED, content_type="application/rss+xml"
    )
    with bot.database.session() as session:
        add_feed(session, feed_server.url_for("/hostile.xml"))
    await poll_due_feeds(ingest_settings(database_url, allow_private=True), bot.database, detector)
    report = Classification(bot.database, keyword_classify, batch_size=10).run_pending()
    assert (report.classified, report.alerts_queued) == (5, 4)  # two stories are one event
    await bot.server.wait_for(lambda: _statuses(bot) == [AlertStatus.SENT] * 4)
    return bot


def _statuses(bot: BotHarness) -> list[AlertStatus]:
    with bot.database.session() as session:
        return [row.status for row in session.query(Alert).order_by(Alert.id)]


def _visible(bot: BotHarness) -> list[str]:
    return [check_message(call.params["text"]) for call in bot.server.sent(USER_ID)]


async def test_feed_markup_reaches_telegram_as_text_only(delivered: BotHarness) -> None:
    texts = [call.params["text"] for call in delivered.server.sent(USER_ID)]
    seen = "\n".join(_visible(delivered))
    assert 'Recruiters <script>alert(1)</script> <b>bold</b> 5 < 7 & co "q"' in seen
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in "\n".join(texts)
    assert "Men recruited unbalanced tags & \"quotes\" 'single' </b>" in seen
    assert "Mercenary recruits unclosed x" in seen and "Also reported by: wire.example" in seen
    assert "📰 unknown outlet" in seen and "a&b" not in seen  # a junk host name is no outlet
    assert '<a href="https://a&amp;b&lt;i&gt;&quot;x.example/story">' in "\n".join(texts)
    for text in texts:
        for fragment in ("<script", "javascript:", "onclick", "steal()", "<style", "<tg-spoiler", "<u>"):
            assert fragment not in text, (fragment, text)
    assert '<a href="https://news.example/a?x=1&amp;y=&quot;2&quot;&amp;z=&lt;i&gt;">' in "\n".join(texts)


async def test_an_alert_whose_escaped_link_is_too_long_loses_the_link_not_its_validity(
    delivered: BotHarness,
) -> None:
    [call] = [c for c in delivered.server.sent(USER_ID) if "Recruitment" in c.params["text"]]
    assert "Recruitment &<&<" in check_message(call.params["text"])
    assert "<a href" not in call.params["text"]


async def test_search_and_latest_show_hostile_stories_as_valid_html(delivered: BotHarness) -> None:
    for command in ("/search recruits", "/search recruiters script", "/search exposed", "/latest"):
        [reply] = await delivered.ask(command)
        check_message(reply)
    [markers] = await delivered.ask("/search exposed again")
    assert "Recruits" in check_message(markers) and "<b>exposed</b>" in markers


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        (f"{HIGHLIGHT_START}Recruits{HIGHLIGHT_END} <i>", "<b>Recruits</b> &lt;i&gt;"),
        (f"{HIGHLIGHT_START}a{HIGHLIGHT_END} {HIGHLIGHT_END} b {HIGHLIGHT_START} c", "<b>a</b>  b  c"),
        (f"{HIGHLIGHT_END}x{HIGHLIGHT_START}", "x"),
        (f"{HIGHLIGHT_START}{HIGHLIGHT_START}x{HIGHLIGHT_END}{HIGHLIGHT_END}", "<b>x</b>"),
        (f"{HIGHLIGHT_START}{HIGHLIGHT_END}&", "&amp;"),
    ],
)
def test_highlight_markers_from_story_text_never_unbalance_the_markup(snippet: str, expected: str) -> None:
    assert highlight(snippet) == expected
    visible_text(highlight(snippet))


def test_hostile_html_is_reduced_to_text_when_parsed(detector: LanguageDetector) -> None:
    body = (
        "<rss version='2.0'><channel><title>T</title>"
        + _item(
            "&lt;script&gt;alert('x')&lt;/script&gt;&lt;b&gt;Bold&lt;/b&gt; "
            "claim: 5 &amp;lt; 7 &amp;amp; more",
            "https://x.example/1",
            "<![CDATA[<p onclick='evil()'>Hello<style>p{color:red}</style> <img src=x onerror=alert(1)>"
            "<iframe src='https://evil.example'>inner</iframe>world</p>&nbsp;&eacute;t&eacute;]]>",
        )
        + "</channel></rss>"
    ).encode()
    settings = PollerSettings(max_title_chars=120, max_summary_chars=400)
    feed = parse_feed(
        body, url="https://feeds.example/rss", content_type=None, fetched_at=datetime.now(UTC),
        settings=settings, detector=detector,
    )  # fmt: skip
    (entry,) = feed.entries
    assert entry.title == "Bold claim: 5 < 7 & more"
    assert entry.summary == "Hello world été"
    for fragment in ("<", "alert", "evil", "color", "inner"):
        assert fragment not in entry.summary
    with pytest.raises(FeedParseError):  # an error, never an exception of another kind
        parse_feed(b"<<<", url="https://f.example/", content_type=None, fetched_at=datetime.now(UTC),
                   settings=settings, detector=detector)  # fmt: skip


@pytest.mark.parametrize(
    "message",
    [
        "<script>x</script>",
        "a & b",
        "1 < 2",
        "<b>open",
        "</b>",
        "<b><i>x</b></i>",
        '<a href="javascript:alert(1)">x</a>',
        '<b class="x">x</b>',
        "&nbsp;",
        "x" * 4097,
        "",
    ],
)
def test_the_checker_refuses_what_telegram_would(message: str) -> None:
    with pytest.raises(TelegramHTMLError):
        check_message(message)


def test_the_checker_reads_what_telegram_reads() -> None:
    link = '<a href="https://x.example/?a=1&amp;b=&quot;2&quot;">5 &lt; 7 &amp; co</a>'
    text = f"🚨 <b>{link}</b>\n<i>Why:</i> ok"
    assert check_message(text) == "🚨 5 < 7 & co\nWhy: ok"
