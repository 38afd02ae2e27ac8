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

from cases.demonyms import DEMONYMS, HOME_PLACES
from cases.people import PEOPLE_WORDS

# ISO 3166-1 alpha-2 codes of the countries the extraction looks for.
COUNTRIES = (
    "AF AM AZ BD BY CD CF CM CN CO CU DZ EG ER ET GE GH GN IN IQ IR JO KE KG KP KR KZ LB LK LY ML MM MN "
    "MZ NE NG NP PE PH PK PS RU RW SD SN SO SS SY TD TG TJ TM TN TR TZ UA UG UZ VE VN YE ZA ZW "
    # where foreign volunteers and jihadist recruits also come from
    "AL AU BA BE BR BW CA CZ DE DK ES FI FR GB IT MA MK NL NO PL PT RS SE SK US XK "
    "AR AT BG BI CH CL EE GR HR HU ID IE IL JP KH LA LT LV MD ME MX MY NZ RO SA SG SI SL TH TW"
).split()
PARTIES = frozenset({"RU", "UA"})  # where the recruits fight, rarely where they come from
# Countries this news names mostly as a place: a war's (Syria, Libya), or the sender's, sponsor's or
# patron's (Turkey, Iran, the United States). Their bare name is not an origin, their demonym or an
# inflected form is ("Syrian mercenaries", "сирийцы"; not "fighting in Syria", "sent by Turkey").
PLACE_COUNTRIES = frozenset(
    {"AF", "AM", "AZ", "CF", "IQ", "LY", "ML", "SD", "SO", "SY", "YE", "TR", "IR", "US", "IL", "SA"}
)
# Of those, the ones whose adjective names places too ("Syrian capital", "Turkish camps"); Afghanistan's
# names its people ("Afghan commandos", "افغانان"), whom Iran and Russia recruit.
_PLACE_ADJECTIVES = PLACE_COUNTRIES - {"AF"}


# Chinese, Japanese, Korean (whose particles are written onto words), Thai, Lao, Burmese, Khmer.
SPACELESS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\uac00-\ud7af]")
# Of those, the scripts that put the word for people before the name ("ชาวเนปาล", "ជនជាតិចិន").
_PEOPLE_FIRST = re.compile(r"[\u0e00-\u0eff\u1780-\u17ff]")
ARABIC = re.compile(r"[\u0600-\u06ff]")
# The vowel signs and viramas of the Indic scripts (Devanagari to Sinhala): a name after one is inside
# a word ("குற்றச்சாட்டு", "accusation", holds "சாட்", Chad), though ``\\w`` does not count the sign as
# a letter.
_MARKS = "".join(
    char for char in map(chr, range(0x0900, 0x0E00)) if unicodedata.category(char) in ("Mn", "Mc")
)
_WORD = rf"(?<![^\W_])(?<![{_MARKS}])"  # the start of a word
_WORD_END = r"(?![^\W_])"
# What may be written onto the front of a name: Arabic-script clitics ("and", "the", "to"…) and
# Swahili's noun-class prefixes for people ("Wakenya", "Mkenya"), Amharic's prepositions ("የኬንያ").
ARABIC_CLITICS = "(?:[وبلفك]?(?:ال)?)"
_PREFIXES = {"sw": "(?:wa-?|m-?)?", "am": "[የበከለ]?"}


# Stems that begin too many ordinary words ("индивидуальный", "malicious") to stand for a country, or
# are words of their own in the language whose name for the country they shorten (Russian "того",
# "of that"; Portuguese "irá", "will go"; Turkish "cadde", "street"; Somali "maalin", "day"; Vietnamese
# "Bỉ", Belgium, folds into "bị", the passive; Estonian "Poola" into "pool", "side"; Tagalog's "paki-"
# begins verbs, not "Pakistan"; Yoruba "Ṣílè", Chile, is "silẹ", "down"; Finnish "Puola", Poland, starts
# "puolella", "on the side of"; Uzbek "Сурия", Syria, starts "суриштирув", "investigation").
_AMBIGUOUS_STEMS = frozenset((
    "инди", "інді", "indi", "mali", "chin", "cin", "sin", "oma", "peru", "servi", "inde", "인도", "مالي",
    "مالی", "того", "ira", "pero", "cad", "fas", "gine", "toog", "maal", "beer", "jili", "joji", "bi", "pool",
    "tai", "paki", "sile", "puol", "сури",
))  # fmt: skip


# Endings that inflect or turn into a demonym: vowels, Arabic-script "ا ة ى ه", the Sinhala
# definite "ය ව", and the long-a signs of Devanagari, Bengali and Tamil ("রাশিয়া" → "রাশিয়ান").
_FINAL_VOWELS = "aeiouyаеёиоуыэюяієїායවاةىهाাா"

# One apostrophe for the several Uzbek writes, and the Latin letters no accent folding reaches, as
# the ASCII web addresses that serve as titles spell them ("zginął" and "zginal", "Kırgız", "kirgiz").
# Zero-width joiners, which some writers put in and others leave out ("ශ්‍රී" and "ශ්රී" are one word),
# are dropped.
_SPELLINGS = str.maketrans(
    {"ʻ": "'", "ʼ": "'", "‘": "'", "’": "'", "`": "'", "´": "'", "ł": "l", "ı": "i", "ø": "o", "đ": "d"}
    | {"\u200c": None, "\u200d": None}
)


def fold(text: str) -> str:
    """Case-folded, with accents dropped from Latin letters ("Quênia" and "quenianos" meet, "ł" is
    "l") and one apostrophe for the several Uzbek writes ("Oʻzbekiston", "O'zbekiston"); other
    scripts keep their marks, which carry vowels."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_SPELLINGS))
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
        for suffix in ("istan", "stan", "iston", "истан", "стан", "истон", "ستان"):
            if folded.endswith(suffix) and len(folded) - len(suffix) >= 4:
                stems.add(folded[: -len(suffix)])
        if len(folded) >= 5 and folded[-1] in _FINAL_VOWELS:
            stems.add(folded[:-1])
    return sorted(stems - _AMBIGUOUS_STEMS)


def _name_variants(name: str) -> list[str]:
    """A CLDR name and the alternatives it gives after a comma or in brackets ("Myanmar (Burma)",
    Hausa "Sham, Siriya")."""
    return [part for part in (piece.strip(" )）") for piece in re.split(r"[,(（]", name)) if part]


# The nukta of Devanagari and Bengali letters, which the news writes or leaves out.
_NUKTAS = str.maketrans("", "", "\u093c\u09bc")

# Languages whose news is written in a second script too: traditional Chinese, Cyrillic Uzbek, Latin
# Serbian, Sorani Kurdish (Arabic script; CLDR's "ku" is Kurmanji, in Latin).
_SCRIPT_VARIANTS = {"zh": ("zh_Hant",), "uz": ("uz_Cyrl",), "sr": ("sr_Latn",), "ku": ("ckb",)}


@cache
def country_patterns(lang: str) -> tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...]:
    """Per country, one pattern for its names and demonyms in ``lang`` (and in English, which news in
    every language quotes), and the plain forms in it: the pattern can match only where one of them
    is a substring, a test far cheaper than running it (a story names a few of 250 countries)."""
    from babel import Locale, UnknownLocaleError

    names: dict[str, set[str]] = {}
    for locale in (lang, *_SCRIPT_VARIANTS.get(lang, ())):
        territories: Mapping[str, str]
        try:
            territories = Locale.parse(locale).territories
        except (UnknownLocaleError, ValueError):
            territories = {}
        for code in COUNTRIES:
            if code in territories:
                names.setdefault(code, set()).update(_name_variants(territories[code]))
    english = Locale.parse("en").territories
    patterns = []
    for code in COUNTRIES:
        forms: set[str] = set()
        for name in names.get(code, ()):
            forms.update(_name_stems(name, inflected=lang != "en"))
        # Hindi news writes the nukta of a name or leaves it out ("उज़्बेकिस्तान", "उज्बेकिस्तान")
        forms.update(form.translate(_NUKTAS) for form in list(forms))
        if code in english:
            forms.update(_name_stems(english[code], inflected=False))
        for table in (DEMONYMS.get(lang, {}), DEMONYMS["en"], HOME_PLACES):
            forms.update(fold(form) for form in table.get(code, ()))
        ordered = sorted(filter(None, forms), key=len, reverse=True)
        if ordered:
            plain = tuple(form.rstrip() for form in ordered)
            patterns.append((code, re.compile(_forms_pattern(ordered, lang)), plain))
    return tuple(patterns)


def _forms_pattern(ordered: list[str], lang: str) -> str:
    """One expression for a country's forms, longest first: those of scripts without spaces match
    anywhere, the others at a word start (checked once for all of them: the check holds the long
    class of Indic vowel signs), Arabic-script ones after any clitics."""
    spaceless: list[str] = []
    arabic: list[str] = []
    spaced: list[str] = []
    for form in ordered:
        # a form listed with a final space is a whole word ("chin " is "Chin", not "China")
        escaped = re.escape(form.rstrip()) + (_WORD_END if form.endswith(" ") else "")
        if SPACELESS.search(form):
            spaceless.append(escaped)
        elif ARABIC.search(form):
            arabic.append(escaped)
        else:
            spaced.append(escaped)
    at_word_start = [
        f"{clitics}(?:{'|'.join(forms)})"
        for clitics, forms in ((ARABIC_CLITICS, arabic), (_PREFIXES.get(lang, ""), spaced))
        if forms
    ]
    alternatives = list(spaceless)
    if at_word_start:
        alternatives.append(f"{_WORD}(?:{'|'.join(at_word_start)})")
    return "|".join(alternatives)


_WORD_REST = re.compile(r"[^\W\d_]*")


@cache
def _bare_names(code: str, lang: str) -> frozenset[str]:
    from babel import Locale, UnknownLocaleError

    names = {fold(name) for name in _name_variants(str(Locale.parse("en").territories.get(code, "")))}
    for locale in (lang, *_SCRIPT_VARIANTS.get(lang, ())):
        with contextlib.suppress(UnknownLocaleError, ValueError):
            names.update(
                fold(name) for name in _name_variants(str(Locale.parse(locale).territories.get(code, "")))
            )
    names |= {name[2:] for name in names if name.startswith("ال")}
    return frozenset(name for name in names if name)


# What follows a country's name in a word for its people, not in the name inflected for a place
# ("Syrian", "quenianos", "Suriyeli", "o'zbekistonlik", "السوريين", "суданцы", "непальців", "Nepalczycy",
# "sudański", "ኢትዮጵያውያን"; not "Syria's", "Суриядаги", "Sudanie", "Непале").
_DEMONYM_ENDING = re.compile(
    r"(?:i|ian|ien|ienne|n|an|ano|ana|ani|no|na|ni|eiro|eira|ense|ino|ina|eno|ena|ota|ese|es|ais|aise|ois"
    r"|oise|er|ier|isch|ische|ischen)s?$|li|lu|лик|лық|лік|лык|дык|тык|дық|тық|дік|тік|ӣ|ي|ی|ь?ц|ь?ск|czy|sk|ዊ|ው"
)
_ARABIC_CLITIC = re.compile(ARABIC_CLITICS)


@cache
def _home_places(code: str) -> tuple[str, ...]:
    return tuple(fold(place).rstrip() for place in HOME_PLACES.get(code, ()))


@cache
def _demonyms(code: str, lang: str) -> tuple[str, ...]:
    """The listed words for the country's people, less those that begin its name ("somali")."""
    forms = {fold(form) for table in (DEMONYMS.get(lang, {}), DEMONYMS["en"]) for form in table.get(code, ())}
    return tuple(form for form in forms if not any(name.startswith(form) for name in _bare_names(code, lang)))


def _is_bare_name(word: str, code: str, lang: str) -> bool:
    """Whether ``word`` names the country as a place: its name, the name with its last letter
    changed by a case ending ("Сирии") or with a case ending added ("Суриядаги", "بسوريا"), rather
    than a word for its people ("Syrian", "сирийцы", "Suriyeli")."""
    if SPACELESS.search(word):
        return False
    clitics = _ARABIC_CLITIC.match(word) if ARABIC.search(word) else None
    words = {word, word[clitics.end() :]} if clitics else {word}
    if any(candidate.startswith(_demonyms(code, lang)) for candidate in words):
        return False
    return any(
        candidate == name
        or (len(candidate) == len(name) and candidate[:-1] == name[:-1])
        or (candidate.startswith(name) and not _DEMONYM_ENDING.match(candidate, len(name)))
        for candidate in words
        for name in _bare_names(code, lang)
    )


class _Mention(NamedTuple):
    start: int
    end: int  # the end of the word the name starts
    form_length: int  # how much of it the name or demonym covers
    bare: bool  # the country's name itself ("Syria"), not a word for its people ("Syrian")
    home: bool  # a home region or city ("Chennai"), not the country's name or its people's


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
            home = folded.startswith(_home_places(code), match.start())
            mention = _Mention(match.start(), word_end, match.end() - match.start(), bare, home)
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


def mentioned_countries(
    text: str,
    lang: str | None,
    *,
    as_people: bool = False,
    places: frozenset[str] = PLACE_COUNTRIES,
    ignored: frozenset[str] = frozenset(),
) -> dict[str, str]:
    """Country code -> the first span of text that named it by name or demonym. With ``as_people``,
    also by a home region or city ("Chennai"), and only where the words can name the recruits: a
    battlefield country (``places``) only by a word for its people ("Syrian", "сирийцы"), not by its
    bare name; and a country named only beside an institution ("the British defence ministry",
    "الحكومة التركية"), a source or an actor, only when no other country is named for its people.
    A country named only as a source that reports ("British intelligence", "the German magazine") is
    never the recruits'; ``ignored`` countries are never the recruits' either."""
    folded, mentions = _mentions(text, lang)
    shown = text if len(folded) == len(text) else folded  # the story's own spelling where it lines up
    if not as_people:  # the countries named, not their towns
        by_name = {code: [m for m in spots if not m.home] for code, spots in mentions.items()}
        return {code: shown[spots[0].start : spots[0].end] for code, spots in by_name.items() if spots}
    people: dict[str, str] = {}
    sources: dict[str, str] = {}
    located = _locations(folded, mentions, lang)
    for code, spots in mentions.items():
        if code in ignored:
            continue
        named = [
            m
            for m in spots
            if _may_name_people(folded, code, m, places)
            and not (_after_reporter(folded, m) or _is_dateline(folded, m))
        ]
        own = [m for m in named if not (_beside(folded, m, folded_words(INSTITUTIONS)) or m.start in located)]
        if own:
            people[code] = shown[own[0].start : own[0].end]
        elif named:
            sources[code] = shown[named[0].start : named[0].end]
    return people or sources


def _may_name_people(folded: str, code: str, mention: _Mention, places: frozenset[str]) -> bool:
    """Whether the mention can be of the recruits: in the scripts written without spaces a name with
    a word for people (after it in Chinese, Japanese, Korean and Burmese, before it in Thai, Lao and
    Khmer); a battlefield's name only after a word for people ("fighters from Syria"), its adjective
    only near one ("Syrian fighters")."""
    if code != "KP" and SPACELESS.match(folded, mention.start):
        if _PEOPLE_FIRST.match(folded, mention.start):
            return folded.endswith(_PEOPLE_BEFORE_SPACELESS, 0, mention.start)
        return _followed_by_people(folded, mention.start, mention.start + mention.form_length)
    if code not in places:
        return True
    if mention.bare:
        before = folded[max(0, mention.start - _PEOPLE_REACH) : mention.start]
        uninflected = mention.end - mention.start == mention.form_length
        return _people_from().search(before) is not None or (
            uninflected and _people_of().match(folded, mention.end) is not None
        )
    return code not in _PLACE_ADJECTIVES or _near_people(folded, mention)


# "fighters from Syria", "граждан Сирии", "obywateli Syrii", "مواطنين من العراق": a battlefield's name
# right after a word for people and "from", "of" or nothing (a genitive) names the recruits' country.
_PEOPLE_BEFORE_NAME = (
    "fighters", "citizens", "nationals", "men", "mercenaries", "recruits", "youths", "граждан", "уроженц",
    "выходц", "громадян", "obywatel", "مواطن", "شباب", "مقاتل", "ciudadanos", "cidadãos", "citoyens",
    "bürger", "cittadini", "raia", "warga", "vatandaş", "fuqaro", "шаҳрванд", "mamluki", "wanajeshi",
    "नागरिक", "شہری", "شهروند", "азамат", "жаран", "muwaadin",
)  # fmt: skip
_FROM_OR_OF = (
    "from", "of", "из", "з", "із", "من", "de", "du", "des", "aus", "von", "z", "ze", "di", "kutoka", "dari",
    "از", "wa",
)  # fmt: skip


@cache
def _people_from() -> re.Pattern[str]:
    people = "|".join(re.escape(fold(word)) for word in _PEOPLE_BEFORE_NAME)
    prepositions = "|".join(re.escape(word) for word in _FROM_OR_OF)
    return re.compile(rf"(?<![^\W_])(?:{people})[^\W\d_]*\s+(?:(?:{prepositions})\s+)?$")


@cache
def _people_of() -> re.Pattern[str]:
    """A word for people right after a country's name, with at most a short word between: "US
    citizens", "ABD vatandaşları", "भारत के नागरिक" (not "men", which begins too many words)."""
    people = "|".join(re.escape(fold(word)) for word in _PEOPLE_BEFORE_NAME if len(word) > len("men"))
    return re.compile(rf"['’]? +(?:[^\W\d_]{{1,3}} +)?(?:{people})")


_PEOPLE_REACH = 25  # characters between a battlefield's adjective and the word for people it qualifies


@cache
def folded_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """``words`` folded as the text they are looked for in is, each once."""
    return tuple({fold(word) for word in words})


def people_stems() -> tuple[str, ...]:
    """The words for people, folded."""
    return folded_words(PEOPLE_WORDS)


def _near_people(folded: str, mention: _Mention) -> bool:
    """Whether a word for people is close to a battlefield's adjective, which then names recruits
    ("Syrian fighters", "المرتزقة السوريين") and not the place ("Libyan capital", "Turkish camps")."""
    window = folded[max(0, mention.start - _PEOPLE_REACH) : mention.end + _PEOPLE_REACH]
    return any(word in window for word in people_stems())


# Words for a state's institutions (its army too) and the news's sources, beside which a country's name
# or adjective names who speaks or acts, not whom was recruited ("US officials", "gobierno colombiano",
# "the Philippine army").
INSTITUTIONS = (
    "government", "ministry", "minister", "embassy", "consulate", "intelligence", "officials", "authorities",
    "police", "president", "foreign ministry", "defence", "defense", "media", "newspaper", "press", "court",
    "prosecutor", "ambassador", "envoy", "parliament", "observatory", "agency", "state department",
    "правительств", "министерств", "мид", "посольств", "разведк", "власт", "полиц", "президент", "сми",
    "уряд", "міністерств", "мзс", "розвідк", "влад", "поліці", "gobierno", "ministerio", "cancilleria",
    "embajada", "inteligencia", "autoridades", "policia", "presidente", "governo", "embaixada",
    "itamaraty", "gouvernement", "ministere", "ambassade", "renseignement", "autorites", "regierung",
    "ministerium", "verteidigungsministerium", "botschaft", "geheimdienst", "behorde", "polizei",
    "prasident", "ministero", "ambasciata", "autorita", "polizia", "rzad", "ministerstw", "ambasad",
    "wywiad", "władz", "policj", "prezydent", "hukumet", "bakanlig", "buyukelcilig", "istihbarat",
    "الحكومة", "حكومة", "وزارة", "الوزارة", "السفارة", "سفارة", "الاستخبارات", "السلطات", "الشرطة", "الرئيس",
    "المرصد", "وكالة", "دولت", "وزارت", "سفارت", "حکومت", "सरकार", "दूतावास", "मंत्रालय", "मन्त्रालय",
    "সরকার", "দূতাবাস", "තානාපති", "රජය", "அரசு", "தூதரக", "pemerintah", "kedutaan", "kementerian",
    "serikali", "ubalozi", "wizara", "መንግስት", "ኤምባሲ", "dowladda", "safaaradda", "gwamnati", "hukumat",
    "ҳукумат", "elchixona", "элчихона", "үкімет", "елшілік", "өкмөт", "элчилик", "сафорат",
    "army", "military", "armed forces", "tentera", "militer", "ejército", "exército", "armée", "armee",
    "esercito", "ordu", "jeshi", "ciidam", "sojoji", "الجيش", "ارتش", "फौज", "सेना", "সেনা",
)  # fmt: skip
_QUOTES = " \"'«»“”„()-"
_NEIGHBOUR_GAP = re.compile(f"[{re.escape(_QUOTES)}]{{1,3}}")
_WORD_REACH = 40  # characters to look back for the word before a mention


# Words for the sources that report on other countries' men (spy agencies, defence ministries, the
# press): beside one, a country's name or adjective names the source ("Britské ministerstvo obrany",
# "γερμανικό περιοδικό", "tình báo Hàn Quốc"), never the recruits, even when no other country is named.
REPORTERS = (
    "intelligence", "defence ministry", "defense ministry", "ministry of defence", "newspaper", "media",
    "magazine", "tabloid", "broadcaster", "daily", "press", "разведк", "минобороны", "министерство обороны",
    "газет", "издани", "сми", "телеканал", "розвідк", "міноборони", "міністерство оборони", "видання",
    "geheimdienst", "verteidigungsministerium", "zeitung", "medien", "magazin", "renseignement", "journal",
    "presse", "quotidien", "hebdomadaire", "inteligencia", "periódico", "diario", "prensa", "inteligência",
    "jornal", "imprensa", "giornale", "quotidiano", "stampa", "wywiad", "gazet", "dziennik", "krant",
    "inlichtingendienst", "ministerie van defensie", "tidning", "underrättelse", "försvarsministeriet",
    "avis", "etterretning", "efterretning", "forsvarsministeriet", "forsvarsdepartementet", "tiedustelu",
    "hírszerzés", "újság", "védelmi minisztérium", "rozvědk", "rozviedk", "ministerstvo obrany",
    "ministerstva obrany", "deník", "denník", "noviny", "publicați", "ziar", "разузнаван", "вестник",
    "obaveštajn", "obavještajn", "обавештајн", "novine", "περιοδικό", "εφημερίδα", "υπηρεσίες πληροφοριών",
    "istihbarat", "gazete", "savunma bakanlığı", "intelijen", "surat kabar", "akhbar", "gazeti", "ujasusi",
    "tình báo", "صحيفة", "الصحيفة", "الاستخبارات", "وزارة الدفاع", "روزنامه", "خبرگزاری", "رسانه", "अखबार",
    "खुफिया", "अख़बार",
    # news sites and agencies
    "portal", "news agency", "news site", "website", "агентств", "agencia", "agence", "nachrichtenagentur",
    "agenzia", "agencja", "ajans", "agentlig", "خبر رساں", "خبررساں", "وكالة", "עיתון", "העיתון", "rivista",
    "revista", "revue",
)  # fmt: skip


# Words for "in" (or "through") before a country's name, or after it where the language puts them
# after: a country named as where something happened or was crossed ("the embassy in Poland", "судят
# в Германии", "भारत में", "through Romania").
_IN_BEFORE = frozenset(
    fold(word)  # as the text is ("läbi" is "labi")
    for word in (
        "in at en em au a im в во у w we di nchini في در through via через przez läbi prin durch"
    ).split()
)
# Words for "to": where the men were sent or fled ("до Польщі", "to Poland"), unless the name ends a
# range "from … to …" ("от Обединеното кралство до Австралия"), whose names are all the men's homes.
_TO_BEFORE = frozenset(fold(word) for word in "to into до do nach naar vers hacia till ke إلى الى".split())
_FROM_BEFORE = frozenset(fold(word) for word in "from от від з із z ze de von van dari من از".split())


def _ends_range(folded: str, previous: _Mention | None, mention: _Mention) -> bool:
    """Whether ``mention`` follows "from <previous> to" ("от Обединеното кралство до Австралия")."""
    if previous is None:
        return False
    between = folded[previous.end : mention.start].split()
    if len(between) != 1 or between[0] not in _TO_BEFORE:
        return False
    words_before = folded[max(0, previous.start - _WORD_REACH) : previous.start].split()
    return bool(words_before) and words_before[-1] in _FROM_BEFORE


_IN_BEFORE_BY_LANG = {"pt": frozenset({"no", "na", "nos", "nas"}), "it": frozenset({"nel", "nella"})}
_IN_AFTER = ("में", "میں", "মধ্যে", "இல்")


def _is_location(folded: str, mention: _Mention, lang: str | None) -> bool:
    """Whether the country's name itself (not its people's) stands where something happened."""
    if not mention.bare:
        return False
    words_before = folded[max(0, mention.start - _WORD_REACH) : mention.start].split()
    word_before = words_before[-1] if words_before else ""
    language = (lang or "en").split("-")[0].lower()
    return (
        word_before in _IN_BEFORE
        or word_before in _TO_BEFORE
        or word_before in _IN_BEFORE_BY_LANG.get(language, ())
        or folded[mention.end :].lstrip().startswith(_IN_AFTER)
    )


# What joins the names of a list: a comma, "and", "or" ("in Poland, Lithuania and Germany", "w Rosji,
# Niemczech lub Emiratach").
_LIST_GAP = re.compile(
    r"\s*,?\s*(?:(?:and|or|и|і|й|та|або|или|i|lub|albo|oraz|y|o|e|ou|et|und|oder|en|of|dan|atau|ve|veya"
    r"|ja|tai|es|vagy|si|sau|και|ή|و|یا|اور)\s+)?"
)


_RECRUITING_OR_OFFICIAL = re.compile(
    r"(?<![^\W_])(?:recru|rekru|werb|вербов|вербу|набор|official|ambtenar|функционер|чиновник|responsab)"
)


def _locations(folded: str, mentions: Mapping[str, list[_Mention]], lang: str | None) -> frozenset[int]:
    """Where the names that stand for a place begin: after "in" or before its postposition, and
    the names listed after such a name, which the same "in" governs ("in Poland, Lithuania and
    Germany", "a job in Dubai or Germany"), unless the list follows its own "in" after a word for
    an official or for recruiting ("officials in Kenya, South Africa…", "recruiting in Rwanda,
    Burundi…"), whose listed countries are the recruits' own."""
    located: set[int] = set()
    previous: _Mention | None = None
    for mention in sorted((m for spots in mentions.values() for m in spots), key=lambda m: m.start):
        listed = (
            previous is not None
            and previous.start in located
            and _LIST_GAP.fullmatch(folded, previous.end, mention.start) is not None
            and not _RECRUITING_OR_OFFICIAL.search(
                folded, max(0, previous.start - _WORD_REACH), previous.start
            )
        )
        if (
            mention.bare
            and (listed or _is_location(folded, mention, lang))
            and not _ends_range(folded, previous, mention)
        ):
            located.add(mention.start)
        previous = mention
    return frozenset(located)


_DATELINE_END = re.compile(r"\s*[.।:,–—-]")


def _is_dateline(folded: str, mention: _Mention) -> bool:
    """Whether a city opens the summary as the place the report was filed ("काठमाडौं।", "NAIROBI –"),
    not the recruits' home."""
    opens = mention.start == 0 or folded[mention.start - 1] == "\n"
    return mention.home and opens and _DATELINE_END.match(folded, mention.end) is not None


def _beside(folded: str, mention: _Mention, stems: tuple[str, ...]) -> bool:
    """Whether the words right after the mention, or right before it, begin with one of ``stems``
    (an institution's, a source's; "tình báo Hàn Quốc" has two words before the name)."""
    gap = _NEIGHBOUR_GAP.match(folded, mention.end)
    if gap and folded.startswith(stems, gap.end()):
        return True
    words_before = folded[max(0, mention.start - _WORD_REACH) : mention.start].rstrip(_QUOTES).split()
    # the last word, the last two, …: each joined once, not once a stem
    tails = [" ".join(words_before[-count:]) for count in range(1, len(words_before) + 1)]
    return bool(tails) and any(tails[min(stem.count(" "), len(tails) - 1)].startswith(stem) for stem in stems)


_REPORTER_REACH = 3  # words back to a source's name: "صحيفة لوموند الفرنسية", "the daily Le Monde's French"


def _after_reporter(folded: str, mention: _Mention) -> bool:
    """Whether a source that reports names the country: beside the mention, or a few words before
    it with the source's own name between ("صحيفة لوموند الفرنسية", "la rivista Forbes americana")."""
    if _beside(folded, mention, folded_words(REPORTERS)):
        return True
    words_before = folded[max(0, mention.start - _WORD_REACH) : mention.start].split()[-_REPORTER_REACH:]
    tails = [" ".join(words_before[start:]) for start in range(len(words_before))]
    return any(tail.startswith(folded_words(REPORTERS)) for tail in tails)


def people_word_starts(text: str, lang: str | None) -> frozenset[int]:
    """Where, in ``fold(text)``, a word for a country's people begins ("colombianos", "Deutsche"):
    a number just before one counts people ("27 colombianos")."""
    _, mentions = _mentions(text, lang)
    return frozenset(m.start for places in mentions.values() for m in places if not m.bare)


# Words for people that follow a country's name in Chinese, Japanese and Korean, which write no
# demonyms: "尼泊尔人", "中国籍", "朝鲜士兵", "한국인", or that end a list of names ("美国、日本等地的
# 志愿者", "네팔, 브라질 등 여러 국적의 병사"). A name without one is a place or a government there
# ("在利比亚", "韩国情报机构"). North Korea is the exception: it sends its own army, so a story that
# names it ("북한, 러시아에 파병") is about its soldiers.
_PEOPLE_AFTER_NAME = (
    "人", "籍", "公民", "国民", "國民", "士兵", "兵", "军", "軍", "雇佣", "僱傭", "傭兵", "佣兵", "志愿",
    "志願", "武装", "武裝", "男子", "男性", "青年", "劳工", "勞工", "労働者", "移民", "学生", "學生",
    "留学生", "留學生", "族", "出身", "战俘", "戰俘", "捕虜", "인", "군", "국적", "국민", "출신", "청년",
    "용병", "병사", "장병", "노동자", "근로자", "남성", "학생", "포로", "လူမျိုး", "နိုင်ငံသား", "စစ်သား",
)  # fmt: skip
# Thai, Lao and Khmer write the word for people first: "ชาวเนปาล", "คนไทย", "สัญชาติจีน", "ทหารอังกฤษ",
# "ຄົນລາວ", "ជនជាតិចិន" (a bare "ลาว" or "ລາວ" is a place, or in Lao "he").
_PEOPLE_BEFORE_SPACELESS = (
    "ชาว", "คน", "สัญชาติ", "ทหาร", "นักรบ", "พลเมือง", "แรงงาน", "อาสาสมัคร", "ชาย", "ผู้ชาย", "หนุ่ม",
    "ทหารรับจ้าง", "ຄົນ", "ຊາວ", "ສັນຊາດ", "ທະຫານ", "ພົນລະເມືອງ", "ແຮງງານ", "ជនជាតិ", "ពលរដ្ឋ", "ទាហាន",
    "កម្មករ", "បុរស", "យុវជន",
)  # fmt: skip
_PEOPLE_FILLER = "的の "
_LIST_MARKS = "、,，・·와과및等등 "
_LIST_REACH = 60  # characters a list of names may run before the word for its people


def _followed_by_people(folded: str, start: int, name_end: int) -> bool:
    """Whether the name at ``start``..``name_end`` is a word for people ("陸籍", "한국인"), is followed
    by one ("尼泊尔人", "네팔 청년"), or begins a list of names that ends in one."""
    if folded[start:name_end].endswith(_PEOPLE_AFTER_NAME):
        return True
    after = folded[name_end : name_end + 1]
    if after and after in _PEOPLE_FILLER and folded.startswith(_PEOPLE_AFTER_NAME, name_end + 1):
        return True
    if folded.startswith(_PEOPLE_AFTER_NAME, name_end):
        return True
    if after and after in _LIST_MARKS:
        window = folded[name_end : name_end + _LIST_REACH]
        return any(word in window for word in _PEOPLE_AFTER_NAME if len(word) > 1)
    return False
