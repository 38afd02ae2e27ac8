"""Content-word stems: how two texts are compared word by word, the same way wherever it is done
(the 72-hour event clusters, the storylines of weeks).

A stem is a word's first five letters, case-folded, so that "Russia"/"Russian" and "Nepal"/"Nepali"
meet; function words and words under three letters (numbers aside) have none.
"""

from __future__ import annotations

import re

STEM_CHARS = 5
# A word is letters and digits with the combining marks written on them: the vowel signs of Devanagari
# and the other Indic scripts (and Thai's, Myanmar's, Arabic's and Hebrew's points) are marks, not
# letters, and without them "नेपाली" fell apart into single letters that no comparison could use.
_MARKS = "\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u0900-\u0dff\u0e31-\u0e4e\u1000-\u109f"
WORD = re.compile(f"(?:[^\\W_]|[{_MARKS}])+")
# English and Russian function words; kept as text so the list stays readable.
_STOP_WORDS_TEXT = """
a an and are as at be been but by for from had has have he her his in into is it its of on or our over
said says she that the their them they this to up was were which who will with after about than then
there these those also more most new not no we you your can could would may
и в на с по что как из за к от для о не это его ее их а но же при до
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


def word_stem(word: str) -> str | None:
    """The stem of one word (see the module docstring); None for a function word or a short one."""
    folded = word.casefold()
    if folded in STOP_WORDS or (len(folded) < 3 and not folded.isdigit()):
        return None
    return folded[:STEM_CHARS]


def content_stems(text: str) -> frozenset[str]:
    """The stems of every content word of ``text``."""
    return frozenset(stem for word in WORD.findall(text) if (stem := word_stem(word)))


def stem_similarity(left: frozenset[str], right: frozenset[str]) -> float:
    """Jaccard similarity of two stem sets: shared stems over all stems; 0 when both are empty."""
    union = len(left | right)
    return len(left & right) / union if union else 0.0
