"""Build classifiers from settings; loaded models are cached per process.

Models load lazily here (never at import), so reclassifying after a rule or label
change rebuilds the cheap parts and reuses the loaded weights.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING

from classifiers.backends import ZeroShotBackend
from classifiers.backends.encoders import E5Encoder, MiniLmEncoder, TextEncoder, UseEncoder
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
def e5_encoder(batch_size: int, threads: int) -> E5Encoder:
    return E5Encoder(batch_size=batch_size, threads=threads)


@cache
def _nli_backend(model: str, labels: LabelSet, batch_size: int, threads: int) -> ZeroShotBackend:
    from classifiers.backends.nli import NliBackend

    return NliBackend(model, labels, batch_size=batch_size, threads=threads)


def label_set(settings: ClassifierSettings) -> LabelSet:
    return LabelSet(
        tuple(settings.topic_labels), tuple(settings.contrast_labels), settings.hypothesis_template
    )


def head_encoder(settings: ClassifierSettings, encoder_name: str = UseEncoder.name) -> TextEncoder:
    """The head reads multilingual USE vectors whatever the zero-shot backend; its refiner reads e5's."""
    return _loaded_head_encoder(encoder_name, settings.batch_size, settings.threads)


def _loaded_head_encoder(encoder_name: str, batch_size: int, threads: int) -> TextEncoder:
    encoders: dict[str, Callable[[int, int], TextEncoder]] = {
        UseEncoder.name: use_encoder,
        E5Encoder.name: e5_encoder,
    }
    if encoder_name not in encoders:
        raise ValueError(f"no head encoder named {encoder_name!r}: expected one of {sorted(encoders)}")
    return encoders[encoder_name](batch_size, threads)


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

    def __init__(self, encoder_name: str, batch_size: int, threads: int) -> None:
        self._encoder_name = encoder_name
        self._batch_size = batch_size
        self._threads = threads
        self._known: dict[str, np.ndarray] = {}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        missing = [text for text in dict.fromkeys(texts) if text not in self._known]
        if missing:
            encoder = _loaded_head_encoder(self._encoder_name, self._batch_size, self._threads)
            vectors = encoder.encode(missing)
            self._known.update(zip(missing, vectors, strict=True))
        return np.stack([self._known[text] for text in texts])


@cache
def _remembered_vectors(encoder_name: str, batch_size: int, threads: int) -> _RememberedVectors:
    return _RememberedVectors(encoder_name, batch_size, threads)


def head_kernel_gamma(settings: ClassifierSettings, encoder_name: str) -> float | None:
    """The RBF width of the head on ``encoder_name``'s vectors: e5's is set, USE's is sklearn's default."""
    return settings.head_refine_kernel_gamma if encoder_name == E5Encoder.name else None


def _head_on(
    encoder_name: str, examples: Sequence[Example], settings: ClassifierSettings, shipped: bool
) -> FeedbackHead:
    return train_head(
        examples,
        _remembered_vectors(encoder_name, settings.batch_size, settings.threads),
        encoder_name,
        settings.head_min_examples if shipped else 1,
        settings.head_regularisation,
        head_kernel_gamma(settings, encoder_name),
        base=shipped_base_vectors(encoder_name) if shipped and settings.head_base_corpus else None,
        example_weight=settings.head_feedback_weight if shipped else 1.0,
    )


def _trained_head(examples: Sequence[Example], settings: ClassifierSettings, shipped: bool) -> FeedbackHead:
    head = _head_on(UseEncoder.name, examples, settings, shipped)
    if not settings.head_refine:
        return head
    return head.with_refiner(_head_on(E5Encoder.name, examples, settings, shipped))


def train_feedback_head(examples: Sequence[Example], settings: ClassifierSettings) -> FeedbackHead:
    """Retrain the head (and its e5 refiner) from the shipped corpus and all labelled feedback.

    Pure in both; an encoder loads only when there are feedback texts to embed.
    """
    return _trained_head(examples, settings, shipped=True)


def train_corpus_head(examples: Sequence[Example], settings: ClassifierSettings) -> FeedbackHead:
    """A head trained on ``examples`` alone (no shipped corpus): one cross-validation fold's head."""
    return _trained_head(examples, settings, shipped=False)


def build_classifier(
    settings: ClassifierSettings,
    rules: Iterable[KeywordRuleLike] | RuleSet,
    head: FeedbackHead | None = None,
) -> Classifier:
    """The production classifier: compiled rules + configured backend (+ head when active)."""
    ruleset = rules if isinstance(rules, RuleSet) else compile_rules(rules)
    head_encode = refine_encode = head_languages = None
    if head is not None and head.active:
        first = head_encoder(settings, head.encoder_name)
        head_encode, head_languages = first.encode, first.languages or None
        if head.refiner is not None:
            refine_encode = head_encoder(settings, head.refiner.encoder_name).encode
    return CascadeClassifier(
        settings,
        ruleset,
        build_backend(settings),
        head,
        head_encode,
        refine_encode=refine_encode,
        head_languages=head_languages,
    )


def default_classifier(settings: ClassifierSettings) -> Classifier:
    """What a fresh install classifies with: the default rules and the head of the shipped corpus."""
    return build_classifier(settings, settings.keywords, train_feedback_head([], settings))
