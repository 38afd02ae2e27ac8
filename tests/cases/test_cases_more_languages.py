"""Case facts in the languages beyond the first thirty: event cues, demonyms, words for people and
numbers written as words (sentences written for these tests)."""

from __future__ import annotations

import pytest

from cases import extract_case
from cases.counts import stated_count


@pytest.mark.parametrize(
    ("title", "lang", "origins", "event"),
    [
        ("Twee Nederlandse vrijwilligers gesneuveld in Oekraïne", "nl", ("NL",), "casualties"),
        ("Svenska legosoldater dödades i Ukraina", "sv", ("SE",), "casualties"),
        ("Norsk fremmedkriger pågrepet etter hjemkomst", "no", ("NO",), "legal_action"),
        ("Dansker dømt for at kæmpe for Islamisk Stat", "da", ("DK",), "legal_action"),
        ("Suomalainen vapaaehtoinen kuoli Ukrainassa", "fi", ("FI",), "casualties"),
        ("Magyar önkéntes esett hadifogságba", "hu", ("HU",), "captured"),
        ("Čech bojující na Ukrajině byl odsouzen soudem", "cs", ("CZ",), "legal_action"),
        ("Slováci sa vrátili domov z ruského zajatia", "sk", ("SK",), "return"),
        ("Doi mercenari români au murit în Ucraina", "ro", ("RO",), "casualties"),
        ("Българин загина като доброволец в Украйна", "bg", ("BG",), "casualties"),
        ("Srbin uhapšen zbog ratovanja u Ukrajini", "sr", ("RS",), "legal_action"),
        ("Србин осуђен због ратовања у Украјини", "sr", ("RS",), "legal_action"),
        ("Hrvatski dragovoljac poginuo u Ukrajini", "hr", ("HR",), "casualties"),
        ("Македонски доброволец заробен", "mk", ("MK",), "captured"),
        ("Македонец загина во Украина", "mk", ("MK",), "casualties"),
        ("Shqiptarët e rekrutuar nga ISIS u kthyen në atdhe", "sq", ("AL",), "return"),
        ("Έλληνες μισθοφόροι σκοτώθηκαν στην Ουκρανία", "el", ("GR",), "casualties"),
        ("הודים גויסו לצבא הרוסי בתרמית", "he", ("IN",), "recruitment"),
        ("Սիրիացի վարձկաններ են զոհվել", "hy", ("SY",), "casualties"),
        ("ქართველი მოხალისე დაიღუპა უკრაინაში", "ka", ("GE",), "casualties"),
        ("Gürcü könüllülər əsir götürüldü", "az", ("GE",), "captured"),
        ("Беларускія добраахвотнікі вярнуліся з палону", "be", ("BY",), "return"),
        ("Người Ấn Độ bị lừa sang chiến đấu cho Nga", "vi", ("IN",), "recruitment"),
        ("ทหารรับจ้างเสียชีวิตในยูเครน", "th", (), "casualties"),
        ("Rakyat Malaysia ditahan kerana menyertai militan", "ms", ("MY",), "legal_action"),
        ("Mga Pilipino na-recruit para lumaban sa Russia", "tl", ("PH",), "recruitment"),
        ("റഷ്യൻ സൈന്യത്തിൽ മലയാളി യുവാവ് കൊല്ലപ്പെട്ടു", "ml", ("IN",), "casualties"),
        ("రష్యా సైన్యంలో భారతీయ యువకుడు మృతి", "te", ("IN",), "casualties"),
        ("रशियन सैन्यात भरती झालेल्या भारतीय तरुणांची सुटका", "mr", ("IN",), "return"),
        ("રશિયન સેનામાં ભારતીય યુવાનનું મોત", "gu", ("IN",), "casualties"),
        ("ਰੂਸੀ ਫੌਜ ਵਿੱਚ ਭਰਤੀ ਭਾਰਤੀ ਨੌਜਵਾਨ ਵਾਪਸ ਪਰਤੇ", "pa", ("IN",), "return"),
        ("ರಷ್ಯಾ ಸೇನೆಯಲ್ಲಿ ಭಾರತೀಯ ಯುವಕನ ಸಾವು", "kn", ("IN",), "casualties"),
        ("Lietuvis savanoris žuvo Ukrainoje", "lt", ("LT",), "casualties"),
        ("Latvietis brīvprātīgais aizturēts", "lv", ("LV",), "legal_action"),
        ("Eestlane vabatahtlik hukkus Ukrainas", "et", ("EE",), "casualties"),
    ],
)
def test_events_and_origins_in_more_languages(
    title: str, lang: str, origins: tuple[str, ...], event: str
) -> None:
    facts = extract_case(title, "", lang)
    assert facts.origin_countries == origins and facts.event == event


@pytest.mark.parametrize(
    ("text", "lang", "count"),
    [
        ("Vijf Nederlandse mannen vertrokken naar het front", "nl", 5),
        ("Tre svenska män värvades", "sv", 3),
        ("Kolme suomalaista miestä kuoli", "fi", 3),
        ("Két magyar férfi meghalt, 40 éves volt", "hu", 2),
        ("Čtyři čeští dobrovolníci padli", "cs", 4),
        ("Șapte bărbați au fost recrutați", "ro", 7),
        ("Петима българи загинаха", "bg", 5),
        ("Δύο Έλληνες μαχητές σκοτώθηκαν", "el", 2),
        ("ორი ქართველი მებრძოლი დაიღუპა", "ka", 2),
        ("ఇద్దరు భారతీయ యువకులు మృతి", "te", 2),
        ("Mwanzo: 12 người Việt bị lừa", "vi", 12),
        ("Tatlong Pilipino ang nasawi", "tl", 3),
    ],
)
def test_headcounts_in_more_languages(text: str, lang: str, count: int) -> None:
    assert stated_count(text, lang)[0] == count
