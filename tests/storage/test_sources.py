"""Catalogue packs in the feeds table: enabling twice adds nothing, users' own feeds stay theirs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from storage import admin
from storage.db import Database
from storage.feeds import add_feed, list_feeds
from storage.sources import (
    enable_sources,
    pack_enabled,
    polled_by_url,
    polled_feed_count,
    replace_pack,
    seed_sources,
    source_health,
)
from storage.states import FeedStatus
from storage.stories import insert_stories
from storage.verdicts import record_verdicts
from tests.storage.factories import Entry, FakeVerdict


@dataclass(frozen=True)
class Source:
    url: str
    pack: str = "wires"
    name: str = "Outlet"
    lang: str = "en"
    country: str = "GB"
    kind: str = "feed"


WIRES = [Source("https://a.example/rss"), Source("https://b.example/rss")]


def _status(database: Database) -> dict[str, tuple[str | None, FeedStatus]]:
    with database.session() as session:
        return {feed.url: (feed.pack, feed.status) for feed in list_feeds(session)}


def test_enabling_a_pack_twice_adds_nothing(database: Database) -> None:
    with database.session() as session:
        first = admin.enable_pack(session, "wires", WIRES, actor="cli")
        again = admin.enable_pack(session, "wires", WIRES, actor="cli")
    assert (first.added, again.added, again.already_there) == (2, 0, 2)
    assert _status(database) == {s.url: ("wires", FeedStatus.OK) for s in WIRES}


def test_disabling_stops_the_packs_feeds_and_enabling_wakes_them(database: Database) -> None:
    with database.session() as session:
        enable_sources(session, WIRES)
        assert admin.disable_pack(session, "wires", actor="cli") == 2
        assert not pack_enabled(session, "wires") and polled_feed_count(session) == 0
        assert polled_by_url(session, [WIRES[0].url, "https://other.example/rss"]) == {WIRES[0].url: False}
        change = admin.enable_pack(session, "wires", WIRES, actor="cli")
    assert (change.added, change.enabled_again) == (0, 2)
    assert all(status is FeedStatus.OK for _, status in _status(database).values())


def test_a_users_own_feed_is_never_taken_over_by_a_pack(database: Database) -> None:
    with database.session() as session:
        own = add_feed(session, WIRES[0].url, name="mine", added_by="cli")
        enable_sources(session, WIRES)
        admin.disable_pack(session, "wires", actor="cli")
    status = _status(database)
    assert status[own.url] == (None, FeedStatus.OK)  # still the user's, still polled
    assert status[WIRES[1].url] == ("wires", FeedStatus.DISABLED)


def test_query_feeds_are_replaced_as_a_whole_when_the_rules_change(database: Database) -> None:
    old = [
        Source("https://search.example/?q=a", pack="queries"),
        Source("https://search.example/?q=b", pack="queries"),
    ]
    new = [old[1], Source("https://search.example/?q=c", pack="queries")]
    with database.session() as session:
        enable_sources(session, [*old, *WIRES])
        assert replace_pack(session, "queries", new) == (1, 1)
    assert set(_status(database)) == {s.url for s in (*new, *WIRES)}


def test_the_default_sources_are_seeded_once(database: Database) -> None:
    with database.session() as session:
        assert seed_sources(session, WIRES) == 2
        admin.disable_pack(session, "wires", actor="cli")
        assert seed_sources(session, WIRES) == 0  # an admin's choice outlives restarts
    assert {status for _, status in _status(database).values()} == {FeedStatus.DISABLED}


def test_source_health_counts_stories_per_day_and_the_flagged_share(database: Database) -> None:
    now = datetime.now(UTC)
    with database.session() as session:
        enable_sources(session, WIRES)
        feed_ids = {feed.url: feed.id for feed in list_feeds(session)}
        stories = insert_stories(
            session,
            feed_ids[WIRES[0].url],
            [Entry(f"Story {i}", published_at=now - timedelta(hours=i)) for i in range(4)],
        )
        record_verdicts(
            session, [(s.id, FakeVerdict(0.9 if i == 0 else 0.1, i == 0)) for i, s in enumerate(stories)]
        )
        health = {h.url: h for h in source_health(session, now - timedelta(days=2), now)}
    busy, quiet = health[WIRES[0].url], health[WIRES[1].url]
    assert (busy.stories, busy.per_day, busy.flagged_share) == (4, 2.0, 0.25)
    assert (quiet.stories, quiet.flagged_share, quiet.pack) == (0, None, "wires")
