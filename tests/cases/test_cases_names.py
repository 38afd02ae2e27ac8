"""Names and named recruiters from a story's capitals, in sentence case, title case and other languages."""

from __future__ import annotations

import pytest

from cases import extract_case
from cases.names import name_key, story_names


@pytest.mark.parametrize(
    ("text", "lang", "names", "recruiters"),
    [
        (
            "Nepal police arrest recruiter Ramesh Thapa for sending men to the Russian army",
            "en",
            ("Ramesh Thapa",),
            ("Ramesh Thapa",),
        ),
        (  # a headline capitalises every word: only the words after the cue are a name
            "Nepal Police Arrest Recruiter Ramesh Thapa Over Russia Jobs",
            "en",
            ("Ramesh Thapa",),
            ("Ramesh Thapa",),
        ),
        (  # "a recruiter" after the name; an agency by its name's ending; a village mid-sentence
            "Officers said Ramesh Thapa, a local recruiter, took money from families in Dhading. "
            "Global Manpower Services was shut.",
            "en",
            ("Ramesh Thapa", "Dhading", "Global Manpower"),
            ("Ramesh Thapa", "Global Manpower"),
        ),
        ("Вербовщик Иван Петров задержан. Он отправлял непальцев в армию РФ", "ru", ("Иван Петров",), None),
        ("Der Anwerber Hans Müller wurde in Berlin verhaftet", "de", ("Hans Müller",), ("Hans Müller",)),
        # country words, institutions and the forces of this topic are not names
        ("12 Nepali men killed fighting in the Russian army, the Defence Ministry said", "en", (), ()),
        ("The Kathmandu District Court heard the case of Indian Gurkha Soldiers", "en", ("Kathmandu",), ()),
        ("नेपाली युवाओं को रूसी सेना में भर्ती किया गया", "hi", (), ()),  # no capitals, no names
    ],
)
def test_names_are_runs_of_capitalised_words_that_are_not_countries_or_institutions(
    text: str, lang: str, names: tuple[str, ...], recruiters: tuple[str, ...] | None
) -> None:
    found = story_names(text, lang)
    assert found.names == names
    assert found.recruiters == (names if recruiters is None else recruiters)


def test_a_surname_is_part_of_the_full_name() -> None:
    assert name_key("Thapa") <= name_key("Ramesh THAPA")
    assert not name_key("Ramesh Karki") <= name_key("Ramesh Thapa")


def test_case_facts_carry_the_named_recruiters() -> None:
    facts = extract_case("Recruiter Ramesh Thapa charged over Nepali men sent to Russia", "", "en")
    assert facts.recruiters == ("Ramesh Thapa",) and facts.to_dict()["recruiters"] == ["Ramesh Thapa"]
    assert extract_case("12 Nepali men killed in the Russian army", "", "en").to_dict()["recruiters"] == []
