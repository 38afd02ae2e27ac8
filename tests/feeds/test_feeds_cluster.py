"""Clustering on real-looking pairs: same event in other words joins, other events do not."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta

import pytest
from datasketch import MinHash

from feeds.cluster import StoryClusterer, StoryText, _signatures, _stem_hash, extract_features

T0 = datetime(2025, 3, 1, tzinfo=UTC)
WINDOW = timedelta(hours=72)

SAME_EVENT = [
    (
        "Nepal asks Russia to return citizens recruited to fight in Ukraine. Kathmandu has asked Moscow to "
        "send "
        "back hundreds of Nepali nationals who joined the Russian army, after at least 12 were killed on "
        "the front line.",
        "Nepal urges Moscow to send home Nepalis serving in Russian army. Nepal's foreign ministry called "
        "on Russia "
        "to repatriate Nepali citizens recruited into its military and fighting in Ukraine, saying 12 have "
        "died.",
    ),
    (
        "Indian men duped into fighting for Russia, families say. Relatives of seven men from Punjab say "
        "they were "
        "tricked by an agent who promised them jobs in Russia and were forced to join the army in Ukraine.",
        "Seven Punjab men tricked into Russian army by job agent, relatives claim. Families in Punjab say "
        "an agent "
        "lured seven young men to Russia with promises of work, only for them to be sent to fight in "
        "Ukraine.",
    ),
    (
        "Cuba arrests 17 over trafficking network recruiting Cubans for Russia's war. Cuban authorities "
        "said they had "
        "detained 17 people suspected of running a human trafficking ring that recruited Cuban citizens to "
        "fight "
        "for Russia in Ukraine.",
        "Havana detains 17 in human trafficking ring sending Cubans to fight in Ukraine. Seventeen people "
        "have been "
        "arrested in Cuba accused of trafficking Cuban men to Russia to serve in its army against Ukraine, "
        "the "
        "interior ministry said.",
    ),
]

DIFFERENT_EVENTS = [
    (
        SAME_EVENT[0][0],
        "India asks Russia to release citizens recruited to fight in Ukraine. New Delhi has asked Moscow to "
        "discharge "
        "dozens of Indian nationals who joined the Russian army after being promised jobs as helpers.",
    ),
    (
        SAME_EVENT[2][0],
        "Sri Lanka arrests two retired soldiers for trafficking men to Russia's war. Police in Colombo said "
        "two former "
        "army officers were detained on suspicion of recruiting Sri Lankan veterans to fight for Russia in "
        "Ukraine.",
    ),
    (
        SAME_EVENT[1][0],
        "Kenyan men duped into fighting for Russia, families say. Relatives of four men from Nairobi say "
        "they were "
        "tricked by an agent who promised them jobs in Poland and ended up in the Russian army.",
    ),
]


@pytest.mark.parametrize(("first", "second"), SAME_EVENT)
def test_same_event_from_two_outlets_joins_one_cluster(first: str, second: str) -> None:
    clusterer = StoryClusterer(WINDOW, 0.3)
    assert clusterer.assign(1, first, T0) == 1
    assert clusterer.assign(2, second, T0 + timedelta(hours=5)) == 1


@pytest.mark.parametrize(("first", "second"), DIFFERENT_EVENTS)
def test_same_topic_different_events_stay_apart(first: str, second: str) -> None:
    clusterer = StoryClusterer(WINDOW, 0.3)
    clusterer.assign(1, first, T0)
    assert clusterer.assign(2, second, T0 + timedelta(hours=1)) == 2


def test_stories_outside_the_window_start_a_new_cluster() -> None:
    clusterer = StoryClusterer(WINDOW, 0.3)
    clusterer.assign(1, SAME_EVENT[0][0], T0)
    assert clusterer.assign(2, SAME_EVENT[0][1], T0 + timedelta(hours=80)) == 2


def test_third_story_joins_the_first_cluster_and_keys_are_stable() -> None:
    clusterer = StoryClusterer(WINDOW, 0.3)
    clusterer.assign(10, SAME_EVENT[0][0], T0)
    clusterer.assign(11, SAME_EVENT[0][1], T0 + timedelta(hours=1))
    assert clusterer.assign(12, SAME_EVENT[0][0].upper(), T0 + timedelta(hours=2)) == 10
    assert clusterer.assign(11, "anything", T0) == 10  # already known: same answer


def test_near_identical_headlines_cluster_even_with_different_summaries() -> None:
    clusterer = StoryClusterer(WINDOW, 0.3)
    title = "Nepal asks Russia to return citizens recruited to fight in Ukraine"
    clusterer.assign(1, f"{title}. Kathmandu wants hundreds of Nepali nationals back.", T0, title=title)
    second = title.replace("asks", "formally asks")
    text = f"{second}. The Nepal foreign ministry wrote to Moscow about recruited Nepalis in Ukraine."
    assert clusterer.assign(2, text, T0, title=second) == 1


def test_forget_before_bounds_memory_and_rebuild_restores_clusters() -> None:
    clusterer = StoryClusterer(WINDOW, 0.3)
    for key, (first, second) in enumerate(SAME_EVENT):
        clusterer.assign(key * 2, first, T0 + timedelta(hours=key))
        clusterer.assign(key * 2 + 1, second, T0 + timedelta(hours=key, minutes=30))
    assert len(clusterer) == 6
    assert clusterer.forget_before(T0 + timedelta(hours=1, minutes=1)) == 3
    assert len(clusterer) == 3

    rebuilt = StoryClusterer(WINDOW, 0.3)
    stored = [(4, SAME_EVENT[2][0], T0 + timedelta(hours=2))]
    for key, text, at in stored:
        rebuilt.assign(key, text, at)
    assert rebuilt.assign(99, SAME_EVENT[2][1], T0 + timedelta(hours=3)) == 4


def test_empty_text_never_matches() -> None:
    clusterer = StoryClusterer(WINDOW, 0.3)
    assert clusterer.assign(1, "", T0) == 1
    assert clusterer.assign(2, "...", T0) == 2


def test_features_weight_names_and_numbers() -> None:
    features = extract_features("Officials said 12 men from Nepal were sent to Russia.")
    assert {"nepal", "russi", "12"} <= features.entities
    assert "offic" not in features.entities  # sentence-initial capital is not a name
    assert "the" not in features.shingles


def _filler(index: int) -> str:
    """A story about nothing else: words no other story uses."""
    return " ".join(f"w{index}x{word}" for word in range(12))


def test_stories_join_across_batches_of_the_index_and_after_forgetting() -> None:
    clusterer = StoryClusterer(WINDOW, 0.3)
    clusterer.assign(1, SAME_EVENT[0][0], T0)
    for key in range(100, 1300):  # more stories than one buffer of the index holds
        assert clusterer.assign(key, _filler(key), T0 + timedelta(minutes=1)) == key
    assert clusterer.assign(2, SAME_EVENT[0][1], T0 + timedelta(hours=1)) == 1
    assert clusterer.forget_before(T0 + timedelta(seconds=30)) == 1  # story 1 goes, 2 stays
    assert clusterer.assign(3, SAME_EVENT[0][0], T0 + timedelta(hours=2)) == 1  # via story 2
    assert clusterer.forget_before(T0 + timedelta(hours=3)) == 1202  # the fillers, 2 and 3
    assert len(clusterer) == 0
    # A key seen before, forgotten, and given again starts afresh from its new text.
    assert clusterer.assign(1, SAME_EVENT[1][0], T0 + timedelta(hours=4)) == 1
    assert clusterer.assign(4, SAME_EVENT[1][1], T0 + timedelta(hours=5)) == 1
    assert clusterer.assign(5, SAME_EVENT[0][1], T0 + timedelta(hours=5)) == 5


def _letters(number: int, count: int) -> str:
    """``number`` written in ``count`` letters: a word, and a stem, of its own."""
    return "".join("abcdefghijklmnopqrstuvwxyz"[number // 26**power % 26] for power in range(count))


def _look_alike(index: int, text: str, place: str) -> str:
    """``text`` about another place and toll: the same words, names that disagree."""
    return text.replace(place, "Q" + _letters(index, 4)).replace(" 12 ", f" {1000 + index} ")


def test_a_copy_joins_its_event_after_thousands_of_look_alikes() -> None:
    """The look-alikes fill most of the story's buckets; the wire copy still finds the story through
    the rarer ones, however many newer stories the shared buckets hold."""
    story = SAME_EVENT[1][0]
    copy = story.replace(" say ", " said on Monday ") + " Police are looking for the agent."
    clusterer = StoryClusterer(WINDOW, 0.3)
    clusterer.assign(1, story, T0)
    for key in range(100, 3100):
        assert clusterer.assign(key, _look_alike(key, story, "Punjab"), T0 + timedelta(minutes=1)) == key
    assert clusterer.assign(2, copy, T0 + timedelta(hours=1)) == 1


def _seconds_per_story(clusterer: StoryClusterer, keys: range) -> float:
    started = time.process_time()
    for key in keys:
        assert clusterer.assign(key, _look_alike(key, SAME_EVENT[0][0], "Nepal"), T0) == key
    return (time.process_time() - started) / len(keys)


def test_huge_buckets_do_not_make_clustering_quadratic() -> None:
    """Comparing with every story of a shared bucket made each story cost in proportion to the
    window's stories: with 6 000 look-alikes indexed, twenty times as much as with 300."""
    clusterer = StoryClusterer(WINDOW, 0.3)
    few = _seconds_per_story(clusterer, range(300))
    _seconds_per_story(clusterer, range(300, 6000))
    many = _seconds_per_story(clusterer, range(6000, 6300))
    assert many < 4 * few


def test_the_likeliest_candidates_are_compared_not_only_the_newest() -> None:
    """Hundreds of newer stories share a band or two with the copy (their names disagree); the story
    it copies shares most of its bands, and is compared first."""
    story = SAME_EVENT[2][0]
    copy = story.replace(" said ", " announced ") + " The ring's leaders are in custody."
    words = [word.lower() for word in story.split() if not word.isdigit()]
    clusterer = StoryClusterer(WINDOW, 0.3)
    clusterer.assign(1, story, T0)
    for key in range(100, 400):
        shared = " ".join(random.Random(key).sample(words, len(words) // 2))
        own = " ".join(_letters(key * 16 + position, 5) for position in range(8))
        names = f"Q{_letters(key, 4)} Z{_letters(key, 4)}"
        assert clusterer.assign(key, f"{shared} {own}, said {names}.", T0 + timedelta(minutes=1)) == key
    assert clusterer.assign(2, copy, T0 + timedelta(hours=1)) == 1


def test_signatures_of_many_stories_at_once_are_those_of_datasketch() -> None:
    texts = [*(text for pair in SAME_EVENT for text in pair), "", "12", _filler(1)]
    shingle_sets = [extract_features(text).shingles for text in texts]
    signatures = _signatures(shingle_sets, MinHash(num_perm=128).permutations)
    for shingles, signature in zip(shingle_sets, signatures, strict=True):
        one = MinHash(num_perm=128, hashfunc=_stem_hash)
        one.update_batch(shingles)
        assert one.hashvalues.dtype == signature.dtype and (one.hashvalues == signature).all()


def test_stories_assigned_together_cluster_as_one_after_the_other() -> None:
    stories = [
        StoryText(key, text, T0 + timedelta(minutes=key), title=text.split(".")[0])
        for key, text in enumerate(
            [text for pair in SAME_EVENT for text in pair] + [_filler(index) for index in range(150)]
        )
    ]
    stories.append(stories[1])  # a key given twice gets its first cluster
    one_by_one = StoryClusterer(WINDOW, 0.3)
    expected = [one_by_one.assign(story.key, story.text, story.at, title=story.title) for story in stories]
    assert StoryClusterer(WINDOW, 0.3).assign_all(stories) == expected
    assert expected[:6] == [0, 0, 2, 2, 4, 4]


def test_forgotten_stories_are_never_joined() -> None:
    clusterer = StoryClusterer(WINDOW, 0.3)
    clusterer.assign(1, SAME_EVENT[0][0], T0)
    clusterer.forget([1, 7])  # a key never assigned is no error
    assert len(clusterer) == 0
    assert clusterer.assign(2, SAME_EVENT[0][1], T0) == 2
