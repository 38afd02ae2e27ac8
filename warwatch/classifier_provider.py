"""Keeps one classifier, rebuilt when admins change the keyword rules or the threshold."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from classifiers.types import StoryText, Verdict
from storage.db import Database
from storage.keywords import list_rules
from storage.records import KeywordRecord
from storage.runtime_settings import get_runtime_setting
from warwatch.config import Settings

if TYPE_CHECKING:
    from classifiers import Classifier

THRESHOLD_KEY = "classifier.threshold"


@dataclass
class ClassifierProvider:
    """Builds the classifier lazily (the model loads once) and reuses it while the rules stand."""

    settings: Settings
    database: Database
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _key: tuple[object, ...] | None = field(default=None, repr=False)
    _classifier: Classifier | None = field(default=None, repr=False)

    def current_rules(self) -> tuple[list[KeywordRecord], float]:
        with self.database.session() as session:
            rules = list_rules(session)
            threshold = get_runtime_setting(session, THRESHOLD_KEY, self.settings.classifier.threshold)
        return rules, float(threshold)

    def classifier(self) -> Classifier:
        from classifiers import build_classifier

        rules, threshold = self.current_rules()
        key = (tuple(rules), threshold)
        with self._lock:
            if self._classifier is None or key != self._key:
                settings = self.settings.classifier.model_copy(update={"threshold": threshold})
                self._classifier = build_classifier(settings, rules)
                self._key = key
            return self._classifier

    def classify_batch(self, texts: Sequence[StoryText]) -> list[Verdict]:
        return self.classifier().classify_batch(texts)
