"""Case facts from a story's own words, in several languages (sentences written for these tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cases import country_code, extract_case
from cases.countries import mentioned_countries
from cases.evaluate import evaluate_cases, load_cases


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Nepali men recruited into the Russian army", "en", {"NP", "RU"}),
        ("Кенийцев и угандийцев заманили на фронт", "ru", {"KE", "UG"}),
        ("تجنيد شبان سوريين وعراقيين للقتال", "ar", {"SY", "IQ"}),
        ("尼泊尔人在俄军中死亡", "zh", {"NP"}),
        ("नेपाली युवाओं को रूसी सेना में भर्ती किया गया", "hi", {"NP", "RU"}),
        ("Wakenya walidanganywa kupigana vita", "sw", {"KE"}),
        ("Tajik and Uzbek migrants were sent to the front", "en", {"TJ", "UZ"}),
        ("Individual indigenous communities malign the chinook", "en", set()),
    ],
)
def test_countries_are_found_by_name_and_demonym_in_the_storys_language(
    text: str, lang: str, expected: set[str]
) -> None:
    assert set(mentioned_countries(text, lang)) == expected


def test_a_battlefield_is_an_origin_only_when_its_people_are_named() -> None:
    assert extract_case("Nepali men sent to fight in Syria", "", "en").origin_countries == ("NP",)
    assert extract_case("Syrian mercenaries sent to Libya", "", "en").origin_countries == ("SY",)
    assert extract_case("Сирийских наемников отправили в Ливию", "", "ru").origin_countries == ("SY",)


def test_uzbek_apostrophes_and_latin_accents_do_not_hide_a_country() -> None:
    for text in ("Oʻzbekiston fuqarolari", "O'zbekiston fuqarolari", "O‘zbekiston fuqarolari"):
        assert mentioned_countries(text, "uz") == {"UZ": text.split()[0]}
    assert set(mentioned_countries("Homens quenianos recrutados", "pt")) == {"KE"}


def test_the_wars_parties_are_destinations_not_origins() -> None:
    facts = extract_case("Nepali men recruited into the Russian army", "They were sent to Ukraine.", "en")
    assert facts.origin_countries == ("NP",) and facts.destination == "russia"
    assert facts.evidence["NP"] == "Nepali" and facts.evidence["destination"] == "russian army"


@pytest.mark.parametrize(
    ("title", "summary", "destination", "event"),
    [
        ("Recruiter jailed for sending Kenyans to Russia", "Men died there.", "russia", "legal_action"),
        ("Bodies of Nepali recruits returned home", "", "unknown", "casualties"),
        ("Colombian mercenaries fight for the RSF in Sudan", "", "other", "recruitment"),
        ("Foreign volunteers join Ukraine's International Legion", "", "ukraine", "recruitment"),
        ("Wagner recruits in Mali", "", "wagner_africa", "recruitment"),
        ("Police arrest ISIS recruiter", "", "isis_jihadist", "legal_action"),
        ("Sri Lanka's government warns citizens about war jobs", "", "unknown", "policy"),
    ],
)
def test_destination_and_the_headlines_event(title: str, summary: str, destination: str, event: str) -> None:
    facts = extract_case(title, summary, "en")
    assert (facts.destination, facts.event) == (destination, event)


def test_the_count_is_the_largest_number_of_people_not_a_year_or_a_share() -> None:
    facts = extract_case(
        "In 2024, 15,000 Nepali men joined Russia's army",
        "About 40% were promised jobs; at least 12 men were killed and 3 villages wait.",
        "en",
    )
    assert facts.count == 15000
    assert extract_case("Recruiters face 10 years in prison", "", "en").count is None


def test_the_card_is_one_line_with_flags_names_force_event_and_number() -> None:
    facts = extract_case("12 Nepali men killed fighting in the Russian army", "", "en")
    assert facts.to_dict()["card"] == "🇳🇵 Nepal → Russia's forces · deaths or wounds · 12 people"
    assert extract_case("A war story", "", "en").to_dict()["card"].startswith("origin not stated → ")


def _write(tmp_path: Path, rows: list[dict[str, object]]) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8")
    return path


ROW: dict[str, object] = {
    "id": "c1",
    "title": "Nepali men recruited into the Russian army",
    "summary": "",
    "lang": "en",
    "origin_countries": ["NP"],
    "destination": "russia",
    "event": "recruitment",
    "count": None,
}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("np", "NP"),
        ("NEPAL", "NP"),
        (" Kenya ", "KE"),
        ("United States", "US"),
        ("Europe", None),
        ("xx", None),
    ],
)
def test_a_users_country_is_a_code_or_an_english_name(text: str, code: str | None) -> None:
    assert country_code(text) == code


def test_evaluation_scores_each_field_and_by_language(tmp_path: Path) -> None:
    wrong = {**ROW, "id": "c2", "origin_countries": ["IN"], "event": "casualties", "lang": "xx"}
    report = evaluate_cases(load_cases(_write(tmp_path, [ROW, wrong])))
    assert (report["origin_precision"], report["origin_recall"]) == (0.5, 0.5)
    accuracies = (report["destination_accuracy"], report["event_accuracy"], report["count_accuracy"])
    assert accuracies == (1.0, 0.5, 1.0)
    assert report["by_lang"]["en"]["origin_recall"] == 1.0 and report["wrong"]["event"] == ["c2"]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"destination": "mars"}, "destination must be"),
        ({"count": "many"}, "count"),
        ({"event": None}, "event"),
    ],
)
def test_a_bad_labelled_line_is_refused_with_its_number(
    tmp_path: Path, change: dict[str, object], problem: str
) -> None:
    with pytest.raises(ValueError, match=rf"cases.jsonl:2: .*{problem}"):
        load_cases(_write(tmp_path, [ROW, {**ROW, **change}]))


def test_a_countrys_name_inside_a_longer_ones_is_not_that_country() -> None:
    assert set(mentioned_countries("Nigerian men were lured abroad", "en")) == {"NG"}
    assert set(mentioned_countries("Fighters from South Sudan", "en")) == {"SS"}


def test_a_sender_named_outright_is_not_an_origin_but_its_people_are() -> None:
    assert extract_case("Turkey sent Syrian fighters to Libya", "", "en").origin_countries == ("SY",)
    assert extract_case("Turkish men joined ISIS", "", "en").origin_countries == ("TR",)


def test_russians_are_recruits_only_of_a_third_force() -> None:
    facts = extract_case("Russian citizen jailed for joining ISIS in Syria", "", "en")
    assert facts.origin_countries == ("RU",) and facts.destination == "isis_jihadist"
    assert extract_case("Russian army recruits Nepali men", "", "en").origin_countries == ("NP",)


@pytest.mark.parametrize(
    ("title", "lang", "destination"),
    [
        ("Wagner recruits prisoners to fight in Ukraine", "en", "russia"),
        ("Foreign volunteers to fight against the Russian army", "en", "ukraine"),
        ("Zwei Dänen kämpfen an der Seite der Ukraine", "de", "ukraine"),
        ("Söldner aus Syrien nach Libyen gebracht", "de", "other"),
        ("Raia wa Kenya wajiunga na al-Shabab", "sw", "isis_jihadist"),
    ],
)
def test_destination_cues_in_several_languages(title: str, lang: str, destination: str) -> None:
    assert extract_case(title, "", lang).destination == destination


def test_an_event_cue_is_found_behind_an_arabic_article() -> None:
    assert extract_case("الحكم على رجل بتهمة القتال في الخارج", "", "ar").event == "legal_action"


@pytest.mark.parametrize(
    ("title", "lang", "count"),
    [
        ("북한군 6천명 추가 파병", "ko", 6000),
        ("북한군 1만1,000명 주둔", "ko", 11000),
        ("На фронт отправили 20 тыс. человек", "ru", 20000),
        ("至少155名中国公民为俄军作战", "zh", 155),
        ("Bereits 4.700 Söldner entsendet", "de", 4700),
    ],
)
def test_counts_with_words_for_thousands_and_numbers_written_against_words(
    title: str, lang: str, count: int
) -> None:
    assert extract_case(title, "", lang).count == count


@pytest.mark.parametrize(
    ("title", "summary", "lang", "event"),
    [
        ("Men recruited by Russia died in Ukraine", "", "en", "casualties"),
        ("Kenyans join the Russian army", "The government said 200 men had left.", "en", "recruitment"),
        ("Government rescues 12 citizens held in Russia", "", "en", "return"),
        ("Government warns citizens against joining foreign armies", "", "en", "policy"),
        ("Africa Corps recruits fighters in Mali", "", "en", "recruitment"),
        ("Recruiters of a Nepali gang arrested", "", "en", "legal_action"),
        ("دو شهروند افغان در جنگ اوکراین کشته شدند", "", "fa", "casualties"),
        ("انسانی اسمگلنگ کے الزام میں ایجنٹ گرفتار", "", "ur", "legal_action"),
        ("রাশিয়া থেকে দেশে ফিরলেন পাঁচ বাংলাদেশি", "", "bn", "return"),
        ("Arrestato a Milano un reclutatore dell'Isis", "", "it", "legal_action"),
        ("Ukrayna'da esir düşen paralı askerler", "", "tr", "captured"),
        ("Украинадағы соғыста тағы бір қазақстандық қаза тапты", "", "kk", "casualties"),
        ("イスラム国に参加しようとした男を逮捕", "", "ja", "legal_action"),
        ("በሩሲያ ጦር ውስጥ የተዋጉ ኢትዮጵያውያን ተገደሉ", "", "am", "casualties"),
        ("Maxkamadda ayaa xukuntay nin ka tirsan Al-Shabaab", "", "so", "legal_action"),
        ("An kashe 'yan Najeriya biyu a yakin Ukraine", "", "ha", "casualties"),
        ("Pemerintah pulangkan WNI eks ISIS dari Suriah", "", "id", "return"),
        ("Wakenya watatu wafariki vitani Ukraine", "", "sw", "casualties"),
    ],
)
def test_the_headlines_development_outranks_who_acted_and_recruiting(
    title: str, summary: str, lang: str, event: str
) -> None:
    assert extract_case(title, summary, lang).event == event


@pytest.mark.parametrize(
    ("title", "summary", "lang", "destination"),
    [
        ("Two Kenyan fighters captured by Ukrainian forces", "", "en", "russia"),
        ("Ukrainian army says North Korean troops reached the front", "", "en", "russia"),
        ("North Korean troops arrive in Kursk", "", "en", "russia"),
        ("Brazilian volunteer killed near Bakhmut", "He had gone to Ukraine in 2022.", "en", "ukraine"),
        ("Russia recruits Africans for Ukraine war", "", "en", "russia"),
        ("Colombian veterans fight for the RSF", "Russia denies any role.", "en", "other"),
        ("Он воевал в Сирии в рядах ИГ", "", "ru", "isis_jihadist"),
        ("Polak skazany za wspieranie Państwa Islamskiego", "", "pl", "isis_jihadist"),
    ],
)
def test_captors_volunteers_and_inflected_force_names(
    title: str, summary: str, lang: str, destination: str
) -> None:
    assert extract_case(title, summary, lang).destination == destination


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("烏茲別克人在俄軍服役", "zh", {"UZ"}),  # traditional Chinese, as well as simplified
        ("Ўзбекистонлик муҳожир ҳалок бўлди", "uz", {"UZ"}),  # Cyrillic Uzbek, as well as Latin
        ("Як муҳоҷири тоҷик кушта шуд", "tg", {"TJ"}),
        ("Dwaj Polacy zginęli pod Bachmutem", "pl", {"PL"}),
        ("Deux Nord-Coréens capturés", "fr", {"KP"}),
        ("Jemenitische Arbeiter in die Armee gelockt", "de", {"YE"}),
        ("Suriyeli savaşçılar Libya'ya gönderildi", "tr", {"SY"}),
        ("Суриядаги урушга борган ўзбеклар", "uz", {"UZ"}),
        ("韩国情报机构称朝鲜士兵阵亡", "zh", {"KP"}),
        ("来自美国、日本等地的志愿者", "zh", {"JP", "US"}),
        ("La comunidad indígena indicó que no", "es", set()),
        ("인도적 지원", "ko", set()),
        ("Daneben setzt die Armee Vermittler ein", "de", set()),
    ],
)
def test_origins_in_more_scripts_and_demonyms_and_places_are_not_people(
    text: str, lang: str, expected: set[str]
) -> None:
    assert set(extract_case(text, "", lang).origin_countries) == expected


@pytest.mark.parametrize(
    ("title", "summary", "lang", "expected"),
    [
        # a battlefield's name or adjective names recruits only beside a word for people
        ("Turkey sent 300 fighters from Syria to Libya", "", "en", {"SY"}),
        ("Syrian fighters sent to Libya", "They reached the Libyan capital and Turkish camps.", "en", {"SY"}),
        # a country named only beside an institution is a source, when another names the recruits
        ("Nepali migrants recruited", "The British defence ministry said so.", "en", {"NP"}),
        ("Kenyans lured to the front", "US officials said 200 Kenyans went.", "en", {"KE"}),
        ("Kenyan police rescue citizens bound for Russia", "", "en", {"KE"}),
        # a whole-word form: "Chin," is China in Polish, "Chinook" is nothing
        ("Wśród bojowników obywatele Chin, Kuby i Nepalu", "", "pl", {"CN", "CU", "NP"}),
        ("የኬንያ ዜጎች በሩሲያ ጦር ውስጥ", "", "am", {"KE"}),
        # a home city or region names the recruits' country
        ("A man from Chennai tried to join ISIS", "", "en", {"IN"}),
        ("Из Хатлона 45 молодых людей уехали воевать", "", "ru", {"TJ"}),
        ("Выходцы из Дагестана в рядах ИГ", "", "ru", {"RU"}),  # a Russian region, for a third force
    ],
)
def test_origins_are_the_recruits_not_sources_or_places(
    title: str, summary: str, lang: str, expected: set[str]
) -> None:
    assert set(extract_case(title, summary, lang).origin_countries) == expected


@pytest.mark.parametrize(
    ("title", "lang", "event", "destination"),
    [
        ("Prisoner exchange brings home 12 foreigners", "en", "return", "unknown"),
        ("До України повернули тіла загиблих добровольців", "uk", "casualties", "ukraine"),
        ("Syrian mercenaries sent to Azerbaijan", "en", "recruitment", "other"),
        ("ኢትዮጵያውያን በሩሲያ ጦር ውስጥ ተገደሉ", "am", "casualties", "russia"),
    ],
)
def test_the_longest_cue_at_one_place_and_the_wars_place(
    title: str, lang: str, event: str, destination: str
) -> None:
    facts = extract_case(title, "", lang)
    assert (facts.event, facts.destination) == (event, destination)


@pytest.mark.parametrize(
    ("title", "lang", "event"),
    [
        # protests and medals are news of their own, whatever return or death they ask for or honour
        ("Families of men in the Russian army stage a hunger strike for their return", "en", "other"),
        ("रुसी सेनामा रहेका नेपालीका परिवारले सुरु गरे धर्ना", "ne", "other"),
        ("Kim awards medals to soldiers who fought in Kursk", "en", "other"),
        # a state that denies, asks or answers
        ("Nepal seeks India's help over its men in Russia's army", "en", "policy"),
        ("Mali yakanusha kuwepo kwa mamluki wa kigeni", "sw", "policy"),
        ("Пакистан опроверг участие своих граждан в войне", "ru", "policy"),
        # the missing are counted with the dead
        ("Two Colombian volunteers missing after battle in Ukraine", "en", "casualties"),
        ("Сирияда кыргызстандык жигит набыт болду", "ky", "casualties"),
        # a call-up to the army is recruiting, not a call on a government
        ("Орусиядагы мигранттар армияга чакырылды", "ky", "recruitment"),
        # an accusation or a trafficking ring broken up is legal action
        ("Businessman faces allegations of luring men to the front", "en", "legal_action"),
        ("Policía desmantela una red que enviaba jóvenes a la guerra", "es", "legal_action"),
        # "Haftar" is a Libyan commander, not German "Haft" (custody)
        ("Mercenaries sent to fight for Haftar in Libya", "en", "recruitment"),
        # folded, Turkish "öldü" ("died") would be "oldu" ("became")
        ("Ukrayna saflarındaki Türk savaşçıların sayısı belli oldu", "tr", "recruitment"),
        ("Rusya saflarında savaşan Nepalli asker hayatını kaybetti", "tr", "casualties"),
    ],
)
def test_events_beyond_the_seven_and_statements_and_the_missing(title: str, lang: str, event: str) -> None:
    assert extract_case(title, "", lang).event == event


@pytest.mark.parametrize(
    ("title", "lang", "destination"),
    [
        # Ukraine's army holding captives: they fought for Russia; its legion's men are its own
        ("乌克兰军队俘虏了三名中国男子", "zh", "russia"),
        ("International Legion fighter captured near Bakhmut", "en", "ukraine"),
        # of the two sides, the one a cue names first
        ("Indians in the Russian army say they were sent against Ukrainian forces", "en", "russia"),
        ("الشباب اليمنيون في صفوف الجيش الروسي", "ar", "russia"),  # "the youth", not al-Shabaab
        ("የዋግነር ተዋጊዎች በማዕከላዊ አፍሪቃ", "am", "wagner_africa"),
        ("Somali soldiers trained in Eritrea fought in Tigray", "en", "other"),
    ],
)
def test_captives_both_sides_and_more_force_names(title: str, lang: str, destination: str) -> None:
    assert extract_case(title, "", lang).destination == destination


@pytest.mark.parametrize(
    ("title", "lang", "expected"),
    [
        ("Russian mercenaries of Wagner arrive in Mali", "en", {"RU"}),  # Wagner's recruits are Russians
        ("Mamluki wa Urusi kutoka kampuni ya Wagner wafika Mali", "sw", {"RU"}),
        ("Afghan commandos trained by the United States join Russia's army", "en", {"AF"}),
        ("Police detain a Chechen suspected of joining ISIS", "en", {"RU"}),
        ("Более того, вербовщики искали казахстанцев", "ru", {"KZ"}),  # "того" is "that", not Togo
    ],
)
def test_wagners_russians_and_america_as_a_place(title: str, lang: str, expected: set[str]) -> None:
    assert set(extract_case(title, "", lang).origin_countries) == expected


@pytest.mark.parametrize(
    ("title", "lang", "count"),
    [
        ("Police arrest 12 recruiters who sent men to Russia's army", "en", None),
        ("На Кубе арестовали 17 человек, которые заманивали мужчин в армию России", "ru", None),
        ("Police arrest 9 men who planned to join ISIS", "en", 9),  # jihadists are arrested for joining
        ("Ukraine's army captured 2 Chinese men fighting for Russia", "en", 2),  # captives are no arrests
    ],
)
def test_people_arrested_in_a_legal_story_recruited_the_men(title: str, lang: str, count: int | None) -> None:
    assert extract_case(title, "", lang).count == count


@pytest.mark.parametrize(
    ("title", "summary", "lang", "expected"),
    [
        # a country named as where something happened is no origin beside the recruits' own
        ("Dos colombianos murieron", "Lo informó la embajada de Colombia en Polonia.", "es", {"CO"}),
        ("Homens nepaleses aliciados", "Alguns viviam no Reino Unido.", "pt", {"NP"}),
        # an Afghan is a person, the bare name of Afghanistan a place
        ("روسيا تجند أفغان للقتال", "", "ar", {"AF"}),
        ("Kerala man arrested in Afghanistan", "", "en", {"IN"}),
        # a country's name followed by its citizens: "US citizens", "ABD vatandaşları"
        ("ABD vatandaşları Ukrayna için savaşıyor", "", "tr", {"US"}),
        # a Sinhala name written with or without the zero-width joiner
        ("ශ්‍රී ලාංකිකයන් රුසියාවේ", "", "si", {"LK"}),
        ("ශ්රී ලාංකිකයන් රුසියාවේ", "", "si", {"LK"}),
    ],
)
def test_places_afghans_and_citizens_after_a_name(
    title: str, summary: str, lang: str, expected: set[str]
) -> None:
    assert set(extract_case(title, summary, lang).origin_countries) == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Matasan Najeriya a yakin Ukraine", "ha", {"NG", "UA"}),  # the news's spelling, not "Nijeriya"
        ("Mayakan Sham sun isa Libiya", "ha", {"SY", "LY"}),  # CLDR's "Sham, Siriya": either name
        ("Myanmar (Burma) fighters and Burmese recruits", "en", {"MM"}),
        ("उज्बेकिस्तान के नागरिक", "hi", {"UZ"}),  # the nukta written or left out
        ("उज़्बेकिस्तान के नागरिक", "hi", {"UZ"}),
        ("Warga Cina bergabung dengan ISIS", "id", {"CN"}),
    ],
)
def test_the_news_spellings_of_country_names(text: str, lang: str, expected: set[str]) -> None:
    assert set(mentioned_countries(text, lang)) == expected


@pytest.mark.parametrize(
    ("title", "lang", "destination"),
    [
        # with no force named, the war whose country the story names
        ("Kenyans who went to Ukraine speak out", "en", "ukraine"),
        ("Kenyans held captive in Ukraine speak out", "en", "russia"),  # Ukraine's captives
        ("Сириядан 40 бала елге оралды", "kk", "isis_jihadist"),
        (
            "Families of Nepalis recruited by Moscow wait for news",
            "en",
            "russia",
        ),  # the capital for the state
    ],
)
def test_the_war_a_story_names_when_no_force_is_named(title: str, lang: str, destination: str) -> None:
    assert extract_case(title, "", lang).destination == destination
