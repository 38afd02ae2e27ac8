"""Default keyword rules, seeded into the database on first run.

General domain vocabulary only (never phrases from any evaluation item): words for
mercenaries, foreign fighters, foreign legions and being recruited, lured, tricked
or trafficked into a war, in en, ru, uk, ar, es, fr, pt, de, it, pl, tr, hi, ne, bn.
Weights are log-odds points: 2 = the word alone nearly settles it, 1-1.5 = strong
when near war vocabulary, negative = a near-miss topic (sex trafficking, people
smuggling, scam compounds, arms deals...). Exclusions veto a story outright and are
kept for contexts that are never on topic ("foreign player" sports rules).
"""

from __future__ import annotations

from classifiers.types import KeywordSeed

# Words that put "recruited / lured / tricked" into a military context, per language.
_WAR_EN = (
    "war|army|armies|military|front|frontline|front line|fight|fighting|combat|battlefield|troops|soldier*"
)
_WAR_RU = "войн*|арми*|фронт*|сво|всу|воевать|боев*"
_WAR_UK = "війн*|арм*|фронт*|зсу|воювати|бойов*"
_WAR_ES = "guerra|ejército|ejercito|frente|combatir|luchar|combate|tropas"
_WAR_FR = "guerre|armée|front|combattre|combats|troupes"
_WAR_PT = "guerra|exército|exercito|frente|lutar|combater|combate|tropas"
_WAR_DE = "krieg*|armee|front|kämpfen|kampf*|truppen"
_WAR_AR = "للقتال|القتال|الحرب|حرب|الجبهة|جبهات|الجيش|جيش"
_WAR_HI = "युद्ध|जंग|सेना|आर्मी|फ्रंट|मोर्चे|लड़ने|लड़ाई"
_WAR_NE = "युद्ध*|सेना*|लड्न|मोर्चा*"

# (term, weight, near, window); lang is left open because titles and summaries can differ in language.
_TOPIC: list[tuple[str, float, str | None, int | None]] = [
    # mercenaries
    ("mercenar*", 2.0, None, None),
    ("soldier* of fortune", 2.0, None, None),
    ("наемник*", 2.0, None, None),
    ("наемничеств*", 2.0, None, None),
    ("найман*", 2.0, None, None),
    ("مرتزق*", 2.0, None, None),
    ("المرتزق*", 2.0, None, None),
    ("والمرتزق*", 2.0, None, None),
    ("mercenari*", 2.0, None, None),
    ("mercenári*", 2.0, None, None),
    ("mercenaire*", 2.0, None, None),
    ("söldner*", 2.0, None, None),
    ("najemni*", 2.0, None, None),
    ("paralı asker*", 2.0, None, None),
    ("भाड़े के सैनिक*", 2.0, None, None),
    ("भाड़े के लड़ाके", 2.0, None, None),
    ("भाडाका सैनिक", 2.0, None, None),
    ("भाडाका सिपाही", 2.0, None, None),
    ("ভাড়াটে সৈন্য", 2.0, None, None),
    ("ভাড়াটে যোদ্ধা", 2.0, None, None),
    # foreign fighters and legions
    ("foreign fighter*", 2.0, None, None),
    ("foreign terrorist fighter*", 2.0, None, None),
    ("foreign volunteer*", 1.0, _WAR_EN, 10),
    ("foreign recruit*", 1.5, None, None),
    ("international legion", 1.5, None, None),
    ("foreign legion*", 1.0, None, None),
    ("иностранн* боев*", 1.5, None, None),
    ("иностранн* добровол*", 1.0, None, None),
    ("иностранн* легион*", 1.5, None, None),
    ("интернациональн* легион*", 1.5, None, None),
    ("іноземн* бойов*", 1.5, None, None),
    ("іноземн* добровол*", 1.0, None, None),
    ("іноземн* легіон*", 1.5, None, None),
    ("інтернаціональн* легіон*", 1.5, None, None),
    ("مقاتلين أجانب", 2.0, None, None),
    ("المقاتلين الأجانب", 2.0, None, None),
    ("combatientes extranjeros", 2.0, None, None),
    ("legión internacional", 1.5, None, None),
    ("combattants étrangers", 2.0, None, None),
    ("légion internationale", 1.5, None, None),
    ("combatentes estrangeiros", 2.0, None, None),
    ("legião internacional", 1.5, None, None),
    ("ausländische* kämpfer*", 2.0, None, None),
    ("internationale* legion", 1.5, None, None),
    ("combattenti stranieri", 2.0, None, None),
    ("zagraniczn* bojownik*", 2.0, None, None),
    ("yabancı savaşçı*", 2.0, None, None),
    ("विदेशी लड़ाके", 2.0, None, None),
    # private military companies
    ("private military compan*", 1.5, None, None),
    ("wagner", 1.5, "group|mercenar*|pmc|fighters|recruit*|africa|prigozhin", 6),
    ("africa corps", 1.5, None, None),
    ("чвк", 1.5, None, None),
    ("вагнер*", 1.5, None, None),
    ("африканск* корпус*", 1.5, None, None),
    ("فاغنر", 1.5, None, None),
    # recruited, lured, tricked or trafficked into a war
    ("recruited to fight", 2.0, None, None),
    ("sent to fight", 1.5, None, None),
    ("forced to fight", 1.5, None, None),
    ("sent to the front*", 1.5, None, None),
    ("recruit*", 1.0, _WAR_EN + "|russia*|ukrain*|isis|islamic state|jihad*|foreign*|abroad", 6),
    ("lured", 1.5, _WAR_EN, 8),
    ("duped", 1.5, _WAR_EN, 8),
    ("tricked", 1.5, _WAR_EN, 8),
    ("deceived", 1.0, _WAR_EN, 8),
    ("trafficked", 1.5, _WAR_EN, 8),
    ("enlist*", 1.0, "russia*|ukrain*|foreign*|abroad", 6),
    ("job offer*", 1.0, _WAR_EN, 10),
    ("jihadi*", 1.0, "recruit*|fighters|syria|iraq", 6),
    ("вербов*", 1.5, _WAR_RU, 8),
    ("завербова*", 1.5, None, None),
    ("вербуван*", 1.5, _WAR_UK, 8),
    ("завербува*", 1.5, None, None),
    ("отправ*", 1.0, "на фронт|на войну|воевать", 3),
    ("обман*", 1.0, _WAR_RU + "|" + _WAR_UK, 6),
    ("принудительно", 1.0, _WAR_RU, 5),
    ("відправ*", 1.0, "на фронт|на війну|воювати", 3),
    ("reclut*", 1.0, _WAR_ES, 8),
    ("obligad*", 1.5, "luchar|combatir|guerra|frente", 5),
    ("engañ*", 1.0, _WAR_ES, 8),
    ("enviados al frente", 1.5, None, None),
    ("recrut*", 1.0, _WAR_FR + "|" + _WAR_PT, 8),
    ("envoyés au front", 1.5, None, None),
    ("piégé*", 1.0, _WAR_FR, 8),
    ("trompé*", 1.0, _WAR_FR, 8),
    ("forcés de combattre", 1.5, None, None),
    ("aliciad*", 1.5, _WAR_PT, 8),
    ("atraíd*", 1.0, _WAR_PT, 8),
    ("enganad*", 1.0, _WAR_PT, 8),
    ("obrigad*", 1.5, "lutar|combater|guerra|frente", 5),
    ("enviad*", 1.0, "frente|guerra|combate", 4),
    ("rekrut*", 1.0, _WAR_DE, 8),
    ("angeworben", 1.0, _WAR_DE, 8),
    ("an die front", 1.0, None, None),
    ("gelockt", 1.0, _WAR_DE, 8),
    ("getäuscht", 1.0, _WAR_DE, 8),
    ("gezwungen", 1.5, "kämpfen|krieg*|front", 5),
    ("arruol*", 1.0, "guerra|esercito|fronte|combattere|wagner|corps", 8),
    ("تجنيد", 1.0, _WAR_AR, 6),
    ("يجند*", 1.0, _WAR_AR, 6),
    ("تجند*", 1.0, _WAR_AR, 6),
    ("خداع", 1.0, _WAR_AR, 6),
    ("استدراج", 1.0, _WAR_AR, 6),
    ("أجبر*", 1.5, "للقتال|القتال|الحرب|الجبهة", 5),
    ("إجبار", 1.5, "للقتال|القتال|الحرب|الجبهة", 5),
    ("भर्ती", 1.0, "रूस*|रूसी|विदेशी|यूक्रेन", 6),
    ("धोखे", 1.0, _WAR_HI + "|रूस*|रूसी", 6),
    ("झांसा", 1.0, _WAR_HI + "|रूस*|रूसी", 8),
    ("झांसे", 1.0, _WAR_HI + "|रूस*|रूसी", 8),
    ("मजबूर", 1.5, "लड़ने|जंग|युद्ध|सेना|आर्मी", 5),
    ("मोर्चे पर भेज*", 1.5, None, None),
    ("भर्ना", 1.0, _WAR_NE, 6),
    ("ठगी*", 1.0, _WAR_NE + "|रुस*|रसिया*", 8),
    ("पठा*", 1.0, "युद्ध*|मोर्चा*|रुसी सेना*|रसियन सेना*", 4),
    ("विदेशी लडाकु*", 2.0, None, None),
    ("रसियन फोर्स*", 1.5, None, None),
    ("रुसी फोर्स*", 1.5, None, None),
    ("फंस*", 0.75, "रूस*|रूसी|सेना|आर्मी|युद्ध|जंग", 6),
    ("फँस*", 0.75, "रूस*|रूसी|सेना|आर्मी|युद्ध|जंग", 6),
    ("एजेंट*", 0.75, "रूस*|रूसी|सेना|युद्ध|जंग", 6),
    ("मानव तस्कर*", 1.0, "रूस*|रूसी|सेना|युद्ध|जंग", 8),
    ("रुसी सेना*", 1.5, None, None),
    ("रसियन सेना*", 1.5, None, None),
    ("रूसी सेना*", 1.5, None, None),
    ("रूसी आर्मी", 1.5, None, None),
    ("রুশ বাহিনী*", 1.0, None, None),
    # state-sent foreign troops
    ("north korea*", 1.5, "troops|soldiers|kursk", 5),
    ("северокорейск*", 1.5, "военн*|солдат*|войск*|курск*", 5),
    ("північнокорейськ*", 1.5, "військов*|солдат*|курськ*", 5),
    ("norcorean*", 1.5, "tropas|soldados|kursk", 5),
    ("nord coréen*", 1.5, "troupes|soldats|koursk", 5),
    ("nordkoreanisch*", 1.5, "soldaten|truppen|kursk", 5),
]

# Near misses: evidence against, so a stray topic word alone does not raise an alert.
_NEAR_MISS: list[tuple[str, float]] = [
    ("sex trafficking", -1.5),
    ("sexual exploitation", -1.5),
    ("prostitution", -1.5),
    ("explotación sexual", -1.5),
    ("exploitation sexuelle", -1.5),
    ("exploração sexual", -1.5),
    ("sexuelle ausbeutung", -1.5),
    ("сексуальн* эксплуатац*", -1.5),
    ("forced labour", -1.0),
    ("forced labor", -1.0),
    ("modern slavery", -1.0),
    ("scam compound*", -1.5),
    ("scam centre*", -1.5),
    ("scam center*", -1.5),
    ("cyber fraud", -1.0),
    ("people smuggl*", -1.5),
    ("migrant smuggl*", -1.5),
    ("passeurs", -1.5),
    ("prisoner swap*", -1.5),
    ("prisoner exchange*", -1.5),
    ("обмен* пленны*", -1.5),
    ("обмін* полонени*", -1.5),
    ("fighter jet*", -2.0),
    ("arms deal*", -1.5),
    ("weapons package*", -1.5),
    ("military aid", -1.0),
    ("recruiting goal*", -1.5),
    ("recruitment target*", -1.5),
    ("recruiting target*", -1.5),
]

# Near misses that need context: prisoners of war being exchanged or returned.
_NEAR_MISS_IN_CONTEXT: list[tuple[str, float, str, int]] = [
    ("prisoners of war", -1.5, "exchange*|swap*|returned|freed|released", 8),
    ("pows", -1.5, "exchange*|swap*|returned|freed|released", 8),
    ("военнопленн*", -1.5, "обмен*|вернул*|возвращ*|освобожд*", 8),
    ("військовополонен*", -1.5, "обмін*|повернул*|поверну*|звільн*", 8),
    ("prisioneros de guerra", -1.5, "intercambio|canje|liberad*", 8),
    ("prisonniers de guerre", -1.5, "échange*|libérés", 8),
    ("kriegsgefangen*", -1.5, "austausch*|freigelassen", 8),
    ("أسرى", -1.5, "تبادل", 8),
]

# Contexts that are never about recruiting fighters.
_EXCLUDE: list[str] = ["foreign player*", "import player*", "overseas player*"]


def default_keywords() -> list[KeywordSeed]:
    """The shipped rule set as config seeds."""
    seeds = [KeywordSeed(term=t, weight=w, near=n, window=win) for t, w, n, win in _TOPIC]
    seeds += [KeywordSeed(term=t, weight=w) for t, w in _NEAR_MISS]
    seeds += [KeywordSeed(term=t, weight=w, near=n, window=win) for t, w, n, win in _NEAR_MISS_IN_CONTEXT]
    seeds += [KeywordSeed(term=t, weight=1.0, exclude=True) for t in _EXCLUDE]
    return seeds
