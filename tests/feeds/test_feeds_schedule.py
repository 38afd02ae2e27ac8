"""Next-poll computation: intervals, hints, backoff and failing feeds."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from feeds.schedule import compute_schedule
from feeds.settings import PollerSettings
from feeds.types import FetchErrorKind, FetchResult
from tests.feeds.feeds_samples import NOW

SETTINGS = PollerSettings(
    default_interval_seconds=600,
    min_interval_seconds=300,
    max_interval_seconds=86_400,
    interval_jitter_ratio=0,
    backoff_base_seconds=600,
    backoff_cap_seconds=21_600,
    failing_after_errors=5,
)
OK = FetchResult(url="u", final_url="u", status_code=200)
ERROR = FetchResult(url="u", final_url="u", status_code=500, error_kind=FetchErrorKind.HTTP_STATUS)


def schedule(result: FetchResult, *, ok: bool, errors: int = 0, ttl: int | None = None, settings=SETTINGS):
    return compute_schedule(
        now=NOW,
        result=result,
        succeeded=ok,
        ttl_minutes=ttl,
        previous_error_count=errors,
        settings=settings,
        rng=random.Random(7),
    )


def delay(result: FetchResult, **kwargs) -> float:
    return (schedule(result, **kwargs).next_poll_at - NOW).total_seconds()


def test_success_uses_the_default_interval_and_resets_errors() -> None:
    outcome = schedule(OK, ok=True, errors=4)
    assert (outcome.next_poll_at, outcome.error_count, outcome.failing) == (
        NOW + timedelta(seconds=600),
        0,
        False,
    )


def test_ttl_and_max_age_stretch_but_never_shorten_or_exceed_bounds() -> None:
    assert delay(OK, ok=True, ttl=60) == 3600
    assert delay(OK, ok=True, ttl=1) == 600
    assert delay(OK, ok=True, ttl=100_000) == 86_400
    assert delay(FetchResult(url="u", final_url="u", max_age_seconds=1800), ok=True) == 1800
    assert delay(FetchResult(url="u", final_url="u", max_age_seconds=0), ok=True) == 600


def test_jitter_spreads_success_intervals_within_the_ratio() -> None:
    jittery = SETTINGS.model_copy(update={"interval_jitter_ratio": 0.1})
    delays = {delay(OK, ok=True, settings=jittery) for _ in range(3)}
    assert all(540 <= value <= 660 for value in delays)


@pytest.mark.parametrize(
    ("previous_errors", "low", "high"), [(0, 300, 600), (1, 600, 1200), (2, 1200, 2400), (7, 10_800, 21_600)]
)
def test_errors_back_off_exponentially_with_jitter(previous_errors: int, low: float, high: float) -> None:
    patient = SETTINGS.model_copy(update={"failing_after_errors": 50})
    outcome = schedule(ERROR, ok=False, errors=previous_errors, settings=patient)
    assert low <= (outcome.next_poll_at - NOW).total_seconds() <= high
    assert (outcome.error_count, outcome.failing) == (previous_errors + 1, False)


def test_retry_after_is_honoured_within_bounds() -> None:
    limited = FetchResult(
        url="u",
        final_url="u",
        status_code=429,
        retry_after_seconds=7200,
        error_kind=FetchErrorKind.HTTP_STATUS,
    )
    assert delay(limited, ok=False) == 7200
    forever = FetchResult(
        url="u", final_url="u", retry_after_seconds=10**9, error_kind=FetchErrorKind.HTTP_STATUS
    )
    assert delay(forever, ok=False) == 86_400


def test_feed_is_failing_after_n_errors_and_polled_at_the_max_interval() -> None:
    outcome = schedule(ERROR, ok=False, errors=4)
    assert outcome.failing and outcome.error_count == 5
    assert outcome.next_poll_at == NOW + timedelta(days=1)
    recovered = schedule(OK, ok=True, errors=12)
    assert not recovered.failing and recovered.error_count == 0
