"""Test doubles for the model: a deterministic keyword classifier (the bot gets its classifier injected)."""

from __future__ import annotations

from collections.abc import Sequence

from classifiers.types import KeywordRuleLike, StoryText, Verdict

TOPIC_WORDS = ("recruit", "mercenar", "foreign fighter")


def keyword_verdicts(texts: Sequence[StoryText], words: Sequence[str], threshold: float) -> list[Verdict]:
    """A deterministic stand-in for the model: each matching word adds 0.45 to a 0.05 base score."""
    verdicts = []
    for text in texts:
        folded = text.text.casefold()
        hits = [word for word in words if word.casefold().rstrip("*") in folded]
        score = min(1.0, 0.05 + 0.45 * len(hits))
        reasons = {
            "rules": {"hits": [{"term": w, "exclude": False} for w in hits]},
            "decision": f"score {score}",
        }
        verdicts.append(Verdict(score, score >= threshold, reasons, "keyword-test", "1"))
    return verdicts


def keyword_classify(texts: Sequence[StoryText]) -> list[Verdict]:
    return keyword_verdicts(texts, TOPIC_WORDS, 0.5)


def classify_with_rules(
    texts: Sequence[StoryText], rules: Sequence[KeywordRuleLike], threshold: float
) -> list[Verdict]:
    return keyword_verdicts(texts, [rule.term for rule in rules], threshold)


def check_rule(rule: KeywordRuleLike) -> None:
    if "(" in rule.term:
        raise ValueError("terms are plain words, not regular expressions")
