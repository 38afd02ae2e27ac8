"""The storyline join rule on the stories of one case weeks apart, and on look-alikes of another."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cases import extract_case
from cases.storylines import StorylineRule, facts_agree

START = datetime(2025, 1, 6, tzinfo=UTC)
ARREST = (
    "Nepal police arrest recruiter Ramesh Thapa for sending men to the Russian army",
    "Police in Kathmandu said Thapa took money from 40 families in Dhading and sent their sons to Russia.",
)
CHARGE = (
    "Recruiter Ramesh Thapa charged with human trafficking over Nepalis sent to Russia",
    "Prosecutors in Kathmandu charged Ramesh Thapa with trafficking 40 Nepali men to the Russian army.",
)
SENTENCE = (
    "Court sentences Ramesh Thapa to 12 years for sending Nepali men to fight for Russia",
    "The Kathmandu District Court found the recruiter guilty of human trafficking.",
)
UNRELATED = (  # the same countries and force, another case
    "12 Nepali men killed fighting in the Russian army, families say",
    "Families in Nepal say their sons, recruited with promises of jobs, died on the front line.",
)


@dataclass(frozen=True)
class Story:
    story_id: int
    storyline_id: int | None
    title: str
    summary: str
    language: str | None
    published_at: datetime
    origin_countries: tuple[str, ...]
    destination: str


def story(story_id: int, text: tuple[str, str], weeks: float, storyline: int | None = None) -> Story:
    facts = extract_case(*text, "en")
    at = START + timedelta(weeks=weeks)
    return Story(story_id, storyline, *text, "en", at, facts.origin_countries, facts.destination)


def test_an_arrest_charge_and_sentence_weeks_apart_link_and_an_unrelated_story_does_not() -> None:
    rule = StorylineRule()
    arrest = story(1, ARREST, 0, storyline=10)
    charge = story(2, CHARGE, 3)
    assert rule.links(charge, [arrest]) == [10]
    sentence = story(3, SENTENCE, 7)
    assert rule.links(sentence, [arrest, story(2, CHARGE, 3, storyline=10)]) == [10]
    assert rule.links(story(4, UNRELATED, 7.5), [arrest, story(3, SENTENCE, 7, storyline=10)]) == []


def test_the_window_bounds_a_link() -> None:
    arrest = story(1, ARREST, 0, storyline=10)
    assert StorylineRule().links(story(2, CHARGE, 9), [arrest]) == []
    assert StorylineRule(timedelta(weeks=10)).links(story(2, CHARGE, 9), [arrest]) == [10]


def test_facts_must_agree_and_the_most_alike_storyline_comes_first() -> None:
    kenyan = Story(5, 11, *CHARGE, "en", START, ("KE",), "russia")  # the same words, another country
    assert not facts_agree(story(2, CHARGE, 1), kenyan)
    assert facts_agree(story(2, CHARGE, 1), Story(6, 12, *CHARGE, "en", START, (), "unknown"))
    arrest, sentence = story(1, ARREST, 0, storyline=20), story(3, SENTENCE, 1, storyline=10)
    assert StorylineRule().links(story(2, CHARGE, 0.5), [sentence, arrest, kenyan]) == [20, 10]


def test_near_identical_texts_link_without_a_name() -> None:
    text = ("नेपाली युवाओं को रूसी सेना में भर्ती किया गया", "परिवारों ने सरकार से मदद मांगी")
    first = Story(1, 7, *text, "hi", START, ("NP",), "russia")
    again = Story(2, None, *text, "hi", START + timedelta(weeks=2), ("NP",), "russia")
    assert StorylineRule().links(again, [first]) == [7]


def test_a_name_many_storylines_give_is_a_public_figures_and_links_nothing() -> None:
    events = ["men killed", "recruits missing", "families protest", "bodies returned", "new recruits leave"]
    quoted = [
        Story(n, 100 + n, f"Nepal: {event}", f"Nepali {event} in Russia's army, said Maria Lopez of the UN.",
              "en", START, ("NP",), "russia")
        for n, event in enumerate(events)
    ]  # fmt: skip
    new = Story(
        9, None, "Maria Lopez of the UN speaks on Nepali recruits", "", "en", START, ("NP",), "russia"
    )
    assert StorylineRule().links(new, quoted[:1]) == [100]  # one storyline names her: a shared name
    assert StorylineRule().links(new, quoted) == []  # five do: she is quoted everywhere


def test_short_texts_do_not_link_on_their_words_alone() -> None:
    short = ("Nepali recruits missing", "")
    first = Story(1, 7, *short, "en", START, ("NP",), "russia")
    again = Story(2, None, *short, "en", START, ("NP",), "russia")
    assert StorylineRule().links(again, [first]) == []
