"""Keyword rules: admin-editable terms compiled once into safe, linear-time matchers.

Terms are plain words and phrases, never regular expressions: every word is
escaped, the only operators are a trailing ``*`` on a word (any ending) and ``|``
between the alternatives of ``near``. Lengths and counts are bounded so a hostile
or careless rule cannot make matching slow, and bad input fails at compile time
with a ``ValueError`` that says what to fix.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from bisect import bisect_right
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from classifiers.stemming import StemmedView, has_stemmer, stem_words, stemmed_view
from classifiers.textnorm import fold, without_accents, word_char_class, word_pattern
from classifiers.types import KeywordRuleLike

MAX_TERM_CHARS = 100
MAX_RULES = 4000  # the shipped vocabulary holds ~1 750; the rest is room for admins
MAX_NEAR_ALTERNATIVES = 40
MAX_NEAR_CHARS = 1000  # what the database stores of a rule's near list
MAX_WINDOW = 50
DEFAULT_WINDOW = 8
MAX_ABS_WEIGHT = 10.0
MIN_WILDCARD_STEM = 2
# Punctuation allowed inside terms ("al-Qaeda", "U.S.", "O'Brien"); it matches any separator.
_TERM_PUNCTUATION = frozenset(" -'’.&/,")
# Scripts written without spaces between words: a term there matches inside a longer run.
_NO_SPACE_SCRIPT = re.compile(
    r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]"  # Thai…Han
)


@dataclass(frozen=True, slots=True)
class Span:
    """Where a rule matched, as offsets into the folded text, with the matched words."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class RuleHit:
    """One rule that matched a text and everywhere it matched."""

    term: str
    weight: float
    exclude: bool
    near: str | None
    spans: tuple[Span, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "weight": self.weight,
            "exclude": self.exclude,
            "near": self.near,
            "spans": [{"start": s.start, "end": s.end, "text": s.text} for s in self.spans],
        }


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """All rules that matched one text; ``score`` sums the weights of non-exclusion hits."""

    score: float
    hits: tuple[RuleHit, ...]

    @property
    def excluded(self) -> bool:
        return any(hit.exclude for hit in self.hits)

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 4),
            "excluded": self.excluded,
            "hits": [hit.to_dict() for hit in self.hits],
        }


@dataclass(frozen=True, slots=True)
class _CompiledRule:
    term: str
    weight: float
    lang: str | None
    stem_lang: str | None  # the rule's words are stems of this language: match the text's stems
    exclude: bool
    near: str | None
    window: int
    anchor: str  # the first word's literal part: a cheap substring test before the regex runs
    unaccented: bool  # a twin of a rule with marked Latin letters, matched in the text without them
    pattern_source: str
    near_source: str | None

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compiled(self.pattern_source)

    @property
    def near_pattern(self) -> re.Pattern[str] | None:
        return None if self.near_source is None else _compiled(self.near_source)


@functools.cache
def _compiled(source: str) -> re.Pattern[str]:
    """Compile a rule's regex the first time a text gets past its anchor test.

    A thousand rules with the Unicode word class take ~4 s to compile, and most never run for
    a given story (wrong language, anchor absent): `warwatch classify` should not pay for them.
    The sources are built from escaped words, so compiling later cannot fail where earlier
    would have succeeded.
    """
    return re.compile(source)


def _term_words(term: str, what: str) -> list[str]:
    """Validate one plain term and return its folded words (a word may end in ``*``)."""
    if not isinstance(term, str):
        raise ValueError(f"{what} must be text, got {type(term).__name__}")
    stripped = term.strip()
    if not stripped:
        raise ValueError(f"{what} is empty")
    if len(stripped) > MAX_TERM_CHARS:
        raise ValueError(f"{what} is longer than {MAX_TERM_CHARS} characters: {stripped[:30]!r}…")
    folded = fold(stripped)
    word_char = re.compile(f"[{word_char_class()}]")
    for index, char in enumerate(folded):
        if char == "*":
            after = folded[index + 1 : index + 2]
            if index == 0 or not word_char.match(folded[index - 1]) or (after and word_char.match(after)):
                raise ValueError(f"{what} {term!r}: '*' is only allowed at the end of a word (like recruit*)")
        elif not word_char.match(char) and char not in _TERM_PUNCTUATION and not char.isspace():
            raise ValueError(
                f"{what} {term!r}: character {char!r} is not allowed; terms are plain words "
                "(not regular expressions) with an optional '*' at the end of a word"
            )
    words = re.findall(f"[{word_char_class()}]+\\*?", folded)
    if not words:
        raise ValueError(f"{what} {term!r} has no letters or digits")
    for word in words:
        if word.endswith("*") and len(word) - 1 < MIN_WILDCARD_STEM:
            raise ValueError(
                f"{what} {term!r}: '{word}' needs at least {MIN_WILDCARD_STEM} characters before '*'"
            )
    return words


def _phrase_regex(words: list[str]) -> str:
    """Escaped words joined by separators, anchored at word boundaries; linear to match.

    Where a term begins or ends in a script written without spaces (Chinese, Japanese,
    Thai…) there is no word boundary to anchor at, so that side stays open, and a ``*`` there
    adds nothing to the span: the rest of the clause is other words (which a ``near`` may need).
    """
    word_class = word_char_class()
    parts = [_word_regex(w, word_class) for w in words]
    before = "" if _NO_SPACE_SCRIPT.match(words[0][:1]) else f"(?<![{word_class}])"
    after = "" if _NO_SPACE_SCRIPT.match(words[-1].rstrip("*")[-1:]) else f"(?![{word_class}])"
    return before + f"[^{word_class}\\n]+".join(parts) + after


def _word_regex(word: str, word_class: str) -> str:
    """One word of a term; a trailing ``*`` takes the rest of the word where words have spaces."""
    if not word.endswith("*"):
        return re.escape(word)
    prefix = word[:-1]
    return re.escape(prefix) + ("" if _NO_SPACE_SCRIPT.match(prefix[-1:]) else f"[{word_class}]*")


def _stemmed(words: list[str], stem_lang: str | None) -> list[str]:
    """A stemmed rule's words as stems, so they meet the text's stems.

    A word with ``*`` stays a prefix, of the stem of that prefix: stemmers also fold
    accents and umlauts (Greek, German), which a literal prefix would then miss.
    """
    if stem_lang is None:
        return words
    bare = [w.rstrip("*") for w in words]
    stems = stem_words(stem_lang, bare)
    return [
        (stem + "*" if len(stem) >= MIN_WILDCARD_STEM else word) if word.endswith("*") else stem
        for word, stem in zip(words, stems, strict=True)
    ]


def _primary_lang(lang: str | None, what: str = "lang") -> str | None:
    if lang is None or lang == "":
        return None
    primary = str(lang).strip().lower().replace("_", "-").split("-")[0]
    if not re.fullmatch(r"[a-z]{2,3}", primary):
        raise ValueError(f"{what} {lang!r} is not an ISO-639 language code like 'en' or 'pt-BR'")
    return primary


# Persian, Urdu, Kurdish and Pashto text is often typed on an Arabic keyboard, with the Arabic kaf
# and yeh where the language has its own letters (a fifth of the corpus's Sorani stories). Text
# in those languages, and their rules' words, are matched with one letter for each pair.
_PERSO_ARABIC_LANGS = frozenset({"fa", "ur", "ku", "ckb", "ps", "sd"})
_ONE_KAF_ONE_YEH = str.maketrans({"ك": "ک", "ي": "ی", "ى": "ی"})


def _letters_of(lang: str | None, words: list[str]) -> list[str]:
    """The words as matched in a text of ``lang`` (see _ONE_KAF_ONE_YEH)."""
    if lang not in _PERSO_ARABIC_LANGS:
        return words
    return [word.translate(_ONE_KAF_ONE_YEH) for word in words]


def _text_letters(folded: str, text_langs: frozenset[str]) -> str:
    """The folded text as those languages' rules read it, unless Arabic may be among its languages."""
    if text_langs & _PERSO_ARABIC_LANGS and "ar" not in text_langs:
        return folded.translate(_ONE_KAF_ONE_YEH)
    return folded


def _has_marked_letters(rule: KeywordRuleLike) -> bool:
    written = fold(f"{rule.term} {rule.near or ''}")
    return without_accents(written) != written


def _compile_one(rule: KeywordRuleLike, *, unaccented: bool = False) -> _CompiledRule:
    """The rule as matched; ``unaccented``: its twin, words without the marks of Latin letters."""
    term = rule.term
    lang = _primary_lang(rule.lang, f"term {term!r}: lang")
    stem_lang = lang if has_stemmer(lang) else None

    def as_matched(words: list[str]) -> list[str]:
        letters = _letters_of(lang, [without_accents(word) for word in words] if unaccented else words)
        return _stemmed(letters, stem_lang)

    words = as_matched(_term_words(term, "term"))
    weight = float(rule.weight)
    if not math.isfinite(weight) or abs(weight) > MAX_ABS_WEIGHT:
        raise ValueError(
            f"term {term!r}: weight must be a number between -{MAX_ABS_WEIGHT} and {MAX_ABS_WEIGHT}"
        )
    near_source = None
    window = DEFAULT_WINDOW
    if rule.near is not None and str(rule.near).strip():
        alternatives = str(rule.near).split("|")
        if len(str(rule.near)) > MAX_NEAR_CHARS:
            raise ValueError(f"term {term!r}: near is longer than {MAX_NEAR_CHARS} characters")
        if len(alternatives) > MAX_NEAR_ALTERNATIVES:
            raise ValueError(f"term {term!r}: near has more than {MAX_NEAR_ALTERNATIVES} alternatives")
        regexes = [
            _phrase_regex(as_matched(_term_words(alt, f"near alternative of {term!r}")))
            for alt in alternatives
        ]
        near_source = "|".join(f"(?:{r})" for r in regexes)
        if rule.window is not None:
            window = int(rule.window)
            if not 1 <= window <= MAX_WINDOW:
                raise ValueError(f"term {term!r}: window must be between 1 and {MAX_WINDOW} words")
    return _CompiledRule(
        term=term.strip(),
        weight=weight,
        lang=lang,
        stem_lang=stem_lang,
        exclude=bool(rule.exclude),
        near=str(rule.near).strip() if near_source is not None else None,
        window=window,
        anchor=words[0].rstrip("*"),
        unaccented=unaccented,
        pattern_source=_phrase_regex(words),
        near_source=near_source,
    )


# A story in one of these languages is also matched by the rules of its close relatives.
_RELATED_LANGS: dict[str, frozenset[str]] = {
    "bs": frozenset({"hr", "sr"}),
    "hr": frozenset({"sr"}),
    "sr": frozenset({"hr"}),
    "nb": frozenset({"no"}),
    "nn": frozenset({"no"}),
    "ms": frozenset({"id"}),
    "id": frozenset({"ms"}),
    "sk": frozenset({"cs"}),
    "cs": frozenset({"sk"}),
    "fil": frozenset({"tl"}),
}


class RuleSet:
    """Compiled keyword rules; build with :func:`compile_rules` once per rule change.

    A rule whose words have marked Latin letters ("žoldnéř") has a twin without the marks, matched
    in the text without them too: a slug title or a text typed without accents still meets it, and
    a word both match counts once."""

    def __init__(self, rules: tuple[_CompiledRule, ...], twins: tuple[_CompiledRule, ...] = ()) -> None:
        self._count = len(rules)
        self._rules = rules + twins
        self._any_lang = tuple(r for r in self._rules if r.lang is None)
        self._by_lang: dict[str, tuple[_CompiledRule, ...]] = {}
        for rule in self._rules:
            if rule.lang is not None:
                self._by_lang[rule.lang] = (*self._by_lang.get(rule.lang, ()), rule)
        canonical = [
            [r.term, r.weight, r.lang, r.exclude, r.near, r.window if r.near else None, r.unaccented]
            for r in self._rules
        ]
        self.fingerprint = hashlib.sha256(json.dumps(sorted(canonical, key=repr)).encode()).hexdigest()[:16]

    def __len__(self) -> int:
        return self._count

    def match(self, text: str, lang: str | Collection[str] | None = None) -> RuleMatch:
        """Every rule that applies to the text's language(s) (all rules when unknown) and matches.

        A rule with a language applies when the story is in that language (``lang`` may name
        several: a title and a summary can differ). Each word of the text counts once: where
        rules overlap, only the strongest one that claims a word scores for it.
        """
        text_langs = _text_langs(lang)
        folded = _text_letters(fold(text), text_langs)
        views: dict[tuple[str | None, bool], _View] = {}
        found: dict[tuple[object, ...], tuple[_CompiledRule, set[tuple[int, int]]]] = {}
        marked = without_accents(folded) != folded  # else a twin reads the text as it is
        for rule in self._applicable(text_langs):
            key = (rule.stem_lang, rule.unaccented and marked)
            view = views.get(key)
            if view is None:
                view = views[key] = _View.of(folded, *key)
            if rule.anchor not in view.text:
                continue
            spans = [m.span() for m in rule.pattern.finditer(view.text)]
            if spans and rule.near_pattern is not None:
                spans = _spans_near(spans, rule, view.text, view.word_starts())
            if spans:  # a rule and its twin make one hit
                twins_key = (rule.term, rule.lang, rule.near, rule.window, rule.weight, rule.exclude)
                found.setdefault(twins_key, (rule, set()))[1].update(
                    view.folded_span(*span) for span in spans
                )
        hits = [
            RuleHit(
                term=rule.term,
                weight=rule.weight,
                exclude=rule.exclude,
                near=rule.near,
                spans=tuple(Span(start, end, folded[start:end]) for start, end in sorted(spans)),
            )
            for rule, spans in found.values()
        ]
        return RuleMatch(score=_score_once_per_word(hits), hits=tuple(hits))

    def _applicable(self, text_langs: frozenset[str]) -> tuple[_CompiledRule, ...]:
        """Every rule for an unknown language; else the rules of any language, its own and kin's."""
        if not text_langs:
            return self._rules
        langs = text_langs.union(*(_RELATED_LANGS.get(lang, frozenset()) for lang in text_langs))
        return self._any_lang + tuple(rule for lang in sorted(langs) for rule in self._by_lang.get(lang, ()))


class _View:
    """The text one group of rules is matched in: the folded text itself, or its stems."""

    def __init__(self, folded: str, stems: StemmedView | None) -> None:
        self._stems = stems
        self.text = folded if stems is None else stems.text
        self._word_starts: list[int] | None = None

    @classmethod
    def of(cls, folded: str, stem_lang: str | None, unaccented: bool) -> _View:
        """The view a rule reads; without marks, the text keeps its offsets (one letter for one)."""
        letters = without_accents(folded) if unaccented else folded
        return cls(letters, None if stem_lang is None else stemmed_view(letters, stem_lang))

    def word_starts(self) -> list[int]:
        if self._word_starts is None:
            self._word_starts = [m.start() for m in word_pattern().finditer(self.text)]
        return self._word_starts

    def folded_span(self, start: int, end: int) -> tuple[int, int]:
        return (start, end) if self._stems is None else self._stems.folded_span(start, end)


def _text_langs(lang: str | Collection[str] | None) -> frozenset[str]:
    candidates = [lang] if isinstance(lang, str) or lang is None else list(lang)
    langs = set()
    for candidate in candidates:
        try:
            primary = _primary_lang(candidate)
        except ValueError:
            primary = None
        if primary is not None:
            langs.add(primary)
    return frozenset(langs)


def _score_once_per_word(hits: list[RuleHit]) -> float:
    """Sum of rule weights where no stretch of text is counted twice.

    Strongest evidence first (by absolute weight): a rule scores if it matched somewhere
    no stronger rule already claimed, so ``mercenar*`` and ``mercenari*`` on one
    "mercenaries" add 2, not 4.
    """
    claimed: list[tuple[int, int]] = []
    score = 0.0
    for hit in sorted((h for h in hits if not h.exclude), key=lambda h: -abs(h.weight)):
        free = [
            (s.start, s.end)
            for s in hit.spans
            if not any(s.start < end and start < s.end for start, end in claimed)
        ]
        if free:
            score += hit.weight
            claimed.extend(free)
    return score


def _spans_near(
    spans: list[tuple[int, int]], rule: _CompiledRule, folded: str, word_starts: list[int]
) -> list[tuple[int, int]]:
    """Keep the term spans that have a ``near`` match within ``rule.window`` words (O(n log n)).

    A near match inside one of the term's own words, beside the term, counts too: in scripts written
    without spaces (Thai, Chinese, Japanese) a whole clause is one "word".
    """
    assert rule.near_pattern is not None

    def word_index(offset: int) -> int:
        return bisect_right(word_starts, offset) - 1

    matches = [m.span() for m in rule.near_pattern.finditer(folded)]  # ascending, never overlapping
    near_firsts = [word_index(m_start) for m_start, _ in matches]
    near_lasts = [word_index(m_end - 1) for _, m_end in matches]
    kept = []
    for start, end in spans:
        first, last = word_index(start), word_index(end - 1)
        after = bisect_right(near_firsts, last)  # first near match starting after the term
        before = bisect_right(near_lasts, first - 1) - 1  # last near match ending before it
        if (
            (after < len(matches) and near_firsts[after] - last <= rule.window)
            or (before >= 0 and first - near_lasts[before] <= rule.window)
            or _beside_in_same_words(matches, before + 1, after - 1, start, end)
        ):
            kept.append((start, end))
    return kept


def _beside_in_same_words(matches: list[tuple[int, int]], low: int, high: int, start: int, end: int) -> bool:
    """Whether a near match in the term's own words (``matches[low..high]``) lies outside the term.

    Those overlapping the term form one run of that range, so its two ends are enough to check.
    """
    return any(matches[i][1] <= start or matches[i][0] >= end for i in {low, high} if low <= i <= high)


def compile_rules(rules: Iterable[KeywordRuleLike]) -> RuleSet:
    """Validate and compile rules; raises ``ValueError`` naming the first bad rule."""
    collected = list(rules)
    if len(collected) > MAX_RULES:
        raise ValueError(f"too many keyword rules: {len(collected)} (at most {MAX_RULES})")
    twins = tuple(_compile_one(rule, unaccented=True) for rule in collected if _has_marked_letters(rule))
    return RuleSet(tuple(_compile_one(rule) for rule in collected), twins)
