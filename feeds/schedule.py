"""When to poll a feed next: a pure function of the last result and the settings."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

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
