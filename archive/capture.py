"""Capture a page, or check it again: fetch (through the caller's fetcher, with the poller's
limits), keep a WARC file when there is something new to keep, and say what was found."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial

from archive.compare import compare_texts, removal_reason
from archive.extract import extract_page, text_digest
from archive.store import BinarySink, WarcStore
from archive.types import (
    GONE_STATUSES,
    PERMANENT_ERRORS,
    CheckOutcome,
    CheckResult,
    PageFetch,
    PageResponse,
    PageText,
)
from archive.warc import read_snapshot, write_snapshot

# The headers worth a database column; the WARC file keeps every header.
KEPT_HEADERS = ("content-type", "content-language", "last-modified", "etag", "date", "server")
MAX_HEADER_CHARS = 512


@dataclass(frozen=True, slots=True)
class Previous:
    """What the last kept copy of a page says, for a re-check to compare against."""

    final_url: str  # where the page was when it was kept
    text_sha256: str | None
    warc_sha256: str


@dataclass(frozen=True, slots=True)
class Archivist:
    """Captures and re-checks pages into one store; ``min_changed_words`` words make an edit."""

    fetch: PageFetch
    store: WarcStore
    min_changed_words: int = 1

    async def capture(self, url: str) -> CheckResult:
        """The first copy of a page: a WARC file, or a failure saying why."""
        return await self._look(url, None)

    async def recheck(self, url: str, previous: Previous) -> CheckResult:
        """Look again: unchanged (nothing kept), edited (a new copy and the diff), removed, failed."""
        return await self._look(url, previous)

    async def _look(self, url: str, previous: Previous | None) -> CheckResult:
        response = await self.fetch(url)
        found = CheckResult(
            CheckOutcome.FAILED,
            url=url,
            final_url=response.final_url,
            retrieved_at=datetime.now(UTC),
            status_code=response.status_code,
        )
        status = response.status_code
        answered = response.error_kind is None or status in GONE_STATUSES  # not a timeout midway
        reason = removal_reason(previous.final_url, status, response.final_url) if previous else None
        if answered and reason:
            return replace(found, outcome=CheckOutcome.REMOVED, error=reason)
        if response.error_kind is not None or response.body is None:
            kind = str(response.error_kind or "no_body")
            message = response.error_message or "the server sent no body"
            permanent = kind in PERMANENT_ERRORS or status in GONE_STATUSES
            return replace(found, error=f"{kind}: {message}", permanent=permanent)
        return await asyncio.to_thread(self._keep, response, found, previous)

    def _keep(self, response: PageResponse, found: CheckResult, previous: Previous | None) -> CheckResult:
        """Extract the text and store the WARC unless the text is as before (in a thread: CPU, disk)."""
        body = response.body or b""
        page = extract_page(body, response.final_url)
        found = replace(
            found,
            outcome=CheckOutcome.CAPTURED,
            headers=kept_headers(response.headers),
            body_sha256=hashlib.sha256(body).hexdigest(),
            text_sha256=text_digest(page.text),
            page=page,
        )
        if previous is not None:
            if found.text_sha256 == previous.text_sha256:
                return replace(found, outcome=CheckOutcome.UNCHANGED)
            with self.store.open(previous.warc_sha256) as stream:
                before = read_snapshot(stream).text
            change = compare_texts(before, page.text)
            found = replace(found, changed_words=change.changed_words)
            if change.changed_words < self.min_changed_words:
                return replace(found, outcome=CheckOutcome.UNCHANGED)
            found = replace(found, outcome=CheckOutcome.EDITED, diff=change.diff)
        warc = self.store.put(partial(_write, response, found.retrieved_at, body, page))
        return replace(found, warc=warc)


def _write(
    response: PageResponse, retrieved_at: datetime, body: bytes, page: PageText, out: BinarySink
) -> None:
    write_snapshot(
        out,
        url=response.final_url,
        retrieved_at=retrieved_at,
        status_code=response.status_code or 200,
        reason=response.reason_phrase,
        http_version=response.http_version,
        headers=response.headers,
        body=body,
        text=page.text,
    )


def kept_headers(headers: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """The few headers a citation or a status line may show, bounded."""
    kept: dict[str, str] = {}
    for name, value in headers:
        lowered = name.lower()
        if lowered in KEPT_HEADERS and lowered not in kept:
            kept[lowered] = value[:MAX_HEADER_CHARS]
    return kept
