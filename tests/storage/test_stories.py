"""Stories: stored once whatever address or feed repeats them."""

from __future__ import annotations

from storage.db import Database
from storage.feeds import add_feed
from storage.stories import assign_clusters, get_story, insert_stories
from tests.storage.factories import Entry


def test_new_stories_are_returned_once_and_duplicates_are_skipped(database: Database) -> None:
    with database.session() as session:
        feed = add_feed(session, "https://a.example/rss")
        other = add_feed(session, "https://b.example/rss")
        first = insert_stories(session, feed.id, [Entry("Recruiters jailed"), Entry("Mercenaries return")])
        assert [s.title for s in first] == ["Recruiters jailed", "Mercenaries return"]
        # same canonical URL with another title, same text under another URL, same guid in the same feed
        again = insert_stories(
            session,
            other.id,
            [
                Entry("Recruiters jailed (updated)", url=first[0].url),
                Entry("Mercenaries return", url="https://mirror.example/x"),
                Entry("A different story", guid=first[0].url, url="https://c.example/y"),
            ],
        )
        assert [s.title for s in again] == ["A different story"]  # guid only counts within one feed
        same_feed_guid = insert_stories(
            session, feed.id, [Entry("Edited", guid=first[0].url, url="https://z/1")]
        )
        assert same_feed_guid == []
        within_batch = insert_stories(session, feed.id, [Entry("Twice"), Entry("Twice")])
        assert len(within_batch) == 1


def test_stories_without_links_are_identified_by_guid(database: Database) -> None:
    entry = Entry("No link", url=None, canonical_url=None)
    object.__setattr__(entry, "url", None)
    object.__setattr__(entry, "canonical_url", None)
    with database.session() as session:
        [story] = insert_stories(session, None, [entry])
        assert story.canonical_url.startswith("urn:warwatch:guid:")


def test_clusters_are_recorded_for_stories_of_their_own_and_joined_ones(database: Database) -> None:
    with database.session() as session:
        first, joined, alone = insert_stories(session, None, [Entry("One"), Entry("Two"), Entry("Three")])
        assign_clusters(session, {first.id: first.id, joined.id: first.id, alone.id: alone.id})
    with database.session() as session:
        stored = [get_story(session, story.id) for story in (first, joined, alone)]
        assert [story.cluster_id if story else None for story in stored] == [first.id, first.id, alone.id]
