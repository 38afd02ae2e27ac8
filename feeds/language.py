"""Story language detection with py3langid (small, pure Python + numpy, no downloads).

The model takes about half a second to load, so it is loaded lazily, once per
detector; the app keeps one detector for the process lifetime.
"""

from __future__ import annotations

import re
import threading
from itertools import islice

from py3langid.langid import MODEL_FILE, LanguageIdentifier

_MIN_LETTERS = 12
_MIN_CONFIDENCE = 0.5
_LETTER = re.compile(r"[^\W\d_]")


class LanguageDetector:
    """Detects ISO-639-1 codes; None when the text is too short or the guess is weak."""

    def __init__(self, *, min_letters: int = _MIN_LETTERS, min_confidence: float = _MIN_CONFIDENCE) -> None:
        self._min_letters = min_letters
        self._min_confidence = min_confidence
        self._identifier: LanguageIdentifier | None = None
        self._lock = threading.Lock()

    def detect(self, text: str) -> str | None:
        """Language code of ``text`` or None; safe to call from worker threads."""
        letters = islice(_LETTER.finditer(text), self._min_letters)
        if sum(1 for _ in letters) < self._min_letters:
            return None
        language, confidence = self._load().classify(text)
        if confidence < self._min_confidence:
            return None
        return str(language)

    def _load(self) -> LanguageIdentifier:
        with self._lock:
            if self._identifier is None:
                self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            return self._identifier
