"""Words for people in the languages the news comes in: what makes a number a headcount ("12 men")
and a battlefield's adjective a word for recruits ("Syrian fighters", not "the Syrian capital")."""

from __future__ import annotations

# Words for people, as case-folded word beginnings, all languages together (news quotes several);
# counters ("जना", "জন", "nafar", "명", "名") are the closest sign a number counts people.
PEOPLE_WORDS = (
    "men", "man ", "women", "woman", "people", "person", "citizen", "national", "youth", "young men", "boys",
    "teen", "soldier", "fighter", "recruit", "mercenar", "worker", "migrant", "student", "individual",
    "volunteer", "troops", "militant", "jihadist", "resident", "prisoner", "inmate", "convict", "foreigner",
    "combatant", "veteran", "of them", "killed", "dead", "died", "missing",
    "мужчин", "человек", "граждан", "наемник", "наёмник", "солдат", "бойц", "добровол", "мигрант", "парн",
    "иностранц", "военнослужащ", "военных", "заключенн", "уроженц", "жител", "студент", "боевик", "погиб",
    "убит", "пропал", "чоловік", "людей", "громадян", "найманц", "осіб", "бійц", "іноземц", "військов",
    "бойовик", "ув'язнен", "загину",
    "رجل", "رجال", "شخص", "أشخاص", "مواطن", "شاب", "شبان", "مقاتل", "مرتزق", "عنصر", "عناصر", "جندي",
    "جنود", "عامل", "عمال", "طالب", "طلاب", "أجنبي", "أجانب", "متطوع", "قتلى", "مفقود", "نفر", "تن ",
    "شهروند", "جوان", "رزمنده", "سرباز", "مزدور", "کارگر", "دانشجو", "مهاجر", "اتباع", "افراد", "شہری",
    "نوجوان", "لوگ", "فوجی", "جنگجو",
    "लोग", "नागरिक", "युवा", "युवक", "व्यक्ति", "जवान", "सैनिक", "भारतीय", "नेपाली", "छात्र", "मजदूर", "जना",
    "জন", "বাংলাদেশি", "নাগরিক", "যুবক", "তরুণ", "শ্রমিক", "সৈন্য", "ব্যক্তি", "লোক", "දෙනෙක්", "දෙනා",
    "පුද්ගල", "පිරිස", "සෙබළ", "பேர்", "நபர்", "இலங்கையர்", "இந்தியர்", "இளைஞர்", "வீரர்", "தொழிலாளர்",
    "hombres", "personas", "ciudadanos", "jóvenes", "mercenarios", "combatientes", "soldados", "militares",
    "exmilitares", "voluntarios", "migrantes", "reclutas", "homens", "pessoas", "cidadãos", "jovens",
    "mercenários", "combatentes", "voluntários", "recrutas", "hommes", "personnes", "ressortissants",
    "jeunes", "mercenaires", "combattants", "soldats", "volontaires", "citoyens", "recrues", "étudiants",
    "männer", "menschen", "bürger", "staatsbürger", "söldner", "soldaten", "kämpfer", "freiwillige",
    "personen", "migranten", "rekruten", "ausländer", "uomini", "persone", "cittadini", "giovani",
    "mercenari", "combattenti", "soldati", "militari", "volontari", "foreign fighter", "osób", "osoby",
    "mężczyzn", "obywatel", "żołnierzy", "najemnik", "ochotnik", "bojownik", "ludzi", "cudzoziemc",
    "kişi", "vatandaş", "genç", "asker", "savaşçı", "militan", "gönüllü", "işçi", "öğrenci", "yabancı",
    "erkek", "nafar", "нафар", "fuqaro", "фуқаро", "yigit", "йигит", "askar", "аскар", "jangari", "жангари",
    "muhojir", "муҳожир", "yollanma", "ёлланма", "адам", "азамат", "жас ", "сарбаз", "жалдамалы", "жаш ",
    "аскер", "жалданма", "кас ", "шаҳрванд", "ҷавон", "муҳоҷир", "сарбоз", "зиндон", "маҳбус", "мардон",
    "명", "병력", "군인", "병사", "장병", "용병", "청년", "국민", "노동자", "名", "人", "士兵", "公民",
    "人员",
    "人員", "雇佣兵", "僱傭兵", "志愿", "志願", "军人", "軍人", "男子", "青年", "劳工", "兵士", "義勇兵",
    "傭兵",
    "労働者", "若者", "wanaume", "watu", "vijana", "raia", "wanajeshi", "wakenya", "mamluki", "askari",
    "wapiganaji", "wafanyakazi", "wanafunzi", "ሰዎች", "ዜጎች", "ወጣቶች", "ወታደሮች", "ቅጥረኛ", "ተዋጊዎች", "qof",
    "dhalinyaro", "muwaadin", "dagaalyahan", "mutane", "matasa", "sojoji", "mayaka", "orang", "warga",
    "pemuda", "tentara", "prajurit", "relawan", "pekerja", "pejuang", "wni",
)  # fmt: skip
