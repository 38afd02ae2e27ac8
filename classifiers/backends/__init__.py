"""Zero-shot backends: each turns stories into a topic probability against contrast labels."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from classifiers.types import StoryText, ZeroShotScore


class ZeroShotBackend(Protocol):
    """One job: score stories against the configured topic and contrast labels."""

    name: str
    version: str

    def scores(self, texts: Sequence[StoryText]) -> list[ZeroShotScore]: ...
