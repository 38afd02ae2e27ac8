"""NLI backend: the transformers zero-shot-classification pipeline with contrast labels."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from typing import Any

from classifiers.backends import Refine
from classifiers.backends.labels import LabelSet
from classifiers.runtime import use_offline_models
from classifiers.types import StoryText, ZeroShotScore


def odds_share(topic_probs: list[float], contrast_probs: list[float]) -> float:
    """Share of the topic labels in the total entailment odds of all labels.

    ``multi_label=True`` scores every label on its own; comparing odds puts a story
    that entails both "mercenaries" and "migrant smuggling" in between, as the
    embedding backend's softmax does.
    """

    def odds(p: float) -> float:
        p = min(max(p, 1e-6), 1 - 1e-6)
        return p / (1 - p)

    topic = math.fsum(odds(p) for p in topic_probs)
    return topic / (topic + math.fsum(odds(p) for p in contrast_probs))


class NliBackend:
    """Any NLI model asked "is this story about <label>?" for every topic and contrast label.

    ``model`` is a directory or a name in the local Hugging Face cache (never
    downloaded), or an already loaded model passed with its ``tokenizer``.
    """

    def __init__(
        self, model: Any, labels: LabelSet, batch_size: int = 8, threads: int = 0, tokenizer: Any = None
    ) -> None:
        use_offline_models(threads)
        from transformers import pipeline

        model_id = model if isinstance(model, str) else type(model).__name__
        self._pipeline = pipeline(
            "zero-shot-classification",
            model=model,
            tokenizer=tokenizer if tokenizer is not None else model,
            device=-1,
        )
        self._labels = labels
        self._batch_size = batch_size
        self.name = f"nli({model_id})"
        self.version = hashlib.sha256(repr((model_id, labels)).encode()).hexdigest()[:12]

    def scores(self, texts: Sequence[StoryText], refine: Refine | None = None) -> list[ZeroShotScore]:
        del refine  # one stage: every story goes through the pipeline
        if not texts:
            return []
        outputs: Any = self._pipeline(
            [story.text for story in texts],
            candidate_labels=list(self._labels.all),
            hypothesis_template=self._labels.template,
            multi_label=True,
            batch_size=self._batch_size,
        )
        if isinstance(outputs, dict):
            outputs = [outputs]
        return [self._score(dict(zip(out["labels"], out["scores"], strict=True))) for out in outputs]

    def _score(self, by_label: dict[str, float]) -> ZeroShotScore:
        topic = {label: by_label[label] for label in self._labels.topic}
        contrast = {label: by_label[label] for label in self._labels.contrast}
        best_topic = max(topic, key=topic.__getitem__)
        best_contrast = max(contrast, key=contrast.__getitem__)
        return ZeroShotScore(
            probability=odds_share(list(topic.values()), list(contrast.values())),
            best_label=best_topic,
            best_contrast_label=best_contrast,
            margin=topic[best_topic] - contrast[best_contrast],
            model=self.name,
        )
