"""Feedback head: a logistic regression on sentence embeddings, trained from admin labels.

Retraining is a pure function of the labelled examples (storage supplies them). The
head joins the fused score only once it has enough examples of *both* classes,
because a head that has seen only positives (or only negatives) says nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from classifiers.labelled import LabelledStory
from classifiers.types import StoryText

Encode = Callable[[Sequence[str]], np.ndarray]
Example = LabelledStory | tuple[StoryText, bool]


@dataclass(frozen=True, slots=True)
class FeedbackHead:
    """A trained (or not yet active) head; ``version`` changes with the training set."""

    version: str
    encoder_name: str
    n_relevant: int
    n_irrelevant: int
    min_per_class: int
    model: Any = None  # sklearn LogisticRegression once active

    @property
    def active(self) -> bool:
        return self.model is not None

    def probabilities(self, embeddings: np.ndarray) -> np.ndarray:
        """P(relevant) per row of ``embeddings``."""
        if self.model is None:
            raise RuntimeError(
                f"feedback head is not active: needs {self.min_per_class} examples of each class, "
                f"has {self.n_relevant} relevant and {self.n_irrelevant} irrelevant"
            )
        return self.model.predict_proba(embeddings)[:, 1]

    def describe(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "active": self.active,
            "encoder": self.encoder_name,
            "n_relevant": self.n_relevant,
            "n_irrelevant": self.n_irrelevant,
            "min_per_class": self.min_per_class,
        }


def _training_set_hash(examples: Sequence[LabelledStory], regularisation: float, encoder_name: str) -> str:
    canonical = sorted(
        json.dumps([e.story.title, e.story.summary, e.story.lang, e.relevant], ensure_ascii=False)
        for e in examples
    )
    payload = json.dumps([canonical, regularisation, encoder_name]).encode()
    return hashlib.sha256(payload).hexdigest()[:12]


def _as_labelled(example: Example) -> LabelledStory:
    if isinstance(example, LabelledStory):
        return example
    story, relevant = example
    return LabelledStory(story=story, relevant=bool(relevant))


def train_head(
    examples: Sequence[Example],
    encode: Encode,
    encoder_name: str,
    min_per_class: int,
    regularisation: float = 1.0,
) -> FeedbackHead:
    """Fit the head on ``examples`` (``LabelledStory`` or ``(StoryText, relevant)``).

    It stays inactive below ``min_per_class`` examples per class.
    """
    labelled = [_as_labelled(e) for e in examples]
    n_relevant = sum(1 for e in labelled if e.relevant)
    n_irrelevant = len(labelled) - n_relevant
    version = f"head-n{len(labelled)}-{_training_set_hash(labelled, regularisation, encoder_name)}"
    head = FeedbackHead(version, encoder_name, n_relevant, n_irrelevant, min_per_class)
    if min(n_relevant, n_irrelevant) < min_per_class:
        return head
    from sklearn.linear_model import LogisticRegression

    features = encode([e.story.text for e in labelled])
    labels = np.array([e.relevant for e in labelled], dtype=int)
    model = LogisticRegression(C=regularisation, class_weight="balanced", max_iter=1000)
    model.fit(features, labels)
    return FeedbackHead(version, encoder_name, n_relevant, n_irrelevant, min_per_class, model)
