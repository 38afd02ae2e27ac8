"""Turning label similarities into a topic probability (shared by embedding encoders)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from classifiers.types import ZeroShotScore


@dataclass(frozen=True, slots=True)
class LabelSet:
    """Topic labels compete against contrast labels; the template phrases each one."""

    topic: tuple[str, ...]
    contrast: tuple[str, ...]
    template: str

    def __post_init__(self) -> None:
        if not self.topic or not self.contrast:
            raise ValueError("need at least one topic label and one contrast label")
        if len(set(self.all)) != len(self.all):
            raise ValueError("topic and contrast labels must all be different")
        if "{}" not in self.template:
            raise ValueError("hypothesis_template must contain '{}' where the label goes")

    @property
    def all(self) -> tuple[str, ...]:
        return self.topic + self.contrast

    def hypotheses(self) -> list[str]:
        return [self.template.format(label) for label in self.all]


def softmax_topic_scores(
    similarities: np.ndarray, labels: LabelSet, temperature: float, model: str, lang_supported: list[bool]
) -> list[ZeroShotScore]:
    """Probability mass of the topic labels in a softmax over all labels.

    A story is judged *relative* to the near misses: being somewhat close to
    "mercenaries" means little if it is closer still to "migrant smuggling".
    """
    n_topic = len(labels.topic)
    logits = similarities / temperature
    logits -= logits.max(axis=1, keepdims=True)
    probs = np.exp(logits)
    probs /= probs.sum(axis=1, keepdims=True)
    topic_prob = probs[:, :n_topic].sum(axis=1)
    best_topic = similarities[:, :n_topic].argmax(axis=1)
    best_contrast = similarities[:, n_topic:].argmax(axis=1)
    rows = np.arange(len(similarities))
    margin = similarities[rows, best_topic] - similarities[rows, n_topic + best_contrast]
    return [
        ZeroShotScore(
            probability=float(topic_prob[i]),
            best_label=labels.topic[best_topic[i]],
            best_contrast_label=labels.contrast[best_contrast[i]],
            margin=float(margin[i]),
            model=model,
            lang_supported=lang_supported[i],
        )
        for i in rows
    ]
