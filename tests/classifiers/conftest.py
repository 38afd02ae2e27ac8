"""Fixtures for the classifier tests: storage-like rule records, a fake backend, real models once."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pytest

from classifiers.labelled import LabelledStory
from classifiers.types import StoryText, ZeroShotScore


@dataclass
class StoredRule:
    """Mimics a storage row: satisfies KeywordRuleLike without being a KeywordSeed."""

    term: str
    weight: float = 1.0
    lang: str | None = None
    exclude: bool = False
    near: str | None = None
    window: int | None = None


class FakeBackend:
    """Topic probability = 0.9 if the text mentions 'topic', else 0.1; records what it was asked."""

    name = "fake"
    version = "fake-1"

    def __init__(self, lang_supported: bool = True) -> None:
        self.calls: list[list[StoryText]] = []
        self._supported = lang_supported

    def scores(self, texts: Sequence[StoryText], refine: object = None) -> list[ZeroShotScore]:
        self.calls.append(list(texts))
        return [
            ZeroShotScore(
                probability=0.9 if "topic" in story.text else 0.1,
                best_label="topic label",
                best_contrast_label="contrast label",
                margin=0.1,
                model=self.name,
                lang_supported=self._supported,
            )
            for story in texts
        ]


@pytest.fixture
def fake_backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture(scope="session")
def minilm():
    from classifiers.factory import minilm_encoder

    return minilm_encoder(128, 32, 0)


@pytest.fixture(scope="session")
def use():
    from classifiers.factory import use_encoder

    return use_encoder(32, 0)


@pytest.fixture(scope="session")
def e5():
    from classifiers.factory import e5_encoder

    return e5_encoder(32, 0)


@pytest.fixture
def make_rule() -> type[StoredRule]:
    return StoredRule


def bag_of_words(texts: Sequence[str]) -> np.ndarray:
    """A deterministic stand-in encoder: hashed word counts, L2-normalised."""
    vectors = np.zeros((len(texts), 64))
    for row, text in enumerate(texts):
        for word in text.lower().split():
            vectors[row, zlib.crc32(word.encode()) % 64] += 1
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def feedback_examples(n_relevant: int, n_irrelevant: int) -> list[LabelledStory]:
    relevant = [
        LabelledStory(StoryText(f"mercenaries recruited abroad {i}", "sent to the front"), True)
        for i in range(n_relevant)
    ]
    irrelevant = [
        LabelledStory(StoryText(f"stock market rally {i}", "shares close higher"), False)
        for i in range(n_irrelevant)
    ]
    return relevant + irrelevant


@pytest.fixture
def encode() -> Callable[[Sequence[str]], np.ndarray]:
    return bag_of_words


@pytest.fixture
def make_examples() -> Callable[[int, int], list[LabelledStory]]:
    return feedback_examples
