"""Admin changes: feeds, keyword rules, the threshold and imports, each with its audit row.

The bot and the CLI both call these, so one change is recorded the same way whoever made it:
one action name (`AuditAction`), one set of details, the actor (``telegram:ID`` or ``cli``).
Validation that needs other packages (URL safety, compiling a rule) stays with the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum

from sqlalchemy.orm import Session

from storage import archive_space, feeds, keywords, sources
from storage.audit import record_audit
from storage.feedback import FeedbackExample, ImportResult, import_feedback
from storage.models import StoryArchive
from storage.overrides import THRESHOLD_KEY, get_runtime_setting, set_runtime_setting
from storage.records import FeedRecord, KeywordRecord


class AuditAction(StrEnum):
    """The audit log's vocabulary: ``subject.verb``."""

    FEED_ADD = "feed.add"
    FEED_REMOVE = "feed.remove"
    FEEDS_IMPORT = "feeds.import"
    KEYWORD_ADD = "keyword.add"
    KEYWORD_REMOVE = "keyword.remove"
    THRESHOLD_SET = "threshold.set"
    FEEDBACK_IMPORT = "feedback.import"
    PACK_ENABLE = "pack.enable"
    PACK_DISABLE = "pack.disable"
    ARCHIVE_DELETE = "archive.delete"


def add_feed(session: Session, url: str, *, actor: str, name: str | None = None) -> FeedRecord:
    """Add a checked feed URL; raises ``DuplicateFeedError`` when it is already there."""
    feed = feeds.add_feed(session, url, name=name, added_by=actor)
    record_audit(session, actor, AuditAction.FEED_ADD, feed_id=feed.id, url=url)
    return feed


def remove_feed(session: Session, feed_id: int, *, actor: str) -> FeedRecord | None:
    """Remove a feed (its stories stay); ``None`` when there is no such feed, and nothing is audited."""
    feed = feeds.remove_feed(session, feed_id)
    if feed is not None:
        record_audit(session, actor, AuditAction.FEED_REMOVE, feed_id=feed_id, url=feed.url)
    return feed


def import_feeds(
    session: Session, outlines: Iterable[tuple[str, str | None]], *, actor: str, source: str
) -> int:
    """Add each (checked URL, title) not yet present; returns how many were added."""
    wanted = list(outlines)
    existing = set(feeds.feed_ids_by_url(session, [url for url, _ in wanted]))
    added = 0
    for url, title in wanted:
        if url in existing:
            continue
        feeds.add_feed(session, url, name=title, added_by=actor)
        existing.add(url)
        added += 1
    record_audit(session, actor, AuditAction.FEEDS_IMPORT, source=source, added=added)
    return added


def enable_pack(
    session: Session, pack: str, entries: Sequence[sources.SourceLike], *, actor: str
) -> sources.PackChange:
    """Poll a catalogue pack's feeds (adding the missing ones); enabling twice adds nothing."""
    change = sources.enable_sources(session, entries)
    record_audit(
        session,
        actor,
        AuditAction.PACK_ENABLE,
        pack=pack,
        added=change.added,
        enabled_again=change.enabled_again,
    )
    return change


def disable_pack(session: Session, pack: str, *, actor: str) -> int:
    """Stop polling a pack's feeds (their stories stay); returns how many were polled."""
    stopped = sources.disable_pack(session, pack)
    record_audit(session, actor, AuditAction.PACK_DISABLE, pack=pack, stopped=stopped)
    return stopped


def add_keyword(session: Session, spec: keywords.KeywordSpec, *, actor: str) -> KeywordRecord:
    """Add a (compiled and checked) rule, or change the one with the same term, language and kind."""
    rule = keywords.add_rule(session, spec, created_by=actor)
    record_audit(
        session,
        actor,
        AuditAction.KEYWORD_ADD,
        term=rule.term,
        weight=rule.weight,
        lang=rule.lang,
        exclude=rule.exclude,
        near=rule.near,
        window=rule.window,
    )
    return rule


def remove_keywords(session: Session, term: str, *, actor: str, lang: str | None = None) -> int:
    """Remove the rules with this term (in this language, if given); returns how many."""
    removed = keywords.remove_rules(session, term, lang)
    if removed:
        record_audit(session, actor, AuditAction.KEYWORD_REMOVE, term=term, lang=lang, removed=removed)
    return removed


def set_threshold(session: Session, value: float, *, actor: str, default: float) -> float:
    """Set the alert threshold (overriding config.toml's ``default``) and return it."""
    old = get_runtime_setting(session, THRESHOLD_KEY, default)
    set_runtime_setting(session, THRESHOLD_KEY, value, updated_by=actor)
    record_audit(session, actor, AuditAction.THRESHOLD_SET, old=old, new=value)
    return value


def import_labelled(
    session: Session, examples: Iterable[FeedbackExample], *, actor: str, source: str
) -> ImportResult:
    """Import labelled stories for the classifier's head; a text already imported is not added twice."""
    result = import_feedback(session, examples)
    record_audit(
        session,
        actor,
        AuditAction.FEEDBACK_IMPORT,
        source=source,
        added=result.added,
        already_known=result.already_known,
    )
    return result


def delete_archive(session: Session, story_id: int, *, actor: str) -> tuple[str, ...] | None:
    """Delete a story's archive, flagged or not, with its snapshots; None when it has none.
    Returns the hashes of the WARC files to delete from disk once this commits."""
    if session.get(StoryArchive, story_id) is None:
        return None
    freed = archive_space.delete_archives(session, [story_id])
    record_audit(session, actor, AuditAction.ARCHIVE_DELETE, story_id=story_id, warc_files=len(freed))
    return freed
