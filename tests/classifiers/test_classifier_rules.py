"""Keyword rules: Unicode folding, wildcards, phrases, proximity, language, exclusions, safety."""

from __future__ import annotations

import contextlib
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifiers.rules import MAX_NEAR_ALTERNATIVES, MAX_NEAR_CHARS, MAX_RULES, MAX_TERM_CHARS, compile_rules
from classifiers.settings import ClassifierSettings
from classifiers.types import KeywordRuleLike, KeywordSeed


def matched_terms(rules, text, lang=None):
    return [hit.term for hit in compile_rules(rules).match(text, lang).hits]


def test_storage_records_satisfy_the_protocol(make_rule):
    record = make_rule("mercenary")
    assert isinstance(record, KeywordRuleLike)
    assert compile_rules([record]).match("A mercenary was paid").score == 1.0


@pytest.mark.parametrize(
    "text",
    ["MERCENARY", "Mercenary", "ＭＥＲＣＥＮＡＲＹ", "the mercenary's pay", "(mercenary)"],
)
def test_terms_match_case_and_width_insensitively(make_rule, text):
    assert matched_terms([make_rule("mercenary")], text) == ["mercenary"]


def test_terms_match_whole_words_only(make_rule):
    assert matched_terms([make_rule("war")], "a warm award") == []
    assert matched_terms([make_rule("war")], "the war, again") == ["war"]


def test_wildcard_matches_any_ending_but_not_a_longer_start(make_rule):
    rules = [make_rule("recruit*")]
    for text in ("recruited", "recruiters", "RECRUITMENT", "recruit"):
        assert matched_terms(rules, text) == ["recruit*"]
    assert matched_terms(rules, "prerecruited") == []


def test_russian_yo_and_ye_are_one_letter(make_rule):
    assert matched_terms([make_rule("наемник*")], "НАЁМНИКИ из Непала") == ["наемник*"]


def test_devanagari_words_with_vowel_signs_match_as_whole_words(make_rule):
    # Vowel signs are combining marks; a naive \\w boundary would split these words.
    assert matched_terms([make_rule("सेना")], "रूसी सेना में भर्ती") == ["सेना"]
    assert matched_terms([make_rule("सेना")], "सेनापति ने कहा") == []
    assert matched_terms([make_rule("सेना*")], "रुसी सेनामा भर्ती") == ["सेना*"]


def test_precomposed_and_decomposed_nukta_are_the_same_text(make_rule):
    precomposed = "\u095c"  # DEVANAGARI LETTER DDDHA
    decomposed = "\u0921\u093c"
    assert matched_terms([make_rule(f"भा{precomposed}े")], f"भा{decomposed}े के सैनिक")


def test_phrases_match_across_any_punctuation_but_not_across_title_and_summary(make_rule):
    rules = [make_rule("al-Qaeda"), make_rule("sent to the front")]
    assert matched_terms(rules, "an al Qaeda cell") == ["al-Qaeda"]
    assert matched_terms(rules, "men sent to — the front") == ["sent to the front"]
    assert matched_terms(rules, "men were sent to the\nfront page") == []


def test_spans_point_into_the_folded_text(make_rule):
    match = compile_rules([make_rule("recruit*")]).match("Two RECRUITERS and one recruit")
    spans = match.hits[0].spans
    assert [(s.start, s.end, s.text) for s in spans] == [(4, 14, "recruiters"), (23, 30, "recruit")]


def test_proximity_counts_only_within_the_window(make_rule):
    rules = [make_rule("recruit*", near="army|front line", window=3)]
    assert matched_terms(rules, "men recruited into the army") == ["recruit*"]
    assert matched_terms(rules, "army says it recruited men") == ["recruit*"]
    assert matched_terms(rules, "men recruited for a job far away from any army") == []
    assert matched_terms(rules, "recruited, sent to the front line") == []  # 4 words away
    assert matched_terms(
        [make_rule("recruit*", near="front line", window=4)], "recruited, sent to the front line"
    )


def test_proximity_ignores_the_term_overlapping_its_own_context(make_rule):
    rules = [make_rule("army recruit*", near="army", window=5)]
    assert matched_terms(rules, "army recruitment is down") == []


def test_proximity_counts_beside_the_term_inside_a_run_without_spaces(make_rule):
    rules = [make_rule("招募*", near="俄罗斯|军队", window=2, lang="zh")]
    assert matched_terms(rules, "俄罗斯军队招募外国人", "zh") == ["招募*"]
    assert matched_terms(rules, "公司招募员工", "zh") == []
    thai = [make_rule("ถูกหลอก*", near="รัสเซีย", window=2, lang="th")]
    assert matched_terms(thai, "ชายไทยถูกหลอกไปรบให้รัสเซีย", "th") == ["ถูกหลอก*"]


def test_rules_for_another_language_are_skipped_but_unknown_language_gets_all(make_rule):
    rules = [make_rule("frente", lang="es"), make_rule("front", lang="en")]
    assert matched_terms(rules, "frente front", "es-MX") == ["frente"]
    assert matched_terms(rules, "frente front", "en") == ["front"]
    assert matched_terms(rules, "frente front", None) == ["frente", "front"]


def test_scores_sum_weights_once_per_rule_and_exclusions_do_not_add(make_rule):
    rules = [
        make_rule("mercenary", weight=2.0),
        make_rule("smuggl*", weight=-1.5),
        make_rule("foreign player*", exclude=True, weight=3.0),
    ]
    ruleset = compile_rules(rules)
    assert ruleset.match("mercenary, mercenary, mercenary").score == 2.0
    assert ruleset.match("mercenary smugglers").score == pytest.approx(0.5)
    vetoed = ruleset.match("mercenary rules for foreign players")
    assert vetoed.excluded and vetoed.score == 2.0
    assert vetoed.to_dict()["excluded"] is True


def test_fingerprint_ignores_order_but_not_content(make_rule):
    a, b = make_rule("mercenary"), make_rule("recruit*", near="army")
    assert compile_rules([a, b]).fingerprint == compile_rules([b, a]).fingerprint
    assert compile_rules([a]).fingerprint != compile_rules([make_rule("mercenary", weight=2)]).fingerprint


_TOO_MANY_NEAR = "|".join(f"w{i}" for i in range(MAX_NEAR_ALTERNATIVES + 1))


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"term": "(a+)+$"}, "not allowed"),
        ({"term": "recruit.*"}, "only allowed at the end of a word"),
        ({"term": "*cruit"}, "only allowed at the end of a word"),
        ({"term": "re*cruit"}, "only allowed at the end of a word"),
        ({"term": "a*"}, "at least 2 characters"),
        ({"term": "   "}, "empty"),
        ({"term": "- - -"}, "no letters or digits"),
        ({"term": "x" * (MAX_TERM_CHARS + 1)}, "longer than"),
        ({"term": "war", "weight": float("nan")}, "weight"),
        ({"term": "war", "weight": 1e6}, "weight"),
        ({"term": "war", "lang": "english!"}, "language code"),
        ({"term": "war", "near": "army|[a-z]+"}, "not allowed"),
        ({"term": "war", "near": _TOO_MANY_NEAR}, "alternatives"),
        ({"term": "war", "near": "|".join(["a" * 90] * 12)}, f"longer than {MAX_NEAR_CHARS}"),
        ({"term": "war", "near": "army", "window": 0}, "window"),
        ({"term": "war", "near": "army", "window": 1000}, "window"),
    ],
)
def test_bad_rules_are_rejected_with_a_clear_value_error(make_rule, rule, message):
    with pytest.raises(ValueError, match=message):
        compile_rules([make_rule(**rule)])


def test_rule_count_is_bounded(make_rule):
    compile_rules([make_rule(f"term{i}") for i in range(MAX_RULES)])
    with pytest.raises(ValueError, match="too many"):
        compile_rules([make_rule(f"term{i}") for i in range(MAX_RULES + 1)])


def test_the_shipped_default_rules_compile():
    ruleset = compile_rules(ClassifierSettings().keywords)
    assert len(ruleset) == len(ClassifierSettings().keywords)
    assert ruleset.match("Nepali men recruited by the Russian army as mercenaries").score >= 3


def test_pathological_texts_match_quickly(make_rule):
    long_phrase = compile_rules([make_rule(" ".join(["a"] * 40) + " bb*", near="a|aa*", window=50)])
    everywhere = compile_rules([make_rule("a", near="a", window=1)])
    text = "a " * 20_000 + "bb"
    started = time.perf_counter()
    assert long_phrase.match(text).hits
    assert len(everywhere.match(text).hits[0].spans) == 20_000
    one_run = compile_rules([make_rule("ก", near="ก", window=1)]).match("ก" * 20_000)  # one "word"
    assert len(one_run.hits[0].spans) == 20_000
    assert time.perf_counter() - started < 5.0  # quadratic matching would take minutes


_term_text = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Z"))
    | st.sampled_from("*|-. "),
    max_size=120,
)


@settings(max_examples=300, deadline=None)
@given(term=_term_text, near=st.none() | _term_text, window=st.none() | st.integers(-5, 80))
def test_any_term_compiles_or_raises_value_error(term, near, window):
    with contextlib.suppress(ValueError):  # anything else fails the test
        compile_rules([KeywordSeed(term=term, near=near, window=window)])


@settings(max_examples=200, deadline=None)  # hangs are caught by the suite timeout
@given(
    terms=st.lists(
        st.from_regex(r"[a-zа-я]{2,6}\*?( [a-zа-я]{2,6}\*?)?", fullmatch=True), min_size=1, max_size=8
    ),
    text=st.text(max_size=2000),
)
def test_matching_any_text_never_raises_and_is_fast(terms, text):
    ruleset = compile_rules([KeywordSeed(term=t, near="war|арми*", window=5) for t in terms])
    match = ruleset.match(text, "xx")
    assert all(span.text for hit in match.hits for span in hit.spans)
