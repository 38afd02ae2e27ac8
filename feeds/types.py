"""Plain values passed between the fetch, parse, schedule and poll stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class FetchErrorKind(StrEnum):
    """Why a fetch or parse failed; stored and shown, so values are stable."""

    TIMEOUT = "timeout"
    TOO_LARGE = "too_large"
    HTTP_STATUS = "http_status"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    BLOCKED_ADDRESS = "blocked_address"
    INVALID_URL = "invalid_url"
    DNS = "dns"
    CONNECT = "connect"
    PROTOCOL = "protocol"
    PARSE = "parse"
    UNEXPECTED = "unexpected"


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one GET (after redirects) produced; errors are values, never exceptions."""

    url: str
    final_url: str
    status_code: int | None = None
    body: bytes | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    retry_after_seconds: float | None = None
    max_age_seconds: float | None = None
    not_modified: bool = False
    error_kind: FetchErrorKind | None = None
    error_message: str | None = None
    elapsed_seconds: float = 0.0
    # The answer's status line and headers as received (the archive keeps them in its WARC records)
    http_version: str | None = None
    reason_phrase: str = ""
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        """True when the server answered with content or a 304."""
        return self.error_kind is None


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One story as found in a feed, cleaned and normalised."""

    guid: str
    url: str | None
    canonical_url: str | None
    title: str
    summary: str
    language: str | None
    published_at: datetime
    fetched_at: datetime
    content_hash: str
    host: str | None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed document reduced to what the pipeline stores."""

    title: str | None
    site_url: str | None
    ttl_minutes: int | None
    entries: tuple[FeedEntry, ...]
    bozo_error: str | None = None


class FeedToPoll(Protocol):
    """What a poll reads of a feed: its address and scheduling state. The app layer passes its
    stored feed rows as they are (``storage.records.FeedRecord`` has these fields)."""

    @property
    def id(self) -> int: ...
    @property
    def url(self) -> str: ...
    @property
    def etag(self) -> str | None: ...
    @property
    def last_modified(self) -> str | None: ...
    @property
    def error_count(self) -> int: ...
    @property
    def ttl_minutes(self) -> int | None:  # the feed's last <ttl>: a 304 carries none
        ...


@dataclass(frozen=True, slots=True)
class PollTarget:
    """A feed to poll that is not a stored row (benchmarks, tests)."""

    id: int
    url: str
    etag: str | None = None
    last_modified: str | None = None
    error_count: int = 0
    ttl_minutes: int | None = None


@dataclass(frozen=True, slots=True)
class Schedule:
    """When to poll next and the feed's health after this poll."""

    next_poll_at: datetime
    error_count: int
    failing: bool


@dataclass(frozen=True, slots=True)
class PollOutcome:
    """Everything the app layer writes back after polling one feed.

    ``result.body`` is dropped (None) to keep memory flat when outcomes are collected. ``etag`` and
    ``last_modified`` are what this poll's response sent; whether to keep the previous ones (a 304
    or a failure sends none worth storing) is decided where they are stored, in one place.
    """

    feed_id: int
    result: FetchResult
    parsed: ParsedFeed | None
    next_poll_at: datetime
    error_count: int
    failing: bool
    error_kind: FetchErrorKind | None = None
    error: str | None = None
    entries: tuple[FeedEntry, ...] = field(default=())
    ttl_minutes: int | None = None  # this poll's <ttl>, or the previous one on a 304

    @property
    def etag(self) -> str | None:
        return self.result.etag

    @property
    def last_modified(self) -> str | None:
        return self.result.last_modified

    @property
    def feed_title(self) -> str | None:
        return self.parsed.title if self.parsed else None

    @property
    def site_url(self) -> str | None:
        return self.parsed.site_url if self.parsed else None

    @property
    def warning(self) -> str | None:
        """A problem of a poll that still succeeded: a malformed feed that yielded entries."""
        bozo = self.parsed.bozo_error if self.parsed else None
        return f"malformed but usable: {bozo}"[:500] if bozo else None
