"""Snowball stemmers per language, so one rule word matches all its inflections.

"lure" in an English rule and "lured", "lures", "luring" in a story share the stem
``lure``; "вербовщик" and "вербовщиков" share ``вербовщик``. PyStemmer is a C binding
of the Snowball algorithms (about 30 languages); a language without one keeps the
literal words and the trailing ``*`` wildcard.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from classifiers.textnorm import word_pattern

if TYPE_CHECKING:
    import Stemmer

# ISO-639-1 (or -3 where there is no -1 code) → the Snowball algorithm's name.
SNOWBALL_LANGUAGES: dict[str, str] = {
    "ar": "arabic",
    "hy": "armenian",
    "eu": "basque",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "et": "estonian",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "hi": "hindi",
    "hu": "hungarian",
    "id": "indonesian",
    "ga": "irish",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "no": "norwegian",
    "nb": "norwegian",
    "nn": "norwegian",
    "fa": "persian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "es": "spanish",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}


@cache
def _stemmer(lang: str) -> Stemmer.Stemmer:
    import Stemmer

    return Stemmer.Stemmer(SNOWBALL_LANGUAGES[lang])


def has_stemmer(lang: str | None) -> bool:
    return lang in SNOWBALL_LANGUAGES


def stem_words(lang: str, words: list[str]) -> list[str]:
    """Stems of already folded ``words``; a stem never comes back empty."""
    return [stem or word for stem, word in zip(_stemmer(lang).stemWords(words), words, strict=True)]


@dataclass(frozen=True, slots=True)
class StemmedView:
    """A folded text rewritten as its stems, with the way back to the folded offsets.

    Words are joined by one space, or by a newline where the folded text had one, so
    phrases still never span title and summary.
    """

    text: str
    starts: tuple[int, ...]  # where each stem starts in ``text``
    spans: tuple[tuple[int, int], ...]  # where each word is in the folded text

    def folded_span(self, start: int, end: int) -> tuple[int, int]:
        first = bisect_right(self.starts, start) - 1
        last = bisect_right(self.starts, end - 1) - 1
        return self.spans[first][0], self.spans[last][1]


def stemmed_view(folded: str, lang: str) -> StemmedView:
    matches = list(word_pattern().finditer(folded))
    stems = stem_words(lang, [m.group() for m in matches])
    pieces: list[str] = []
    starts: list[int] = []
    length = 0
    previous_end = 0
    for match, stem in zip(matches, stems, strict=True):
        if pieces:
            separator = "\n" if "\n" in folded[previous_end : match.start()] else " "
            pieces.append(separator)
            length += 1
        starts.append(length)
        pieces.append(stem)
        length += len(stem)
        previous_end = match.end()
    return StemmedView("".join(pieces), tuple(starts), tuple(m.span() for m in matches))
