"""One poll cycle: fetch, parse, normalise and schedule many feeds concurrently.

Outcomes are yielded as feeds complete; one bad feed never stops the cycle.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncGenerator, AsyncIterator, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import httpx
import structlog

from feeds.fetch import Fetcher
from feeds.parse import FeedParseError, parse_feed
from feeds.parse_pool import ParsePool, ParseWorkerLostError
from feeds.safety import UrlGuard
from feeds.schedule import compute_schedule
from feeds.settings import PollerSettings
from feeds.types import FeedToPoll, FetchErrorKind, FetchResult, ParsedFeed, PollOutcome
from textkit.language import LanguageDetector

log = structlog.get_logger(__name__)

_UNTAKEN_PER_SLOT = 2  # feeds polled but not yet taken by the caller, per global request slot


async def poll_feeds(
    client: httpx.AsyncClient,
    feeds: Iterable[FeedToPoll],
    settings: PollerSettings,
    *,
    now: datetime | None = None,
    detector: LanguageDetector | None = None,
    guard: UrlGuard | None = None,
    rng: random.Random | None = None,
    parse_pool: ParsePool | None = None,
) -> AsyncIterator[PollOutcome]:
    """Poll ``feeds`` within the concurrency limits, yielding outcomes as they finish: one at a
    time, as ``poll_feed_batches`` yields them."""
    batches = poll_feed_batches(
        client, feeds, settings, now=now, detector=detector, guard=guard, rng=rng, parse_pool=parse_pool
    )
    try:
        async for batch in batches:
            for outcome in batch:
                yield outcome
    finally:
        await batches.aclose()


async def poll_feed_batches(
    client: httpx.AsyncClient,
    feeds: Iterable[FeedToPoll],
    settings: PollerSettings,
    *,
    now: datetime | None = None,
    detector: LanguageDetector | None = None,
    guard: UrlGuard | None = None,
    rng: random.Random | None = None,
    parse_pool: ParsePool | None = None,
) -> AsyncGenerator[list[PollOutcome], None]:
    """Poll ``feeds`` within the concurrency limits, yielding the outcomes finished since the caller
    last asked (at least one): a caller busy with one batch gets all that finished meanwhile in the
    next, to store them in one go.

    Pass a long-lived ``detector`` (its model loads once), or a ``parse_pool`` to parse in worker
    processes; ``guard`` and ``rng`` are for tests. Closing the generator early cancels the polls
    still running.
    """
    cycle_time = now or datetime.now(UTC)
    # Stored feeds passed the URL check when they were added: a file: feed came from the command
    # line. The fetcher still refuses a redirect to file:, wherever it comes from.
    fetcher = Fetcher(client, settings, guard=guard, allow_file=True)
    context = _PollContext(
        settings, detector or LanguageDetector(), rng or random.Random(), cycle_time, parse_pool
    )
    # A feed's poll starts only while fewer than this many polled feeds wait to be taken: bodies and
    # parsed entries never pile up in memory when fetching outruns parsing or storing.
    room = asyncio.Semaphore(_UNTAKEN_PER_SLOT * settings.global_concurrency)
    tasks = {asyncio.create_task(_poll_when_room(room, fetcher, feed, context)) for feed in feeds}
    finished: asyncio.Queue[asyncio.Task[PollOutcome]] = asyncio.Queue()
    for task in tasks:
        task.add_done_callback(finished.put_nowait)
    try:
        while tasks:
            done = [await finished.get()]
            while not finished.empty():
                done.append(finished.get_nowait())
            # Forgotten here, so that their outcomes (entries and all) live only as long as the caller
            # keeps them: held by the finished tasks, every outcome stayed in memory to the cycle's end.
            tasks.difference_update(done)
            yield [task.result() for task in done]
            for _ in done:
                room.release()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


@dataclass(frozen=True, slots=True)
class _PollContext:
    """What every feed's poll in one cycle shares."""

    settings: PollerSettings
    detector: LanguageDetector
    rng: random.Random
    now: datetime
    parse_pool: ParsePool | None


async def _poll_when_room(
    room: asyncio.Semaphore, fetcher: Fetcher, feed: FeedToPoll, context: _PollContext
) -> PollOutcome:
    """Poll once there is room; the slot is given back when the caller has taken the outcome."""
    await room.acquire()
    try:
        return await _poll_one(fetcher, feed, context)
    except BaseException:
        room.release()
        raise


async def _poll_one(fetcher: Fetcher, feed: FeedToPoll, context: _PollContext) -> PollOutcome:
    result = await fetcher.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    parsed: ParsedFeed | None = None
    error_kind, error = result.error_kind, result.error_message
    if result.ok and not result.not_modified and result.body is not None:
        try:
            parsed = await _parse(result.body, result, context)
        except FeedParseError as exc:
            error_kind, error = FetchErrorKind.PARSE, f"not a feed: {exc}"
        except ParseWorkerLostError as exc:  # one line, no traceback: the pool heals itself
            log.warning("parse_worker_lost", feed_id=feed.id, url=feed.url)
            error_kind, error = FetchErrorKind.UNEXPECTED, str(exc)
        except Exception as exc:  # a parser bug must not end the cycle
            log.exception("parse_unexpected_error", feed_id=feed.id, url=feed.url, stage="parse")
            error_kind, error = FetchErrorKind.UNEXPECTED, f"{type(exc).__name__}: {exc}"
    ttl_minutes = parsed.ttl_minutes if parsed else feed.ttl_minutes if result.not_modified else None
    schedule = compute_schedule(
        now=context.now,
        result=result,
        succeeded=error_kind is None,
        ttl_minutes=ttl_minutes,
        previous_error_count=feed.error_count,
        settings=context.settings,
        rng=context.rng,
    )
    if error_kind is not None:
        log.debug("feed_poll_failed", feed_id=feed.id, url=feed.url, stage=str(error_kind), error=error)
    return PollOutcome(
        feed_id=feed.id,
        result=replace(result, body=None),
        parsed=parsed,
        entries=parsed.entries if parsed else (),
        next_poll_at=schedule.next_poll_at,
        error_count=schedule.error_count,
        failing=schedule.failing,
        error_kind=error_kind,
        error=error,
        ttl_minutes=ttl_minutes,
    )


async def _parse(body: bytes, result: FetchResult, context: _PollContext) -> ParsedFeed:
    """In a worker process when there is a pool, else in a thread (parsing is CPU work)."""
    if context.parse_pool is not None:
        return await context.parse_pool.parse(
            body,
            url=result.final_url,
            content_type=result.content_type,
            fetched_at=context.now,
            settings=context.settings,
        )
    return await asyncio.to_thread(
        parse_feed,
        body,
        url=result.final_url,
        content_type=result.content_type,
        fetched_at=context.now,
        settings=context.settings,
        detector=context.detector,
    )
