"""Countries named as a story's source or as where the men went, not as their home: a newspaper or a
news site named with its title between ("صحيفة لوفيغارو الفرنسية"), and a country after "to" ("до
Литви"), unless it ends a range "from … to …" (sentences written for these tests)."""

from __future__ import annotations

import pytest

from cases import extract_case


@pytest.mark.parametrize(
    ("title", "summary", "lang", "origins"),
    [
        # the paper's title stands between the word for it and its country's adjective
        (
            "Colombian fighters in Sudan",
            "The newspaper Le Monde's French edition says 300 Colombian veterans fight beside the RSF.",
            "en",
            ("CO",),
        ),
        (
            "مرتزقة كولومبيون في السودان",
            "ذكرت صحيفة لوفيغارو الفرنسية أن مئات المقاتلين الكولومبيين يقاتلون مع الدعم السريع في السودان.",
            "ar",
            ("CO",),
        ),
        # a news portal is a source as a newspaper is
        (
            "Kenianer an der Front",
            "Wie das polnische Portal Onet berichtet, wurden Kenianer in die russische Armee gelockt.",
            "de",
            ("KE",),
        ),
    ],
)
def test_a_source_named_with_its_title_is_not_an_origin(
    title: str, summary: str, lang: str, origins: tuple[str, ...]
) -> None:
    assert extract_case(title, summary, lang).origin_countries == origins


@pytest.mark.parametrize(
    ("title", "summary", "lang", "origins"),
    [
        (
            "Belarusian volunteers head for the front",
            "Belarusian volunteers who had moved to Poland are now joining the Kalinouski regiment.",
            "en",
            ("BY",),
        ),
        (
            "Білоруські добровольці їдуть на фронт",
            "Білоруські добровольці, які виїхали до Литви, вступають до полку Калиновського.",
            "uk",
            ("BY",),
        ),
    ],
)
def test_a_country_the_men_went_to_is_not_their_home(
    title: str, summary: str, lang: str, origins: tuple[str, ...]
) -> None:
    assert extract_case(title, summary, lang).origin_countries == origins


def test_a_range_from_one_country_to_another_names_homes() -> None:
    facts = extract_case(
        "Volunteers join the International Legion",
        "They came from Canada to Australia, and all of them joined the International Legion of Ukraine.",
        "en",
    )
    assert facts.origin_countries == ("AU", "CA")


def test_a_country_named_only_after_to_still_counts_when_no_other_is() -> None:
    """A place is the men's country only when the story names no other: "return to Nepal" alone
    still says where they are from."""
    facts = extract_case("Men recruited by Russia's army return to Nepal", "Five men came home.", "en")
    assert facts.origin_countries == ("NP",)
