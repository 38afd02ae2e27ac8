"""Admin changes write one audit row each, in one vocabulary, whoever makes them."""

from __future__ import annotations

import pytest

from storage import admin
from storage.admin import AuditAction
from storage.audit import recent_audit
from storage.db import Database
from storage.feedback import FeedbackExample
from storage.feeds import DuplicateFeedError, list_feeds
from storage.keywords import list_rules
from storage.overrides import alert_threshold
from tests.storage.test_keywords import Spec


def _audit(database: Database) -> list[tuple[str, str, dict[str, object]]]:
    with database.session() as session:
        return [(entry.actor, entry.action, entry.details) for entry in reversed(recent_audit(session))]


def test_every_change_is_audited_once_with_the_shared_action_names(database: Database) -> None:
    with database.session() as session:
        feed = admin.add_feed(session, "https://news.example/rss", actor="cli", name="News")
        admin.add_keyword(session, Spec("mercenar*", 2.0, lang="en"), actor="telegram:7")
        assert admin.remove_keywords(session, "mercenar*", actor="telegram:7") == 1
        assert admin.set_threshold(session, 0.7, actor="cli", default=0.5) == 0.7
        assert admin.remove_feed(session, feed.id, actor="cli") is not None
    assert _audit(database) == [
        ("cli", "feed.add", {"feed_id": feed.id, "url": "https://news.example/rss"}),
        (
            "telegram:7",
            "keyword.add",
            {
                "term": "mercenar*",
                "weight": 2.0,
                "lang": "en",
                "exclude": False,
                "near": None,
                "window": None,
            },
        ),
        ("telegram:7", "keyword.remove", {"term": "mercenar*", "lang": None, "removed": 1}),
        ("cli", "threshold.set", {"old": 0.5, "new": 0.7}),
        ("cli", "feed.remove", {"feed_id": feed.id, "url": "https://news.example/rss"}),
    ]
    assert {action for _, action, _ in _audit(database)} <= set(AuditAction)


def test_a_change_that_changes_nothing_writes_no_audit_row(database: Database) -> None:
    with database.session() as session:
        assert admin.remove_feed(session, 12345, actor="cli") is None
        assert admin.remove_keywords(session, "no such term", actor="cli") == 0
        admin.add_feed(session, "https://news.example/rss", actor="cli")
    with pytest.raises(DuplicateFeedError), database.session() as session:
        admin.add_feed(session, "https://news.example/rss", actor="telegram:7")
    assert [action for _, action, _ in _audit(database)] == ["feed.add"]


def test_the_threshold_admins_set_overrides_the_configured_one(database: Database) -> None:
    with database.session() as session:
        assert alert_threshold(session, 0.5) == 0.5
        admin.set_threshold(session, 0.65, actor="telegram:7", default=0.5)
    with database.session() as session:
        assert alert_threshold(session, 0.5) == 0.65
        assert list_rules(session) == []


def test_importing_feeds_adds_each_url_once_and_audits_the_count(database: Database) -> None:
    a, b = "https://a.example/rss", "https://b.example/rss"
    outlines = [(a, "A"), (b, None), (a, "A2")]
    with database.session() as session:
        assert admin.import_feeds(session, outlines, actor="cli", source="feeds.opml") == 2
        assert admin.import_feeds(session, outlines, actor="cli", source="feeds.opml") == 0
        assert [(feed.url, feed.name) for feed in list_feeds(session)] == [(a, "A"), (b, None)]
    assert [details for _, _, details in _audit(database)] == [
        {"source": "feeds.opml", "added": 2},
        {"source": "feeds.opml", "added": 0},
    ]


def test_importing_labelled_stories_audits_what_was_new(database: Database) -> None:
    examples = [FeedbackExample("Recruiter jailed", "", "en", True), FeedbackExample("Rain", "", "en", False)]
    with database.session() as session:
        assert admin.import_labelled(session, examples, actor="cli", source="labels.jsonl").added == 2
        assert admin.import_labelled(session, examples, actor="cli", source="labels.jsonl").added == 0
    assert _audit(database)[-1] == (
        "cli",
        "feedback.import",
        {"source": "labels.jsonl", "added": 0, "already_known": 2},
    )
