"""The one rule that turns rule, zero-shot and head evidence into a score in [0, 1].

Evidence is added in log-odds, like a hand-weighted logistic regression:

    logit = bias
          + rules     · clip(sum of matched rule weights, ±rules_cap)
          + zero_shot · logit(p_zero_shot)      (zero_shot_unsupported_lang when the
                                                 model does not know the language)
          + head      · logit(p_head)           (only once the head is active;
                                                 refined_head when the e5 head read it)
    score = sigmoid(logit)

Probabilities are clipped to [PROBABILITY_FLOOR, 1 - PROBABILITY_FLOOR] so one
overconfident model cannot outvote everything else. Because each term is
bounded, the cascade can tell when the rules alone settle the decision.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from classifiers.settings import FusionWeights
from classifiers.types import ZeroShotScore

PROBABILITY_FLOOR = 0.01
FORMULA = (
    "score = sigmoid(bias + rules*clip(rule_sum, ±rules_cap)"
    " + zero_shot*logit(p_zero_shot) + head*logit(p_head))"
    " (refined_head for the e5 head's p_head)"
)


def logit(probability: float) -> float:
    p = min(max(probability, PROBABILITY_FLOOR), 1.0 - PROBABILITY_FLOOR)
    return math.log(p / (1.0 - p))


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


MAX_EVIDENCE_LOGIT = logit(1.0)


@dataclass(frozen=True, slots=True)
class Fused:
    score: float
    logit: float
    terms: dict[str, Any]


def rules_term(rule_sum: float, weights: FusionWeights) -> float:
    return weights.rules * min(max(rule_sum, -weights.rules_cap), weights.rules_cap)


def zero_shot_weight(zero_shot: ZeroShotScore, weights: FusionWeights) -> float:
    return weights.zero_shot if zero_shot.lang_supported else weights.zero_shot_unsupported_lang


def decision_logit(threshold: float) -> float:
    """The logit at which the score equals the alert threshold."""
    t = min(max(threshold, 1e-9), 1.0 - 1e-9)
    return math.log(t / (1.0 - t))


def models_could_flip(rule_sum: float, weights: FusionWeights, head_active: bool, threshold: float) -> bool:
    """Whether zero-shot (and head) evidence could still move the score across the threshold.

    When it cannot, the models need not run: the rules have decided (cheap before expensive).
    """
    fixed = weights.bias + rules_term(rule_sum, weights) - decision_logit(threshold)
    swing = max(weights.zero_shot, weights.zero_shot_unsupported_lang) * MAX_EVIDENCE_LOGIT
    if head_active:
        swing += max(weights.head, weights.refined_head) * MAX_EVIDENCE_LOGIT
    return abs(fixed) <= swing


def fuse(
    rule_sum: float,
    zero_shot: ZeroShotScore | None,
    head_probability: float | None,
    weights: FusionWeights,
    refined: bool = False,
) -> Fused:
    """Combine the evidence; ``None`` means that source was skipped or is not active.

    ``refined``: the head probability is the e5 head's, whose decision values run on another scale.
    """
    terms: dict[str, Any] = {
        "formula": FORMULA,
        "bias": weights.bias,
        "rule_sum": round(rule_sum, 4),
        "rules_term": round(rules_term(rule_sum, weights), 4),
    }
    total = weights.bias + rules_term(rule_sum, weights)
    if zero_shot is not None:
        zs_term = zero_shot_weight(zero_shot, weights) * logit(zero_shot.probability)
        terms["zero_shot_weight"] = zero_shot_weight(zero_shot, weights)
        terms["zero_shot_term"] = round(zs_term, 4)
        total += zs_term
    if head_probability is not None:
        head_term = (weights.refined_head if refined else weights.head) * logit(head_probability)
        terms["head_term"] = round(head_term, 4)
        total += head_term
    terms["logit"] = round(total, 4)
    score = sigmoid(total)
    terms["score"] = round(score, 4)
    return Fused(score=score, logit=total, terms=terms)
