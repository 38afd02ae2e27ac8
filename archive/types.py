"""What the archive needs from a fetch, and what a capture produced."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class PageResponse(Protocol):
    """One GET after redirects, as the poller's fetcher returns it (``feeds.types.FetchResult`` fits):
    errors are values; the body is after transfer and content decoding, within the size cap."""

    @property
    def url(self) -> str: ...
    @property
    def final_url(self) -> str: ...
    @property
    def status_code(self) -> int | None: ...
    @property
    def body(self) -> bytes | None: ...
    @property
    def content_type(self) -> str | None: ...
    @property
    def http_version(self) -> str | None: ...
    @property
    def reason_phrase(self) -> str: ...
    @property
    def headers(self) -> tuple[tuple[str, str], ...]: ...
    @property
    def error_kind(self) -> object | None: ...
    @property
    def error_message(self) -> str | None: ...


PageFetch = Callable[[str], Awaitable[PageResponse]]

# Fetch failures that another try will not mend (the values of feeds.types.FetchErrorKind).
PERMANENT_ERRORS = frozenset({"too_large", "blocked_address", "invalid_url", "too_many_redirects"})
GONE_STATUSES = frozenset({404, 410})


class CheckOutcome(StrEnum):
    """What one look at a page found; stored with each snapshot and shown to users."""

    CAPTURED = "captured"  # the first copy kept
    UNCHANGED = "unchanged"  # the text is as before (no new WARC file)
    EDITED = "edited"  # the text changed materially: a new copy and a diff kept
    REMOVED = "removed"  # 404/410, or redirected to another host or to the site's front page
    FAILED = "failed"  # no answer worth keeping (timeout, refused, too large…): retried


@dataclass(frozen=True, slots=True)
class PageText:
    """The text trafilatura extracted and what it found about the article (None when unknown)."""

    text: str | None
    title: str | None = None
    author: str | None = None
    published: str | None = None  # as the page states it, YYYY-MM-DD
    site_name: str | None = None


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A file in the content-addressed store: named by the SHA-256 of its bytes."""

    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One capture or re-check of a page, ready to be recorded."""

    outcome: CheckOutcome
    url: str
    final_url: str
    retrieved_at: datetime
    status_code: int | None = None
    headers: dict[str, str] | None = None  # the headers worth a column; the WARC keeps them all
    body_sha256: str | None = None
    text_sha256: str | None = None
    warc: StoredFile | None = None  # None when nothing new was kept
    page: PageText | None = None
    diff: str | None = None
    changed_words: int = 0
    error: str | None = None
    permanent: bool = False  # a failure another try will not mend
