"""Case facts of one flagged story: origin countries, destination force, main event, number of people,
and the recruiters it names.

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

from cases.countries import ARABIC, ARABIC_CLITICS, PARTIES, SPACELESS, fold, mentioned_countries
from cases.names import story_names

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
        "al-shabab", "al shabab", "ash-shabaab", "shabaab", "djihad", "yihad", "игил", "ішил", "джихадист",
        "dola la kiislam", "jihod", "жиҳод", "террорчи", "terrorchi", "доиш", "давлати исломӣ",
        "давлати исломи", "ислам мемлекет", "ислам мамлекет", "жиһад", "伊斯蘭國", "聖戰", "圣战", "极端组织",
        "極端組織", "イスラム国", "ジハード", "işid", "ışid", "deaş", "daeş", "cihat", "cihad", "el kaide",
        "دولت اسلامی", "جهادی", "जिहाद", "negara islam", "stato islamico", "islamitische staat", "daacish",
        "iswap", "አይኤስ", "አልሸባብ", "আইএস", "आईएस",
        "আইসিস", "ஐஎஸ்", "ஐ.எஸ்", "kungiyar is",
    ),
    "ukraine": (
        "international legion", "foreign legion", "for ukraine", "ukrainian army", "ukraine's army",
        "armed forces of ukraine", "интернациональн", "иностранный легион", "за украину", "всу",
        "інтернаціональн", "за україну", "зсу", "legión internacional", "légion internationale",
        "internationale legion", "الفيلق الدولي", "legião internacional", "legion cudzoziemsk",
        "międzynarodow legion", "legionu międzynarodowego", "국제군단", "국제 군단", "国际军团",
        "xalqaro legion", "лашкари байналмилалӣ", "foreign volunteers for ukraine",
        "side of ukraine", "ukrainian forces", "ukraine's armed forces", "ukrainian military",
        "against russia", "against the russian", "against russian", "на стороне украины", "на стороне всу",
        "украинской армии", "вооруженных сил украины", "против россии", "против российск", "на боці україни",
        "на боці зсу", "збройних сил україни", "проти росії", "проти російськ", "seite der ukraine",
        "ukrainischen armee", "ukrainische armee", "ukrainischen streitkr", "für die ukraine",
        "gegen russland", "gegen die russische", "gegen russische", "pour l'ukraine", "cotes de l'ukraine",
        "armee ukrainienne", "contre la russie", "contre l'armee russe", "combattre l'armee russe",
        "por ucrania", "ejercito ucraniano", "lado de ucrania", "contra rusia", "contra el ejercito ruso",
        "pela ucrania", "exercito ucraniano", "lado da ucrania", "contra a russia", "po stronie ukrainy",
        "za ukraine", "ukrainskiej armii", "ukrainskich sil zbrojnych", "sil zbrojnych ukrainy",
        "przeciwko rosji", "per l'ucraina", "esercito ucraino", "contro la russia", "voor oekraine",
        "oekraiense leger", "tegen rusland", "for ukraina", "mot ryssland", "mot russland",
        "ukraina armiyasi",
        "украина армияси", "rossiyaga qarshi", "ukrayna ordusu", "ukrayna saflar", "ukrayna icin",
        "rusya'ya karsi", "الجيش الأوكراني", "القوات الأوكرانية", "لصالح أوكرانيا", "جانب أوكرانيا",
        "ضد روسيا", "ضد القوات الروسية", "ارتش اوکراین", "علیه روسیه", "यूक्रेन की सेना", "यूक्रेनी सेना",
        "रूस के खिलाफ", "jeshi la ukraine", "vikosi vya ukraine", "dhidi ya urusi", "ciidamada ukraine",
        "국제의용군", "의용군", "우크라이나군", "国际战队", "國際戰隊", "乌克兰军", "烏克蘭軍",
        "ウクライナ軍",
        "義勇兵", "对抗俄罗斯", "對抗俄羅斯",
        "یوکرین کی فوج", "ইউক্রেনের হয়ে", "ইউক্রেনের সেনা", "යුක්රේන හමුදා", "உக்ரைன் ராணுவ",
        "legione internazionale", "ウクライナ側", "የዩክሬን ጦር", "sojojin ukraine", "tentara ukraina",
        "untuk ukraina", "украина армия",
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
        "russischen armee", "russischen streitkr", "fur russland", "seite russlands", "pour la russie",
        "forces russes", "ejercito de rusia", "por rusia", "fuerzas rusas", "fileiras russas",
        "forcas russas", "exercito da russia", "pela russia", "esercito russo", "per la russia",
        "za putina", "dla rosji", "po stronie rosji", "rosyjskiej armii", "russische leger", "voor rusland",
        "ryska armen", "for ryssland", "russiske haer", "for russland", "venajan armeija", "rusya ordusu",
        "rusya icin", "rusya saflar", "rusya adina", "لصالح روسيا", "القوات الروسية", "جانب روسيا",
        "برای روسیه", "نیروهای روسی", "روس کی فوج", "रूस के लिए", "रूसी फौज", "रूसी आर्मी", "jeshi la russia",
        "kwa urusi", "rossiya uchun", "россия армияси", "ресей армия", "орус армия", "俄羅斯軍", "俄軍",
        "俄羅斯", "against ukraine", "против украины", "проти україни", "dhidi ya ukraine",
        "نیروهای روسیه", "روس کے لیے", "روس کی جانب", "রুশ সেনা", "রাশিয়ার সেনা", "রাশিয়ার হয়ে",
        "රුසියානු හමුදා", "රුසියාවේ හමුදා", "ரஷ்ய ராணுவ", "ரஷ்யாவுக்காக", "ресей", "орусия", "русия",
        "ロシア側", "የሩሲያ ጦር", "ለሩሲያ", "ሩሲያ", "ሩስያ", "tentara rusia", "militer rusia", "untuk rusia",
        "روسیه", "রাশিয়া", "රුසියාව", "ரஷ்யா",
    ),
    "other": (
        "rsf", "rapid support forces", "libya", "karabakh", "houthi", "الدعم السريع", "ليبيا", "карабах",
        "libyen", "libia", "libye", "لليبيا", "sudan", "soudan", "السودان", "للسودان", "ناغورنو", "karabach",
        "karabag", "nagorno", "缅甸", "緬甸", "ливи", "судан",
        "فاطمیون", "زینبیون", "fatemiyoun", "zainabiyoun", "hezbollah",
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
        "محاكم", "ادعاء", "छापा", "qolga olin", "қўлга олин", "ушлан", "tergov", "терговг", "raided",
        "دستگیر", "محاکمه", "بازداشت", "دادگاه", "زندان", "گرفتار", "عدالت", "سزا", "مقدمہ", "গ্রেপ্তার",
        "গ্রেফতার", "আদালত", "সাজা", "মামলা", "কারাদণ্ড", "අත්අඩංගුවට", "අධිකරණ", "නඩු", "සිරදඬුවම",
        "கைது", "நீதிமன்ற", "தண்டனை", "வழக்கு", "arrestat", "condannat", "processo", "tribunale", "indagat",
        "accusat", "procura", "gözaltı", "yakalandı", "hapis", "dava", "yargılan", "ұстал", "сотталды",
        "қылмыстық", "үкім", "айып", "түрме", "кармалды", "соттолду", "кылмыш", "өкүм", "түрмө", "起訴",
        "判決", "有罪", "容疑", "裁判", "懲役", "ታሰሩ", "ተያዙ", "ፍርድ ቤት", "ክስ", "እስር", "xabsi", "la xiray",
        "dacwad", "kotu", "hukunci", "gurfanar", "tuhuma", "kurkuku", "ditangkap", "pengadilan", "divonis",
        "dihukum", "tersangka", "penjara", "didakwa",
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
        "zginal", "zgine", "polegl", "gefallen", "ums leben", "morreram", "陣亡", "遇難", "遺體",
        "خسائر بشرية",
        "wafu", "ਮੌਤ", "মৃত", "নিহত",
        "کشته", "جان باخت", "جسد", "ہلاک", "جاں بحق", "لاش", "মারা", "লাশ", "আহত", "මිය", "මරණ",
        "ජීවිතක්ෂය", "තුවාල", "உயிரிழ", "பலி", "கொல்லப்பட்ட", "சடலம்", "uccis", "caduto", "caduti",
        "ferit", "ölü", "cenaze", "yaralı", "öldürül", "қаза", "өлтіріл", "мәйіт", "жаралан", "каза",
        "өлтүрүл", "сөөк", "жарадар", "戦死", "死去", "遺体", "負傷", "ተገደሉ", "ሞቱ", "ሞት", "አስከሬን",
        "la dilay", "meyd", "dhaawac", "sun mutu", "an kashe", "gawa", "tewas", "meninggal", "gugur",
        "jenazah", "terluka",
    ),
    "captured": (
        "полон", "niewol", "prisioneir", "capturad", "prisonnier", "kriegsgefangen", "被俘", "포로로",
        "बन्दी", "युद्धबन्दी", "mateka", "asirga", "асир",
        "captured", "prisoner", "pow", "surrendered", "taken captive", "плен", "сдал", "полон", "أسر",
        "أسير", "बंदी", "capturad", "prisionero", "capturé", "prisonnier", "gefangen", "waliotekwa",
        "mateka", "asir", "俘虏", "포로", "esir", "niewol",
        "युद्धबंदी", "युद्धबन्दी", "नियन्त्रणमा", "कब्जामा", "captura", "yanyaka", "nyakwa", "战俘", "戰俘",
        "俘獲", "俘获",
        "اسیر", "اسارت", "جنگی قیدی", "যুদ্ধবন্দি", "বন্দি", "යුද සිරකරු", "போர்க் கைதி", "போர்க்கைதி",
        "prigionier", "catturat", "тұтқын", "туткун", "捕虜", "拘束", "ምርኮ", "ተማረኩ", "maxbuus", "la qabtay",
        "fursuna", "ditawan", "tawanan",
    ),
    "return": (
        "return", "rescued", "repatriat", "brought back", "came home", "back home", "freed", "вернул",
        "возвращ", "вернут", "репатри", "повернул", "поверну", "عودة", "عاد", "إعادة", "वापस", "घर लौटे",
        "regres", "retorn", "rapatri", "revenu", "zurückgekehrt", "rückkehr", "kurejea", "walirudi",
        "soo laabt", "qaytar", "бозгашт", "归国", "回国", "귀국", "geri dön", "powrót", "wrócil",
        "забрала", "звільнил", "освобожд", "छाड्न", "रिहाई",
        "بازگشت", "بازگرداند", "وطن واپسی", "ফিরে", "ফেরত", "ආපසු", "திரும்பி", "நாடு திரும்ப",
        "rimpatri", "tornat", "rientrat", "liberat", "döndü", "iade", "оралды", "қайтарыл", "кайтарыл",
        "帰国", "帰還", "ተመለሱ", "dib u celin", "soo noqday", "dawo", "maido", "dipulangkan", "pulang",
        "dibebaskan", "repatriasi",
    ),
    "policy": (
        "government", "minister", "ministry", "embassy", "warns", "warning", "ban ", "banned", "advisory",
        "urges", "parliament", "правительств", "министр", "мид", "посольств", "предупрежд", "запрет",
        "уряд", "міністр", "посольств", "الحكومة", "وزير", "وزارة", "السفارة", "सरकार", "मंत्री",
        "दूतावास", "gobierno", "ministr", "embajada", "gouvernement", "ambassade", "regierung", "botschaft",
        "serikali", "waziri", "ubalozi", "dowladda", "wasiir", "hukumat", "vazir", "ҳукумат", "вазир",
        "政府", "外交部", "大使馆", "정부", "외교부", "hükümet", "bakan", "rząd",
        "призвал", "закликал", "огоҳлантир", "ogohlantir", "提醒", "领事", "領事", "总领馆", "श्रम स्वीकृति",
        "consulate", "консульств", "консульство",
        "وزارت", "وزیر", "سفارت", "هشدار", "حکومت", "سفارتخانہ", "انتباہ", "সরকার", "মন্ত্রণালয়",
        "মন্ত্রী", "দূতাবাস", "রජය", "අමාත්", "තානාපති", "அரசு", "அமைச்சர்", "தூதரகம்", "எச்சரிக்கை",
        "governo", "ambasciata", "farnesina", "büyükelçilik", "uyardı", "үкімет", "елшілік", "ескерт",
        "өкмөт", "элчилик", "эскерт", "外務省", "大使館", "注意喚起", "መንግስት", "ሚኒስቴር", "ኤምባሲ", "አስጠነቀቀ",
        "safaaradda", "digniin", "ka digay", "gwamnati", "ministan", "jakadanci", "gargadi", "pemerintah",
        "kementerian", "menteri", "kedutaan", "kemlu", "imbau", "peringat",
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
    "söldner", "soldner", "soldaten", "kämpfer", "kampfer", "combatientes", "combatentes", "soldados",
    "jihadist", "militants", "wakenya", "wanajeshi", "ҷавон", "муҳоҷир", "зиндон", "士兵", "公民", "人员",
    "żołnierzy", "zolnierzy", "бойовик", "военнослужащ", "иностранц", "іноземц", "مرتزق", "عنصر",
)  # fmt: skip
# A number not glued to Latin letters or other digits (Chinese and Korean write it against words:
# "至少155名"), with an optional word for thousands after it ("20 тыс.", "6천", "1만1,000").
_NUMBER = re.compile(
    r"(?<![0-9a-z.,])(\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+|\d+)(?![.,]?\d)"
    r"(?:\s?(thousand|тыс|тис|мың|миң|ming|hazor|ҳазор|ألف|الف|हजार|mil\b|mille|tausend|tys|万|萬|千|천|만)"
    r"(\d{1,3}(?:,\d{3})|\d{1,4})?)?"
)
_MULTIPLIERS = {"万": 10_000, "萬": 10_000, "만": 10_000}  # others: a thousand
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
    recruiters: tuple[str, ...] = ()  # recruiters and agencies the story names (``cases.names``)

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
            "recruiters": list(self.recruiters),
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
def _folded_cues(cues: tuple[str, ...]) -> tuple[str, ...]:
    return tuple({fold(cue) for cue in cues})


_ARABIC_CLITIC_RUN = re.compile(ARABIC_CLITICS + "$")


def _at_word_start(text: str, index: int, cue: str) -> bool:
    """Whether ``cue`` found at ``index`` begins a word: anywhere in scripts written without
    spaces, and after the clitics Arabic script writes onto a word ("الحكم" for "حكم")."""
    if index == 0 or SPACELESS.search(cue) or not text[index - 1].isalnum():
        return True
    if ARABIC.search(cue):
        word_start = index
        while word_start > 0 and text[word_start - 1].isalnum():
            word_start -= 1
        return _ARABIC_CLITIC_RUN.match(text, word_start, index) is not None
    return False


def _earliest_cue(text: str, cues: tuple[str, ...]) -> tuple[int, str] | None:
    """Where the earliest of ``cues`` (word beginnings, accents folded) starts in ``text``, and
    which; at one place the longest. Plain substring search, then the word-start check: a few
    hundred cues cost a fraction of one regular expression that alternates them all."""
    best: tuple[int, str] | None = None
    for cue in _folded_cues(cues):
        index = text.find(cue)
        while index >= 0 and not _at_word_start(text, index, cue):
            index = text.find(cue, index + 1)
        if index >= 0 and (best is None or (index, -len(cue)) < (best[0], -len(best[1]))):
            best = (index, cue)
    return best


def _first_cue(text: str, cues: dict[str, tuple[str, ...]]) -> tuple[str, str] | None:
    """The category whose cue appears earliest in ``text`` (folded), with the words that matched."""
    best: tuple[int, str, str] | None = None
    for category, words in cues.items():
        found = _earliest_cue(text, words)
        if found and (best is None or found[0] < best[0]):
            best = (found[0], category, found[1])
    return (best[1], best[2]) if best else None


def _destination(folded: str, countries: Iterable[str]) -> tuple[str, str]:
    """The most specific force a cue names; else Russia's, when the story names Russia at all
    (nearly every story of this kind that names one country of the war is about Russia's army).

    Wagner in a story that names Ukraine is Russia's force in that war (its prisoner recruits,
    Bakhmut), not the Africa business.
    """
    named = set(countries)
    for category in ("wagner_africa", "isis_jihadist", "ukraine", "russia", "other"):
        found = _earliest_cue(folded, _DESTINATION_CUES[category])
        if found:
            if category == "wagner_africa" and "UA" in named:
                return "russia", found[1]
            return category, found[1]
    return ("russia", "RU named") if "RU" in named else ("unknown", "")


def _count(text: str) -> tuple[int | None, str]:
    """The largest number of people the text states (a number followed closely by a word for people)."""
    folded = text.casefold()
    best: tuple[int, str] | None = None
    for match in _NUMBER.finditer(folded):
        value = int(re.sub(r"\D", "", match.group(1)))
        if match.group(2):
            value *= _MULTIPLIERS.get(match.group(2), 1000)
            value += int(re.sub(r"\D", "", match.group(3) or "0"))
        elif value in _YEAR:
            continue
        if not 1 < value <= 1_000_000:
            continue
        after = folded[match.end() : match.end() + _PEOPLE_WITHIN]
        if any(word in after for word in _PEOPLE) and (best is None or value > best[0]):
            best = (value, text[match.start() : match.end() + _PEOPLE_WITHIN].strip())
    return (best[0], best[1]) if best else (None, "")


def _origin_mentions(text: str, lang: str | None, destination: str) -> dict[str, str]:
    """The recruits' countries: every country the story names, a battlefield only by a word for
    its people ("Syrian fighters", not "fighting in Syria"). Russians or Ukrainians are recruits
    only where they join a third force (Russians in ISIS)."""
    parties = frozenset() if destination == "isis_jihadist" else PARTIES
    found = mentioned_countries(text, lang, as_people=True)
    return {code: span for code, span in found.items() if code not in parties}


def extract_case(title: str, summary: str, lang: str | None) -> CaseFacts:
    """The case facts the story states; fields it does not state are empty, "unknown" or None."""
    text = f"{title}\n{summary}"
    folded = fold(text)
    mentioned = mentioned_countries(text, lang)
    destination, destination_cue = _destination(folded, mentioned)
    people = _origin_mentions(text, lang, destination)
    origins = tuple(sorted(people))
    event_cue = _first_cue(fold(title), _EVENT_CUES) or _first_cue(folded, _EVENT_CUES)
    event, event_word = event_cue if event_cue else ("recruitment", "")
    count, count_span = _count(text)
    evidence = {code: people[code] for code in origins}
    evidence |= {"destination": destination_cue, "event": event_word, "count": count_span}
    evidence = {key: value for key, value in evidence.items() if value}
    recruiters = story_names(text, lang).recruiters
    return CaseFacts(origins, destination, event, count, evidence, tuple(sorted(mentioned)), recruiters)
