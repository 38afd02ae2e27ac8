"""Names in a story (people, recruiters, agencies, places): what two stories about one case share
weeks apart (a recruiter's arrest and his sentence), found without a named-entity model.

A name is a run of capitalised words inside a sentence ("Ramesh Thapa", "Global Manpower"), split
where a country word ("Nepali") or a generic one ("Police", "Court", "Wagner") stands. A run of two
or more words is a *full* name; a single word counts only away from the start of a sentence (a
village, a surname), and not in German, which capitalises every noun. A sentence in title case (a
headline) tells nothing by its capitals: only the words after a recruiter cue are read there.

A *named recruiter* is a name next to a cue ("recruiter Ramesh Thapa", "вербовщик Иван Петров",
"Ramesh Thapa, a recruiter") or an agency whose name ends in Manpower, Overseas, Recruitment…

Scripts without capitals (Arabic, Devanagari, Chinese…) give no names: storylines there rest on
the text alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cases.countries import fold, mentioned_countries
from textkit.stems import word_stem

MAX_NAMES = 12
_TITLE_CASE_MIN_WORDS = 5
_MAX_CUE_WORDS = 4  # words of a name after a recruiter cue ("recruiter Ramesh Kumar Thapa")
_MAX_TITLE_CUE_WORDS = 2  # in a title-case headline the next capitalised word may be a verb
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_ACRONYM_CHARS = 5  # "ISIS", "NATO", "RSF": acronyms name organisations everyone quotes

# Case-folded words that are never a name of their own: institutions, ranks, titles, calendar
# words, the forces of this topic and its most quoted leaders (every story names them), and
# sentence openers.
_GENERIC_TEXT = """
a an the of and in on for to at by der die das den dem des ein eine el la los las le les un une del
o os as um uma do da from with his her their its this that these those after before
mr mrs ms dr sir former new breaking update live exclusive watch video photos report
police court courts army armed forces force military ministry minister government parliament embassy
president prime foreign affairs defence defense interior justice district city province state region
national international legion republic federal supreme high central special department office bureau
service services agency agencies company group corps union nations united european committee council
human rights university hospital airport news times post daily tribune herald radio tv television
soldiers soldier men fighters recruits mercenaries volunteers troops families workers citizens
nationals migrants students
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december
wagner africa isis isil daesh islamic hamas hezbollah houthi houthis taliban rsf kremlin moscow kyiv
kiev donbas donbass donetsk luhansk kursk bakhmut zaporizhzhia kherson crimea ukraine russia
полиция суд армия министерство министр правительство посольство мид вс всу рф президент
поліція армія міністерство міністр уряд посольство зсу
policía tribunal ejército gobierno ministerio police tribunal armée gouvernement ministère
polizei gericht armee regierung ministerium polícia governo ministério exército
nacional internacional internationale legião legión légion exteriores relações relaciones extérieures
defesa defensa défense territorial estado état islámico islâmico islamique audiencia fiscalía
reports reporting press agence agencia
putin zelensky zelenskyy zelenskiy volodymyr vladimir shoigu lavrov prigozhin peskov biden trump
"""
_GENERIC = frozenset(fold(word) for word in _GENERIC_TEXT.split())
# Words for someone who recruits, case-folded word beginnings, the languages the news comes in most.
_RECRUITER_CUES = (
    "recruiter", "recruiting agent", "agent", "broker", "middleman", "middlemen", "trafficker",
    "smuggler", "вербовщи", "рекрутер", "посредник", "вербувальни", "посередни", "reclutador",
    "recruteur", "anwerber", "schlepper", "recrutador", "werbowni", "pośredni",
)  # fmt: skip
_AGENCY_ENDINGS = frozenset(
    "manpower overseas recruitment recruiters consultancy consultants employment travels travel "
    "placement staffing".split()
)
_CUE_BEFORE = re.compile(
    "(?<![^\\W_])(?:" + "|".join(re.escape(cue) for cue in _RECRUITER_CUES) + r")\w*\s+$"
)
_CUE_AFTER = re.compile(
    r"^\s*,\s*(?:an?|the|who|one|ein|eine|un|une|uno|una|um|uma)?\s*(?:\w+\s+)?(?:"
    + "|".join(re.escape(cue) for cue in _RECRUITER_CUES)
    + "|recruit)"
)


@dataclass(frozen=True, slots=True)
class StoryNames:
    names: tuple[str, ...]  # every name, as written, first seen first
    recruiters: tuple[str, ...]  # those named as a recruiter or an agency


@lru_cache(maxsize=65_536)
def _is_country_word(word: str, lang: str) -> bool:
    return bool(mentioned_countries(word, lang))


def _is_generic(word: str, lang: str) -> bool:
    folded = fold(word)
    return (
        folded in _GENERIC
        or folded.startswith(_RECRUITER_CUES)
        or (word.isupper() and len(word) <= _ACRONYM_CHARS)
        or _is_country_word(word, lang)
    )


def _runs(sentence: str) -> list[tuple[int, int, list[str]]]:
    """Runs of capitalised words separated by spaces only: (start, end, words)."""
    runs: list[tuple[int, int, list[str]]] = []
    for match in _WORD.finditer(sentence):
        word = match.group()
        if not word[0].isupper():
            continue
        last = runs[-1] if runs else None
        if last is not None and sentence[last[1] : match.start()].isspace():
            runs[-1] = (last[0], match.end(), [*last[2], word])
        else:
            runs.append((match.start(), match.end(), [word]))
    return runs


def _parts(words: list[str], lang: str) -> list[list[str]]:
    """A run split where a generic or country word stands."""
    parts: list[list[str]] = [[]]
    for word in words:
        if _is_generic(word, lang):
            parts.append([])
        else:
            parts[-1].append(word)
    return [part for part in parts if part]


def _cue_name(sentence: str, start: int, words: list[str], lang: str, title_case: bool) -> str | None:
    """The recruiter's name in a run that follows a cue, or holds one (German capitalises nouns, and
    a headline every word), if any."""
    cue_at = next((index for index, word in enumerate(words) if fold(word).startswith(_RECRUITER_CUES)), None)
    if cue_at is not None:
        words = words[cue_at + 1 :]
    elif not _CUE_BEFORE.search(fold(sentence[:start])):
        return None
    limit = _MAX_TITLE_CUE_WORDS if title_case else _MAX_CUE_WORDS
    kept = []
    for word in words[:limit]:
        if _is_generic(word, lang):
            break
        kept.append(word)
    return " ".join(kept) or None


def _is_title_case(words: list[str]) -> bool:
    """A headline Capitalising Every Word: at most one content word in lower case, of five or more."""
    content = [word for word in words if word_stem(word) is not None]
    return len(content) >= _TITLE_CASE_MIN_WORDS and sum(not word[0].isupper() for word in content) <= 1


def story_names(text: str, lang: str | None) -> StoryNames:
    """The names the text gives (see the module docstring)."""
    lang = (lang or "en").split("-")[0].lower()
    names: dict[str, None] = {}
    recruiters: dict[str, None] = {}
    for sentence in _SENTENCE_END.split(text):
        title_case = _is_title_case(_WORD.findall(sentence))
        opening = _WORD.search(sentence)
        for start, end, run in _runs(sentence):
            cued = _cue_name(sentence, start, run, lang, title_case)
            if cued is not None:
                recruiters[cued] = names[cued] = None
            if title_case:
                continue
            for part in _parts(run, lang):
                name = " ".join(part)
                at_start = opening is not None and start == opening.start() and part[0] is run[0]
                if len(part) >= 2 or (not at_start and lang != "de" and len(name) >= 4):
                    names[name] = None
                if len(part) >= 2 and (
                    fold(part[-1]) in _AGENCY_ENDINGS or _CUE_AFTER.match(fold(sentence[end:]))
                ):
                    recruiters[name] = None
    return StoryNames(tuple(names)[:MAX_NAMES], tuple(recruiters)[:MAX_NAMES])


def name_key(name: str) -> frozenset[str]:
    """A name's words, case-folded: "Thapa" is part of "Ramesh Thapa" when its key is a subset."""
    return frozenset(fold(name).split())
