"""When to poll a feed next: a pure function of the last result and the settings."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

from feeds.settings import PollerSettings
from feeds.types import FetchResult, Schedule


def compute_schedule(
    *,
    now: datetime,
    result: FetchResult,
    succeeded: bool,
    ttl_minutes: int | None,
    previous_error_count: int,
    settings: PollerSettings,
    rng: random.Random,
) -> Schedule:
    """Next poll time and health after one poll.

    Success: the default interval, stretched (never shortened) by RSS ``<ttl>`` and
    ``Cache-Control: max-age``. Error: exponential backoff with jitter, stretched by
    ``Retry-After``. After ``failing_after_errors`` consecutive errors the feed is
    marked failing and polled at the max interval, never dropped. Everything is
    clamped to [min_interval, max_interval].
    """
    if succeeded:
        hints = [settings.default_interval_seconds, result.max_age_seconds or 0.0, (ttl_minutes or 0) * 60.0]
        delay = _jitter(max(hints), settings.interval_jitter_ratio, rng)
        return Schedule(next_poll_at=now + _clamp(delay, settings), error_count=0, failing=False)
    error_count = previous_error_count + 1
    if error_count >= settings.failing_after_errors:
        return Schedule(
            next_poll_at=now + timedelta(seconds=settings.max_interval_seconds),
            error_count=error_count,
            failing=True,
        )
    backoff = min(settings.backoff_cap_seconds, settings.backoff_base_seconds * 2 ** (error_count - 1))
    delay = backoff / 2 + rng.uniform(0, backoff / 2)  # "equal jitter": spread, but never tiny
    delay = max(delay, result.retry_after_seconds or 0.0)
    return Schedule(next_poll_at=now + _clamp(delay, settings), error_count=error_count, failing=False)


def _jitter(seconds: float, ratio: float, rng: random.Random) -> float:
    return seconds * (1 + rng.uniform(-ratio, ratio))


def _clamp(seconds: float, settings: PollerSettings) -> timedelta:
    bounded = min(settings.max_interval_seconds, max(settings.min_interval_seconds, seconds))
    return timedelta(seconds=bounded)


class HasUrl(Protocol):
    @property
    def url(self) -> str: ...


FeedT = TypeVar("FeedT", bound=HasUrl)


def polite_share(feeds: Sequence[FeedT], polite_hosts: Mapping[str, float], per_host: int) -> list[FeedT]:
    """The due feeds one cycle polls: at most ``per_host`` of each polite host's, in order.

    A polite host takes one request at a time with a pause between (GDELT asks for 5 s), so all
    38 of its query feeds in one cycle would hold the cycle, and the alerts of every other feed,
    for minutes. The rest stay due and go in the next cycles, which follow at once.
    """
    taken: dict[str, int] = {}
    share = []
    for feed in feeds:
        host = urlsplit(feed.url).hostname or ""
        if host in polite_hosts:
            if taken.get(host, 0) >= per_host:
                continue
            taken[host] = taken.get(host, 0) + 1
        share.append(feed)
    return share
