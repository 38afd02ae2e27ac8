"""Embedding backend: cosine similarity of each story to the label descriptions."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

import numpy as np

from classifiers.backends import Refine
from classifiers.backends.encoders import TextEncoder
from classifiers.backends.labels import LabelSet, softmax_topic_scores
from classifiers.language import story_language
from classifiers.types import StoryText, ZeroShotScore

ANY_LANGUAGE = "*"


class EmbeddingBackend:
    """Routes each story to one encoder by language (``"*"`` = the fallback) and scores it.

    With the hybrid setting English goes to MiniLM, which separates English near
    misses best, and everything else to multilingual USE. Given ``refine``, stories
    routed to a language-specific encoder are first scored by the cheap fallback, and
    only those ``refine`` picks go on to the expensive encoder (the cascade picks the
    ones whose decision the cheap score leaves uncertain).
    """

    def __init__(
        self,
        routes: Mapping[str, TextEncoder],
        labels: LabelSet,
        temperature: float,
    ) -> None:
        if ANY_LANGUAGE not in routes:
            raise ValueError("routes need a fallback encoder under '*'")
        self._routes = dict(routes)
        self._labels = labels
        self._temperature = temperature
        self._label_vectors: dict[str, np.ndarray] = {}
        encoders = sorted({f"{lang}={enc.name}/{enc.version}" for lang, enc in self._routes.items()})
        self.name = (
            "embedding(" + ",".join(f"{lang}:{enc.name}" for lang, enc in sorted(self._routes.items())) + ")"
        )
        config = repr((encoders, labels, temperature))
        self.version = hashlib.sha256(config.encode()).hexdigest()[:12]

    def _route(self, lang: str) -> str:
        return lang if lang in self._routes else ANY_LANGUAGE

    def _labels_for(self, route: str) -> np.ndarray:
        if route not in self._label_vectors:
            self._label_vectors[route] = self._routes[route].encode(self._labels.hypotheses())
        return self._label_vectors[route]

    def _score_with(
        self, route: str, indices: list[int], texts: Sequence[StoryText], langs: list[str]
    ) -> list[ZeroShotScore]:
        encoder = self._routes[route]
        vectors = encoder.encode([texts[i].text for i in indices])
        similarities = vectors @ self._labels_for(route).T
        supported = [langs[i] in encoder.languages for i in indices]
        return softmax_topic_scores(similarities, self._labels, self._temperature, encoder.name, supported)

    def scores(self, texts: Sequence[StoryText], refine: Refine | None = None) -> list[ZeroShotScore]:
        langs = [story_language(story) for story in texts]
        by_route: dict[str, list[int]] = {}
        for i, lang in enumerate(langs):
            by_route.setdefault(self._route(lang), []).append(i)
        results: dict[int, ZeroShotScore] = {}
        if refine is not None:
            expensive = [i for route, indices in by_route.items() if route != ANY_LANGUAGE for i in indices]
            cheap = self._score_with(ANY_LANGUAGE, expensive, texts, langs) if expensive else []
            results.update((i, s) for i, s in zip(expensive, cheap, strict=True) if not refine(i, s))
        for route, indices in by_route.items():
            pending = [i for i in indices if i not in results]
            if pending:
                results.update(zip(pending, self._score_with(route, pending, texts, langs), strict=True))
        return [results[i] for i in range(len(texts))]
