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

from cases.countries import (
    ARABIC,
    ARABIC_CLITICS,
    PARTIES,
    PLACE_COUNTRIES,
    SPACELESS,
    fold,
    mentioned_countries,
)
from cases.counts import stated_count
from cases.event_cues import (
    ARREST_WORDS,
    CONVICTION_WORDS,
    EVENT_CUES,
    NOT_CUES,
    RECRUITING_OTHERS,
    TITLE_ONLY_CUES,
)
from cases.names import story_names

DESTINATIONS = ("russia", "ukraine", "wagner_africa", "isis_jihadist", "other", "unknown")
EVENTS = ("recruitment", "casualties", "captured", "legal_action", "return", "policy", "other")

# Cues as case-folded word prefixes, all languages together (news quotes several).
_DESTINATION_CUES: dict[str, tuple[str, ...]] = {
    "wagner_africa": (
        "wagner", "вагнер", "africa corps", "африканский корпус", "فاغنر", "ваґнер", "瓦格纳", "ዋግነር", "ቫግነር",
        "የዋግነር", "የቫግነር",
        # the languages beyond the first thirty: nl sv no da fi hu cs sk ro bg sr hr sl mk sq
        # el he hy ka az be vi th ms tl ml te mr gu pa kn km ku ps tk lt lv et
        "βάγκνερ", "וגנר", "ואגנר", "վագներ", "ვაგნერ", "วากเนอร์", "വാഗ്നർ", "వాగ్నర్", "वॅग्नर",
        "वॅगनर", "વેગનર", "વાગ્નર", "ਵੈਗਨਰ", "ਵਾਗਨਰ", "ವ್ಯಾಗ್ನರ್", "ವಾಗ್ನರ್", "វ៉ាគ្នែរ", "ڤاگنەر",
        "واګنر", "vagner",
        "afrika korpus", "африкански корпус", "африканскиот корпус", "afrički korpus", "afriški korpus",
        "afrikanisches korps", "corps africain", "afrikaans korps", "afrikanska kåren", "afrikai hadtest",
    ),
    "isis_jihadist": (
        "isis", "isil", "islamic state", "daesh", "al-shabaab", "al shabaab", "al-qaeda", "al qaeda", "jihad",
        "игил", "исламское государство", "джихад", "داعش", "الدولة الإسلامية", "حركة الشباب",
        "الشباب المجاهد", "الشباب الصومالي", "القاعدة",
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
        "iswap", "አይኤስ", "አይስስ", "አልሸባብ", "አል-ሸባብ", "አል ሸባብ", "አሸባብ", "আইএস", "आईएस",
        "আইসিস", "ஐஎஸ்", "ஐ.எஸ்", "kungiyar is",
        "is-", "(is)", "«is»", "иг ", "иг,", "иг.", "(иг)", "«иг»", "исломий давлат", "islomiy davlat",
        "nusra", "нусра", "النصرة", "tahrir al-sham", "тахрир аш-шам", "هيئة تحرير الشام", "iskp", "isis-k",
        "khorasan province", "wilayat khorasan", "вилаят хорасан", "вилояти хуросон", "katiba", "катиба",
        "extremist", "экстремист", "ekstremist", "extrémiste",
        "extremista", "estremist", "ekstremis", "niis", "অයিඑස්", "අයිඑස්", "জঙ্গি", "आतंकी संगठन",
        "आतंकवादी संगठन", "دہشت گرد تنظیم", "گروه تروریستی", "பயங்கரவாத", "ත්‍රස්තවාදී", "過激派", "テロ組織",
        "테러 단체", "테러단체", "恐怖组织", "恐怖組織", "terör örgüt", "kelompok teror", "teroris",
        "organizzazione terroristica", "organización terrorista", "organisation terroriste",
        "terroristische vereinigung", "terrororganisation", "organizacja terrorystyczna",
        "organização terrorista", "kigaidi", "argagixiso", "ta'adda", "አሸባሪ", "исламского государства",
        "исламскому государству", "ісламської держави", "ісламській державі", "islamischen staat",
        "państwa islamskiego", "państwem islamskim", "рядах иг",
        "ইসলামিক স্টেট", "ඉස්ලාමීය රාජ්", "இஸ்லாமிய அரசு", "даиш", "አይሲስ", "daa'uush", "da'esh", "ansharut",
        "jamaah islamiyah", "تنظيم الدولة", "جهاد", "l'ei ", "l'ei,", "(ei)", "इस्लामिक स्टेट",
        "террористӣ", "террористік", "террордук", "تروریست", "دہشتگرد", "आतंकवादी", "आतंकी",
        # the languages beyond the first thirty: nl sv no da fi hu cs sk ro bg sr hr sl mk sq
        # el he hy ka az be vi th ms tl ml te mr gu pa kn km ku ps tk lt lv et
        "islamiska staten", "islamsk stat", "islamske stat", "islamisk stat", "islamilainen valtio",
        "iszlám állam", "islámský stát", "islámského státu", "islámském stát", "islamskom štát",
        "islámskému státu", "islámským státem",
        "islamský štát", "islamského štátu", "statul islamic", "statului islamic", "ислямска държава",
        "ислямската държава", "исламска држава", "исламске државе", "исламску државу", "исламској држави",
        "islamska država", "islamske države", "islamsku državu", "islamskoj državi", "islamsko državo",
        "исламската држава", "shteti islamik", "shtetit islamik", "shtetin islamik", "ισλαμικό κράτος",
        "ισλαμικού κράτους", "τζιχαντ", "דאעש", "דאע\"ש", "המדינה האסלאמית", "ג'יהאד", "իսլամական պետություն",
        "ջիհադ", "ისლამური სახელმწიფო", "ისლამურ სახელმწიფო", "ჯიჰად", "islam dövləti", "ісламская дзяржава",
        "ісламскай дзяржавы", "дзяржаўная тэрарыст", "nhà nước hồi giáo", "thánh chiến", "ไอเอส", "ไอซิส",
        "รัฐอิสลาม", "ญิฮาด", "ഐഎസ്", "ഐ എസ്", "ഐസിസ്", "ഇസ്ലാമിക് സ്റ്റേറ്റ്", "ఐసిస్", "ఐఎస్",
        "ఇస్లామిక్ స్టేట్",
        "आयसिस", "इसिस", "આઈએસ", "આઇએસ", "ઇસ્લામિક સ્ટેટ", "ਆਈਐਸ", "ਇਸਲਾਮਿਕ ਸਟੇਟ", "ಐಸಿಸ್", "ಐಎಸ್",
        "រដ្ឋអ៊ីស្លាម", "dewleta îslamî", "yslam döwleti", "islamo valstyb", "islāma valsts", "islamiriik",
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
        "ukrainskiej armii", "ukrainskich sil zbrojnych", "sil zbrojnych ukrainy",
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
        "untuk ukraina", "украина армия", "legion", "légion", "legión", "legião", "легион", "легіон",
        "lejyon", "legiun", "لژیون", "ukrainischen militär", "ukrainische militär", "cotes des ukrainiens",
        "aux cotes de l'ukraine", "melawan rusia", "روس کے خلاف", "রাশিয়ার বিরুদ্ধে", "රුසියාවට එරෙහිව",
        "ரஷ்யாவுக்கு எதிராக", "国際部隊", "外国人部隊", "ресейге қарсы", "орусияга каршы", "артиши украина",
        "бар зидди русия", "रूसविरुद्ध", "रुसविरुद्ध", "रूस विरुद्ध", "रुस विरुद्ध", "cote des ukrainiens",
        "exercito da ucrania", "ejercito de ucrania", "combater russos", "combatir a rusia",
        "gegen die russen", "contro i russi",
        # the languages beyond the first thirty: nl sv no da fi hu cs sk ro bg sr hr sl mk sq
        # el he hy ka az be vi th ms tl ml te mr gu pa kn km ku ps tk lt lv et
        "legioen", "oekraïense strijdkrachten", "aan oekraïense zijde", "ukrainska armén", "på ukrainsk sida",
        "ukrainas armé", "ukrainske hær", "på ukrainsk side", "ukrainas hær", "ukrainan armeija",
        "ukrainan puolella", "ukrainan joukko", "legioon", "ukrán hadsereg", "ukrán oldalon",
        "ukrajna oldalán",
        "idegenlégió", "ukrajinské armád", "ukrajinská armáda", "ukrajinskou armád", "za ukrajinu",
        "na straně ukrajiny", "cizinecké legi", "mezinárodní legi", "ukrajinskej armád", "na strane ukrajiny",
        "medzinárodnej légi", "armata ucraineană", "armatei ucrainene", "de partea ucrainei",
        "pentru ucraina",
        "украинската армия", "на страната на украйна", "за украйна", "ukrajinskoj vojsci",
        "ukrajinske vojske",
        "ukrajinsku vojsku", "na strani ukrajine", "za ukrajinu", "obrani ukrajine", "украјинској војсци",
        "украјинске војске", "на страни украјине", "за украјину", "ukrajinski vojski", "za ukrajino",
        "украинската армија", "на страната на украина", "за украина", "ushtrinë ukrainase",
        "ushtria ukrainase",
        "për ukrainën", "në anën e ukrainës", "ουκρανικό στρατ", "ουκρανικού στρατ", "για την ουκρανία",
        "πλευρό της ουκρανίας", "λεγεώνα", "צבא אוקראינה", "הצבא האוקראיני", "בצבא האוקראיני", "לצד אוקראינה",
        "למען אוקראינה", "הלגיון", "ուկրաինական բանակ", "ուկրաինայի բանակ", "ուկրաինայի կողմում", "լեգեոն",
        "უკრაინის არმი", "უკრაინის მხარეს", "ლეგიონ", "უკრაინის შეიარაღებულ", "ukrayna tərəfində",
        "ukrayna üçün", "украінскай арміі", "на баку украіны", "за украіну", "na baku ukrainy", "легіён",
        "каліноўск", "kalinoŭsk", "quân đội ukraine", "quân ukraine", "lực lượng ukraine", "cho ukraine",
        "phía ukraine", "กองทัพยูเครน", "ฝ่ายยูเครน", "ให้ยูเครน", "กองพันนานาชาติ", "ต่อต้านรัสเซีย",
        "ต่อต้านการรุกรานของรัสเซีย", "tentera ukraine", "pihak ukraine", "untuk ukraine", "para sa ukraine",
        "hukbo ng ukraine", "panig ng ukraine", "യുക്രെയ്ൻ സൈന്യ", "യുക്രൈൻ സൈന്യ", "ఉక్రెయిన్ సైన్య",
        "ఉక్రెయిన్ తరఫున", "युक्रेनच्या सैन्या", "युक्रेनकडून", "યુક્રેનની સેના", "યુક્રેન તરફથી",
        "ਯੂਕਰੇਨ ਦੀ ਫੌਜ",
        "ਯੂਕਰੇਨ ਦੀ ਫ਼ੌਜ", "ਯੂਕਰੇਨ ਵੱਲੋਂ", "ಉಕ್ರೇನ್ ಸೇನೆ", "ಉಕ್ರೇನ್ ಪರ", "កងទ័ពអ៊ុយក្រែន", "سوپای ئۆکرانیا",
        "artêşa ukrayna", "د اوکراین پوځ", "ukrainanyň goşun", "ukraina üçin", "ukrainos kariuomen",
        "ukrainos pusėje", "už ukrainą", "ukrainas armij", "ukrainas pusē", "ukrainas bruņot",
        "ukraina armee",
        "ukraina poolel", "ukraina eest",
        # against Russia
        "proti rusku", "proti rusům", "proti ruskej", "proti ruské", "protiv rusije", "против русије",
        "proti rusiji", "oroszország ellen", "oroszok ellen", "împotriva rusiei", "contra rusiei",
        "срещу русия", "против русија", "kundër rusisë", "κατά της ρωσίας", "נגד רוסיה", "ռուսաստանի դեմ",
        "რუსეთის წინააღმდეგ", "rusiyaya qarşı", "rusiya ordusuna qarşı", "супраць расіі", "chống lại nga",
        "chống nga", "menentang rusia", "laban sa russia", "prieš rusiją", "pret krieviju", "venemaa vastu",
        "mod rusland", "venäjää vastaan", "റഷ്യയ്ക്കെതിരെ", "రష్యాకు వ్యతిరేకంగా", "रशियाविरुद्ध", "રશિયા સામે",
        "ਰੂਸ ਵਿਰੁੱਧ", "ਰੂਸ ਖ਼ਿਲਾਫ਼", "ರಷ್ಯಾ ವಿರುದ್ಧ", "دژی ڕووسیا", "li dijî rûsyayê", "د روسیې پر ضد",
        "russiýa garşy", "ከዩክሬን ጎን",
    ),
    "russia": (
        "russian army", "russia's army", "russian military", "for russia", "russian forces",
        "russian ministry of defence", "russian defence ministry", "contract with russia",
        "российск", "за россию", "минобороны", "вс рф", "армии рф", "российськ", "за росію", "армії рф",
        "الجيش الروسي", "لروسيا", "ejército ruso", "armée russe", "russische armee", "exército russo",
        "रूसी सेना", "रुसी सेना", "रूस की सेना", "جيش روسيا", "ارتش روسیه", "روسی فوج", "俄罗斯军队", "俄军",
        "ロシア軍", "러시아군", "jeshi la urusi", "rossiya armiyasi", "artishi rusiya", "артиши русия",
        "ciidamada ruushka", "sojojin rasha", "ordu rusya", "rus ordusu", "armata rusă", "armii rosyjskiej",
        "russischen armee", "russischen streitkr", "fur russland", "seite russlands", "pour la russie",
        "forces russes", "ejercito de rusia", "por rusia", "fuerzas rusas", "fileiras russas",
        "forcas russas", "exercito da russia", "pela russia", "esercito russo", "per la russia",
        "za putina", "dla rosji", "po stronie rosji", "rosyjskiej armii", "russische leger", "voor rusland",
        "ryska armen", "for ryssland", "russiske haer", "for russland", "venajan armeija", "rusya ordusu",
        "rusya icin", "rusya saflar", "rusya adina", "لصالح روسيا", "القوات الروسية", "جانب روسيا",
        "برای روسیه", "نیروهای روسی", "روس کی فوج", "रूस के लिए", "रूसी फौज", "रूसी आर्मी", "jeshi la russia",
        "kwa urusi", "rossiya uchun", "россия армияси", "ресей армия", "орус армия", "俄羅斯軍", "俄軍",
        "against ukraine", "против украины", "проти україни", "dhidi ya ukraine",
        "نیروهای روسیه", "روس کے لیے", "روس کی جانب", "রুশ সেনা", "রাশিয়ার সেনা", "রাশিয়ার হয়ে",
        "රුසියානු හමුදා", "රුසියාවේ හමුදා", "ரஷ்ய ராணுவ", "ரஷ்யாவுக்காக", "ロシア側", "የሩሲያ ጦር", "ለሩሲያ",
        "tentara rusia", "militer rusia", "untuk rusia", "ресей армиясы", "орусия армиясы", "ارتش روس",
        "রুশ বাহিনী", "俄罗斯军", "러시아 군",
        "зоне сво", "зону сво", "участник сво", "участие в сво", "участия в сво", "окупант", "оккупант",
        "на стороне росси", "на стороне рф", "на боці росі", "на боці рф", "po rosyjskiej stronie",
        "пророссийск", "проросійськ", "prorosyjsk",
        # the languages beyond the first thirty: nl sv no da fi hu cs sk ro bg sr hr sl mk sq
        # el he hy ka az be vi th ms tl ml te mr gu pa kn km ku ps tk lt lv et
        "russische leger", "russisch leger", "russische strijdkrachten", "aan russische zijde", "ryska armén",
        "ryska styrkor", "på rysk sida", "ryska militären", "russiske hær", "russiske styrker",
        "på russisk side",
        "for rusland", "venäjän armeija", "venäjän joukko", "venäjän puolella", "venäjän asevoim",
        "orosz hadsereg", "orosz erők", "oroszország oldalán", "orosz oldalon", "ruské armád", "ruská armáda",
        "ruskou armád", "na straně ruska", "za rusko", "ruskej armád", "ruskú armádu", "na strane ruska",
        "armatei ruse", "forțele ruse", "de partea rusiei", "pentru rusia", "руската армия",
        "на страната на русия", "за русия", "ruskoj vojsci", "ruske vojske", "ruska vojska", "rusku vojsku",
        "na strani rusije", "za rusiju", "проруск", "prorusk", "na ruskej strane", "na ruské straně",
        "na ruski strani", "na ruskoj strani", "на руској страни", "руској војсци", "руске војске",
        "руска војска",
        "на страни русије", "за русију", "ruski vojski", "za rusijo", "ruskih sil", "руската армија",
        "на страната на русија", "за русија", "ushtrinë ruse", "ushtria ruse", "ushtrisë ruse", "për rusinë",
        "në anën e rusisë", "ρωσικό στρατ", "ρωσικού στρατ", "ρωσικός στρατ", "ρωσικές δυνάμ",
        "πλευρό της ρωσίας",
        "για τη ρωσία", "הצבא הרוסי", "בצבא הרוסי", "לצבא הרוסי", "צבא רוסיה", "לצד רוסיה", "ռուսական բանակ",
        "ռուսաստանի բանակ", "ռուսական զոր", "რუსეთის არმი", "რუსულ არმი", "რუსეთის მხარეს", "რუსეთის ჯარ",
        "rusiya ordusu", "rusiya tərəfində", "rusiya üçün", "расійск", "на баку расіі", "за расію", "rasijsk",
        "na baku rasii", "quân đội nga", "quân nga", "lực lượng nga", "cho nga", "phía nga", "กองทัพรัสเซีย",
        "ฝ่ายรัสเซีย", "ให้รัสเซีย", "tentera rusia", "pihak rusia", "hukbo ng russia", "militar ng russia",
        "para sa russia", "panig ng russia", "puwersa ng russia", "റഷ്യൻ സൈന്യ", "റഷ്യൻ സേന",
        "റഷ്യയ്ക്കു വേണ്ടി",
        "రష్యా సైన్య", "రష్యన్ సైన్య", "రష్యా తరఫున", "रशियन सैन्य", "रशियाच्या सैन्या", "रशियाकडून",
        "रशियासाठी", "રશિયન સેના", "રશિયાની સેના", "રશિયા તરફથી", "રશિયન આર્મી", "ਰੂਸੀ ਫੌਜ", "ਰੂਸੀ ਫ਼ੌਜ",
        "ਰੂਸ ਦੀ ਫੌਜ", "ਰੂਸ ਦੀ ਫ਼ੌਜ", "ਰੂਸ ਵੱਲੋਂ", "ರಷ್ಯಾ ಸೇನೆ", "ರಷ್ಯನ್ ಸೇನೆ", "ರಷ್ಯಾ ಸೈನ್ಯ", "ರಷ್ಯಾ ಪರ",
        "កងទ័ពរុស្ស៊ី", "سوپای ڕووسیا", "سوپای ڕوسیا", "artêşa rûsya", "روسي پوځ", "د روسیې پوځ", "rus goşun",
        "russiýanyň goşun", "russiýa üçin", "rusijos kariuomen", "rusijos pajėg", "rusijos pusėje",
        "už rusiją",
        "krievijas armij", "krievu armij", "krievijas pusē", "vene armee", "venemaa armee", "venemaa poolel",
        "vene vägede",
        # against Ukraine
        "proti ukrajině", "proti ukrajine", "protiv ukrajine", "против украјине", "proti ukrajini",
        "ukrajna ellen", "împotriva ucrainei", "срещу украйна", "против украина", "kundër ukrainës",
        "κατά της ουκρανίας", "נגד אוקראינה", "ուկրաինայի դեմ", "უკრაინის წინააღმდეგ", "ukraynaya qarşı",
        "супраць украіны", "chống ukraine", "menentang ukraine", "laban sa ukraine", "prieš ukrainą",
        "pret ukrainu", "ukraina vastu", "tegen oekraïne", "mot ukraina", "mod ukraine", "ukrainaa vastaan",
        "ਯੂਕਰੇਨ ਵਿਰੁੱਧ", "ከሩሲያ ጎን",
    ),
    "other": (
        "rsf", "rapid support forces", "houthi", "الدعم السريع", "فاطمیون", "زینبیون", "fatemiyoun",
        "zainabiyoun", "hezbollah", "hızlı destek", "الفاطميون", "زينبيون", "fatemyon", "حزب الله",
        # Iran's Shia militias in Syria
        "شيعية", "الشيعية", "شیعه", "شیعہ", "shia militia", "shiite militia",
    ),
}  # fmt: skip

# Who holds a captive is not whom he fought for: men in Ukraine's hands fought for Russia.
_HELD_BY_UKRAINE = (
    "captured by ukrain", "captured by the ukrainian", "held by ukrain", "ukrainian captivity",
    "ukrainian custody", "ukraine captur", "ukrainian forces captur", "украинском плену", "украинский плен",
    "всу взяли в плен", "в плену у всу", "українському полоні", "український полон", "зсу взяли в полон",
    "في قبضة الجيش الأوكراني", "في قبضة القوات الأوكرانية", "أسرته القوات الأوكرانية",
    "أسرت القوات الأوكرانية", "capturados por ucrania", "capturado por ucrania",
    "capturados por el ejército ucraniano", "capturados pela ucrânia", "capturado pela ucrânia",
    "capturado pelo exército ucraniano", "capturés par l'ukraine", "capturé par l'ukraine",
    "prisonniers de l'ukraine", "ukrainische gefangenschaft", "ukrainischer gefangenschaft",
    "catturati dall'ucraina", "catturato dall'ucraina", "ukraińskiej niewoli", "niewoli ukraińskiej",
    "ukrayna'ya esir", "ukrayna tarafından esir", "ukraine yakamata", "ukraine yamkamata", "ukraine yanyaka",
    "kukamatwa na jeshi la ukraine", "amekamatwa na jeshi la ukraine", "wamekamatwa na jeshi la ukraine",
    "mikononi mwa ukraine", "乌克兰俘虏", "乌克兰抓获", "被乌克兰俘", "烏克蘭俘", "被烏克蘭",
    "ウクライナ軍が拘束", "ウクライナ軍に拘束", "ウクライナの捕虜", "우크라이나군에 생포",
    "우크라이나군이 생포", "यूक्रेन की कैद", "यूक्रेनी सेना ने पकड़", "युक्रेनको नियन्त्रणमा",
    "युक्रेनी सैनिकको कब्जामा", "युक्रेनी सेनाको कब्जामा", "ইউক্রেনের হাতে বন্দি", "ditawan ukraina",
    "ditangkap pasukan ukraina", "به اسارت اوکراین", "اسیر اوکراین", "یوکرین کی قید",
)  # fmt: skip
# The order cues are tried in: the most specific force first, a captive's captor before the sides,
# and of the two sides the one a cue names first.
_DESTINATION_ORDER: tuple[dict[str, tuple[str, ...]], ...] = (
    {"wagner_africa": _DESTINATION_CUES["wagner_africa"]},
    {"isis_jihadist": _DESTINATION_CUES["isis_jihadist"]},
    {"russia": _HELD_BY_UKRAINE},
    {"ukraine": _DESTINATION_CUES["ukraine"], "russia": _DESTINATION_CUES["russia"]},
    {"other": _DESTINATION_CUES["other"]},
)
# "Russia recruits Africans for Ukraine war": the war, not the side.
_NOT_A_SIDE = re.compile("for (?:the )?ukraine war|for ukraine's war")

# Words for the war's foreign volunteers, who in a story that names Ukraine fight for it; weaker than
# any named force, so "volunteers in the Russian army" stay Russia's.
_VOLUNTEERS = (
    "volunteer", "freiwillig", "voluntári", "voluntario", "volontaire", "volontari", "ochotni", "добровол",
    "gönüllü", "relawan", "義勇", "志願", "志愿", "의용", "ыктыярчы", "ерікті", "ko'ngilli", "кўнгилли",
    "ихтиёрӣ", "довталаб", "متطوع", "داوطلب", "رضاکار", "स्वयंसेवक", "স্বেচ্ছাসেবী", "தன்னார்வ", "ස්වේච්ඡා",
    "kujitolea", "wanaojitolea", "mutadawac", "sa kai", "በጎ ፈቃደኛ", "dobrovol", "добровољ", "добраахвот",
    "vabatahtlik", "vapaaehtoi", "frivillig", "vrijwillig", "önkéntes", "savanor", "brīvprātīg", "prostovolj",
    "voluntar", "vullnetar", "εθελοντ", "מתנדב", "tình nguyện", "მოხალისე", "կամավոր",
)  # fmt: skip
# The wars other than Russia's that recruit foreigners, by the place: as weak a sign as Russia's name.
_OTHER_WARS = (
    "libya", "karabakh", "ليبيا", "карабах", "libyen", "libia", "libye", "لليبيا", "sudan", "soudan",
    "السودان", "للسودان", "ناغورنو", "karabach", "karabag", "nagorno", "缅甸", "緬甸", "ливи", "судан",
    "لیبی", "سودان", "قره‌باغ", "لیبیا", "سوڈان", "スーダン", "リビア", "리비아", "苏丹", "蘇丹", "利比亚",
    "利比亞", "azerbaijan", "أذربيجان", "азербайджан", "azerbaycan", "aserbaidschan", "azerbaidjan",
    "azerbaiyan", "azerbaijao", "yemen", "اليمن", "йемен", "jemen", "yemen'e", "yémen", "آذربایجان", "ሱዳን",
    "suudaan", "tigray", "ትግራይ", "ադրբեջան", "ղարաբաղ", "արցախ", "καραμπάχ", "αζερμπαϊτζάν", "λιβύη",
)  # fmt: skip
# The name of Russia in the languages whose names CLDR does not spell as the news does.
_RUSSIA_NAMES = (
    "russia", "россия", "росія", "روسيا", "रूस", "रुस", "俄罗斯", "俄羅斯", "ロシア", "러시아", "urusi",
    "ruushka", "rasha", "rossiya", "rusia", "russie", "russland", "rússia", "rosja", "ресей", "орусия",
    "русия", "ሩሲያ", "ሩስያ", "روسیه", "রাশিয়া", "රුසියාව", "ரஷ்யா", "በሩሲያ", "የሩሲያ", "ከሩሲያ", "ரஸ்ய", "俄",
    "露軍",
    # its capital, its seat of power and its president stand for it
    "moscow", "moscou", "moskau", "mosca", "moscu", "moskwa", "москв", "موسكو", "مسکو", "मास्को", "मॉस्को",
    "莫斯科", "モスクワ", "모스크바", "moskva", "moskow", "kremlin", "kreml", "кремл", "الكرملين", "کرملین",
    "क्रेमलिन", "克里姆林", "クレムリン", "크렘린", "putin", "путин", "путін", "بوتين", "پوتین", "पुतिन",
    "普京",
    "プーチン", "푸틴",
)  # fmt: skip


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


@cache
def _cues_by_first_letter(cues: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """``cues`` folded and grouped by their first letter: a story in one script skips the cues of
    every other at once."""
    groups: dict[str, list[str]] = {}
    for cue in _folded_cues(cues):
        groups.setdefault(cue[0], []).append(cue)
    return {letter: tuple(group) for letter, group in groups.items()}


def _earliest_cue(text: str, cues: tuple[str, ...]) -> tuple[int, str] | None:
    """Where the earliest of ``cues`` (word beginnings, accents folded) starts in ``text``, and
    which; at one place the longest. Plain substring search, then the word-start check: a few
    hundred cues cost a fraction of one regular expression that alternates them all."""
    best: tuple[int, str] | None = None
    groups = _cues_by_first_letter(cues)
    for letter in set(text).intersection(groups):
        for cue in groups[letter]:
            index = text.find(cue)
            while index >= 0 and not _at_word_start(text, index, cue):
                index = text.find(cue, index + 1)
            if index >= 0 and (best is None or (index, -len(cue)) < (best[0], -len(best[1]))):
                best = (index, cue)
    return best


def _first_cue(text: str, cues: dict[str, tuple[str, ...]]) -> tuple[str, str] | None:
    """The category whose cue appears earliest in ``text`` (folded), with the words that matched;
    at one place the longest cue's ("prisoner exchange" is a return, not a capture)."""
    best: tuple[int, str, str] | None = None
    for category, words in cues.items():
        found = _earliest_cue(text, words)
        if found and (best is None or (found[0], -len(found[1])) < (best[0], -len(best[2]))):
            best = (found[0], category, found[1])
    return (best[1], best[2]) if best else None


_NOT_CUES = re.compile("|".join(re.escape(fold(word)) for word in NOT_CUES))
_NEWS_CUES = {
    category: cues for category, cues in EVENT_CUES.items() if category not in ("recruitment", "other")
}
# From the most telling to the least: what the families or a state did that is news of its own (a
# protest for the men's return, a medal for the fallen), what happened to the men, recruiting, and
# last who acted ("the government…", "the embassy recruits volunteers" is recruiting).
_TITLE_CUE_TIERS = (
    {"other": EVENT_CUES["other"]},
    _NEWS_CUES,
    {"recruitment": EVENT_CUES["recruitment"]},
    TITLE_ONLY_CUES,
)


def _blank_actors(folded: str) -> str:
    """``folded`` with the words that name an actor, not an event, blanked ("recruiter", "Africa
    Corps"), their places kept so the earliest cue stays the earliest."""
    return _NOT_CUES.sub(lambda match: " " * len(match.group()), folded)


def _event(title: str, summary: str) -> tuple[str, str]:
    """The story's main news and the word that says it: the headline's earliest cue, else the
    summary's (where who acted, "the government said", is no event); recruitment when neither
    names one, as most stories on this topic report recruiting. In a headline, what happened
    outranks recruiting, which is background when a later development is named ("men recruited by
    Russia died"), and recruiting outranks who acted ("Embassy recruits volunteers")."""
    title_words = _blank_actors(fold(title))
    for tier in _TITLE_CUE_TIERS:
        found = _first_cue(title_words, tier)
        if found:
            return found
    found = _first_cue(_blank_actors(fold(summary)), EVENT_CUES)
    return found if found else ("recruitment", "")


# Where foreigners who went to fight with no force named joined the jihadists: the wars of Syria, Iraq,
# Somalia and Afghanistan.
_JIHAD_WARS = ("SY", "IQ", "SO", "AF")
# Words in a Ukraine cue that name its foreign volunteers (a legion), not its army: in a story of
# captives the army is the captor ("Ukraine's army captured two Chinese", who fought for Russia).
_VOLUNTEER_CUE_WORDS = (
    "legi", "légi", "леги", "легі", "лашкар", "lejyon", "لژیون", "volunt", "義勇", "의용", "军团", "軍團",
    "战队", "戰隊", "部隊", "for ukrain", "за укра",
)  # fmt: skip


def _names_ukraines_army(cue: str) -> bool:
    return not any(word in cue for word in _VOLUNTEER_CUE_WORDS)


def _destination(folded: str, countries: Iterable[str], event: str) -> tuple[str, str]:
    """The most specific force a cue names (of the war's two sides, the one named first); else
    Ukraine's, for foreign volunteers in a story that names Ukraine; else the war whose place the
    story names first, Russia's (its name, capital or president) or another (Sudan's, Libya's);
    else Russia's, when the story names Russia at all (nearly every story of this kind that names
    one country of the war is about Russia's army, and North Korea's troops fight on no other side,
    whatever Ukraine cue the story has); else Ukraine's, when it names Ukraine; else the
    jihadists', when it names Syria, Iraq, Somalia or Afghanistan. The text is searched as one line
    ending in a space, so a cue that must end a word ("иг ") can end the title.

    Wagner in a story that names Ukraine is Russia's force in that war (its prisoner recruits,
    Bakhmut), not the Africa business; and in a story of captives (``event``) Ukraine's army is the
    captor, so its captives fought for Russia.
    """
    named = set(countries)
    folded = _NOT_A_SIDE.sub(lambda match: " " * len(match.group()), folded.replace("\n", " ") + " ")
    for cues in _DESTINATION_ORDER:
        found = _first_cue(folded, cues)
        if not found:
            continue
        category = found[0]
        if category == "wagner_africa" and "UA" in named:
            return "russia", found[1]
        if category == "ukraine" and "KP" in named:
            return "russia", "KP named"
        if category == "ukraine" and event == "captured" and _names_ukraines_army(found[1]):
            return "russia", f"captive of {found[1]}"
        return category, found[1]
    volunteers = _earliest_cue(folded, _VOLUNTEERS) if "UA" in named else None
    if volunteers:
        return "ukraine", volunteers[1]
    war = _first_cue(folded, {"russia": _RUSSIA_NAMES, "other": _OTHER_WARS})
    if war:
        return war
    for code in ("RU", "KP"):  # North Korea sends its army to Russia's side only
        if code in named:
            return "russia", f"{code} named"
    if "UA" in named:  # foreigners who went to Ukraine, unless they are its captives
        return ("russia" if event == "captured" else "ukraine"), "UA named"
    for code in _JIHAD_WARS:
        if code in named:
            return "isis_jihadist", f"{code} named"
    return "unknown", ""


def _origin_mentions(text: str, lang: str | None, destination: str) -> dict[str, str]:
    """The recruits' countries: every country the story names, a battlefield only by a word for
    its people ("Syrian fighters", not "fighting in Syria"). Russians or Ukrainians are recruits
    only where they join a third force (Russians in ISIS)."""
    if destination in ("isis_jihadist", "wagner_africa"):  # Russians in ISIS or Wagner are its recruits,
        # but "sent to Russia" is a place
        people = mentioned_countries(text, lang, as_people=True, places=PLACE_COUNTRIES | PARTIES)
    else:
        people = mentioned_countries(text, lang, as_people=True, ignored=PARTIES)
    return _without_korean_source(people)


def _without_korean_source(people: dict[str, str]) -> dict[str, str]:
    """Without South Korea in a story of North Korea's soldiers: its spy agency and officials are
    what such news cites, and its own volunteers go to Ukraine, not beside them."""
    if "KP" not in people:
        return people
    return {code: span for code, span in people.items() if code != "KR"}


# Arrests and convictions: beside one, in a story of people held "for recruiting", a number counts them.
_HELD_FOR_RECRUITING = ARREST_WORDS + CONVICTION_WORDS


def _recruiter_words(folded: str, destination: str, event: str) -> tuple[str, ...]:
    """The words beside which a number counts recruiters, not recruits: an arrest or a conviction in
    a story of people tried "for recruiting" others; an arrest in any other legal story, unless the
    men joined jihadists (who are arrested for joining)."""
    if _earliest_cue(folded, RECRUITING_OTHERS):
        return _HELD_FOR_RECRUITING
    if event == "legal_action" and destination != "isis_jihadist":
        return ARREST_WORDS
    return ()


def extract_case(title: str, summary: str, lang: str | None) -> CaseFacts:
    """The case facts the story states; fields it does not state are empty, "unknown" or None."""
    text = f"{title}\n{summary}"
    folded = fold(text)
    mentioned = mentioned_countries(text, lang)
    event, event_word = _event(title, summary)
    destination, destination_cue = _destination(folded, mentioned, event)
    people = _origin_mentions(text, lang, destination)
    origins = tuple(sorted(people))
    count, count_span = stated_count(text, lang, recruiter_words=_recruiter_words(folded, destination, event))
    evidence = {code: people[code] for code in origins}
    evidence |= {"destination": destination_cue, "event": event_word, "count": count_span}
    evidence = {key: value for key, value in evidence.items() if value}
    recruiters = story_names(text, lang).recruiters
    return CaseFacts(origins, destination, event, count, evidence, tuple(sorted(mentioned)), recruiters)
