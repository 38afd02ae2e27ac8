"""Fusion: log-odds arithmetic, bounds, unsupported languages, and when the rules alone decide."""

from __future__ import annotations

import math

import pytest

from classifiers.fusion import MAX_EVIDENCE_LOGIT, fuse, logit, models_could_flip
from classifiers.settings import FusionWeights
from classifiers.types import ZeroShotScore


def zero_shot(probability: float, supported: bool = True) -> ZeroShotScore:
    return ZeroShotScore(probability, "topic", "contrast", 0.0, "m", lang_supported=supported)


WEIGHTS = FusionWeights(
    bias=-1.0,
    rules=1.0,
    rules_cap=4.0,
    zero_shot=0.5,
    zero_shot_unsupported_lang=0.0,
    head=2.0,
    refined_head=2.0,
)


def test_score_is_the_sigmoid_of_the_documented_sum():
    fused = fuse(1.5, zero_shot(0.8), 0.3, WEIGHTS)
    expected_logit = -1.0 + 1.5 + 0.5 * math.log(0.8 / 0.2) + 2.0 * math.log(0.3 / 0.7)
    assert fused.terms["logit"] == pytest.approx(expected_logit, abs=1e-4)
    assert fused.score == pytest.approx(1 / (1 + math.exp(-expected_logit)))
    assert fused.terms["zero_shot_term"] + fused.terms["head_term"] + fused.terms[
        "rules_term"
    ] - 1.0 == pytest.approx(expected_logit, abs=1e-3)
    assert "sigmoid" in fused.terms["formula"]


def test_the_e5_heads_probability_is_weighed_with_its_own_weight():
    weights = WEIGHTS.model_copy(update={"refined_head": 5.0})
    assert fuse(0.0, None, 0.3, weights).terms["head_term"] == pytest.approx(2.0 * logit(0.3), abs=1e-4)
    refined = fuse(0.0, None, 0.3, weights, refined=True)
    assert refined.terms["head_term"] == pytest.approx(5.0 * logit(0.3), abs=1e-4)
    # the larger weight is the head's possible swing: only with it can the models still flip this
    assert models_could_flip(0.0, weights, True, 0.9999999)
    assert not models_could_flip(0.0, WEIGHTS, True, 0.9999999)


def test_rule_evidence_is_capped_both_ways():
    assert fuse(100.0, None, None, WEIGHTS).terms["rules_term"] == 4.0
    assert fuse(-100.0, None, None, WEIGHTS).terms["rules_term"] == -4.0


def test_overconfident_probabilities_are_clipped():
    assert logit(0.0) == pytest.approx(-MAX_EVIDENCE_LOGIT)
    assert logit(1.0) == pytest.approx(MAX_EVIDENCE_LOGIT)
    assert logit(0.5) == 0.0
    assert fuse(0.0, zero_shot(1e-12), None, WEIGHTS).terms["zero_shot_term"] == pytest.approx(
        -0.5 * MAX_EVIDENCE_LOGIT, abs=1e-4
    )


def test_a_model_that_cannot_read_the_language_gets_its_own_weight():
    fused = fuse(1.0, zero_shot(0.99, supported=False), None, WEIGHTS)
    assert fused.terms["zero_shot_weight"] == 0.0
    assert fused.score == pytest.approx(0.5)


def test_missing_sources_leave_no_term():
    terms = fuse(0.0, None, None, WEIGHTS).terms
    assert "zero_shot_term" not in terms and "head_term" not in terms
    assert terms["score"] == pytest.approx(1 / (1 + math.e), abs=1e-4)


@pytest.mark.parametrize(
    ("rule_sum", "head_active", "threshold", "could_flip"),
    [
        (0.0, False, 0.5, True),
        (1.0, False, 0.5, True),
        (4.0, False, 0.5, False),  # -1 + 4 = 3 > 0.5 * 4.6
        (-2.0, False, 0.5, False),  # -3 < -2.3
        (-2.0, True, 0.5, True),  # the head can swing another 9.2
        (4.0, False, 0.99, True),  # a strict threshold moves the boundary
    ],
)
def test_models_are_skipped_only_when_they_cannot_change_the_decision(
    rule_sum, head_active, threshold, could_flip
):
    assert models_could_flip(rule_sum, WEIGHTS, head_active, threshold) is could_flip
    if not could_flip:
        worst = fuse(rule_sum, zero_shot(0.0 if rule_sum > 0 else 1.0), None, WEIGHTS).score
        assert (worst >= threshold) == (rule_sum > 0)
