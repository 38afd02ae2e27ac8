"""24 hours of feed churn, simulated at speed against the real poller, parser and database.

A loopback server plays nine feeds whose content and health change with a simulated clock: steady
feeds with ETag or Last-Modified, a mirror that republishes another feed under other links, a feed
whose GUIDs change on every fetch, one that fails for six hours, one that is gone after noon, one
that moves with a 301, one that serves broken XML for a while, one huge response. The feed poller
polls whatever is due as the clock advances in two-minute steps (the clock is passed in as
``now``). At the end: nothing served is lost, nothing is stored twice, and feeds were polled as
often as their schedule and back-off allow, no more.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import select
from werkzeug import Request, Response

from feeds.fetch import make_client
from storage.db import Database
from storage.feeds import add_feed, list_feeds
from storage.models import Story
from storage.states import FeedStatus
from warwatch.config import Settings
from warwatch.polling import FeedPoller

HOUR = 3600
STEP = timedelta(minutes=2)
START = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=26)  # every item lies in the past


@dataclass
class Feed:
    """A feed's items (one every ``period`` seconds, the newest ``window`` shown) and its health."""

    name: str
    period: int
    window: int = 10
    validator: str = "etag"  # or "last-modified" or ""
    link_host: str = "news.example"
    source: str | None = None  # republish this feed's items (a mirror)
    fresh_guids: bool = False
    status_at: Callable[[float], int] = lambda hours: 200
    broken_at: Callable[[float], bool] = lambda hours: False
    huge_at: Callable[[float], bool] = lambda hours: False
    requests: Counter[int] = field(default_factory=Counter)
    requests_after: dict[float, int] = field(default_factory=lambda: defaultdict(int))


def title(feed: str, n: int) -> str:
    return f"{feed} report {n}: agents recruited men for the front, item {feed}{n}x"


def slug(item_title: str) -> str:
    return item_title.split(":")[0].replace(" ", "-")


class ChurningFeeds:
    """Serves every feed as of the simulated clock and remembers which items it served whole."""

    def __init__(self, server: HTTPServer, feeds: list[Feed]) -> None:
        self.feeds = {feed.name: feed for feed in feeds}
        self.now = START
        self.served: set[str] = set()  # titles of items in well-formed 200 responses
        self._lock = threading.Lock()
        server.expect_request("/moved-new.xml").respond_with_handler(self._respond)
        for name in self.feeds:
            server.expect_request(f"/{name}.xml").respond_with_handler(self._respond)
        self.urls = [server.url_for(f"/{name}.xml") for name in self.feeds]

    def hours(self) -> float:
        return (self.now - START).total_seconds() / HOUR

    def _items(self, feed: Feed) -> list[tuple[str, datetime]]:
        elapsed = (self.now - START).total_seconds()
        newest = int(elapsed // feed.period)
        return [
            (title(feed.source or feed.name, n), START + timedelta(seconds=n * feed.period))
            for n in range(max(0, newest - feed.window + 1), newest + 1)
        ]

    def _respond(self, request: Request) -> Response:
        name = "moved" if request.path == "/moved-new.xml" else request.path.strip("/").removesuffix(".xml")
        feed, hours = self.feeds[name], self.hours()
        response = self._answer(request, feed, hours)
        with self._lock:
            feed.requests[response.status_code] += 1
            for mark in feed.requests_after:
                feed.requests_after[mark] += hours >= mark
        return response

    def _answer(self, request: Request, feed: Feed, hours: float) -> Response:
        status = 200 if request.path == "/moved-new.xml" else feed.status_at(hours)
        if status == 301:
            return Response(status=301, headers={"Location": "/moved-new.xml"})
        if status != 200:
            return Response("gone" if status == 410 else "server error", status=status)
        items = self._items(feed)
        version = str(len(items) and items[-1][1].timestamp())
        headers = {}
        if feed.validator == "etag":
            headers["ETag"] = f'"{version}"'
            if request.headers.get("If-None-Match") == f'"{version}"':
                return Response(status=304, headers=headers)
        elif feed.validator == "last-modified" and items:
            headers["Last-Modified"] = format_datetime(items[-1][1], usegmt=True)
            if request.headers.get("If-Modified-Since") == headers["Last-Modified"]:
                return Response(status=304, headers=headers)
        body = self._rss(feed, items)
        if feed.huge_at(hours):
            body = body.replace("</channel>", f"<!-- {'x' * 300_000} --></channel>")
        elif feed.broken_at(hours):
            body = body[: len(body) // 2]  # cut off mid-item
        else:
            with self._lock:
                self.served.update(item_title for item_title, _ in items)
        return Response(body, content_type="application/rss+xml", headers=headers)

    @staticmethod
    def _rss(feed: Feed, items: list[tuple[str, datetime]]) -> str:
        entries = "".join(
            f"<item><title>{item_title}</title>"
            f"<link>https://{feed.link_host}/{slug(item_title)}?utm_source=rss</link>"
            f"<guid>{uuid.uuid4() if feed.fresh_guids else item_title}</guid>"
            f"<description>Families say the men were promised jobs. {item_title}.</description>"
            f"<pubDate>{format_datetime(published, usegmt=True)}</pubDate></item>"
            for item_title, published in reversed(items)
        )
        return f"<rss version='2.0'><channel><title>{feed.name}</title>{entries}</channel></rss>"


def _feeds() -> list[Feed]:
    return [
        Feed("steady", period=HOUR),
        Feed("fast", period=20 * 60, window=5, validator="last-modified"),
        Feed("mirror", period=HOUR, source="steady", link_host="mirror.example", validator=""),
        Feed("guids", period=2 * HOUR, fresh_guids=True, validator=""),
        Feed("flaky", period=HOUR, status_at=lambda h: 500 if 4 <= h < 10 else 200),
        Feed("gone", period=HOUR, status_at=lambda h: 410 if h >= 12 else 200),
        Feed("moved", period=HOUR, status_at=lambda h: 301 if h >= 8 else 200),
        Feed("broken", period=3 * HOUR, broken_at=lambda h: 14 <= h < 17),
        Feed("huge", period=HOUR, huge_at=lambda h: 5 <= h < 5.2),
    ]


@pytest.fixture
def churn(feed_server: HTTPServer) -> ChurningFeeds:
    feeds = _feeds()
    feeds[5].requests_after[12.0] = 0  # "gone": count its polls once it is gone
    return ChurningFeeds(feed_server, feeds)


@pytest.mark.slow
async def test_a_day_of_feed_churn_loses_nothing_and_stores_nothing_twice(
    churn: ChurningFeeds, database: Database
) -> None:
    settings = Settings(
        database={"url": database.url},
        poller={
            "allow_private_addresses": True,
            "interval_jitter_ratio": 0,
            "max_response_bytes": 200_000,
            "read_timeout_seconds": 2,
            "total_timeout_seconds": 5,
        },
    )
    with database.session() as session:
        for url in churn.urls:
            add_feed(session, url)
    most_errors: Counter[str] = Counter()
    with FeedPoller(settings, database) as poller:
        async with make_client(settings.poller) as client:
            while churn.now < START + timedelta(hours=24):
                await poller.poll_due(client, now=churn.now)
                with database.session() as session:
                    for feed in list_feeds(session):
                        name = feed.url.rsplit("/", 1)[-1].removesuffix(".xml")
                        most_errors[name] = max(most_errors[name], feed.error_count)
                churn.now += STEP

    with database.session() as session:
        stored = Counter(session.scalars(select(Story.title)))
        feeds = {feed.url.rsplit("/", 1)[-1].removesuffix(".xml"): feed for feed in list_feeds(session)}
    published = {title(name, n) for name in churn.feeds for n in range(24 * HOUR // 1200 + 1)}
    assert [t for t, count in stored.items() if count > 1] == []  # nothing stored twice
    assert set(stored) <= published
    assert churn.served - set(stored) == set()  # nothing served is lost
    assert len(stored) >= 150
    assert {name for name, errors in most_errors.items() if errors} == {"flaky", "gone", "huge"}

    steady, fast = churn.feeds["steady"], churn.feeds["fast"]
    assert 130 <= sum(steady.requests.values()) <= 150  # every 10 minutes for 24 h, not more
    assert steady.requests[304] >= 100 and fast.requests[304] >= 60  # conditional requests used
    # six hours of errors: backed off (10, 20, 40… minutes), then caught up once the feed recovered
    assert most_errors["flaky"] >= 4 and churn.feeds["flaky"].requests[500] == most_errors["flaky"]
    assert feeds["flaky"].status is FeedStatus.OK and feeds["flaky"].error_count == 0
    assert feeds["gone"].error_count >= 5 and "410" in (feeds["gone"].last_error or "")
    assert churn.feeds["gone"].requests_after[12.0] <= 8  # back-off up to 6 h, not every 10 minutes
    assert most_errors["huge"] >= 1 and feeds["huge"].error_count == 0  # refused once, then fine
    assert sum(churn.feeds["huge"].requests.values()) >= 130
    assert feeds["broken"].status is FeedStatus.OK
