"""Keeps one classifier, rebuilt when admins change the rules or the threshold, or feedback arrives."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import structlog

from classifiers.types import KeywordRuleLike, StoryText, Verdict
from storage.db import Database
from storage.feedback import FeedbackExample, feedback_examples, feedback_revision
from storage.keywords import list_rules
from storage.overrides import alert_threshold
from storage.records import KeywordRecord
from warwatch.config import Settings

if TYPE_CHECKING:
    from classifiers import Classifier, FeedbackHead, LabelledStory

log = structlog.get_logger(__name__)


def feedback_story(example: FeedbackExample) -> tuple[StoryText, bool]:
    return StoryText(example.title, example.summary, example.language), example.relevant


@dataclass(frozen=True, slots=True)
class _Inputs:
    rules: tuple[KeywordRecord, ...]
    threshold: float
    feedback: tuple[int, int, int]


@dataclass
class ClassifierProvider:
    """Builds the classifier lazily (the models load once) and reuses it while its inputs stand.

    The feedback head is retrained from every stored judgement whenever feedback changed.
    """

    settings: Settings
    database: Database
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _inputs: _Inputs | None = field(default=None, repr=False)
    _classifier: Classifier | None = field(default=None, repr=False)
    _head: FeedbackHead | None = field(default=None, repr=False)
    _head_revision: tuple[int, int, int] | None = field(default=None, repr=False)

    def _current_inputs(self) -> _Inputs:
        with self.database.session() as session:
            rules = tuple(list_rules(session))
            threshold = alert_threshold(session, self.settings.classifier.threshold)
            revision = feedback_revision(session)
        return _Inputs(rules, float(threshold), revision)

    def _current_head(self, revision: tuple[int, int, int]) -> FeedbackHead:
        """The head for this feedback revision; call with the lock held."""
        if self._head is None or revision != self._head_revision:
            from classifiers import train_feedback_head

            with self.database.session() as session:
                examples = [feedback_story(example) for example in feedback_examples(session)]
            self._head = train_feedback_head(examples, self.settings.classifier)
            self._head_revision = revision
            log.info("feedback_head_trained", **self._head.describe())
        return self._head

    def classifier(self) -> Classifier:
        from classifiers import build_classifier

        inputs = self._current_inputs()
        with self._lock:
            if self._classifier is None or inputs != self._inputs:
                settings = self.settings.classifier.model_copy(update={"threshold": inputs.threshold})
                head = self._current_head(inputs.feedback)
                self._classifier = build_classifier(settings, inputs.rules, head)
                self._inputs = inputs
            return self._classifier

    def classify_batch(self, texts: Sequence[StoryText]) -> list[Verdict]:
        return self.classifier().classify_batch(texts)

    def classify_with(
        self, texts: Sequence[StoryText], rules: Sequence[KeywordRuleLike], threshold: float
    ) -> list[Verdict]:
        """What the production classifier (same head) would say with other rules or threshold."""
        from classifiers import build_classifier

        inputs = self._current_inputs()
        with self._lock:
            head = self._current_head(inputs.feedback)
        settings = self.settings.classifier.model_copy(update={"threshold": threshold})
        return build_classifier(settings, rules, head).classify_batch(texts)

    def classifier_trained_on(self, examples: Sequence[LabelledStory]) -> Classifier:
        """Today's rules and threshold with a head trained on ``examples`` alone (one CV fold)."""
        from classifiers import build_classifier
        from classifiers.factory import train_corpus_head

        inputs = self._current_inputs()
        settings = self.settings.classifier.model_copy(update={"threshold": inputs.threshold})
        return build_classifier(settings, inputs.rules, train_corpus_head(examples, settings))
