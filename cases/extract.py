"""Case facts of one flagged story: origin countries, destination force, main event, number of people.

Rules over the title and summary, with the evidence kept for the explanation: cheap (a few regular
expressions per story), explainable, and multilingual through CLDR country names and short cue lists
in the languages the news comes in most. The title decides the event when it names one, because the
headline states the story's main news; the summary fills in what the title leaves out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from cases.countries import PARTIES, SPACELESS, fold, mentioned_countries

DESTINATIONS = ("russia", "ukraine", "wagner_africa", "isis_jihadist", "other", "unknown")
EVENTS = ("recruitment", "casualties", "captured", "legal_action", "return", "policy", "other")

# Cues as case-folded word prefixes, all languages together (news quotes several).
_DESTINATION_CUES: dict[str, tuple[str, ...]] = {
    "wagner_africa": ("wagner", "вагнер", "africa corps", "африканский корпус", "فاغنر", "ваґнер", "瓦格纳"),
    "isis_jihadist": (
        "isis", "isil", "islamic state", "daesh", "al-shabaab", "al shabaab", "al-qaeda", "al qaeda", "jihad",
        "игил", "исламское государство", "джихад", "داعش", "الدولة الإسلامية", "الشباب", "القاعدة",
        "estado islámico", "état islamique", "etat islamique", "islamischer staat", "dschihad", "boko haram",
        "іділ", "ісламська держава", "伊斯兰国", "daish", "dawlad islaam", "estado islamico", "ishid",
        "ишид", "диишд", "дииш", "이슬람국가", "이슬람 국가", "आईएसआईएस", "आइएस", "państwo islamskie",
        "panstwo islamskie", "daesz", "dżihad", "dschihadist", "jihadist", "djihadist", "yihadist",
        "jihadista", "terror group", "terrorist organi", "террористическ",
    ),
    "ukraine": (
        "international legion", "foreign legion", "for ukraine", "ukrainian army", "ukraine's army",
        "armed forces of ukraine", "интернациональн", "иностранный легион", "за украину", "всу",
        "інтернаціональн", "за україну", "зсу", "legión internacional", "légion internationale",
        "internationale legion", "الفيلق الدولي", "legião internacional", "legion cudzoziemsk",
        "międzynarodow legion", "legionu międzynarodowego", "국제군단", "국제 군단", "国际军团",
        "xalqaro legion", "лашкари байналмилалӣ", "foreign volunteers for ukraine",
    ),
    "russia": (
        "russian army", "russia's army", "russian military", "for russia", "russian forces",
        "russian ministry of defence", "russian defence ministry", "contract with russia",
        "российск", "за россию", "минобороны", "вс рф", "армии рф", "российськ", "за росію", "армії рф",
        "الجيش الروسي", "لروسيا", "ejército ruso", "armée russe", "russische armee", "exército russo",
        "रूसी सेना", "रुसी सेना", "रूस की सेना", "جيش روسيا", "ارتش روسیه", "روسی فوج", "俄罗斯军队", "俄军",
        "ロシア軍", "러시아군", "jeshi la urusi", "rossiya armiyasi", "artishi rusiya", "артиши русия",
        "ciidamada ruushka", "sojojin rasha", "ordu rusya", "rus ordusu", "armata rusă", "armii rosyjskiej",
        "to russia", "in russia", "russia", "в россию", "в россии", "россия", "у росію", "до росії", "росія",
        "روسيا", "रूस", "रुस", "俄罗斯", "ロシア", "러시아", "urusi", "ruushka", "rasha", "rossiya", "rusia",
        "russie", "russland", "rússia", "rosja",
    ),
    "other": (
        "rsf", "rapid support forces", "libya", "karabakh", "houthi", "الدعم السريع", "ليبيا", "карабах",
    ),
}  # fmt: skip

_EVENT_CUES: dict[str, tuple[str, ...]] = {
    "legal_action": (
        "затрим", "вирок", "засудж", "обвинувач", "підозр", "zatrzyman", "aresztowan", "wyrok", "oskarż",
        "prokurat", "preso", "condenad", "julgament", "acusad", "tribunal", "arrestad", "fiscal", "interpell",
        "condamn", "mis en examen", "parquet", "verhaftet", "anklage", "gericht", "staatsanwalt", "判处",
        "起诉", "被捕", "法院", "拘留", "재판", "구속", "मुकदमा", "आरोप", "पक्राउ", "मुद्दा", "सजाय", "اتهام",
        "توقيف", "walikamatwa", "kushtakiwa", "hukumu", "jela", "jinoiy", "ayblan", "боздошт", "маҳкум",
        "ҷиноятӣ",
        "arrest", "charged", "charges", "sentenc", "jailed", "convicted", "court", "trial", "prosecut",
        "detained", "police", "арест", "задерж", "суд", "приговор", "осужд", "обвин", "уголовн", "заарешт",
        "засуд", "обвинув", "кримінальн", "اعتقال", "محكمة", "حكم", "سجن", "القبض", "गिरफ्तार", "अदालत",
        "सजा", "detenid", "condenad", "juicio", "arrêté", "condamné", "procès", "festgenommen", "verurteilt",
        "prozess", "kukamatwa", "mahakama", "hibsga", "maxkamad", "qamoq", "hukm", "ҳабс",
        "逮捕", "判决", "判刑", "체포", "기소", "징역", "tutuklan", "mahkeme", "aresztowan", "skazan",
    ),
    "casualties": (
        "загин", "тіла", "тіло", "zginęł", "zginął", "śmierć", "smierc", "ciał", "morto", "morreu", "morte",
        "muertos", "muerte", "cuerpo", "tués", "tues", "décès", "deces", "corps", "gestorben", "tote ",
        "leiche", "丧生", "遇难", "身亡", "숨진", "숨져", "시신", "मारे", "मृत", "जान गई", "मृत्यु", "मारिए",
        "ज्यान", "घाइते", "قتلى", "مصرع", "wamefariki", "kufariki", "walikufa", "miili", "o'ldirilgan",
        "oʻldi", "vafot", "jasad", "кушта", "фавт", "ҷасад",
        "killed", "died", "dead", "death", "bodies", "body of", "wounded", "injured", "убит", "погиб",
        "гибел", "смерт", "тело", "тела", "ранен", "загину", "вбит", "поранен", "قتل", "مقتل", "جثث",
        "جثة", "لقي حتفه", "मारे गए", "मौत", "शव", "मृत्यु", "muerto", "murió", "fallecid", "tué", "morts",
        "getötet", "waliuawa", "wamekufa", "kuuawa", "dhintay", "dilay", "o'ldi", "halok", "ҳалок",
        "死亡", "阵亡", "遗体", "사망", "전사", "öldü", "hayatını kaybet", "zginął", "zabit",
    ),
    "captured": (
        "полон", "niewol", "prisioneir", "capturad", "prisonnier", "kriegsgefangen", "被俘", "포로로",
        "बन्दी", "युद्धबन्दी", "mateka", "asirga", "асир",
        "captured", "prisoner", "pow", "surrendered", "taken captive", "плен", "сдал", "полон", "أسر",
        "أسير", "बंदी", "capturad", "prisionero", "capturé", "prisonnier", "gefangen", "waliotekwa",
        "mateka", "asir", "俘虏", "포로", "esir", "niewol",
    ),
    "return": (
        "return", "rescued", "repatriat", "brought back", "came home", "back home", "freed", "вернул",
        "возвращ", "вернут", "репатри", "повернул", "поверну", "عودة", "عاد", "إعادة", "वापस", "घर लौटे",
        "regres", "retorn", "rapatri", "revenu", "zurückgekehrt", "rückkehr", "kurejea", "walirudi",
        "soo laabt", "qaytar", "бозгашт", "归国", "回国", "귀국", "geri dön", "powrót", "wrócil",
    ),
    "policy": (
        "government", "minister", "ministry", "embassy", "warns", "warning", "ban ", "banned", "advisory",
        "urges", "parliament", "правительств", "министр", "мид", "посольств", "предупрежд", "запрет",
        "уряд", "міністр", "посольств", "الحكومة", "وزير", "وزارة", "السفارة", "सरकार", "मंत्री",
        "दूतावास", "gobierno", "ministr", "embajada", "gouvernement", "ambassade", "regierung", "botschaft",
        "serikali", "waziri", "ubalozi", "dowladda", "wasiir", "hukumat", "vazir", "ҳукумат", "вазир",
        "政府", "外交部", "大使馆", "정부", "외교부", "hükümet", "bakan", "rząd",
    ),
}  # fmt: skip

_PEOPLE = (
    "men", "people", "citizens", "nationals", "youths", "youth", "soldiers", "fighters", "recruits",
    "mercenaries", "persons", "workers", "individuals", "volunteers", "troops",
    "мужчин", "человек", "граждан", "наемник", "наёмник", "солдат", "бойц", "добровол", "мигрант", "парней",
    "чоловік", "громадян", "найманц", "осіб", "رجل", "شخص", "مواطن", "شاب", "مقاتل", "مرتزق",
    "लोग", "नागरिक", "युवा", "युवक", "व्यक्ति", "hombres", "personas", "ciudadanos", "jóvenes", "mercenarios",
    "hommes", "personnes", "ressortissants", "jeunes", "männer", "menschen", "bürger", "wanaume", "watu",
    "vijana", "raiyat", "nafar", "fuqaro", "кас", "шаҳрванд", "名", "人", "명", "kişi", "vatandaş", "osób",
    "mężczyzn", "obywatel", "नेपाली", "भारतीय", "killed", "dead", "died", "missing", "погиб", "убит",
    "пропал", "قتلى", "مفقود",
)  # fmt: skip
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+|\d+)(?![\w.,]?\d)")
_YEAR = range(1900, 2101)
_PEOPLE_WITHIN = 40  # characters between a number and a word for people


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the story says happened to whom; ``evidence`` keeps the words each field rests on."""

    origin_countries: tuple[str, ...]
    destination: str
    event: str
    count: int | None
    evidence: dict[str, str] = field(default_factory=dict)
    countries_named: tuple[str, ...] = ()  # every country the story names, the war's parties too

    def to_dict(self) -> dict[str, Any]:
        return {
            "origin_countries": list(self.origin_countries),
            "destination": self.destination,
            "event": self.event,
            "count": self.count,
            "evidence": self.evidence,
            "card": case_card(self),
            # English names, which the /settings country filter compares, whatever the story's language
            "country_names": [_english_name(code) for code in self.countries_named],
        }


_DESTINATION_LABELS = {
    "russia": "Russia's forces",
    "ukraine": "Ukraine's forces",
    "wagner_africa": "Wagner / Africa Corps",
    "isis_jihadist": "ISIS / jihadists",
    "other": "another armed group",
    "unknown": "force not stated",
}
_EVENT_LABELS = {
    "recruitment": "recruitment",
    "casualties": "deaths or wounds",
    "captured": "captured",
    "legal_action": "arrests or trials",
    "return": "return home",
    "policy": "government action",
    "other": "other news",
}


def _english_name(code: str) -> str:
    from babel import Locale

    return str(Locale.parse("en").territories.get(code, code))


def country_code(text: str) -> str | None:
    """The ISO code a user means by ``text``: a code (np, NP) or an English name (Nepal, nepal) of a
    country CLDR knows; None for anything else (a typo, a region such as "Europe")."""
    from babel import Locale

    wanted = text.strip().casefold()
    territories = Locale.parse("en").territories
    for code, name in territories.items():
        if code.isalpha() and len(code) == 2 and wanted in (code.casefold(), str(name).casefold()):
            return str(code)
    return None


def _flag(code: str) -> str:
    return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in code)


def case_card(facts: CaseFacts) -> str:
    """One line for the alert: ``🇳🇵 Nepal → Russia's forces · deaths or wounds · 12 people``."""
    origins = ", ".join(f"{_flag(code)} {_english_name(code)}" for code in facts.origin_countries)
    parts = [f"{origins or 'origin not stated'} → {_DESTINATION_LABELS[facts.destination]}"]
    parts.append(_EVENT_LABELS[facts.event])
    if facts.count is not None:
        parts.append(f"{facts.count:,} people")
    return " · ".join(parts)


@cache
def _cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    """Cues as word beginnings (anywhere, for scripts written without spaces), accents folded."""
    alternatives = []
    for cue in sorted({fold(cue) for cue in cues}, key=len, reverse=True):
        escaped = re.escape(cue)
        alternatives.append(escaped if SPACELESS.search(cue) else rf"(?<![^\W_]){escaped}")
    return re.compile("|".join(alternatives))


@cache
def _folded_cues(cues: tuple[str, ...]) -> tuple[str, ...]:
    return tuple({fold(cue) for cue in cues})


def _first_cue(text: str, cues: dict[str, tuple[str, ...]]) -> tuple[str, str] | None:
    """The category whose cue appears earliest in ``text`` (folded), with the words that matched.

    A category's pattern runs only where one of its cues is a substring (its pattern cannot match
    elsewhere): most stories hold a cue of few categories, and the substring test is far cheaper.
    """
    best: tuple[int, str, str] | None = None
    for category, words in cues.items():
        if not any(cue in text for cue in _folded_cues(words)):
            continue
        match = _cue_pattern(words).search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), category, match.group())
    return (best[1], best[2]) if best else None


def _destination(folded: str, countries: Iterable[str]) -> tuple[str, str]:
    """The most specific force a cue names; else Russia's, when the story names Russia at all
    (nearly every story of this kind that names one country of the war is about Russia's army)."""
    for category in ("wagner_africa", "isis_jihadist", "ukraine", "russia", "other"):
        match = _cue_pattern(_DESTINATION_CUES[category]).search(folded)
        if match:
            return category, match.group()
    return ("russia", "RU named") if "RU" in countries else ("unknown", "")


def _count(text: str) -> tuple[int | None, str]:
    """The largest number of people the text states (a number followed closely by a word for people)."""
    folded = text.casefold()
    best: tuple[int, str] | None = None
    for match in _NUMBER.finditer(folded):
        value = int(re.sub(r"\D", "", match.group(1)))
        if value in _YEAR or not 1 < value <= 1_000_000:
            continue
        after = folded[match.end() : match.end() + _PEOPLE_WITHIN]
        if any(word in after for word in _PEOPLE) and (best is None or value > best[0]):
            best = (value, text[match.start() : match.end() + _PEOPLE_WITHIN].strip())
    return (best[0], best[1]) if best else (None, "")


def extract_case(title: str, summary: str, lang: str | None) -> CaseFacts:
    """The case facts the story states; fields it does not state are empty, "unknown" or None."""
    text = f"{title}\n{summary}"
    folded = fold(text)
    mentioned = mentioned_countries(text, lang)
    people = mentioned_countries(text, lang, as_people=True)
    origins = tuple(sorted(code for code in people if code not in PARTIES))
    destination, destination_cue = _destination(folded, mentioned)
    event_cue = _first_cue(fold(title), _EVENT_CUES) or _first_cue(folded, _EVENT_CUES)
    event, event_word = event_cue if event_cue else ("recruitment", "")
    count, count_span = _count(text)
    evidence = {code: people[code] for code in origins}
    evidence |= {"destination": destination_cue, "event": event_word, "count": count_span}
    evidence = {key: value for key, value in evidence.items() if value}
    return CaseFacts(origins, destination, event, count, evidence, tuple(sorted(mentioned)))
