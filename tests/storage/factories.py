"""Small builders for test rows; they satisfy storage's protocols without importing feeds/ or classifiers/."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from storage.models import Subscriber

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


@dataclass(frozen=True)
class Poll:
    """One poll's outcome (``storage.feeds.PollLike``), as the poller would report it."""

    feed_id: int
    next_poll_at: datetime
    error_count: int = 0
    failing: bool = False
    error: str | None = None
    warning: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    ttl_minutes: int | None = None
    feed_title: str | None = None
    site_url: str | None = None


@dataclass(frozen=True)
class Entry:
    title: str
    summary: str = ""
    url: str | None = None
    canonical_url: str | None = None
    guid: str = ""
    language: str | None = "en"
    host: str | None = "example.org"
    published_at: datetime = field(default_factory=lambda: datetime(2026, 11, 1, 12, tzinfo=UTC))
    content_hash: str = ""

    def __post_init__(self) -> None:
        digest = hashlib.sha256(f"{self.title}\n{self.summary}".casefold().encode()).hexdigest()
        slug = digest[:12]
        object.__setattr__(self, "content_hash", self.content_hash or digest)
        object.__setattr__(self, "url", self.url or f"https://{self.host}/news/{slug}")
        object.__setattr__(self, "canonical_url", self.canonical_url or self.url)
        object.__setattr__(self, "guid", self.guid or self.url)


@dataclass(frozen=True)
class FakeVerdict:
    score: float
    alert: bool
    reasons: dict[str, Any] = field(default_factory=lambda: {"summary": "test"})
    model_name: str = "test"
    model_version: str = "1"


def add_subscriber(session: Session, chat_id: int, **settings: Any) -> Subscriber:
    """A chat with these settings (``Subscriber`` columns), stored and flushed."""
    subscriber = Subscriber(chat_id=chat_id, **settings)
    session.add(subscriber)
    session.flush()
    return subscriber
