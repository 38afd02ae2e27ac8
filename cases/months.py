"""Month names in the languages the news comes in: a number right before one is a date ("9 березня",
"24 de febrero", "७ वैशाख"), not a headcount, however close a word for people follows it.

Case-folded word beginnings, accents folded as ``cases.countries.fold`` folds them; the Gregorian
months everywhere, and the calendars the news also dates by (Nepal's Bikram Sambat, Iran's solar
months, the Levant's Syriac names, Ethiopia's months).
"""

from __future__ import annotations

MONTHS = (
    # en, fr, es, pt, it, de
    "january", "february", "march ", "april", "june", "july", "august", "september", "october", "november",
    "december", "janvier", "fevrier", "mars ", "avril", "mai ", "juin", "juillet", "aout", "septembre",
    "octobre", "novembre", "decembre", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
    "agosto", "setiembre", "septiembre", "octubre", "noviembre", "diciembre", "janeiro", "fevereiro",
    "marco", "maio", "junho", "julho", "setembro", "outubro", "dezembro", "gennaio", "febbraio", "aprile",
    "maggio", "giugno", "luglio", "settembre", "ottobre", "dicembre", "januar", "februar", "marz", "juni",
    "juli", "oktober", "dezember",
    # ru, uk, pl, tr, id, sw, ha, so
    "январ", "феврал", "марта", "апрел", "мая", "июн", "июл", "августа", "сентябр", "октябр", "ноябр",
    "декабр", "січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня",
    "жовтня", "листопада", "грудня", "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca",
    "lipca", "sierpnia", "wrzesnia", "pazdziernika", "listopada", "grudnia", "ocak", "subat", "mart ",
    "nisan", "mayis", "haziran", "temmuz", "agustos", "eylul", "ekim ", "kasim", "aralik", "januari",
    "februari", "maret", "mei ", "agustus", "desember", "machi", "aprili", "julai", "agosti",
    "septemba", "oktoba", "novemba", "desemba", "janairu", "fabrairu", "maris", "afrilu", "satumba",
    "nuwamba", "disamba", "janaayo", "febraayo", "maarso", "abriil", "luulyo", "ogosto", "sebtembar",
    "oktoobar", "nofembar", "diseembar",
    # uz, kk, ky, tg (Cyrillic "январ…" above covers Uzbek, Tajik and Kyrgyz spellings)
    "yanvar", "fevral", "aprel", "iyun", "iyul", "avgust", "sentabr", "oktabr", "noyabr", "dekabr",
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "желтоқсан",
    # hi, ne, bn, ta, si
    "जनवरी", "फरवरी", "मार्च", "अप्रैल", "जुलाई", "अगस्त", "सितंबर", "सितम्बर", "अक्टूबर", "नवंबर", "नवम्बर",
    "दिसंबर", "दिसम्बर", "वैशाख", "बैशाख", "जेठ", "असार", "साउन", "श्रावण", "भदौ", "असोज", "कात्तिक",
    "मंसिर", "पुस", "माघ", "फागुन", "चैत", "জানুয়ারি", "ফেব্রুয়ারি", "মার্চ", "এপ্রিল", "জুলাই", "আগস্ট",
    "সেপ্টেম্বর", "অক্টোবর", "নভেম্বর", "ডিসেম্বর", "ஜனவரி", "பிப்ரவரி", "மார்ச்", "ஏப்ரல்", "ஜூலை",
    "ஆகஸ்ட்", "செப்டம்பர்", "அக்டோபர்", "நவம்பர்", "டிசம்பர்", "ජනවාරි", "පෙබරවාරි", "මාර්තු", "අප්‍රේල්",
    "ජූලි", "අගෝස්තු", "සැප්තැම්බර්", "ඔක්තෝබර්", "නොවැම්බර්", "දෙසැම්බර්",
    # ar, fa, ur, am
    "يناير", "فبراير", "مارس", "أبريل", "ابريل", "مايو", "يونيو", "يوليو", "أغسطس", "اغسطس", "سبتمبر",
    "أكتوبر", "اكتوبر", "نوفمبر", "ديسمبر", "كانون", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز",
    "أيلول", "تشرين", "ژانویه", "فوریه", "آوریل", "ژوئن", "ژوئیه", "سپتامبر", "اکتبر", "نوامبر", "دسامبر",
    "فروردین", "اردیبهشت", "خرداد", "مرداد", "شهریور", "آبان", "بهمن", "اسفند", "جنوری", "فروری", "مارچ",
    "اپریل", "جولائی", "اگست", "ستمبر", "اکتوبر", "نومبر", "دسمبر", "መስከረም", "ጥቅምት", "ኅዳር", "ታኅሣሥ",
    "የካቲት", "መጋቢት", "ሚያዝያ", "ግንቦት", "ሐምሌ", "ነሐሴ",
)  # fmt: skip
