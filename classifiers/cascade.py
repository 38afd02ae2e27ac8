"""The cascade: keyword rules first, then the zero-shot model and head only where they matter."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import structlog

from classifiers.backends import ZeroShotBackend
from classifiers.fusion import decision_logit, fuse, models_could_flip
from classifiers.head import FeedbackHead
from classifiers.language import rule_languages, story_language
from classifiers.rules import RuleHit, RuleMatch, RuleSet
from classifiers.settings import ClassifierSettings
from classifiers.types import StoryText, Verdict, ZeroShotScore

log = structlog.get_logger(__name__)

# Bump when the scoring code changes in a way that changes verdicts.
CASCADE_CODE_VERSION = "1"
# Settings that change speed, not verdicts, stay out of the version.
_SETTINGS_NOT_IN_VERSION = {"keywords", "batch_size", "threads"}


class CascadeClassifier:
    """Rules → (zero-shot model, feedback head) → log-odds fusion → threshold.

    Stories vetoed by an exclusion rule, or whose rule evidence alone puts them
    beyond the reach of the models, skip the models; the rest go in one batch.
    """

    def __init__(
        self,
        settings: ClassifierSettings,
        rules: RuleSet,
        backend: ZeroShotBackend,
        head: FeedbackHead | None = None,
        head_encode: Callable[[Sequence[str]], np.ndarray] | None = None,
        refine_encode: Callable[[Sequence[str]], np.ndarray] | None = None,
        head_languages: frozenset[str] | None = None,
    ) -> None:
        if head is not None and head.active and head_encode is None:
            raise ValueError("an active feedback head needs head_encode to embed stories")
        self._settings = settings
        self._rules = rules
        self._backend = backend
        self._head = head if head is not None and head.active else None
        self._head_encode = head_encode
        self._refiner = self._head.refiner if self._head is not None and refine_encode is not None else None
        self._refine_encode = refine_encode
        self._head_languages = head_languages
        self.model_name = f"cascade[rules+{backend.name}{'+head' if self._head else ''}]"
        self.model_version = self._version()

    def _version(self) -> str:
        settings = self._settings.model_dump(mode="json", exclude=_SETTINGS_NOT_IN_VERSION)
        parts = {
            "code": CASCADE_CODE_VERSION,
            "settings": settings,
            "rules": self._rules.fingerprint,
            "backend": [self._backend.name, self._backend.version],
            "head": self._head.version if self._head else None,
        }
        digest = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:12]
        return f"v{CASCADE_CODE_VERSION}-{digest}"

    def classify_batch(self, texts: Sequence[StoryText]) -> list[Verdict]:
        started = time.perf_counter()
        weights, threshold = self._settings.fusion, self._settings.threshold
        matches = [self._rules.match(story.text, rule_languages(story)) for story in texts]
        to_model = [
            i
            for i, match in enumerate(matches)
            if not match.excluded
            and models_could_flip(match.score, weights, self._head is not None, threshold)
        ]
        model_stories = [texts[i] for i in to_model]
        head_probs: dict[int, float] = {}
        if self._head is not None and self._head_encode is not None and to_model:
            probabilities = self._head.probabilities(self._head_encode([s.text for s in model_stories]))
            head_probs = dict(zip(to_model, (float(p) for p in probabilities), strict=True))

        def uncertain(j: int, cheap: ZeroShotScore) -> bool:
            """Would the cheap score leave story ``to_model[j]`` near the threshold?"""
            i = to_model[j]
            return self._near_threshold(matches[i], cheap, head_probs.get(i), self._settings.refine_margin)

        refine = uncertain if self._settings.refine_margin > 0 else None
        zero_shot: dict[int, ZeroShotScore] = dict(
            zip(to_model, self._backend.scores(model_stories, refine), strict=True)
        )
        refined = self._refined_head_probabilities(texts, matches, zero_shot, head_probs)
        head_probs.update(refined)
        verdicts = [
            self._verdict(match, zero_shot.get(i), head_probs.get(i), i in refined)
            for i, match in enumerate(matches)
        ]
        log.debug(
            "classified",
            stories=len(texts),
            to_model=len(to_model),
            refined=len(refined),
            alerts=sum(v.alert for v in verdicts),
            seconds=round(time.perf_counter() - started, 3),
        )
        return verdicts

    def _refined_head_probabilities(
        self,
        texts: Sequence[StoryText],
        matches: Sequence[RuleMatch],
        zero_shot: dict[int, ZeroShotScore],
        head_probs: dict[int, float],
    ) -> dict[int, float]:
        """The e5 head's probability for each story the USE head cannot be trusted to settle.

        e5 reads about 100 languages but embeds ~15 times slower than USE, so it reads only
        the stories whose verdict it could change: those the USE head leaves within the margin,
        a wider one in a language USE was not trained on, where the USE head's verdict is weaker
        (grouped cross-validation: recall 0.69 there against e5's 0.91). On the corpus's
        out-of-fold evidence, margins of 1 and 3 log-odds keep the recall and F1 of sending
        every such story to e5 (within 0.002) while e5 reads about a third fewer stories.
        """
        if self._refiner is None or self._refine_encode is None:
            return {}
        near = [i for i, p in head_probs.items() if self._refine(texts[i], matches[i], zero_shot.get(i), p)]
        if not near:
            return {}
        probabilities = self._refiner.probabilities(self._refine_encode([texts[i].text for i in near]))
        return dict(zip(near, (float(p) for p in probabilities), strict=True))

    def _refine(
        self, story: StoryText, match: RuleMatch, zero_shot: ZeroShotScore | None, head_prob: float
    ) -> bool:
        """Whether the e5 head should read the story: the USE head left it within the margin
        of its language (a margin of 0: always)."""
        known = self._head_languages is None or story_language(story) in self._head_languages
        settings = self._settings
        margin = settings.head_refine_margin if known else settings.head_refine_margin_unsupported_lang
        return margin == 0 or self._near_threshold(match, zero_shot, head_prob, margin)

    def _near_threshold(
        self, match: RuleMatch, zero_shot: ZeroShotScore | None, head_prob: float | None, margin: float
    ) -> bool:
        """Whether the evidence fuses to within ``margin`` of the threshold (a slower model may flip it)."""
        fused = fuse(match.score, zero_shot, head_prob, self._settings.fusion)
        return abs(fused.logit - decision_logit(self._settings.threshold)) < margin

    def _verdict(
        self, match: RuleMatch, zero_shot: ZeroShotScore | None, head_prob: float | None, refined: bool
    ) -> Verdict:
        threshold = self._settings.threshold
        reasons: dict[str, Any] = {"rules": match.to_dict()}
        if match.excluded:
            vetoed_by = [hit.term for hit in match.hits if hit.exclude]
            reasons["decision"] = f"no alert: excluded by rule(s) {vetoed_by}; models not run"
            return Verdict(0.0, False, reasons, self.model_name, self.model_version)
        fused = fuse(match.score, zero_shot, head_prob, self._settings.fusion, refined)
        alert = fused.score >= threshold
        reasons["zero_shot"] = _zero_shot_reason(zero_shot)
        if self._head is not None:
            reasons["head"] = {
                **self._head.describe(),
                "probability": None if head_prob is None else round(head_prob, 4),
                "read_by": (self._refiner if refined and self._refiner else self._head).encoder_name,
            }
        reasons["fusion"] = {**fused.terms, "threshold": threshold}
        relation = "≥" if alert else "<"
        reasons["decision"] = (
            f"{'alert' if alert else 'no alert'}: score {fused.score:.3f} {relation} threshold {threshold}"
        )
        reasons["summary"] = _summary(match, zero_shot, head_prob, alert)
        return Verdict(round(fused.score, 6), alert, reasons, self.model_name, self.model_version)


def _summary(match: RuleMatch, zero_shot: ZeroShotScore | None, head_prob: float | None, alert: bool) -> str:
    """The one line an alert shows under "Why": the evidence, strongest source first.

    For a story that is not flagged it says why not (what spoke against it, or what was
    missing), never the topic label the model merely liked best.
    """
    for_terms = _matched_words(h for h in match.hits if not h.exclude and h.weight > 0)
    against = _matched_words(h for h in match.hits if not h.exclude and h.weight < 0)
    if alert:
        pieces = []
        if for_terms:
            pieces.append("keywords " + _quoted(for_terms))
        if zero_shot is not None:
            pieces.append(f"model {zero_shot.probability:.0%} “{zero_shot.best_label}”")
        if head_prob is not None:
            pieces.append(f"trained head {head_prob:.0%}")
        return "; ".join(pieces) or "no keyword or model evidence"
    pieces = ["not flagged: " + ("weak keywords " + _quoted(for_terms) if for_terms else "no topic keyword")]
    if against:
        pieces.append("keywords against " + _quoted(against))
    if zero_shot is not None:
        if zero_shot.probability < 0.5:
            pieces.append(f"model finds it closer to “{zero_shot.best_contrast_label}”")
        else:
            pieces.append(f"model {zero_shot.probability:.0%} on topic, not enough alone")
    if head_prob is not None:
        pieces.append(f"trained head {head_prob:.0%}")
    return "; ".join(pieces)


def _matched_words(hits: Iterable[RuleHit]) -> list[str]:
    """The story's own words that the rules matched, each once (three rules on one word name it once)."""
    return list(dict.fromkeys(span.text.casefold() for hit in hits for span in hit.spans))


def _quoted(terms: list[str]) -> str:
    return ", ".join(f"“{term}”" for term in terms[:4])


def _zero_shot_reason(score: ZeroShotScore | None) -> dict[str, Any]:
    if score is None:
        return {
            "skipped": "rule evidence alone decides: the models could not move the score across the threshold"
        }
    return {
        "model": score.model,
        "probability": round(score.probability, 4),
        "best_label": score.best_label,
        "best_contrast_label": score.best_contrast_label,
        "margin": round(score.margin, 4),
        "lang_supported": score.lang_supported,
    }
