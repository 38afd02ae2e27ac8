"""/backtest: how a keyword or threshold change would have flagged recent stories, before applying it.

The bot only parses the change and compares two runs; the classification itself is injected
(``ClassifyWithRules``), so the bot never builds a classifier.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from classifiers.types import KeywordRuleLike, StoryText, Verdict
from storage.db import Database
from storage.keywords import list_rules
from storage.overrides import alert_threshold
from storage.stories import recent_stories

ClassifyWithRules = Callable[[Sequence[StoryText], Sequence[KeywordRuleLike], float], list[Verdict]]
EXAMPLES = 5
MAX_DAYS = 90
MAX_TERM_CHARS = 100  # the keyword_rules.term column
_DAYS = re.compile(r"^(\d{1,3})d$")


class UsageError(ValueError):
    """The command's arguments are not understood; the message says how to write them."""


class ChangeKind(enum.StrEnum):
    ADD_TERM = "add"
    REMOVE_TERM = "remove"
    THRESHOLD = "threshold"


@dataclass(frozen=True, slots=True)
class Rule:
    """A keyword rule typed by an admin; fits ``KeywordRuleLike`` and storage's ``KeywordSpec``."""

    term: str
    weight: float = 1.0
    lang: str | None = None
    exclude: bool = False
    near: str | None = None
    window: int | None = None


@dataclass(frozen=True, slots=True)
class RuleChange:
    kind: ChangeKind
    term: str = ""
    weight: float = 1.0
    threshold: float = 0.0

    def describe(self) -> str:
        if self.kind is ChangeKind.ADD_TERM:
            return f"add “{self.term}” with weight {self.weight:g}"
        if self.kind is ChangeKind.REMOVE_TERM:
            return f"remove “{self.term}”"
        return f"set the threshold to {self.threshold:g}"


@dataclass(frozen=True, slots=True)
class BacktestResult:
    change: RuleChange
    days: int
    stories: int
    flagged_before: int
    flagged_after: int
    newly_flagged: tuple[str, ...]  # a few titles, as examples
    no_longer_flagged: tuple[str, ...]


Backtest = Callable[[RuleChange, int], BacktestResult]
USAGE = (
    "Usage: /backtest +TERM [WEIGHT] [DAYSd] · /backtest -TERM [DAYSd] · /backtest threshold VALUE [DAYSd]"
)


def parse_number(text: str, low: float, high: float) -> float | None:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) and low <= value <= high else None


def parse_rule_change(args: Sequence[str], default_days: int) -> tuple[RuleChange, int]:
    """Read ``+term [weight]``, ``-term`` or ``threshold value``, each optionally ending in ``14d``."""
    words = list(args)
    days = default_days
    if words and (match := _DAYS.match(words[-1])):
        days = int(match.group(1))
        words.pop()
    if not words or not 1 <= days <= MAX_DAYS:
        raise UsageError(USAGE)
    if words[0].casefold() == "threshold":
        value = parse_number(words[1], 0.0, 1.0) if len(words) == 2 else None
        if value is None:
            raise UsageError("The threshold is a number between 0 and 1, e.g. /backtest threshold 0.6")
        return RuleChange(ChangeKind.THRESHOLD, threshold=value), days
    sign, words[0] = words[0][:1], words[0][1:]
    if sign not in "+-" or not sign:
        raise UsageError(USAGE)
    weight = 1.0
    if sign == "+" and len(words) > 1 and (number := parse_number(words[-1], -100, 100)) is not None:
        weight = number
        words.pop()
    term = " ".join(" ".join(words).split())
    if not term or len(term) > MAX_TERM_CHARS:
        raise UsageError(USAGE)
    kind = ChangeKind.ADD_TERM if sign == "+" else ChangeKind.REMOVE_TERM
    return RuleChange(kind, term=term, weight=weight), days


def changed_rules(
    rules: Sequence[KeywordRuleLike], threshold: float, change: RuleChange
) -> tuple[list[KeywordRuleLike], float]:
    """The rules and threshold as they would be after the change."""
    folded = change.term.casefold()
    kept = [rule for rule in rules if rule.term.casefold() != folded or change.kind is ChangeKind.THRESHOLD]
    if change.kind is ChangeKind.ADD_TERM:
        return [*kept, Rule(change.term, change.weight)], threshold
    if change.kind is ChangeKind.REMOVE_TERM:
        return kept, threshold
    return list(rules), change.threshold


def make_backtest(
    database: Database, classify_with: ClassifyWithRules, default_threshold: float, max_stories: int
) -> Backtest:
    """A backtest over stored stories with the current rules, then with the changed ones (blocking)."""

    def backtest(change: RuleChange, days: int) -> BacktestResult:
        since = datetime.now(UTC) - timedelta(days=days)
        with database.session() as session:
            stories = recent_stories(session, since, max_stories)
            rules: list[KeywordRuleLike] = list(list_rules(session))
            threshold = alert_threshold(session, default_threshold)
        texts = [StoryText(story.title, story.summary, story.language) for story in stories]
        before = classify_with(texts, rules, threshold) if texts else []
        after = classify_with(texts, *changed_rules(rules, threshold, change)) if texts else []
        gained = [s.title for s, b, a in zip(stories, before, after, strict=True) if a.alert and not b.alert]
        lost = [s.title for s, b, a in zip(stories, before, after, strict=True) if b.alert and not a.alert]
        return BacktestResult(
            change=change,
            days=days,
            stories=len(stories),
            flagged_before=sum(v.alert for v in before),
            flagged_after=sum(v.alert for v in after),
            newly_flagged=tuple(gained[:EXAMPLES]),
            no_longer_flagged=tuple(lost[:EXAMPLES]),
        )

    return backtest
