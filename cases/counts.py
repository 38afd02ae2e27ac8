"""The number of people a story states: a number, in digits ("1 076", "१२", "6천") or in words ("two",
"пятеро", "sete", "两名"), close to a word for people ("men", "граждан", "जना", "명").

A number names people only near such a word, and never when it is an age, a date, a share, a prison
term, an ordinal or a count of countries ("23-year-old", "11日", "9 March", "40%", "10 years", "13-уми",
"55 countries"). Swahili, Hausa and Sinhala put the number after the noun ("raia wake 200", "mutane
uku", "'yan Najeriya 38", "ලාංකිකයන් 288ක්"), so there the word may come first. The people a legal
story says were arrested (or convicted "for recruiting") are, in this news, the recruiters: the caller
can leave them out.
"""

from __future__ import annotations

import re
from functools import cache

from cases.countries import SPACELESS, fold, folded_words, people_stems, people_word_starts
from cases.months import MONTHS

# Numbers written as words, in the story's own language only ("dos" is two in Spanish, "of the" in
# Portuguese): per language the words for two, three, … ten, alternatives (cases, genders) joined by
# "/"; then, where news writes them out, twelve, fourteen, fifteen and twenty.
NUMBER_WORDS: dict[str, str] = {
    "en": "two three four five six seven eight nine ten",
    "ru": "два/две/двое/двух три/трое/трех/трёх четыре/четверо/четырех пять/пятеро/пяти шесть/шестеро/шести "
    "семь/семеро/семи восемь/восьми девять/девяти десять/десяти",
    "uk": "два/дві/двоє/двох три/троє/трьох чотири/четверо/чотирьох п'ять/п'ятеро/п'ятьох шість/шістьох "
    "сім/сімох вісім дев'ять десять",
    "es": "dos tres cuatro cinco seis siete ocho nueve diez",
    "pt": "dois/duas três quatro cinco seis sete oito nove dez",
    "fr": "deux trois quatre cinq six sept huit neuf dix",
    "de": "zwei drei vier fünf sechs sieben acht neun zehn",
    "it": "due tre quattro cinque sei sette otto nove dieci",
    "pl": "dwaj/dwóch/dwie/dwoje trzej/trzech/trzy czterej/czterech/cztery pięciu/pięć sześciu/sześć "
    "siedmiu/siedem ośmiu/osiem dziewięciu dziesięciu",
    "tr": "iki üç dört beş altı yedi sekiz dokuz",
    "id": "dua tiga empat lima enam tujuh delapan sembilan sepuluh",
    "sw": "wawili/mbili watatu/tatu wanne/nne watano/tano sita saba wanane/nane tisa kumi",
    "ha": "biyu uku hudu biyar shida bakwai takwas tara goma",
    "so": "laba saddex afar shan lix toddoba siddeed sagaal toban",
    "am": "ሁለት ሶስት/ሦስት አራት አምስት ስድስት ሰባት ስምንት ዘጠኝ አስር/አሥር",
    "hi": "दो तीन चार पांच/पाँच छह सात आठ नौ दस",
    "ne": "दुई तीन चार पाँच छ सात आठ नौ दस",
    "bn": "দুই তিন চার পাঁচ ছয় সাত আট নয় দশ",
    "ar": "اثنين/اثنان ثلاثة أربعة خمسة ستة سبعة ثمانية تسعة عشرة",
    "fa": "دو سه چهار پنج شش هفت هشت",
    "ur": "دو تین چار پانچ چھ سات آٹھ",
    "ta": "இரண்டு மூன்று நான்கு ஐந்து ஆறு ஏழு எட்டு ஒன்பது பத்து",
    "si": "දෙදෙන තිදෙන සිව්දෙන/හතරදෙන පස්දෙන",
    "uz": "ikki/икки uch/уч to'rt/тўрт besh/беш olti/олти yetti/етти sakkiz/саккиз",
    "kk": "екі үш төрт бес алты жеті сегіз тоғыз",
    "ky": "эки үч төрт беш алты жети сегиз тогуз",
    "tg": "ду се чор панҷ шаш ҳафт ҳашт нӯҳ даҳ",
    "nl": "twee drie vier vijf zes zeven acht negen tien",
    "sv": "två tre fyra fem sex sju åtta nio tio",
    "no": "to tre fire fem seks sju/syv åtte ni ti",
    "da": "to tre fire fem seks syv otte ni ti",
    "fi": "kaksi/kahden kolme/kolmen neljä/neljän viisi/viiden kuusi/kuuden seitsemän kahdeksan yhdeksän "
    "kymmenen",
    "hu": "két/kettő három négy öt hat hét nyolc kilenc tíz",
    "cs": "dva/dvě/dvou tři/tří čtyři/čtyř pět/pěti šest/šesti sedm/sedmi osm/osmi devět/devíti deset/deseti",
    "sk": "dva/dve/dvaja/dvoch tri/traja/troch štyri/štyria/štyroch päť/piati šesť/šiesti sedem/siedmi osem "
    "deväť desať",
    "ro": "doi/două trei patru cinci șase șapte opt nouă zece",
    "bg": "два/две/двама три/трима четири/четирима пет/петима шест/шестима седем осем девет десет",
    "sr": "два/две/двојица/dva/dve/dvojica три/тројица/tri/trojica четири/четворица/četiri/četvorica "
    "пет/петорица/pet/petorica шест/šest седам/sedam осам/osam девет/devet десет/deset",
    "hr": "dva/dvije/dvojica tri/trojica četiri/četvorica pet/petorica šest sedam osam devet deset",
    "sl": "dva/dve trije/tri štirje/štiri pet šest sedem osem devet deset",
    "mk": "два/две/двајца три/тројца четири/четворица пет шест седум осум девет десет",
    "sq": "dy tre katër pesë gjashtë shtatë tetë nëntë dhjetë",
    "el": "δύο τρεις/τρία τέσσερις/τέσσερα πέντε έξι επτά/εφτά οκτώ/οχτώ εννέα/εννιά δέκα",
    "he": "שני/שניים/שתי/שתיים שלושה/שלוש ארבעה/ארבע חמישה/חמש שישה/שש שבעה/שבע שמונה תשעה/תשע עשרה/עשר",
    "hy": "երկու երեք չորս հինգ վեց յոթ ութ ինը տաս/տասը",
    "ka": "ორი სამი ოთხი ხუთი ექვსი შვიდი რვა ცხრა ათი",
    "az": "iki üç dörd beş altı yeddi səkkiz doqquz",
    "be": "два/дзве/двое тры/трое чатыры/чацвёра пяць/пяцёра шэсць/шасцёра сем/сямёра восем дзевяць дзесяць",
    "ms": "dua tiga empat lima enam tujuh lapan sembilan sepuluh",
    "tl": "dalawa/dalawang tatlo/tatlong apat/apat na lima/limang anim/anim na pito/pitong walo/walong siyam "
    "sampu/sampung",
    "mr": "दोन तीन चार पाच सहा सात आठ नऊ दहा",
    "gu": "બે ત્રણ ચાર પાંચ છ સાત આઠ નવ દસ",
    "pa": "ਦੋ ਤਿੰਨ ਚਾਰ ਪੰਜ ਛੇ ਸੱਤ ਅੱਠ ਨੌਂ ਦਸ",
    "te": "ఇద్దరు ముగ్గురు నలుగురు ఐదుగురు ఆరుగురు ఏడుగురు ఎనిమిది తొమ్మిది పది",
    "kn": "ಇಬ್ಬರು ಮೂವರು ನಾಲ್ವರು ಐವರು",
    "lt": "du/dvi trys keturi/keturios penki šeši septyni aštuoni devyni dešimt",
    "lv": "divi/divas trīs četri/četras pieci/piecas seši/sešas septiņi astoņi deviņi desmit",
    "tk": "iki üç dört bäş alty ýedi sekiz dokuz",
    "et": "kaks/kahe kolm/kolme neli/nelja viis/viie kuus/kuue seitse/seitsme kaheksa üheksa kümme",
    "ps": "دوه درې څلور پنځه شپږ اووه اته نهه لس",
    "ku": "دوو سێ چوار پێنج شەش حەوت هەشت نۆ دە",
}
_TEENS_AND_TWENTY: dict[str, tuple[str, ...]] = {
    "en": ("twelve", "fourteen", "fifteen", "twenty"),
    "ru": ("двенадцать", "четырнадцать", "пятнадцать", "двадцать"),
    "uk": ("дванадцять", "чотирнадцять", "п'ятнадцять", "двадцять"),
    "es": ("doce", "catorce", "quince", "veinte"),
    "pt": ("doze", "catorze", "quinze", "vinte"),
    "fr": ("douze", "quatorze", "quinze", "vingt"),
    "de": ("zwölf", "vierzehn", "fünfzehn", "zwanzig"),
    "it": ("dodici", "quattordici", "quindici", "venti"),
    "nl": ("twaalf", "veertien", "vijftien", "twintig"),
    "sv": ("tolv", "fjorton", "femton", "tjugo"),
    "no": ("tolv", "fjorten", "femten", "tjue"),
    "da": ("tolv", "fjorten", "femten", "tyve"),
    "fi": ("kaksitoista", "neljätoista", "viisitoista", "kaksikymmentä"),
    "hu": ("tizenkét", "tizennégy", "tizenöt", "húsz"),
    "cs": ("dvanáct", "čtrnáct", "patnáct", "dvacet"),
    "ro": ("doisprezece", "paisprezece", "cincisprezece", "douăzeci"),
    "bg": ("дванадесет", "четиринадесет", "петнадесет", "двадесет"),
    "el": ("δώδεκα", "δεκατέσσερις", "δεκαπέντε", "είκοσι"),
}
_TEEN_AND_TWENTY_VALUES = (12, 14, 15, 20)

# A number not glued to Latin letters or other digits (Chinese and Korean write it against words:
# "至少155名"), thousands separated or not, with an optional word for hundreds, thousands or ten
# thousands after it ("20 тыс.", "5 آلاف", "२ सय", "6천", "1만1,000", "1만 1천").
_NUMBER = re.compile(
    r"(?<![0-9a-z.,])(\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+|\d+)(?![.,]?\d)"
    r"(?:\s?(k\b|hundred|सय|सौ|lakh|लाख|thousand|тыс|тис|мың|миң|ming|hazor|ҳазор|آلاف|ألف|الف|هزار|ہزار|हजार"
    r"|হাজার|ஆயிரம்|දහස|bin\b|ribu|elfu|kun\b|dubu|ሺህ|mil\b|mila\b|mille|tausend|tys|万|萬|千|천|만)"
    r"\s?(\d{1,3}(?:,\d{3})|\d{1,4})?(천|千)?)?"
)
# What the word after a number multiplies it by; any other such word means a thousand.
_MULTIPLIERS = {
    "hundred": 100, "सय": 100, "सौ": 100, "lakh": 100_000, "लाख": 100_000, "万": 10_000, "萬": 10_000,
    "만": 10_000,
}  # fmt: skip
# Chinese numerals before a counter: "两名", "十二名", "三百多人".
_HAN_DIGITS = dict(zip("一二两兩三四五六七八九", (1, 2, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_HAN_UNITS = {"十": 10, "百": 100, "千": 1000}
_HAN_NUMBER = re.compile(r"([一二两兩三四五六七八九十百千]+)多?[名人个個]")
# What makes a number an age, a date, a share, a term, a time, an ordinal ("13-уми", "11-nji", "28-го")
# or a count of countries, not a headcount.
_NOT_A_HEADCOUNT = re.compile(
    r"-(?:уми?|nji|njy|nchi|inchi|нчи|инчи|ыншы|інші|ші|шы|го|й|я|е|ое|ый|ий)(?![^\W\d_])"
    r"|\s?(?:countries|стран|країн|paises|pays\b|lander|paesi|krajow|ulke|negara|देश|দেশ|国家|國家|개국|국가|か国"
    r"|ヵ国)"
    r"|[\s-]?(?:%|٪|\)|(?:à|a|to|-|–|до|bis)\s?\d+\s?%|日|月|年|号|號|歳|岁|歲|세|살|代|대|시간|時|时|years?\b|year-old"
    r"|jährig|jahre|años|anos|ans\b"
    r"|anni|lat\b|letni|лет|летн|год|рок|річн|сола|ساله|سال|yaş|yosh|ёш|жас|साल|वर्ष|বছর|வயது|miaka|shekara|tahun"
    r"|jaar|jarig|ar\b|arig|aring|vuot|eves|ev\b|let\b|lety|ani\b|anii|godin|godisnj|χρον|ετών|שנ|տար|წლ|гадо"
    r"|tuoi|ปี|taon|met\b|metu|gad|aasta|വയസ|ఏళ్ల|સાલ|વર્ષ|ਸਾਲ|ವರ್ಷ"
    r"|landen|lander\b|maata|orszag|zemi|tari\b|държав|земаља|χώρ|מדינות|երկր|ქვეყ|olk|краін|quoc gia|ประเทศ)"
)
_DATE = re.compile(
    r"\.?\s?(?:de\s)?(?:"
    + "|".join(re.escape(fold(month).rstrip()) + (r"\b" if month.endswith(" ") else "") for month in MONTHS)
    + ")"
)
_HELD_REACH = 30  # characters between an arrest or a conviction word and the number of people it counts
_YEAR = range(1900, 2101)
_YEAR_REACH = 3  # characters between a year-like number and a word for people, for it to count them
_SPACELESS_AFTER = 4  # characters a word for people may follow a number in Chinese, Japanese, Korean
_AFTER = 40  # characters between a number in digits and a word for people after it
_AFTER_WORD = 25  # the same for a number written as a word, which is more often something else
_BEFORE = 25  # characters between a word for people and a number after it, where nouns come first
_NOUN_FIRST = frozenset({"sw", "ha", "si"})


@cache
def _number_words(lang: str) -> tuple[re.Pattern[str], dict[str, int]]:
    """A pattern for the numbers ``lang`` writes as words, and their values."""
    values = {
        fold(word): value
        for value, words in enumerate(NUMBER_WORDS.get(lang, "").split(), 2)
        for word in words.split("/")
    }
    values |= {
        fold(word): value
        for word, value in zip(_TEENS_AND_TWENTY.get(lang, ()), _TEEN_AND_TWENTY_VALUES, strict=False)
    }
    if not values:
        return re.compile(r"(?!)"), values
    alternatives = "|".join(re.escape(word) for word in sorted(values, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])"), values


def _han_value(numeral: str) -> int:
    """The value of a Chinese numeral up to 9,999 ("十二" 12, "三百" 300, "两千五百" 2,500)."""
    total = digit = 0
    for char in numeral:
        if char in _HAN_UNITS:
            total += (digit or 1) * _HAN_UNITS[char]
            digit = 0
        else:
            digit = _HAN_DIGITS[char]
    return total + digit


def _names_people(
    folded: str, span: tuple[int, int], after: int, lang: str, demonyms: frozenset[int]
) -> bool:
    """Whether a word for people, or for a country's people (``demonyms``, where they start),
    starts within ``after`` characters of the number at ``span`` (or just before it, where nouns
    come first)."""
    start, end = span
    if _NOT_A_HEADCOUNT.match(folded, end) or _DATE.match(folded, end):
        return False
    if any(folded.find(word, end, end + after + len(word)) >= 0 for word in people_stems()):
        return True
    if any(end <= place <= end + after for place in demonyms):
        return True
    if lang not in _NOUN_FIRST:
        return False
    before = folded[max(0, start - _BEFORE) : start]
    return any(word in before for word in people_stems()) or any(
        start - _BEFORE <= place < start for place in demonyms
    )


def _candidates(folded: str, lang: str) -> list[tuple[int, int, int, int]]:
    """Every number in ``folded``: (value, start, end, how far a word for people may follow)."""
    found = []
    for match in _NUMBER.finditer(folded):
        value = int(re.sub(r"\D", "", match.group(1)))
        if match.group(2):
            value *= _MULTIPLIERS.get(match.group(2), 1000)
            rest = int(re.sub(r"\D", "", match.group(3) or "0"))
            value += rest * 1000 if match.group(4) else rest
        reach = _AFTER
        if match.group(1).isdigit() and value in _YEAR:
            reach = _YEAR_REACH  # a year, unless a word for people follows at once ("2000 مرتزق")
        if SPACELESS.match(folded, match.end()):
            reach = min(reach, _SPACELESS_AFTER)  # "5,000명", "7000叙利亚武装人员", not "50个国家…志愿者"
        found.append((value, match.start(), match.end(), reach))
    pattern, values = _number_words(lang)
    found += [(values[m.group()], m.start(), m.end(), _AFTER_WORD) for m in pattern.finditer(folded)]
    found += [(_han_value(m.group(1)), m.start(), m.end(), 0) for m in _HAN_NUMBER.finditer(folded)]
    return found


def _is_ordinal(text: str, end: int) -> bool:
    """Whether the digits ending at ``end`` are an ordinal: a full stop and a word in lower case
    after them ("106. dywizji"), which ends no sentence ("20 тыс. человек" is a number)."""
    return text[end - 1].isdigit() and text[end : end + 2] == ". " and text[end + 2 : end + 3].islower()


def _beside(words: tuple[str, ...], folded: str, start: int, end: int) -> bool:
    """Whether one of ``words`` (folded) stands just before or after the number at ``start``..``end``."""
    around = folded[max(0, start - _HELD_REACH) : end + _HELD_REACH]
    return any(word in around for word in words)


def stated_count(
    text: str, lang: str | None, *, recruiter_words: tuple[str, ...] = ()
) -> tuple[int | None, str]:
    """The largest number of people the text states, and the words it rests on. A number beside one
    of ``recruiter_words`` (an arrest, a conviction: the caller knows when those held are the
    recruiters, "17 arrested for luring men to the front") is left out."""
    folded = fold(text)
    shown = text if len(folded) == len(text) else folded
    language = (lang or "en").split("-")[0].lower()
    demonyms = people_word_starts(text, lang)
    held = folded_words(recruiter_words)
    best: tuple[int, str] | None = None
    for value, start, end, after in _candidates(folded, language):
        if not 1 < value <= 1_000_000 or (best is not None and value <= best[0]):
            continue
        if shown is text and _is_ordinal(text, end):
            continue
        if held and _beside(held, folded, start, end):
            continue
        # a Chinese numeral carries its counter; others need a word for people close by
        if after == 0 or _names_people(folded, (start, end), after, language, demonyms):
            best = (value, shown[start : end + after].strip())
    return (best[0], best[1]) if best else (None, "")
