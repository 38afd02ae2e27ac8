from storage.ranking import MATCH_MARK, relevance_scores

M = MATCH_MARK


def test_title_matches_outweigh_summary_matches_and_repetition_saturates() -> None:
    scores = relevance_scores(
        [
            (1, f"{M}mercenaries return home", "families wait at the airport"),
            (2, "families wait at the airport", f"{M}mercenaries return home"),
            (3, f"{M}mercenaries {M}mercenaries", f"{M}mercenaries " * 20),
        ]
    )
    assert scores[1] > scores[2]
    assert scores[3] > scores[1]
    assert all(score < 2.2 for score in scores.values())  # saturation: a score never reaches k1 + 1


def test_shorter_stories_with_the_same_matches_rank_higher() -> None:
    long_summary = "word " * 200
    scores = relevance_scores([(1, f"{M}wagner recruits", "short"), (2, f"{M}wagner recruits", long_summary)])
    assert scores[1] > scores[2]


def test_no_candidates() -> None:
    assert relevance_scores([]) == {}
