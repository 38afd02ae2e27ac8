"""The spike rule: this week's count against the key's own Poisson baseline of the eight weeks before."""

from __future__ import annotations

import math

import pytest

from cases.spikes import Spike, find_spikes, poisson_tail


def test_the_poisson_tail_matches_the_closed_forms() -> None:
    assert poisson_tail(0, 2.0) == 1.0
    assert poisson_tail(1, 2.0) == pytest.approx(1 - math.exp(-2))
    assert poisson_tail(3, 0.5) == pytest.approx(1 - math.exp(-0.5) * (1 + 0.5 + 0.125))
    assert poisson_tail(3, 0.0) == 0.0  # nothing in the baseline: any count is beyond it


def test_a_spike_needs_an_improbable_count_and_at_least_three_stories() -> None:
    weekly = {
        "NP": (1, 0, 1, 1, 0, 1, 0, 1, 6),  # mean 0.625: six is far out (p ~ 5e-5)
        "IN": (0, 0, 0, 0, 0, 0, 0, 0, 2),  # improbable but only two stories
        "KE": (0, 0, 0, 0, 0, 0, 0, 0, 3),  # new: three stories where there were none
        "RU": (9, 11, 10, 8, 12, 10, 9, 11, 14),  # busy all along: fourteen is within reach (p ~ 0.14)
        "ET": (5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4),  # older weeks are outside the baseline: mean 0
    }
    spikes = find_spikes(weekly)
    assert [spike.key for spike in spikes] == ["ET", "KE", "NP"]  # most improbable first
    assert spikes[2] == Spike("NP", 6, 0.625, pytest.approx(poisson_tail(6, 0.625)))
    assert 1e-5 < spikes[2].p_value < 1e-4


def test_the_boundary_is_strictly_below_one_percent() -> None:
    # mean 1.0: P(X >= 4) ~ 0.019 is not a spike, P(X >= 5) ~ 0.0037 is
    assert find_spikes({"NP": (1,) * 8 + (4,)}) == []
    assert [spike.count for spike in find_spikes({"NP": (1,) * 8 + (5,)})] == [5]


def test_too_short_a_series_is_refused() -> None:
    with pytest.raises(ValueError, match="NP: 8 weeks given, 9 needed"):
        find_spikes({"NP": (0,) * 8})
