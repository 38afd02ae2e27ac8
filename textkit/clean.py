"""The one text cleaning: what a story's text looks like once stored, and what the classifier reads.

Feeds clean every field with ``clean_text`` before storing it; the classifier drops the same
invisible characters from any text it is given (a CLI argument, an evaluation file), so a
zero-width space inside "mercenaries" hides the word from neither.
"""

from __future__ import annotations

import re
import unicodedata

# Zero-width space, word joiner, BOM, soft hyphen, and bidi embeddings/overrides/isolates
# (a spoofing vector in alerts). ZWJ/ZWNJ stay: emoji sequences and Persian/Indic need them.
_INVISIBLE = dict.fromkeys([0x200B, 0x2060, 0xFEFF, 0x00AD, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
_WHITESPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc
_ELLIPSIS = "…"


def drop_invisible(text: str) -> str:
    """``text`` without the characters that only hide word boundaries or flip its direction."""
    return text.translate(_INVISIBLE)


def clean_text(text: str, *, max_chars: int) -> str:
    """NFC, no control or invisible characters, single spaces, at most ``max_chars``."""
    # Drop first: a dropped character between a letter and its accent would leave the pair uncomposed.
    text = unicodedata.normalize("NFC", drop_invisible(text))
    text = _WHITESPACE.sub(" ", _CONTROL.sub(" ", text)).strip()
    return truncate(text, max_chars)


def truncate(text: str, max_chars: int) -> str:
    """Cut at a word boundary when one is near, marking the cut with an ellipsis."""
    if len(text) <= max_chars:
        return text
    cut = text[: max(0, max_chars - 1)]
    space = cut.rfind(" ")
    if space >= max_chars * 0.8:
        cut = cut[:space]
    return cut.rstrip() + _ELLIPSIS
