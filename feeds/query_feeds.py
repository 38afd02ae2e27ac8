"""Query feeds: aggregator searches built from the keyword vocabulary, one per language.

Outlets' own feeds carry everything they publish; a search feed brings the few stories on our
topic from outlets nobody subscribed to. Two aggregators publish search results as RSS:

- the GDELT DOC 2.0 API (``format=rss``), which searches the English machine translations of news
  in 65 languages, so its query uses the English vocabulary and ``sourcelang:`` picks the language;
- Google News search (``/rss/search`` with the edition's ``hl``, ``gl`` and ``ceid``), which
  matches the words of the page, so its query uses that language's own vocabulary.

The terms are the strongest standalone positive rules (no proximity condition, no wildcard), so
an admin's new rule changes the queries at the next cycle. Both hosts are polled one request at
a time with a pause between requests (``PollerSettings.polite_hosts``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol
from urllib.parse import urlencode

from feeds.catalogue import CatalogueFeed, SourceKind

QUERY_PACK = "queries"
GDELT_URL = "https://api.gdeltproject.org/api/v2/doc/doc"
GOOGLE_NEWS_URL = "https://news.google.com/rss/search"
MAX_TERMS = 6
MIN_TERM_WEIGHT = 1.5

# ISO 639-1 -> GDELT's ``sourcelang:`` name (languages GDELT translates).
GDELT_LANGUAGES: Mapping[str, str] = {
    "ar": "arabic", "az": "azerbaijani", "bg": "bulgarian", "bn": "bengali", "cs": "czech",
    "de": "german", "el": "greek", "en": "english", "es": "spanish", "fa": "persian",
    "fr": "french", "he": "hebrew", "hi": "hindi", "hy": "armenian", "id": "indonesian",
    "it": "italian", "ja": "japanese", "ka": "georgian", "kk": "kazakh", "ko": "korean",
    "ne": "nepali", "nl": "dutch", "no": "norwegian", "pl": "polish", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "si": "sinhalese", "so": "somali", "sr": "serbian",
    "sv": "swedish", "sw": "swahili", "ta": "tamil", "tr": "turkish", "uk": "ukrainian",
    "ur": "urdu", "vi": "vietnamese", "zh": "chinese",
}  # fmt: skip

# ISO 639-1 -> the Google News edition searched in that language: (hl, gl, ceid).
GOOGLE_NEWS_EDITIONS: Mapping[str, tuple[str, str, str]] = {
    "ar": ("ar", "EG", "EG:ar"), "bn": ("bn", "BD", "BD:bn"), "cs": ("cs", "CZ", "CZ:cs"),
    "de": ("de", "DE", "DE:de"), "en": ("en-US", "US", "US:en"), "es": ("es-419", "CO", "CO:es-419"),
    "fr": ("fr", "FR", "FR:fr"), "hi": ("hi", "IN", "IN:hi"), "id": ("id", "ID", "ID:id"),
    "it": ("it", "IT", "IT:it"), "ja": ("ja", "JP", "JP:ja"), "ko": ("ko", "KR", "KR:ko"),
    "nl": ("nl", "NL", "NL:nl"), "no": ("no", "NO", "NO:no"), "pl": ("pl", "PL", "PL:pl"),
    "pt": ("pt-BR", "BR", "BR:pt-419"), "ro": ("ro", "RO", "RO:ro"), "ru": ("ru", "RU", "RU:ru"),
    "sr": ("sr", "RS", "RS:sr"), "sv": ("sv", "SE", "SE:sv"), "ta": ("ta", "IN", "IN:ta"),
    "tr": ("tr", "TR", "TR:tr"), "uk": ("uk", "UA", "UA:uk"), "vi": ("vi", "VN", "VN:vi"),
    "zh": ("zh-CN", "CN", "CN:zh-Hans"),
}  # fmt: skip


class RuleLike(Protocol):
    """A keyword rule as the classifier and storage know it."""

    term: str
    weight: float
    lang: str | None
    exclude: bool
    near: str | None


def query_terms(rules: Iterable[RuleLike]) -> dict[str, list[str]]:
    """Per language, the strongest standalone positive terms a search engine can match as typed."""
    ranked: dict[str, list[tuple[float, str]]] = {}
    for rule in rules:
        term = " ".join(rule.term.split())
        if rule.exclude or rule.near or rule.weight < MIN_TERM_WEIGHT or "*" in term or len(term) < 3:
            continue
        ranked.setdefault(rule.lang or "en", []).append((-rule.weight, term.casefold()))
    return {
        lang: list(dict.fromkeys(term for _, term in sorted(terms)))[:MAX_TERMS]
        for lang, terms in ranked.items()
    }


def _any_of(terms: Sequence[str]) -> str:
    quoted = [f'"{term}"' if " " in term else term for term in terms]
    return quoted[0] if len(quoted) == 1 else f"({' OR '.join(quoted)})"


def gdelt_feed(english_terms: Sequence[str], lang: str) -> CatalogueFeed:
    """Articles of the last day in ``lang`` whose English translation matches the terms."""
    query = f"{_any_of(english_terms)} sourcelang:{GDELT_LANGUAGES[lang]}"
    params = {"query": query, "mode": "artlist", "format": "rss", "maxrecords": "75", "timespan": "1d"}
    return CatalogueFeed(
        url=f"{GDELT_URL}?{urlencode(params)}",
        name=f"GDELT search ({lang})",
        lang=lang,
        country="",
        pack=QUERY_PACK,
        kind=SourceKind.QUERY,
    )


def google_news_feed(terms: Sequence[str], lang: str) -> CatalogueFeed:
    """Stories of the last two days in ``lang``'s Google News edition that match the terms."""
    hl, gl, ceid = GOOGLE_NEWS_EDITIONS[lang]
    params = {"q": f"{_any_of(terms)} when:2d", "hl": hl, "gl": gl, "ceid": ceid}
    return CatalogueFeed(
        url=f"{GOOGLE_NEWS_URL}?{urlencode(params)}",
        name=f"Google News search ({lang})",
        lang=lang,
        country=gl,
        pack=QUERY_PACK,
        kind=SourceKind.QUERY,
    )


def query_feeds(rules: Iterable[RuleLike]) -> list[CatalogueFeed]:
    """The query feeds the rules call for: GDELT for every language it translates (English
    terms), Google News for every edition whose language has terms of its own."""
    terms = query_terms(rules)
    english = terms.get("en", [])
    feeds = [gdelt_feed(english, lang) for lang in sorted(GDELT_LANGUAGES)] if english else []
    feeds += [google_news_feed(terms[lang], lang) for lang in sorted(GOOGLE_NEWS_EDITIONS) if terms.get(lang)]
    return feeds
