"""Rules with marked Latin letters also match text written without the marks (URL slugs, text typed
without accents), once per word, with the story's own letters in the evidence (sentences written for
these tests)."""

from __future__ import annotations

import pytest

from classifiers.default_keywords import default_keywords
from classifiers.rules import compile_rules
from classifiers.textnorm import without_accents
from classifiers.types import KeywordSeed


@pytest.mark.parametrize(
    ("marked", "plain"),
    [
        ("žoldnéř", "zoldner"),
        ("lính đánh thuê", "linh danh thue"),
        ("żołnierz", "zolnierz"),
        ("đorđe", "dorde"),
    ],
)
def test_without_accents_keeps_one_letter_for_one(marked, plain):
    assert without_accents(marked) == plain
    assert len(without_accents(marked)) == len(marked)


def test_without_accents_leaves_other_scripts_alone():
    text = "наёмники مرتزقة 傭兵 भाड़े"
    assert without_accents(text) == text


@pytest.mark.parametrize(
    ("term", "lang", "text"),
    [
        ("žoldnéř*", "cs", "cesti zoldneri na ukrajine"),  # a Czech slug
        ("najemników", "pl", "werbunek najemnikow do rosyjskiej armii"),  # Polish without ogonek
        ("lính đánh thuê", "vi", "nga tuyen linh danh thue nuoc ngoai"),  # Vietnamese without tones
        ("mercenários", "pt", "mercenarios colombianos na ucrania"),  # Portuguese typed without accents
    ],
)
def test_a_marked_rule_matches_the_same_words_without_marks(make_rule, term, lang, text):
    match = compile_rules([make_rule(term, lang=lang)]).match(text, lang)
    assert [hit.term for hit in match.hits] == [term]
    assert match.score == 1.0


def test_a_word_both_twins_match_counts_once_and_shows_its_own_letters(make_rule):
    match = compile_rules([make_rule("mercenários", lang="pt")]).match("Mercenários e mercenarios", "pt")
    assert match.score == 1.0
    [hit] = match.hits
    assert [span.text for span in hit.spans] == ["mercenários", "mercenarios"]


def test_near_words_without_marks_count_too(make_rule):
    rule = make_rule("najemni*", lang="pl", near="żołnierz*|wojsk*", window=5)
    assert compile_rules([rule]).match("najemnicy i zolnierze z rosji", "pl").score == 1.0


def test_an_unmarked_rule_has_no_twin_and_the_count_is_the_admins(make_rule):
    rules = compile_rules([make_rule("mercenary"), make_rule("mercenário", lang="pt")])
    assert len(rules) == 2
    assert compile_rules([make_rule("mercenary")]).match("mercenary").score == 1.0


def test_the_fingerprint_changes_with_the_twins():
    """Verdicts stored under the rules as matched before are reclassified: their fingerprint differs."""
    plain = compile_rules([KeywordSeed(term="mercenary")]).fingerprint
    marked = compile_rules([KeywordSeed(term="mercenário", lang="pt")]).fingerprint
    assert plain != marked


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("cesti dobrovolnici odjeli bojovat za ukrajinu jako zoldneri", "cs"),
        ("nga tuyen mo linh danh thue nuoc ngoai cho chien truong ukraine", "vi"),
        ("mercenarios colombianos reclutados para la guerra en sudan", "es"),
    ],
)
def test_the_shipped_vocabulary_meets_slug_titles(text, lang):
    assert compile_rules(default_keywords()).match(text, lang).score > 0
