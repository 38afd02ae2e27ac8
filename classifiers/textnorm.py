"""Text folding and word boundaries shared by the keyword rules.

Python's ``\\w`` does not cover combining marks, so Devanagari, Bengali or Arabic
words (whose vowel signs are marks) would be cut into pieces. Word characters here
are ``\\w`` plus every Unicode mark; the class is built once, on first use.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache

# Russian text is written with and without the diaeresis; treat both as one letter. The zero-width
# joiner (inside Sinhala and other Brahmic conjuncts) and the soft hyphen are dropped, so a word
# written with them is still one word.
_EXTRA_FOLDS = str.maketrans({"ё": "е", "\u200d": None, "\u00ad": None})


def fold(text: str) -> str:
    """NFKC + casefold (+ ё→е, no ZWJ or soft hyphen): the one form terms and texts are matched in."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_EXTRA_FOLDS)


def _ranges(codepoints: list[int]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for cp in codepoints:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return ranges


@cache
def word_char_class() -> str:
    """A regex character class (without brackets) of word characters: \\w and all marks."""
    marks = [cp for cp in range(sys.maxunicode + 1) if unicodedata.category(chr(cp)).startswith("M")]
    parts = [r"\w"]
    for lo, hi in _ranges(marks):
        parts.append(re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}")
    return "".join(parts)


@cache
def word_pattern() -> re.Pattern[str]:
    """Matches one word (a maximal run of word characters)."""
    return re.compile(f"[{word_char_class()}]+")


def words(text: str) -> list[str]:
    """The words of an already folded text."""
    return word_pattern().findall(text)
