"""Countries a story names that are not the recruits' home: a source, a place in a list, a word that
only contains a country's name (sentences written for these tests)."""

from __future__ import annotations

import pytest

from cases import extract_case


@pytest.mark.parametrize(
    ("title", "summary", "lang", "origins"),
    [
        # South Korea's spy agency reports on North Korea's soldiers
        (
            "Tình báo Hàn Quốc nói về binh sĩ Triều Tiên",
            "Binh sĩ Triều Tiên chiến đấu cho Nga.",
            "vi",
            ("KP",),
        ),
        (
            "Des soldats nord-coréens tués, selon la Corée du Sud",
            "Ils combattaient pour la Russie.",
            "fr",
            ("KP",),
        ),
        # South Koreans who volunteer for Ukraine stay theirs
        ("South Korean volunteers join Ukraine's legion", "Dozens of South Koreans applied.", "en", ("KR",)),
    ],
)
def test_south_korea_is_the_source_on_north_koreas_soldiers(
    title: str, summary: str, lang: str, origins: tuple[str, ...]
) -> None:
    assert extract_case(title, summary, lang).origin_countries == origins


@pytest.mark.parametrize(
    ("text", "lang", "origins"),
    [
        # "in" governs the whole list of places
        ("Kenyan men were promised jobs in Germany, Poland or Dubai", "en", ("KE",)),
        ("Беларускія добраахвотнікі выступілі у Польшчы, Літве і Чэхіі", "be", ("BY",)),
        # Estonian "läbi" (through) before a name, as the folded text spells it
        ("Eesti vabatahtlik sõitis läbi Poola Ukrainasse", "et", ("EE",)),
    ],
)
def test_a_list_of_places_after_in_is_no_origin(text: str, lang: str, origins: tuple[str, ...]) -> None:
    assert extract_case(text, "", lang).origin_countries == origins


def test_a_list_after_recruiting_in_stays_the_recruits() -> None:
    facts = extract_case("Nepali men and recruiting in Kenya, Uganda and Rwanda", "", "en")
    assert {"NP", "RW", "UG"} <= set(facts.origin_countries)


@pytest.mark.parametrize(
    ("text", "lang", "origins"),
    [
        # Tamil "குற்றச்சாட்டு" (accusation) holds "சாட்" (Chad) after a vowel sign
        ("இலங்கையர்கள் மீது குற்றச்சாட்டு", "ta", ("LK",)),
        # Finnish "puolella" (on the side of) begins like "Puola" (Poland)
        ("Suomalainen mies taisteli ukrainalaisten puolella", "fi", ("FI",)),
        # Uzbek "суриштирув" (investigation) begins like "Сурия" (Syria)
        ("Суриштирув давомида ўзбекистонлик йигитлар аниқланди", "uz", ("UZ",)),
    ],
)
def test_a_word_that_only_contains_a_countrys_name(text: str, lang: str, origins: tuple[str, ...]) -> None:
    assert extract_case(text, "", lang).origin_countries == origins
