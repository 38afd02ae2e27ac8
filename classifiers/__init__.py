"""Relevance classifier for stories about people recruited, lured or trafficked to fight in wars.

Pure functions over texts. Importing this package loads no model, torch or numpy
(the CLI's ``--help`` must stay fast): the factory and backends load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from classifiers.labelled import LabelledStory, load_labelled
from classifiers.rules import RuleMatch, RuleSet, compile_rules
from classifiers.settings import ClassifierSettings
from classifiers.types import Classifier, KeywordRuleLike, KeywordSeed, StoryText, Verdict, ZeroShotScore

if TYPE_CHECKING:
    from classifiers.factory import build_classifier, train_feedback_head
    from classifiers.head import FeedbackHead

_LAZY = {
    "build_classifier": "classifiers.factory",
    "train_feedback_head": "classifiers.factory",
    "FeedbackHead": "classifiers.head",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'classifiers' has no attribute {name!r}")


__all__ = [
    "Classifier",
    "ClassifierSettings",
    "FeedbackHead",
    "KeywordRuleLike",
    "KeywordSeed",
    "LabelledStory",
    "RuleMatch",
    "RuleSet",
    "StoryText",
    "Verdict",
    "ZeroShotScore",
    "build_classifier",
    "compile_rules",
    "load_labelled",
    "train_feedback_head",
]
