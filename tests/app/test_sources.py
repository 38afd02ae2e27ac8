"""`warwatch sources`, first-run seeding, the offline case, and aggregator feeds on loopback servers.

No test reaches a real host: seeded catalogue feeds are listed, never polled; the offline case
polls names under ``.invalid``; aggregator feeds are served on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from pytest_httpserver import HTTPServer
from sqlalchemy import select

from feeds.fetch import make_client
from storage.db import Database
from storage.feeds import add_feed, list_feeds
from storage.models import Story
from storage.states import FeedStatus
from tests.offline import SEED_SOURCES_ENV
from warwatch.config import Settings
from warwatch.polling import FeedPoller


def _sources(cli, *args: str) -> list[dict[str, object]]:
    return json.loads(cli("sources", "list", "--json", *args).stdout)


def _run_once(folder: Path, database_url: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`warwatch run --once` as a child process (the test's environment keeps the catalogue unseeded)."""
    result = subprocess.run(
        [sys.executable, "-m", "warwatch", "run", "--once"],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "WARWATCH_DATABASE__URL": database_url, **env},
        cwd=folder,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def test_the_first_run_enables_the_catalogue_and_query_feeds_once(cli, monkeypatch) -> None:
    monkeypatch.setenv(SEED_SOURCES_ENV, "true")
    rows = _sources(cli)
    assert set(rows[0]) == {"url", "name", "lang", "country", "pack", "kind", "enabled"}
    feeds = [row for row in rows if row["kind"] == "feed" and row["enabled"]]
    queries = [row for row in rows if row["kind"] == "query" and row["enabled"]]
    assert len(feeds) >= 150 and len({row["lang"] for row in feeds}) >= 20
    assert len({row["lang"] for row in queries}) >= 20
    cli("sources", "disable", "wires")
    assert not any(row["enabled"] for row in _sources(cli, "--pack", "wires"))  # not seeded again
    nepal = _sources(cli, "--country", "np")
    assert nepal and all(row["country"] == "NP" for row in nepal)


def test_enable_preview_and_disable_leave_a_users_own_feed_alone(cli) -> None:
    wires = _sources(cli, "--pack", "wires")
    own = str(wires[0]["url"])
    cli("feeds", "add", own, "--name", "mine")
    preview = cli("sources", "preview", "wires").output
    assert "polled already  " in preview and f"{len(wires) - 1} to add" in preview
    assert f"{len(wires) - 1} feeds added" in cli("sources", "enable", "wires").output
    assert "0 feeds added, 0 enabled again" in cli("sources", "enable", "wires").output
    assert f"{len(wires) - 1} feeds no longer polled" in cli("sources", "disable", "wires").output
    [mine] = [feed for feed in json.loads(cli("feeds", "list", "--json").stdout) if feed["url"] == own]
    assert (mine["name"], mine["status"]) == ("mine", "ok")
    assert "no pack named 'nope'" in cli("sources", "enable", "nope", code=2).output


def test_status_says_when_nothing_is_polled_and_how_to_change_that(cli) -> None:
    cli("db", "upgrade")
    output = cli("status").output
    assert "no feed is polled" in output and "warwatch sources enable" in output


def test_offline_every_feed_fails_politely_in_one_summary_line(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'offline.db'}"
    database = Database(database_url)
    from storage.migrate import upgrade

    upgrade(database)
    with database.session() as session:
        for i in range(12):
            add_feed(session, f"https://news-{i}.invalid/rss")
    database.dispose()
    result = _run_once(tmp_path, database_url, WARWATCH_LOGGING__FORMAT="json")
    events = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    cycles = [event for event in events if event["event"] == "poll_cycle"]
    assert len(cycles) == 1 and cycles[0]["feeds_failed"] == 12 and cycles[0]["errors"] == {"dns": 12}
    assert len(events) < 20  # one line per cycle, not one per feed
    database = Database(database_url)
    with database.session() as session:
        feeds = list_feeds(session)
    database.dispose()
    assert all(feed.error_count == 1 and feed.last_error for feed in feeds), feeds[0]


def _rss(items: str) -> str:
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'


PUBLISHED = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)
TITLE = "Nepali men recruited to fight for Russia return home"
SUMMARY = "Families in Kathmandu welcomed back twelve men who were recruited with promises of jobs."
OUTLET_LINK = "https://kathmandu-news.example/2026/12/nepali-men-return"


async def test_an_aggregators_copy_of_an_outlets_story_is_one_story_named_for_the_outlet(
    feed_server: HTTPServer, database: Database
) -> None:
    outlet_item = (
        f"<item><title>{TITLE}</title><link>{OUTLET_LINK}</link><description>{SUMMARY}</description>"
    )
    feed_server.expect_request("/outlet.xml").respond_with_data(
        _rss(f"{outlet_item}<pubDate>{PUBLISHED}</pubDate></item>"), content_type="application/rss+xml"
    )
    # GDELT DOC 2.0 (format=rss): the item links the outlet's own article.
    feed_server.expect_request("/api/v2/doc/doc").respond_with_data(
        _rss(
            f"<item><title>{TITLE}</title><link>{OUTLET_LINK}?utm_source=gdelt</link>"
            f"<description>{SUMMARY}</description><pubDate>{PUBLISHED}</pubDate></item>"
        ),
        content_type="application/rss+xml",
    )
    # Google News search: a redirect link of its own, "Headline - Outlet", the outlet in <source>.
    redirect = feed_server.url_for("/rss/articles/CBMiWGh0dHBzOi8va2F0aG1hbmR1?oc=5")
    feed_server.expect_request("/rss/search").respond_with_data(
        _rss(
            f"<item><title>{TITLE} - Kathmandu News</title><link>{redirect}</link>"
            f'<description>&lt;a href="{redirect}"&gt;{TITLE}&lt;/a&gt;&amp;nbsp;&amp;nbsp;'
            f'&lt;font color="#6f6f6f"&gt;Kathmandu News&lt;/font&gt;</description>'
            f"<pubDate>{PUBLISHED}</pubDate>"
            f'<source url="https://kathmandu-news.example">Kathmandu News</source></item>'
        ),
        content_type="application/rss+xml",
    )
    with database.session() as session:
        for path in ("/outlet.xml", "/api/v2/doc/doc?query=x&format=rss", "/rss/search?q=x&hl=en-US"):
            add_feed(session, feed_server.url_for(path))
    settings = Settings(
        database={"url": database.url},
        poller={"allow_private_addresses": True, "parse_processes": 0, "polite_hosts": {}},
    )
    poller = FeedPoller(settings, database)
    try:
        async with make_client(settings.poller) as client:
            report = await poller.poll_due(client)
    finally:
        poller.close()
    assert report.feeds_polled == 3 and report.feeds_failed == 0
    with database.session() as session:
        stories = list(session.scalars(select(Story).order_by(Story.id)))
        feeds = list_feeds(session)
    assert len(stories) == 2  # GDELT's copy has the outlet's own URL: not stored again
    assert {story.outlet for story in stories} == {"kathmandu-news.example"}
    assert {story.title for story in stories} == {TITLE}  # " - Kathmandu News" dropped
    assert len({story.cluster_id or story.id for story in stories}) == 1  # one event: one alert per chat
    assert all(feed.status is FeedStatus.OK and feed.error_count == 0 for feed in feeds)


def test_query_feeds_follow_the_keyword_rules(database: Database) -> None:
    from feeds.query_feeds import QUERY_PACK
    from storage.keywords import add_rule
    from storage.sources import enable_sources
    from tests.storage.test_keywords import Spec
    from warwatch.sources import QueryFeeds, catalogue

    with database.session() as session:
        add_rule(session, Spec("mercenary", 2.0, lang="en"))
        enable_sources(session, catalogue(session)[QUERY_PACK].feeds)
        before = {feed.url for feed in list_feeds(session) if feed.pack == QUERY_PACK}
        add_rule(session, Spec("foreign legion", 2.0, lang="en"))  # an admin's new rule
        QueryFeeds().refresh(session)
        after = {feed.url for feed in list_feeds(session) if feed.pack == QUERY_PACK}
    assert before and after and before.isdisjoint(after)  # every GDELT search now has both terms
    assert all("legion" in url for url in after if "gdeltproject" in url)


def test_query_feeds_stay_off_when_their_pack_is_disabled(database: Database) -> None:
    from storage.keywords import add_rule
    from tests.storage.test_keywords import Spec
    from warwatch.sources import QueryFeeds

    with database.session() as session:
        add_rule(session, Spec("mercenary", 2.0, lang="en"))
        QueryFeeds().refresh(session)
        assert list_feeds(session) == []


def test_source_stats_name_each_source_with_its_yield(cli) -> None:
    cli("sources", "enable", "rights-and-conflict")
    rows = json.loads(cli("sources", "stats", "--json").stdout)
    assert rows and {row["pack"] for row in rows} == {"rights-and-conflict"}
    assert rows[0]["stories_per_day"] == 0 and rows[0]["flagged_share"] is None
    assert "last success never" in cli("sources", "stats").stdout


def test_a_service_with_no_feed_says_so_and_how_to_add_one(tmp_path: Path) -> None:
    result = _run_once(tmp_path, f"sqlite:///{tmp_path / 'empty.db'}")
    assert "no_feeds" in result.stderr and "warwatch sources enable PACK" in result.stderr
