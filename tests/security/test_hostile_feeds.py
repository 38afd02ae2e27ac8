"""A hostile or broken feed server against the poll: NUL and other control characters in links,
channel links and guids, over-long channel links, host names, ETag and Last-Modified headers. On
PostgreSQL (which refuses NUL and over-long strings) each of these used to raise out of the poll cycle,
losing the other feeds' results and leaving the bad feed due forever. Now all are stored cleaned,
bounded or dropped, on both databases, and a good feed in the same cycle is unaffected."""

from __future__ import annotations

from pytest_httpserver import HTTPServer
from sqlalchemy import text

from storage.db import Database
from storage.feeds import add_feed, list_feeds
from tests.security.conftest import ingest_settings, poll_due_feeds
from textkit.language import LanguageDetector

CHANNEL = (
    "<rss version='2.0'><channel><title>t</title>{link}"
    "<item><title>{title}</title>{item}</item></channel></rss>"
)
FEEDS: dict[str, tuple[str, str, str, dict[str, str]]] = {
    # name: (channel link, item title, item XML, response headers)
    "nul-in-link": ("", "Recruits one", "<link>https://x.example/a\x00b\x1bc</link>", {}),
    "nul-reference-in-link": ("", "Recruits two", "<link>https://x.example/a&#0;b</link>", {}),
    "nul-in-channel-link": ("<link>https://x.example/\x00</link>", "Recruits three", "", {}),
    "long-channel-link": ("<link>https://x.example/" + "a" * 3000 + "</link>", "Recruits four", "", {}),
    "long-guid-and-host": (
        "",
        "Recruits five",
        "<guid>" + "g" * 3000 + "</guid><link>https://" + "h" * 300 + ".example/e</link>",
        {},
    ),
    "long-validators": ("", "Recruits six", "", {"ETag": '"' + "e" * 1000 + '"', "Last-Modified": "x" * 300}),
    "good": (
        "<link>https://good.example/</link>",
        "Recruits seven",
        "<link>https://good.example/7</link>",
        {"ETag": '"v1"'},
    ),
}
LIMITS = {"url": 2048, "canonical_url": 2048, "guid": 1024, "outlet": 255}


async def test_hostile_feed_fields_never_break_the_poll(
    feed_server: HTTPServer, database: Database, database_url: str, detector: LanguageDetector
) -> None:
    with database.session() as session:
        for name, (channel_link, title, item, headers) in FEEDS.items():
            body = CHANNEL.format(link=channel_link, title=title, item=item).encode()
            feed_server.expect_request(f"/{name}").respond_with_data(body, headers=headers)
            add_feed(session, feed_server.url_for(f"/{name}"))
    await poll_due_feeds(ingest_settings(database_url, allow_private=True), database, detector)
    with database.session() as session:
        feeds = {feed.url.rsplit("/", 1)[1]: feed for feed in list_feeds(session)}
        stories = session.execute(text("SELECT title, url, canonical_url, guid, outlet FROM stories")).all()
    assert all(feed.last_polled_at is not None and feed.error_count == 0 for feed in feeds.values()), feeds
    assert sorted(story.title for story in stories) == sorted(title for _, title, _, _ in FEEDS.values())
    for story in stories:
        for column, limit in LIMITS.items():
            value = getattr(story, column) or ""
            assert len(value) <= limit and not any(ord(ch) < 0x20 for ch in value), (column, value[:80])
    assert {story.url for story in stories} >= {"https://x.example/a%00b%1Bc", "https://x.example/a%00b"}
    assert feeds["long-channel-link"].site_url is None
    assert feeds["nul-in-channel-link"].site_url == "https://x.example/%00"
    assert feeds["long-validators"].etag is None and feeds["long-validators"].last_modified is None
    assert (feeds["good"].site_url, feeds["good"].etag) == ("https://good.example/", '"v1"')
