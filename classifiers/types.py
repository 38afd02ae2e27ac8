"""Value types exchanged between the classifier and the rest of warwatch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from textkit.clean import drop_invisible


@dataclass(frozen=True, slots=True)
class StoryText:
    """What the classifier reads of a story; ``lang`` is an ISO-639-1 code when known."""

    title: str
    summary: str
    lang: str | None = None

    @property
    def text(self) -> str:
        """Title and summary as one passage (a newline keeps phrases from spanning both).

        Invisible characters that only hide word boundaries (zero-width space, word joiner, BOM,
        soft hyphen, bidi controls) are dropped, as feeds drop them (``textkit.clean``), so a
        zero-width space inside "mercenaries" hides it from neither the rules nor the models.
        """
        text = f"{self.title}\n{self.summary}" if self.summary else self.title
        return drop_invisible(text)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The classifier's decision; ``reasons`` is JSON-serialisable and explains the score."""

    score: float
    alert: bool
    reasons: dict[str, Any]
    model_name: str
    model_version: str


@dataclass(frozen=True, slots=True)
class ZeroShotScore:
    """One text's zero-shot result: topic probability, label evidence, does the model know the language."""

    probability: float
    best_label: str
    best_contrast_label: str
    margin: float
    model: str
    lang_supported: bool = True


@runtime_checkable
class KeywordRuleLike(Protocol):
    """Any record with these (read-only) attributes is a keyword rule: storage rows, seeds, stubs."""

    @property
    def term(self) -> str: ...
    @property
    def weight(self) -> float: ...
    @property
    def lang(self) -> str | None: ...
    @property
    def exclude(self) -> bool: ...
    @property
    def near(self) -> str | None: ...
    @property
    def window(self) -> int | None: ...


class KeywordSeed(BaseModel):
    """A keyword rule written in config; seeded into the database on first run."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    term: str = Field(description="Word or phrase; a trailing `*` on a word matches any ending (`recruit*`).")
    weight: float = Field(
        default=1.0, description="Log-odds points added when the term matches (negative = evidence against)."
    )
    lang: str | None = Field(default=None, description="Only apply to stories in this language (ISO-639-1).")
    exclude: bool = Field(default=False, description="A match vetoes the story: no alert, model not run.")
    near: str | None = Field(
        default=None,
        description="Only count the term if one of these `|`-separated words is within `window`.",
    )
    window: int | None = Field(default=None, description="Proximity window in words for `near` (default 8).")


class Classifier(Protocol):
    """What the app needs from a classifier: verdicts for a batch of stories, in order.

    ``model_version`` changes whenever a verdict could change (rules, labels, weights, head).
    """

    model_name: str
    model_version: str

    def classify_batch(self, texts: Sequence[StoryText]) -> list[Verdict]: ...
