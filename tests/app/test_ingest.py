"""The pipeline's ingest stage against a real loopback feed server and a real database."""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feeds.fetch import make_client
from feeds.poller import poll_feeds
from storage.db import Database
from storage.feeds import PollLike, add_feed, list_feeds, record_polls
from storage.models import Story
from storage.states import FeedStatus
from storage.stories import stories_after
from tests.feeds.feeds_samples import ARTICLE
from warwatch.config import Settings
from warwatch.logs import configure_logging
from warwatch.polling import FeedPoller, collect_less_often

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{title}</title><link>https://{host}/</link>
{items}
</channel></rss>"""
ITEM = """<item><title>{title}</title><link>{link}</link><guid>{guid}</guid>
<description>{summary}</description><pubDate>{published}</pubDate></item>"""

EVENT_A = (
    "Nepal arrests agents who sent Nepali men to fight for Russia",
    "Police in Kathmandu arrested three recruitment agents accused of sending dozens of young Nepali men "
    "to fight for the Russian army in Ukraine after promising them security jobs.",
)
EVENT_B = (
    "Three recruiters held in Kathmandu over Nepalis sent to Russian army",
    "Nepal police have arrested three agents accused of sending dozens of young Nepali men to the Russian "
    "army in Ukraine, where they had been promised security jobs.",
)
UNRELATED = ("Markets rally as inflation cools", "Stocks rose on Monday after new inflation figures.")
OTHER_TOPIC = (
    "Kenyan runners dominate Berlin marathon",
    "Kenyan athletes took the first three places in the Berlin marathon on Sunday.",
)


def rss(title: str, host: str, items: list[tuple[str, str, str]]) -> str:
    published = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)
    body = "\n".join(
        ITEM.format(title=t, summary=s, link=link, guid=link, published=published) for (t, s, link) in items
    )
    return RSS.format(title=title, host=host, items=body)


@pytest.fixture
def make_poller() -> Iterator[Callable[[Settings, Database], FeedPoller]]:
    """Pollers whose parse workers are stopped after the test."""
    made: list[FeedPoller] = []

    def make(settings: Settings, database: Database) -> FeedPoller:
        made.append(FeedPoller(settings, database))
        return made[-1]

    yield make
    for poller in made:
        poller.close()


@pytest.fixture
def settings(database: Database) -> Settings:
    return Settings(
        database={"url": database.url},
        poller={"allow_private_addresses": True, "read_timeout_seconds": 2, "total_timeout_seconds": 5},
    )


async def test_stories_are_stored_once_and_clustered_across_outlets(
    feed_server: HTTPServer, database: Database, settings: Settings, make_poller
) -> None:
    feed_server.expect_request("/a.xml").respond_with_data(
        rss(
            "Outlet A",
            "a.example",
            [
                (*EVENT_A, "https://a.example/nepal-agents?utm_source=rss"),
                (*UNRELATED, "https://a.example/markets"),
            ],
        ),
        content_type="application/rss+xml",
        headers={"ETag": '"a1"'},
    )
    feed_server.expect_request("/b.xml").respond_with_data(
        rss(
            "Outlet B",
            "b.example",
            [
                # the same story with other tracking parameters
                (*EVENT_A, "https://a.example/nepal-agents?utm_medium=social&fbclid=xyz"),
                (*EVENT_B, "https://b.example/kathmandu-recruiters"),  # same event, other wording
                (*OTHER_TOPIC, "https://b.example/marathon"),
            ],
        ),
        content_type="application/rss+xml",
    )
    feed_server.expect_request("/broken.xml").respond_with_data("<rss><channel><item>", status=500)
    with database.session() as session:
        for name in ("a", "b", "broken"):
            add_feed(session, feed_server.url_for(f"/{name}.xml"))

    poller = make_poller(settings, database)
    async with make_client(settings.poller) as client:
        report = await poller.poll_due(client)
        assert report.feeds_polled == 3 and report.feeds_failed == 1
        assert report.stories_new == 4

        with database.session() as session:
            stories = {s.title: s for s in stories_after(session, 0, datetime(2000, 1, 1, tzinfo=UTC))}
            assert session.scalar(select(func.count(Story.id))) == 4
            feeds = {f.url.rsplit("/", 1)[-1]: f for f in list_feeds(session)}
        assert stories[EVENT_B[0]].cluster_id == stories[EVENT_A[0]].id
        assert stories[OTHER_TOPIC[0]].cluster_id == stories[OTHER_TOPIC[0]].id
        assert stories[EVENT_A[0]].language == "en"
        assert stories[EVENT_A[0]].canonical_url == "https://a.example/nepal-agents"
        assert feeds["a.xml"].etag == '"a1"' and feeds["a.xml"].name == "Outlet A"
        assert feeds["broken.xml"].error_count == 1 and "500" in (feeds["broken.xml"].last_error or "")
        assert feeds["broken.xml"].status is FeedStatus.OK  # one error is not yet "failing"

        # Nothing is due again until the next poll time; then nothing new is stored.
        assert (await poller.poll_due(client)).feeds_polled == 0
        later = datetime.now(UTC) + timedelta(days=2)
        again = await poller.poll_due(client, now=later)
        assert again.feeds_polled == 3 and again.stories_new == 0


async def test_clusters_survive_a_restart(
    feed_server: HTTPServer, database: Database, settings: Settings, make_poller
) -> None:
    feed_server.expect_request("/a.xml").respond_with_data(
        rss("A", "a.example", [(*EVENT_A, "https://a.example/1")]), content_type="application/rss+xml"
    )
    with database.session() as session:
        add_feed(session, feed_server.url_for("/a.xml"))
    async with make_client(settings.poller) as client:
        await make_poller(settings, database).poll_due(client)
        feed_server.clear()
        feed_server.expect_request("/b.xml").respond_with_data(
            rss("B", "b.example", [(*EVENT_B, "https://b.example/2")]), content_type="application/rss+xml"
        )
        with database.session() as session:
            add_feed(session, feed_server.url_for("/b.xml"))
        restarted = make_poller(settings, database)  # rebuilds its index from the last 72 h of stories
        await restarted.poll_due(client)
    with database.session() as session:
        first, second = stories_after(session, 0, datetime(2000, 1, 1, tzinfo=UTC))
    assert second.cluster_id == first.id


async def test_items_older_than_the_retention_horizon_are_not_stored(
    feed_server: HTTPServer, database: Database, settings: Settings, make_poller
) -> None:
    """Stored, they would be pruned at once and stored anew, as "new" stories, on every poll."""
    old = format_datetime(datetime.now(UTC) - timedelta(days=40), usegmt=True)
    fresh = format_datetime(datetime.now(UTC) - timedelta(days=1), usegmt=True)
    items = "\n".join(
        ITEM.format(title=title, summary=summary, link=link, guid=link, published=published)
        for (title, summary), link, published in (
            (EVENT_A, "https://a.example/old", old),
            (UNRELATED, "https://a.example/fresh", fresh),
        )
    )
    feed_server.expect_request("/a.xml").respond_with_data(
        RSS.format(title="A", host="a.example", items=items), content_type="application/rss+xml"
    )
    with database.session() as session:
        add_feed(session, feed_server.url_for("/a.xml"))
    short_retention = settings.model_copy(
        update={"retention": settings.retention.model_copy(update={"story_days": 30})}
    )
    async with make_client(settings.poller) as client:
        report = await make_poller(short_retention, database).poll_due(client)
    assert (report.entries_seen, report.stories_new) == (2, 1)
    with database.session() as session:
        assert list(session.scalars(select(Story.title))) == [UNRELATED[0]]


async def test_a_malformed_feed_that_still_yields_entries_is_used_and_its_error_kept(
    feed_server: HTTPServer, database: Database, settings: Settings, make_poller
) -> None:
    published = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)
    item = ITEM.format(
        title=EVENT_A[0], summary=EVENT_A[1], link="https://a.example/x", guid="x", published=published
    )
    truncated = RSS.format(title="A", host="a.example", items=item).replace(
        "</channel></rss>", "<item><title>Cut"
    )
    feed_server.expect_request("/a.xml").respond_with_data(
        truncated, content_type="application/rss+xml", headers={"ETag": '"v1"'}
    )
    with database.session() as session:
        add_feed(session, feed_server.url_for("/a.xml"))
    async with make_client(settings.poller) as client:
        report = await make_poller(settings, database).poll_due(client)
    assert report.stories_new >= 1 and report.feeds_failed == 0
    with database.session() as session:
        [feed] = list_feeds(session)
    assert feed.status is FeedStatus.OK and feed.error_count == 0 and feed.etag == '"v1"'
    assert feed.last_error is not None and feed.last_error.startswith("malformed but usable")


async def test_full_text_fetch_fills_in_the_article_and_drops_a_second_address_of_it(
    feed_server: HTTPServer, database: Database, settings: Settings, make_poller
) -> None:
    """`fetch_full_text`: the classifier reads the article, and its rel=canonical unmasks a duplicate."""
    for path in ("/story", "/mirror/story"):  # one article, two addresses (a mirror domain, say)
        feed_server.expect_request(path).respond_with_data(ARTICLE, content_type="text/html")
    feed_server.expect_request("/a.xml").respond_with_data(
        rss(
            "A",
            "a.example",
            [
                (
                    "Nepal asks Russia to return citizens",
                    "Short feed summary.",
                    feed_server.url_for("/story"),
                ),
                (
                    "Nepal wants its men back from Russia",
                    "Another summary.",
                    feed_server.url_for("/mirror/story"),
                ),
            ],
        ),
        content_type="application/rss+xml",
    )
    with database.session() as session:
        add_feed(session, feed_server.url_for("/a.xml"))
    full_text = settings.model_copy(
        update={"poller": settings.poller.model_copy(update={"fetch_full_text": True})}
    )
    async with make_client(full_text.poller) as client:
        report = await make_poller(full_text, database).poll_due(client)
    assert (report.stories_new, report.articles_fetched) == (1, 2)
    with database.session() as session:
        [story] = stories_after(session, 0, datetime(2000, 1, 1, tzinfo=UTC))
    assert report.new_story_ids == [story.id]  # stored once, final: nothing stored, then deleted
    assert story.canonical_url == f"https://127.0.0.1:{feed_server.port}/news/nepal-russia"
    assert "12 have been killed" in story.summary and "Copyright" not in story.summary


async def test_a_feed_that_keeps_failing_is_marked_and_shown_with_its_error(
    feed_server: HTTPServer, database: Database, settings: Settings, make_poller
) -> None:
    from typer.testing import CliRunner

    from warwatch.cli import app

    feed_server.expect_request("/down.xml").respond_with_data("busy", status=503)
    with database.session() as session:
        add_feed(session, feed_server.url_for("/down.xml"))
    strict = settings.model_copy(
        update={"poller": settings.poller.model_copy(update={"failing_after_errors": 2})}
    )
    poller = make_poller(strict, database)
    async with make_client(strict.poller) as client:
        await poller.poll_due(client)
        await poller.poll_due(client, now=datetime.now(UTC) + timedelta(days=1))
    with database.session() as session:
        [feed] = list_feeds(session)
    assert feed.status is FeedStatus.FAILING and feed.error_count == 2 and "503" in (feed.last_error or "")
    env = {"WARWATCH_DATABASE__URL": database.url}
    listed = CliRunner().invoke(app, ["--config", "/dev/null", "feeds", "list", "--json"], env=env)
    [row] = json.loads(listed.stdout)
    assert (row["status"], row["errors"]) == ("failing", 2) and "503" in row["last_error"]


async def test_a_feed_that_fails_to_store_loses_nothing_the_others_of_its_batch_brought(
    feed_server: HTTPServer,
    database: Database,
    settings: Settings,
    make_poller,
    monkeypatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, event in (("a", EVENT_A), ("b", OTHER_TOPIC), ("c", UNRELATED)):
        feed_server.expect_request(f"/{name}.xml").respond_with_data(
            rss(name, f"{name}.example", [(*event, f"https://{name}.example/1")]),
            content_type="application/rss+xml",
        )
    with database.session() as session:
        before, bad, after = (add_feed(session, feed_server.url_for(f"/{name}.xml")) for name in "abc")
    now = datetime.now(UTC)
    async with make_client(settings.poller) as client:
        polled = [
            outcome async for outcome in poll_feeds(client, [before, bad, after], settings.poller, now=now)
        ]

    def fail_with_the_bad_feed(session: Session, polls: Iterable[PollLike], *, polled_at: datetime) -> None:
        polls = list(polls)
        if any(poll.feed_id == bad.id for poll in polls):
            raise OSError("disk full")
        record_polls(session, polls, polled_at=polled_at)

    monkeypatch.setattr("warwatch.story_store.record_polls", fail_with_the_bad_feed)
    poller = make_poller(settings, database)
    in_order = sorted(polled, key=lambda outcome: [before.id, bad.id, after.id].index(outcome.feed_id))
    configure_logging(fmt="json")
    try:
        news = poller.store.save_all([(outcome, outcome.entries) for outcome in in_order], now)
    finally:
        configure_logging()
    assert [len(stories) for stories in news] == [1, 0, 1]
    with database.session() as session:
        stored = stories_after(session, 0, datetime(2000, 1, 1, tzinfo=UTC))
        polled_feeds = {feed.id: feed.last_polled_at for feed in list_feeds(session)}
    assert sorted((story.feed_id, story.title) for story in stored) == [
        (before.id, EVENT_A[0]),
        (after.id, UNRELATED[0]),
    ]
    assert polled_feeds == {before.id: now, bad.id: None, after.id: now}  # the bad one is due again
    assert len(poller.store.clusterer) == 2  # the rolled-back stories left the index too
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    [warning] = [line for line in lines if line["event"] == "stories_not_stored"]
    assert warning["feed_ids"] == [bad.id] and warning["error"] == "OSError: disk full"


async def test_when_every_feed_of_a_batch_fails_to_store_the_error_reaches_the_cycle(
    feed_server: HTTPServer, database: Database, settings: Settings, make_poller, monkeypatch
) -> None:
    for name, event in (("a", EVENT_A), ("b", OTHER_TOPIC)):
        feed_server.expect_request(f"/{name}.xml").respond_with_data(
            rss(name, f"{name}.example", [(*event, f"https://{name}.example/1")]),
            content_type="application/rss+xml",
        )
    with database.session() as session:
        feeds = [add_feed(session, feed_server.url_for(f"/{name}.xml")) for name in "ab"]
    now = datetime.now(UTC)
    async with make_client(settings.poller) as client:
        polled = [outcome async for outcome in poll_feeds(client, feeds, settings.poller, now=now)]

    def database_down(session: Session, polls: Iterable[PollLike], *, polled_at: datetime) -> None:
        raise OSError("database down")

    monkeypatch.setattr("warwatch.story_store.record_polls", database_down)
    poller = make_poller(settings, database)
    with pytest.raises(OSError, match="database down"):
        poller.store.save_all([(outcome, outcome.entries) for outcome in polled], now)
    with database.session() as session:
        assert stories_after(session, 0, datetime(2000, 1, 1, tzinfo=UTC)) == []
    assert len(poller.store.clusterer) == 0


def test_the_collector_is_tuned_once_per_process() -> None:
    collect_less_often()
    frozen = gc.get_freeze_count()
    made_since = [[index] for index in range(1000)]  # containers the collector tracks
    collect_less_often()  # as a second poller in the same process would
    assert gc.get_freeze_count() == frozen, "objects made after start-up must stay collectable"
    assert len(made_since) == 1000
