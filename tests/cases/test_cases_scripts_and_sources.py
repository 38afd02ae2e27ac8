"""Scripts written without spaces that put the word for people first (Thai, Lao, Khmer),
countries added to the table, recruiters convicted "for recruiting", the sources that report, the
forces named in the languages beyond the first thirty, and event cues (sentences written for these
tests)."""

from __future__ import annotations

import pytest

from cases import extract_case


@pytest.mark.parametrize(
    ("title", "lang", "origins"),
    [
        ("คนไทยสองคนเสียชีวิตในสงคราม", "th", ("TH",)),
        ("ชาวเนปาลถูกหลอกไปรบ", "th", ("NP",)),
        ("ทหารรับจ้างสัญชาติจีนถูกจับ", "th", ("CN",)),
        ("ជនជាតិចិនពីរនាក់ត្រូវបានចាប់ខ្លួន", "km", ("CN",)),
        ("ຊາວລາວຖືກຫລອກໄປຮົບ", "lo", ("LA",)),
        # a country named as a place, with no word for its people, is not the recruits'
        ("สถานทูตรัสเซียประจำประเทศไทยเตือนทหารรับจ้าง", "th", ()),
        ("Israeli volunteer killed near Bakhmut", "en", ("IL",)),
        ("Slovenian fighters joined the jihadists in Syria", "en", ("SI",)),
        ("Singaporean man detained for planning to join ISIS", "en", ("SG",)),
        ("Dva crnogorska dobrovoljca poginula na frontu", "sr", ("ME",)),
        ("Dva slovenska prostovoljca sta padla na fronti", "sl", ("SI",)),
        # the source that reports is not the recruits' country, even when it is the only one named
        (
            "Russland wirbt Migranten für die Front an, meldet das britische Verteidigungsministerium",
            "de",
            (),
        ),
        ("Rusko verbuje migranty na frontu, uvádí britská rozvědka", "cs", ()),
        ("Rusland ronselt migranten voor het front, schrijft een Britse krant", "nl", ()),
        # nor the country whose army fights the recruits, a country crossed, or words that only look
        # like a name (Estonian "pole", "is not"; Yoruba "silẹ", not Chile)
        ("Philippine army kills two Malaysian militants linked to ISIS", "en", ("MY",)),
        ("Two Belgians travelled through Romania to Syria to join ISIS", "en", ("BE",)),
        ("Eesti vabatahtlik: sõda pole veel lõppenud", "et", ("EE",)),
        ("Awọn ọmọ Naijiria forukọ silẹ lati ja ni Ukraine", "yo", ("NG",)),
    ],
)
def test_origins(title: str, lang: str, origins: tuple[str, ...]) -> None:
    assert extract_case(title, "", lang).origin_countries == origins


def test_a_dateline_is_not_the_recruits_home() -> None:
    summary = "Kathmandu. About 3,000 Americans answered Ukraine's call for volunteers, its embassy said."
    facts = extract_case("American citizens to fight for Ukraine", summary, "en")
    assert facts.origin_countries == ("US",)


@pytest.mark.parametrize(
    ("title", "lang", "count"),
    [
        ("Four agents jailed for recruiting Nepalis into the Russian army", "en", None),
        ("Пятеро осуждены за вербовку граждан в ИГИЛ", "ru", None),
        ("Cinco detenidos por reclutar jóvenes para el ejército ruso", "es", None),
        # those convicted for joining are the recruits
        ("Two Indians convicted for joining ISIS", "en", 2),
        # numbers written as words in Estonian and Pashto
        ("Kolm Eesti vabatahtlikku hukkus Ukrainas", "et", 3),
        ("پنځه افغانان په سوریه کې ووژل شول", "ps", 5),
    ],
)
def test_headcounts(title: str, lang: str, count: int | None) -> None:
    assert extract_case(title, "", lang).count == count


@pytest.mark.parametrize(
    ("title", "lang", "destination"),
    [
        ("Két magyar harcol az ukrán hadseregben Oroszország ellen", "hu", "ukraine"),
        ("ชาวไทยเข้าร่วมกองทัพยูเครนเพื่อสู้กับรัสเซีย", "th", "ukraine"),
        ("បុរសបីនាក់ចូលរួមកងទ័ពរុស្ស៊ី", "km", "russia"),
        ("Čech odsouzen za členství v Islámském státu", "cs", "isis_jihadist"),
        ("Η Βάγκνερ στρατολογεί στην Αφρική", "el", "wagner_africa"),
        ("Người Việt chiến đấu trong quân đội Ukraine chống lại Nga", "vi", "ukraine"),
        # a side named by whom it fights, or as a side ("on Russia's side", "pro-Russian")
        ("ქართველი მებრძოლები რუსეთის წინააღმდეგ იბრძვიან", "ka", "ukraine"),
        ("Azərbaycanlı könüllülər Rusiya ordusuna qarşı döyüşür", "az", "ukraine"),
        ("Иностранные добровольцы воюют на стороне России в Украине", "ru", "russia"),
        ("Slovák bojoval na Ukrajine v radoch proruských separatistov", "sk", "russia"),
    ],
)
def test_forces_in_more_languages(title: str, lang: str, destination: str) -> None:
    assert extract_case(title, "", lang).destination == destination


@pytest.mark.parametrize(
    ("title", "lang", "event"),
    [
        ("Жителя Перми наказали за вербовку наемников", "ru", "legal_action"),
        ("Prezidentka povolila dvom Slovákom službu v ukrajinskej armáde", "sk", "policy"),
        ("Ukraine's embassy recruits volunteers in Bangkok", "en", "recruitment"),
        ("بهرني جنګیالي د طالبانو په لیکو کې جګړه کوي", "ps", "recruitment"),
        ("Пяцёра беларусаў загінулі пад Бахмутам", "be", "casualties"),
        ("Мигранттар Орусия армиясына чакырылууда", "ky", "recruitment"),
    ],
)
def test_events(title: str, lang: str, event: str) -> None:
    assert extract_case(title, "", lang).event == event
