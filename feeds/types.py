"""Plain values passed between the fetch, parse, schedule and poll stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


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


@dataclass(frozen=True, slots=True)
class FeedToPoll:
    """The scheduling state of one feed, as loaded by the app layer."""

    id: int
    url: str
    etag: str | None = None
    last_modified: str | None = None
    error_count: int = 0
    ttl_minutes: int | None = None  # the feed's last <ttl>: a 304 carries none


@dataclass(frozen=True, slots=True)
class Schedule:
    """When to poll next and the feed's health after this poll."""

    next_poll_at: datetime
    error_count: int
    failing: bool


@dataclass(frozen=True, slots=True)
class PollOutcome:
    """Everything the app layer writes back after polling one feed.

    ``result.body`` is dropped (None) to keep memory flat when outcomes are collected;
    ``etag``/``last_modified`` are the validators to store (the previous ones are kept
    when the server sent none, e.g. on a 304 or an error).
    """

    feed_id: int
    result: FetchResult
    parsed: ParsedFeed | None
    next_poll_at: datetime
    error_count: int
    failing: bool
    etag: str | None
    last_modified: str | None
    error_kind: FetchErrorKind | None = None
    error: str | None = None
    entries: tuple[FeedEntry, ...] = field(default=())
    ttl_minutes: int | None = None  # to store: this poll's <ttl>, or the previous one on a 304
