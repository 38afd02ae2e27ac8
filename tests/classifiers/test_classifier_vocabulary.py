"""The shipped multilingual vocabulary: stemmed rules per language, counted once per word."""

from __future__ import annotations

import pytest

from classifiers.default_keywords import default_keywords, vocabulary_languages
from classifiers.rules import compile_rules
from classifiers.types import KeywordSeed
from tests.classifiers.vocabulary_sentences import SENTENCES

REQUIRED_LANGUAGES = (
    "en ru uk ar fa ur hi ne bn si ta es pt fr de nl it pl ro cs sr tr uz kk ky tg ko zh ja sw am so ha id"
    " no sv da"
).split()
# Languages beyond the required ones whose vocabulary also has its test sentences.
TESTED_LANGUAGES = [
    *REQUIRED_LANGUAGES,
    *"yo ka ku be ms tk hy ps gu az ml mr pa te tl sk th he hr el bg fi hu vi".split(),
    *"lv lt et sl mk sq km my".split(),
]


@pytest.fixture(scope="module")
def vocabulary():
    return compile_rules(default_keywords())


def test_the_vocabulary_covers_every_required_language():
    assert set(REQUIRED_LANGUAGES) <= set(vocabulary_languages())
    assert set(REQUIRED_LANGUAGES) <= set(SENTENCES)


@pytest.mark.parametrize("lang", TESTED_LANGUAGES)
def test_each_language_matches_its_topic_sentence_and_not_its_near_miss(vocabulary, lang):
    on_topic, near_miss = SENTENCES[lang]
    assert vocabulary.match(on_topic, lang).score >= 2.0
    miss = vocabulary.match(near_miss, lang)
    assert miss.excluded or miss.score < 1.0


@pytest.mark.parametrize(
    ("lang", "rule", "inflections"),
    [
        ("en", "lure", ["lure", "lured", "lures", "luring"]),
        ("en", "trafficked", ["trafficked", "trafficking"]),
        ("en", "dupe", ["duped", "duping"]),
        ("ru", "вербовщик", ["вербовщик", "вербовщика", "вербовщиков", "вербовщики"]),
        ("es", "reclutar", ["reclutar", "reclutados", "reclutan"]),
        ("de", "söldner", ["Söldner", "Söldnern"]),
    ],
)
def test_a_stemmed_rule_matches_every_inflection(lang, rule, inflections):
    ruleset = compile_rules([KeywordSeed(term=rule, weight=1.0, lang=lang)])
    for word in inflections:
        assert ruleset.match(f"They said {word} here", lang).score == 1.0, word


def test_a_word_counts_once_however_many_rules_match_it():
    ruleset = compile_rules(
        [KeywordSeed(term="mercenar*", weight=2.0), KeywordSeed(term="mercenari*", weight=2.0)]
    )
    match = ruleset.match("A team of mercenaries in a new action film")
    assert len(match.hits) == 2
    assert match.score == 2.0
    assert ruleset.match("mercenaries and, later, more mercenaries").score == 2.0


def test_overlapping_rules_keep_the_strongest_evidence():
    ruleset = compile_rules(
        [KeywordSeed(term="trafficking", weight=1.0), KeywordSeed(term="sex trafficking", weight=-1.5)]
    )
    assert ruleset.match("a sex trafficking ring").score == -1.5
    assert ruleset.match("sex trafficking, and trafficking of men to the front").score == pytest.approx(-0.5)


def test_terms_in_scripts_without_spaces_match_inside_a_run():
    ruleset = compile_rules([KeywordSeed(term="雇佣兵", weight=2.0, lang="zh")])
    assert ruleset.match("多名外国人被骗到俄罗斯参战成为雇佣兵。", "zh").score == 2.0


def test_a_rule_with_a_language_applies_to_that_language_its_kin_and_unknown_text():
    ruleset = compile_rules([KeywordSeed(term="plaćenik", weight=2.0, lang="sr")])
    assert ruleset.match("plaćenik u Ukrajini", "sr").score == 2.0
    assert ruleset.match("plaćenik u Ukrajini", "bs").score == 2.0
    assert ruleset.match("plaćenik u Ukrajini", None).score == 2.0
    assert ruleset.match("plaćenik u Ukrajini", "en").score == 0.0
    assert ruleset.match("plaćenik u Ukrajini", ["en", "hr"]).score == 2.0


def test_zero_width_joiners_do_not_split_a_word():
    ruleset = compile_rules([KeywordSeed(term="ශ්‍රී ලාංකික*", weight=1.0, lang="si")])
    assert ruleset.match("ශ්‍රී ලාංකිකයන් රුසියාවේ", "si").score == 1.0
    assert ruleset.match("ශ්රී ලාංකිකයන්", "si").score == 1.0


def test_the_vocabulary_states_its_near_lists_once_and_every_reference_resolves():
    for seed in default_keywords():
        assert seed.near is None or "@" not in seed.near, seed.term


@pytest.mark.parametrize(
    ("lang", "recruiting", "mutiny"),
    [
        ("en", "Wagner mercenaries recruit men in Mali", "Wagner mercenaries in a mutiny, a march on Moscow"),
        ("ru", "ЧВК Вагнер вербует наемников в Африке", "Мятеж ЧВК Вагнер: бунт наемников Пригожина"),
        ("de", "Wagner-Söldner werben in Mali an", "Meuterei der Wagner-Söldner, Aufstand gegen Moskau"),
        ("es", "Mercenarios de Wagner reclutan en Malí", "Motín de los mercenarios de Wagner contra Moscú"),
        ("zh", "瓦格纳雇佣兵在马里招募", "瓦格纳雇佣兵兵变"),
    ],
)
def test_the_wagner_mutiny_weighs_less_than_wagner_recruiting(vocabulary, lang, recruiting, mutiny):
    assert vocabulary.match(mutiny, lang).score < vocabulary.match(recruiting, lang).score


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Draft dodgers leave Russia for Georgia"),
        ("ru", "Уклонисты от мобилизации уезжают из России"),
        ("uk", "Ухилянти намагаються перетнути кордон"),
        ("zh", "俄罗斯男子逃避兵役前往哈萨克斯坦"),
    ],
)
def test_draft_evaders_count_against_a_story(vocabulary, lang, text):
    assert vocabulary.match(text, lang).score < 0


def test_persian_script_text_typed_with_arabic_kaf_and_yeh_matches_like_its_own_letters(vocabulary):
    own_letters = "چەکدارانی بیانی لە سووریا گیران"
    arabic_keyboard = own_letters.replace("ک", "ك").replace("ی", "ي")
    assert arabic_keyboard != own_letters
    assert vocabulary.match(arabic_keyboard, "ku").score == vocabulary.match(own_letters, "ku").score >= 2.0
    persian_rule = compile_rules([KeywordSeed(term="کمک", weight=1.0, lang="fa")])
    assert persian_rule.match("كمك نظامي", "fa").score == 1.0
    arabic_rule = compile_rules([KeywordSeed(term="كتيبة", weight=1.0, lang="ar")])
    assert arabic_rule.match("كتيبة المرتزقة", "ar").score == 1.0  # Arabic text keeps its letters
