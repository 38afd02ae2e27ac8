"""Spikes: a week whose count of flagged stories is improbably high against the same key's own baseline.

The rule: with ``m`` the mean weekly count of the previous ``BASELINE_WEEKS`` weeks and ``k`` this
week's count, the week is a spike when ``k >= MIN_STORIES`` and ``P(X >= k) < MAX_P_VALUE`` for
``X ~ Poisson(m)``. A key with no story in the baseline (``m = 0``) spikes at ``MIN_STORIES``: its
tail probability is 0. The minimum keeps one or two stories about a rarely named country from
alerting; the baseline is each key's own, so a country always in the news needs a larger jump.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

BASELINE_WEEKS = 8
MAX_P_VALUE = 0.01
MIN_STORIES = 3


@dataclass(frozen=True, slots=True)
class Spike:
    key: str
    count: int  # this week's
    baseline: float  # mean weekly count of the baseline weeks
    p_value: float  # P(X >= count) for X ~ Poisson(baseline)


def poisson_tail(count: int, mean: float) -> float:
    """P(X >= count) for X ~ Poisson(mean): one minus the probabilities of 0 … count - 1."""
    if count <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    term, below = math.exp(-mean), 0.0
    for value in range(count):
        below += term
        term *= mean / (value + 1)
    return max(0.0, 1.0 - below)


def find_spikes(weekly: Mapping[str, Sequence[int]]) -> list[Spike]:
    """The keys whose last week spikes against the ``BASELINE_WEEKS`` weeks before it, most
    improbable first. Each series runs oldest first and holds at least ``BASELINE_WEEKS + 1`` weeks."""
    found = []
    for key, counts in weekly.items():
        if len(counts) < BASELINE_WEEKS + 1:
            raise ValueError(f"{key}: {len(counts)} weeks given, {BASELINE_WEEKS + 1} needed")
        current, baseline = counts[-1], sum(counts[-1 - BASELINE_WEEKS : -1]) / BASELINE_WEEKS
        p_value = poisson_tail(current, baseline)
        if current >= MIN_STORIES and p_value < MAX_P_VALUE:
            found.append(Spike(key, current, baseline, p_value))
    return sorted(found, key=lambda spike: (spike.p_value, -spike.count, spike.key))
