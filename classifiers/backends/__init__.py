"""Zero-shot backends: each turns stories into a topic probability against contrast labels."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from classifiers.types import StoryText, ZeroShotScore

# refine(i, cheap_score): should the expensive model score text i too, given the cheap model's score?
Refine = Callable[[int, ZeroShotScore], bool]


class ZeroShotBackend(Protocol):
    """One job: score stories against the configured topic and contrast labels.

    A backend with a cheap and an expensive stage asks ``refine`` before the expensive one;
    single-stage backends ignore it.
    """

    name: str
    version: str

    def scores(self, texts: Sequence[StoryText], refine: Refine | None = None) -> list[ZeroShotScore]: ...
