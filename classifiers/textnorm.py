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


# Latin letters a URL slug writes without their marks and that have no decomposition of their own.
_UNMARKED_LETTERS = {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i"}


@cache
def _latin_base_letters() -> dict[int, str]:
    """Every precomposed Latin letter with a mark (é, ř, ệ, ư) mapped to its base letter."""
    table = {ord(letter): base for letter, base in _UNMARKED_LETTERS.items()}
    for codepoint in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        base = unicodedata.normalize("NFD", chr(codepoint))[0]
        if base != chr(codepoint) and base.isascii() and base.isalpha():
            table[codepoint] = base
    return table


def without_accents(folded: str) -> str:
    """``folded`` with the marks of Latin letters dropped, one letter for one so offsets hold: a
    URL slug, or text typed without them, writes "žoldnéř" as "zoldner", "lính đánh thuê" as
    "linh danh thue"."""
    return folded.translate(_latin_base_letters())


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
