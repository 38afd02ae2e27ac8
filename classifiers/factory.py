"""Build classifiers from settings; loaded models are cached per process.

Models load lazily here (never at import), so reclassifying after a rule or label
change rebuilds the cheap parts and reuses the loaded weights.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING

from classifiers.backends import ZeroShotBackend
from classifiers.backends.encoders import MiniLmEncoder, TextEncoder, UseEncoder
from classifiers.backends.labels import LabelSet
from classifiers.base_corpus import shipped_base_vectors
from classifiers.cascade import CascadeClassifier
from classifiers.head import Example, FeedbackHead, train_head
from classifiers.rules import RuleSet, compile_rules
from classifiers.settings import ClassifierSettings
from classifiers.types import Classifier, KeywordRuleLike

if TYPE_CHECKING:
    import numpy as np


@cache
def minilm_encoder(max_tokens: int, batch_size: int, threads: int) -> MiniLmEncoder:
    return MiniLmEncoder(max_tokens=max_tokens, batch_size=batch_size, threads=threads)


@cache
def use_encoder(batch_size: int, threads: int) -> UseEncoder:
    return UseEncoder(batch_size=batch_size, threads=threads)


@cache
def _nli_backend(model: str, labels: LabelSet, batch_size: int, threads: int) -> ZeroShotBackend:
    from classifiers.backends.nli import NliBackend

    return NliBackend(model, labels, batch_size=batch_size, threads=threads)


def label_set(settings: ClassifierSettings) -> LabelSet:
    return LabelSet(
        tuple(settings.topic_labels), tuple(settings.contrast_labels), settings.hypothesis_template
    )


def head_encoder(settings: ClassifierSettings) -> TextEncoder:
    """The head always reads multilingual USE vectors, whatever the zero-shot backend."""
    return use_encoder(settings.batch_size, settings.threads)


def build_backend(settings: ClassifierSettings) -> ZeroShotBackend:
    labels = label_set(settings)
    if settings.backend == "nli":
        return _nli_backend(settings.nli_model, labels, settings.batch_size, settings.threads)
    from classifiers.backends.embedding import ANY_LANGUAGE, EmbeddingBackend

    routes: dict[str, TextEncoder] = {}
    if settings.embedding_model in ("hybrid", "use"):
        routes[ANY_LANGUAGE] = use_encoder(settings.batch_size, settings.threads)
    if settings.embedding_model in ("hybrid", "minilm"):
        minilm = minilm_encoder(settings.max_tokens, settings.batch_size, settings.threads)
        routes["en" if settings.embedding_model == "hybrid" else ANY_LANGUAGE] = minilm
    return EmbeddingBackend(routes, labels, settings.temperature)


class _RememberedVectors:
    """Head training vectors by text: retraining after one more vote embeds one more text, not all."""

    def __init__(self, batch_size: int, threads: int) -> None:
        self._batch_size = batch_size
        self._threads = threads
        self._known: dict[str, np.ndarray] = {}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        missing = [text for text in dict.fromkeys(texts) if text not in self._known]
        if missing:
            vectors = use_encoder(self._batch_size, self._threads).encode(missing)
            self._known.update(zip(missing, vectors, strict=True))
        return np.stack([self._known[text] for text in texts])


@cache
def _remembered_vectors(batch_size: int, threads: int) -> _RememberedVectors:
    return _RememberedVectors(batch_size, threads)


def train_feedback_head(examples: Sequence[Example], settings: ClassifierSettings) -> FeedbackHead:
    """Retrain the head from the shipped corpus and all labelled feedback (pure in both).

    The encoder loads only when there are feedback texts to embed.
    """
    return train_head(
        examples,
        _remembered_vectors(settings.batch_size, settings.threads),
        UseEncoder.name,
        settings.head_min_examples,
        settings.head_regularisation,
        base=shipped_base_vectors() if settings.head_base_corpus else None,
        example_weight=settings.head_feedback_weight,
    )


def train_corpus_head(examples: Sequence[Example], settings: ClassifierSettings) -> FeedbackHead:
    """A head trained on ``examples`` alone (no shipped corpus): one cross-validation fold's head."""
    return train_head(
        examples,
        _remembered_vectors(settings.batch_size, settings.threads),
        UseEncoder.name,
        1,
        settings.head_regularisation,
    )


def build_classifier(
    settings: ClassifierSettings,
    rules: Iterable[KeywordRuleLike] | RuleSet,
    head: FeedbackHead | None = None,
) -> Classifier:
    """The production classifier: compiled rules + configured backend (+ head when active)."""
    ruleset = rules if isinstance(rules, RuleSet) else compile_rules(rules)
    head_encode = None
    if head is not None and head.active:
        encoder = head_encoder(settings)
        if head.encoder_name != encoder.name:
            raise ValueError(f"head was trained on {head.encoder_name} vectors, not {encoder.name}")
        head_encode = encoder.encode
    return CascadeClassifier(settings, ruleset, build_backend(settings), head=head, head_encode=head_encode)


def default_classifier(settings: ClassifierSettings) -> Classifier:
    """What a fresh install classifies with: the default rules and the head of the shipped corpus."""
    return build_classifier(settings, settings.keywords, train_feedback_head([], settings))
