"""The number of people a story states, in digits or words, in several languages (sentences written
for these tests)."""

from __future__ import annotations

import pytest

from cases.counts import stated_count


@pytest.mark.parametrize(
    ("text", "lang", "count"),
    [
        ("Two Colombian men were killed near the front", "en", 2),
        ("Пятеро граждан задержаны на границе", "ru", 5),
        ("Há registo de sete voluntários portugueses", "pt", 7),
        ("Wakenya watatu wafariki vitani", "sw", 3),
        ("乌克兰称两名中国公民被俘", "zh", 2),
        ("सेनामा गएका १२ जना नेपाली", "ne", 12),
        ("२ सय नेपाली युवा", "ne", 200),
        ("تجنيد 5 آلاف شاب للقتال", "ar", 5000),
        ("북한군 1만 1천명 배치", "ko", 11000),
        ("Van 27 colombianos muertos este año", "es", 27),
        ("raia wake 200 wamejiunga na jeshi", "sw", 200),
        ("وصل العدد إلى 2000 مرتزق", "ar", 2000),  # a year-like number right before a word for people
        ("morreram dez brasileiros", "pt", 10),
        ("um dos mais de 200 quenianos", "pt", 200),
    ],
)
def test_numbers_in_digits_or_words_next_to_a_word_for_people(text: str, lang: str, count: int) -> None:
    assert stated_count(text, lang)[0] == count


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("A 27-year-old man from Chennai was deported", "en"),
        ("Задержан 27-летний житель области", "ru"),
        ("42-letni ochotnik zginął", "pl"),
        ("乌克兰11日证实中国公民被俘", "zh"),
        ("Ucrânia prende dos cidadãos indianos", "pt"),  # "dos" is "of the" in Portuguese
        ("70 % of the fighters were former soldiers", "en"),
        ("70 à 80 % d'anciens combattants", "fr"),
        ("Służył w 92. brygadzie, z nim kilku żołnierzy", "pl"),  # an ordinal
        ("来自50个国家和地区的志愿者", "zh"),
    ],
)
def test_ages_dates_shares_and_other_languages_words_are_no_headcount(text: str, lang: str) -> None:
    assert stated_count(text, lang)[0] is None
