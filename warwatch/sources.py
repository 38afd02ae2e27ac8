"""The source catalogue wired to the database: packs with the query feeds, first-run seeding,
and keeping the query feeds in step with the keyword rules."""

from __future__ import annotations

import hashlib
import time

import structlog
from sqlalchemy.orm import Session

from feeds.catalogue import Pack, shipped_packs
from feeds.query_feeds import QUERY_PACK, query_feeds
from feeds.settings import SourcesSettings
from storage import sources
from storage.keywords import list_rules

log = structlog.get_logger(__name__)

QUERIES_TITLE = "Query feeds: GDELT and Google News searches built from the keyword rules, per language"
NOTHING_POLLED = (
    "no feed is polled: enable a catalogue pack (`warwatch sources list`, then "
    "`warwatch sources enable PACK`) or add a feed with `warwatch feeds add URL`"
)


def catalogue(session: Session) -> dict[str, Pack]:
    """Every pack: the shipped ones, and the query feeds the current keyword rules call for."""
    packs = dict(shipped_packs())
    packs[QUERY_PACK] = Pack(QUERY_PACK, QUERIES_TITLE, tuple(query_feeds(list_rules(session))))
    return packs


def seed_default_sources(session: Session, settings: SourcesSettings) -> int:
    """On the first run, enable the default packs (all of them unless configured); returns feeds added."""
    if not settings.seed_default_packs:
        return 0
    packs = catalogue(session)
    unknown = sorted(set(settings.default_packs) - set(packs))
    if unknown:
        raise ValueError(f"sources.default_packs names unknown packs {unknown}: known are {sorted(packs)}")
    chosen = settings.default_packs or list(packs)
    return sources.seed_sources(session, [feed for name in chosen for feed in packs[name].feeds])


class QueryFeeds:
    """Keeps the enabled query feeds in step with the keyword rules: an admin's new rule changes the
    searches within ``CHECK_SECONDS`` (reading every rule costs ~20 ms: not every cycle's business)."""

    CHECK_SECONDS = 60.0

    def __init__(self) -> None:
        self._fingerprint: str | None = None
        self._checked_at: float | None = None

    def refresh(self, session: Session) -> None:
        now = time.monotonic()
        if self._checked_at is not None and now - self._checked_at < self.CHECK_SECONDS:
            return
        self._checked_at = now
        feeds = query_feeds(list_rules(session))
        fingerprint = hashlib.sha256("\n".join(feed.url for feed in feeds).encode()).hexdigest()
        if fingerprint == self._fingerprint:
            return
        self._fingerprint = fingerprint
        if sources.pack_enabled(session, QUERY_PACK):
            added, removed = sources.replace_pack(session, QUERY_PACK, feeds)
            if added or removed:
                log.info("query_feeds_updated", added=added, removed=removed)


def warn_if_nothing_polled(session: Session) -> None:
    """A service with no feed to poll would otherwise wait, silently, forever."""
    if sources.polled_feed_count(session) == 0:
        log.warning("no_feeds", hint=NOTHING_POLLED)
