"""Country mentions in ~60 languages: CLDR territory names (Babel) plus demonyms.

The countries are those recruits come from in this topic's news (South Asia, Africa, Latin America,
the Middle East, Central Asia, East Asia) and the war's parties. A name matches at the start of a
word, so "Nepal" finds "Nepali" and "Кения" (stem "Кени") finds "кенийцы"; scripts written without
spaces match anywhere. English, Russian and Ukrainian demonyms that do not start with the country's
name ("Filipino", "Tajik", "таджик") are listed.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Mapping
from functools import cache, lru_cache
from typing import NamedTuple

# ISO 3166-1 alpha-2 codes of the countries the extraction looks for.
COUNTRIES = (
    "AF AM AZ BD BY CD CF CM CN CO CU DZ EG ER ET GE GH GN IN IQ IR JO KE KG KP KR KZ LB LK LY ML MM MN "
    "MZ NE NG NP PE PH PK PS RU RW SD SN SO SS SY TD TG TJ TM TN TR TZ UA UG UZ VE VN YE ZA ZW "
    # where foreign volunteers and jihadist recruits also come from
    "AL AU BA BE BR BW CA CZ DE DK ES FI FR GB IT MA MK NL NO PL PT RS SE SK US XK "
    "AR AT BG BI CH CL EE GR HR HU ID IE JP LT LV MD MX MY NZ RO SL TH TW"
).split()
PARTIES = frozenset({"RU", "UA"})  # where the recruits fight, rarely where they come from
# Countries this news names mostly as a place: a war's (Syria, Libya), or the sender's, sponsor's or
# patron's (Turkey, Iran). Their bare name is not an origin, their demonym or an inflected
# form is ("Syrian mercenaries", "сирийцы"; not "fighting in Syria", "sent by Turkey").
PLACE_COUNTRIES = frozenset({"AF", "AM", "AZ", "CF", "IQ", "LY", "ML", "SD", "SO", "SY", "YE", "TR", "IR"})

# Demonyms (and name forms) CLDR names do not start: word prefixes, case-folded.
DEMONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "AF": ("afghan",), "BD": ("bangladeshi",), "BY": ("belarusian",), "CD": ("congolese",),
        "CN": ("chinese",), "CU": ("cuban",), "ER": ("eritrean",), "ET": ("ethiopian",), "GE": ("georgian",),
        "GH": ("ghanaian",), "IN": ("indian",), "IQ": ("iraqi",), "IR": ("iranian",), "KE": ("kenyan",),
        "KG": ("kyrgyz", "kirghiz"), "KP": ("north korea",), "KR": ("south korea",), "KZ": ("kazakh",),
        "LK": ("sri lankan",), "NP": ("nepali", "nepalese", "gurkha"), "PH": ("filipino", "philippine"),
        "PK": ("pakistani",), "SO": ("somali",), "SY": ("syrian",), "TJ": ("tajik",), "TM": ("turkmen",),
        "UZ": ("uzbek",), "YE": ("yemeni",), "ZA": ("south african",), "RU": ("russian",),
        "UA": ("ukrainian",), "CO": ("colombian",), "NG": ("nigerian",), "SN": ("senegalese",),
        "CM": ("cameroonian",), "UG": ("ugandan",), "RW": ("rwandan",), "TZ": ("tanzanian",),
        "EG": ("egyptian",), "LY": ("libyan",), "SD": ("sudanese",), "VE": ("venezuelan",),
        "PE": ("peruvian",),
        "TN": ("tunisian",), "DZ": ("algerian",), "JO": ("jordanian",), "LB": ("lebanese",),
        "PS": ("palestinian",), "TR": ("turkish",), "AZ": ("azerbaijani", "azeri"), "AM": ("armenian",),
        "MM": ("myanmar", "burmese"), "VN": ("vietnamese",), "ZW": ("zimbabwean",), "TG": ("togolese",),
        "GB": ("briton", "british"), "DE": ("german",), "FR": ("french",), "NL": ("dutch",),
        "DK": ("dane", "danish"), "SE": ("swede", "swedish"), "NO": ("norwegian",), "FI": ("finnish",),
        "ES": ("spaniard", "spanish"), "PT": ("portuguese",), "CZ": ("czech",), "SK": ("slovak",),
        "RS": ("serb",), "BA": ("bosnian",), "AL": ("albanian",), "XK": ("kosovar",),
        "MK": ("macedonian",), "BE": ("belgian",), "US": ("american",), "AU": ("australian",),
        "CA": ("canadian",), "BR": ("brazilian",), "IT": ("italian",), "MA": ("moroccan",),
    },
    "ru": {
        "AF": ("афган",), "BD": ("бангладеш",), "CN": ("китай", "китаян"), "CU": ("кубин",),
        "IN": ("индий", "индиец", "индийц"),
        "IQ": ("иракц", "иракск"), "KE": ("кени",), "KG": ("киргиз", "кыргыз"), "KP": ("северокоре", "кндр"),
        "KZ": ("казах",), "LK": ("шри-ланк", "ланкий"), "NP": ("непал",), "SO": ("сомали",), "SY": ("сирий",),
        "TJ": ("таджик",), "TM": ("туркмен",), "UZ": ("узбек",), "YE": ("йемен",), "ET": ("эфиоп",),
        "GH": ("ганск", "ганц"), "CO": ("колумби",), "EG": ("египт",), "PK": ("пакистан",), "NG": ("нигери",),
        "ZA": ("юар", "южноафрикан"), "RU": ("росси",), "UA": ("украин",),
        "BY": ("белорус",), "GB": ("британ",), "DE": ("немц", "немец"), "FR": ("француз",),
        "US": ("американ",), "AM": ("армян",),
    },
    "uk": {
        "AF": ("афган",), "CN": ("китай",), "CU": ("кубин",), "IN": ("індій", "індієць", "індійц"),
        "IQ": ("іракц", "іракськ"), "KE": ("кені",), "KP": ("північнокоре", "кндр"), "LK": ("шрі-ланк",),
        "NP": ("непал",), "SO": ("сомалі",), "SY": ("сирій",), "TJ": ("таджик",), "UZ": ("узбек",),
        "KG": ("киргиз",), "KZ": ("казах",), "CO": ("колумбі",), "RU": ("росі",), "UA": ("україн",),
        "BY": ("білорус",), "GE": ("грузин",), "GB": ("британ",), "DE": ("німц", "німець"),
        "US": ("американ",), "AM": ("вірмен",),
    },
    "de": {
        "DE": ("deutsche",), "DK": ("dänen", "dänin", "dänisch"), "GB": ("brite", "britisch"),
        "FR": ("franzos", "französisch"), "NL": ("niederländ",), "SE": ("schwede", "schwedisch"),
        "NO": ("norweger",), "US": ("amerikaner",),
    },
    "fr": {"IN": ("indien",), "GB": ("britannique",), "US": ("américain",), "DE": ("allemand",)},
}  # fmt: skip

SPACELESS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\u0e00-\u0e7f\uac00-\ud7af]")
ARABIC = re.compile(r"[\u0600-\u06ff]")
_WORD = r"(?<![^\W_])"  # the start of a word
# What may be written onto the front of a name: Arabic-script clitics ("and", "the", "to"…) and
# Swahili's noun-class prefixes for people ("Wakenya", "Mkenya").
ARABIC_CLITICS = "(?:[وبلفك]?(?:ال)?)"
_PREFIXES = {"sw": "(?:wa-?|m-?)?"}


# Stems that begin too many ordinary words ("индивидуальный", "malicious") to stand for a country.
_AMBIGUOUS_STEMS = frozenset({"инди", "інді", "mali", "chin", "oma", "peru", "servi", "inde"})


_APOSTROPHES = str.maketrans({"ʻ": "'", "ʼ": "'", "‘": "'", "’": "'", "`": "'", "´": "'"})


def fold(text: str) -> str:
    """Case-folded, with accents dropped from Latin letters ("Quênia" and "quenianos" meet) and one
    apostrophe for the several Uzbek writes ("Oʻzbekiston", "O'zbekiston"); other scripts keep their
    marks, which carry vowels."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_APOSTROPHES))
    kept = [
        char
        for index, char in enumerate(decomposed)
        if not (unicodedata.combining(char) and index and decomposed[index - 1].isascii())
    ]
    return unicodedata.normalize("NFC", "".join(kept))


def _name_stems(name: str, *, inflected: bool) -> list[str]:
    """Forms of a CLDR name that start its inflections and demonyms: the name, without the Arabic
    article, and in inflected languages (``inflected``) also without "-stan"/"-istan" and without a
    final vowel ("Кения" → "кени…", "кенийцы"). English demonyms start with the whole name."""
    folded = fold(name)
    stems = {folded}
    if folded.startswith("ال") and len(folded) > 4:
        stems.add(folded[2:])
    if inflected:
        for suffix in ("istan", "stan", "истан", "стан", "ستان"):
            if folded.endswith(suffix) and len(folded) - len(suffix) >= 4:
                stems.add(folded[: -len(suffix)])
        if len(folded) >= 5 and folded[-1] in "aeiouyаеёиоуыэюяієїායاةى":
            stems.add(folded[:-1])
    return sorted(stems - _AMBIGUOUS_STEMS)


@cache
def country_patterns(lang: str) -> tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...]:
    """Per country, one pattern for its names and demonyms in ``lang`` (and in English, which news in
    every language quotes), and the plain forms in it: the pattern can match only where one of them
    is a substring, a test far cheaper than running it (a story names a few of 250 countries)."""
    from babel import Locale, UnknownLocaleError

    territories: Mapping[str, str]
    try:
        territories = Locale.parse(lang).territories
    except (UnknownLocaleError, ValueError):
        territories = {}
    english = Locale.parse("en").territories
    patterns = []
    for code in COUNTRIES:
        forms: set[str] = set()
        if code in territories:
            forms.update(_name_stems(territories[code], inflected=lang != "en"))
        if code in english:
            forms.update(_name_stems(english[code], inflected=False))
        for table in (DEMONYMS.get(lang, {}), DEMONYMS["en"]):
            forms.update(fold(form) for form in table.get(code, ()))
        alternatives = []
        ordered = sorted(filter(None, forms), key=len, reverse=True)
        for form in ordered:
            escaped = re.escape(form)
            if SPACELESS.search(form):
                alternatives.append(escaped)
            elif ARABIC.search(form):
                alternatives.append(_WORD + ARABIC_CLITICS + escaped)
            else:
                alternatives.append(_WORD + _PREFIXES.get(lang, "") + escaped)
        if alternatives:
            patterns.append((code, re.compile("|".join(alternatives)), tuple(ordered)))
    return tuple(patterns)


_WORD_REST = re.compile(r"[^\W\d_]*")


@cache
def _bare_names(code: str, lang: str) -> frozenset[str]:
    from babel import Locale, UnknownLocaleError

    names = {fold(str(Locale.parse("en").territories.get(code, "")))}
    with contextlib.suppress(UnknownLocaleError, ValueError):
        names.add(fold(str(Locale.parse(lang).territories.get(code, ""))))
    return frozenset(name for name in names if name)


def _is_bare_name(word: str, code: str, lang: str) -> bool:
    """Whether ``word`` is the country's name itself, or it with its last letter changed by a case
    ending ("Syria", "Сирии"), rather than a word for its people ("Syrian", "сирийцы")."""
    if SPACELESS.search(word):
        return False
    return any(
        word == name or (len(word) == len(name) and word[:-1] == name[:-1])
        for name in _bare_names(code, lang)
    )


class _Mention(NamedTuple):
    start: int
    end: int  # the end of the word the name starts
    form_length: int  # how much of it the name or demonym covers
    bare: bool  # the country's name itself ("Syria"), not a word for its people ("Syrian")


@lru_cache(maxsize=64)  # a story is read twice: all countries, then its people
def _mentions(text: str, lang: str | None) -> tuple[str, dict[str, list[_Mention]]]:
    """Every place each country is named, with the words, where no other country's longer name
    covers the same word ("Niger" inside "Nigeria", "Sudan" inside "South Sudan")."""
    folded = fold(text)
    lang = (lang or "en").split("-")[0].lower()
    found: dict[str, list[_Mention]] = {}
    for code, pattern, forms in country_patterns(lang):
        if not any(form in folded for form in forms):
            continue
        for match in pattern.finditer(folded):
            rest = _WORD_REST.match(folded, match.end())
            word_end = rest.end() if rest else match.end()
            bare = _is_bare_name(folded[match.start() : word_end], code, lang)
            mention = _Mention(match.start(), word_end, match.end() - match.start(), bare)
            found.setdefault(code, []).append(mention)
    others = [(code, m) for code, mentions in found.items() for m in mentions]

    def covered(code: str, m: _Mention) -> bool:
        return any(
            other_code != code
            and o.start <= m.start
            and m.start + m.form_length <= o.start + o.form_length
            and o.form_length > m.form_length
            for other_code, o in others
        )

    kept = {code: [m for m in mentions if not covered(code, m)] for code, mentions in found.items()}
    return folded, {code: mentions for code, mentions in kept.items() if mentions}


def mentioned_countries(text: str, lang: str | None, *, as_people: bool = False) -> dict[str, str]:
    """Country code -> the first span of text that named it; with ``as_people``, a battlefield
    country only where a longer word names its people ("Syrian", "сирийцы"), not its bare name."""
    folded, mentions = _mentions(text, lang)
    shown = text if len(folded) == len(text) else folded  # the story's own spelling where it lines up
    found: dict[str, str] = {}
    for code, places in mentions.items():
        skip_bare = as_people and code in PLACE_COUNTRIES
        for mention in places:
            if not (skip_bare and mention.bare):
                found[code] = shown[mention.start : mention.end]
                break
    return found
