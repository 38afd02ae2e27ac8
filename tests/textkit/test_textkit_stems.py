"""Content-word stems, shared by the event clusters and the storylines."""

from __future__ import annotations

from textkit.stems import content_stems, stem_similarity, word_stem


def test_stems_meet_across_inflections_and_skip_function_words() -> None:
    assert word_stem("Russian") == word_stem("Russia") == "russi"
    assert word_stem("the") is None and word_stem("to") is None and word_stem("12") == "12"
    assert content_stems("The Nepali men of Nepal") == {"nepal", "men"}


def test_a_word_keeps_its_combining_marks() -> None:
    """Devanagari's vowel signs are marks: without them a Hindi word fell apart into letters."""
    assert content_stems("नेपाली युवाओं को रूसी सेना") == {"नेपाल", "युवाओ", "रूसी", "सेना"}


def test_similarity_is_the_share_of_stems_in_common() -> None:
    assert stem_similarity(frozenset({"a", "b"}), frozenset({"b", "c"})) == 1 / 3
    assert stem_similarity(frozenset(), frozenset()) == 0.0
