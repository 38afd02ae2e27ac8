"""Feedback head: joins only with enough examples of both classes; versioned by its training set."""

from __future__ import annotations

import json

import pytest

from classifiers.head import train_head
from classifiers.labelled import load_labelled


@pytest.mark.parametrize(("n_relevant", "n_irrelevant"), [(0, 0), (50, 4), (4, 50), (4, 4)])
def test_head_stays_inactive_without_enough_of_both_classes(n_relevant, n_irrelevant, encode, make_examples):
    head = train_head(make_examples(n_relevant, n_irrelevant), encode, "bow", min_per_class=5)
    assert not head.active
    assert (head.n_relevant, head.n_irrelevant) == (n_relevant, n_irrelevant)
    with pytest.raises(RuntimeError, match="not active"):
        head.probabilities(encode(["anything"]))


def test_head_joins_at_the_minimum_and_separates_the_classes(encode, make_examples):
    head = train_head(make_examples(5, 5), encode, "bow", min_per_class=5)
    assert head.active
    probs = head.probabilities(encode(["mercenaries recruited abroad again", "stock market rally today"]))
    assert probs[0] > 0.5 > probs[1]
    assert head.describe()["active"] is True


def test_version_depends_on_the_training_set_not_its_order(encode, make_examples):
    data = make_examples(6, 6)
    version = train_head(data, encode, "bow", 5).version
    assert train_head(list(reversed(data)), encode, "bow", 5).version == version
    assert train_head(data[:-1], encode, "bow", 5).version != version
    assert train_head(data, encode, "other-encoder", 5).version != version
    assert train_head(data, encode, "bow", 5, regularisation=0.1).version != version
    assert train_head(data, encode, "bow", 5, kernel_gamma=6.0).version != version


def test_the_kernel_width_reaches_the_model_and_only_the_e5_head_gets_the_setting(encode, make_examples):
    from classifiers.backends.encoders import E5Encoder, UseEncoder
    from classifiers.factory import head_kernel_gamma
    from classifiers.settings import ClassifierSettings

    settings = ClassifierSettings(head_refine_kernel_gamma=3.5)
    assert head_kernel_gamma(settings, E5Encoder.name) == 3.5
    assert head_kernel_gamma(settings, UseEncoder.name) is None
    data = make_examples(6, 6)
    assert train_head(data, encode, "bow", 5, kernel_gamma=3.5).model.gamma == 3.5
    assert train_head(data, encode, "bow", 5).model.gamma == "scale"


def test_plain_story_label_pairs_are_accepted(encode, make_examples):
    pairs = [(e.story, e.relevant) for e in make_examples(5, 5)]
    assert (
        train_head(pairs, encode, "bow", 5).version
        == train_head(make_examples(5, 5), encode, "bow", 5).version
    )


def test_load_labelled_reads_the_dev_format_and_skips_ambiguous(tmp_path):
    path = tmp_path / "items.jsonl"
    rows = [
        {"id": "x1", "title": "T1", "summary": "S1", "lang": "en", "label": 1, "kind": "positive"},
        {"id": "x2", "title": "T2", "summary": "S2", "lang": "es", "label": "ambiguous", "kind": "ambiguous"},
        {"id": "x3", "title": "T3", "summary": "S3", "label": 0},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    items = load_labelled(path)
    assert [(i.id, i.relevant, i.kind, i.story.lang) for i in items] == [
        ("x1", True, "positive", "en"),
        ("x3", False, None, None),
    ]


def test_load_labelled_names_the_bad_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"title": "a", "summary": "b", "label": 1}\n{"title": "c", "label": 7}\n', encoding="utf-8"
    )
    with pytest.raises(ValueError, match=r"bad.jsonl:2: label must be"):
        load_labelled(path)


def base_from(examples, encode, name="bow"):
    import numpy as np

    from classifiers.base_corpus import BaseVectors, corpus_version

    labels = np.array([e.relevant for e in examples])
    return BaseVectors(encode([e.story.text for e in examples]), labels, name, corpus_version(examples, name))


def test_a_base_corpus_makes_the_head_active_before_any_feedback(encode, make_examples):
    base = base_from(make_examples(6, 6), encode)
    head = train_head([], encode, "bow", min_per_class=20, base=base)
    assert head.active and (head.n_relevant, head.n_irrelevant) == (6, 6)
    assert head.describe()["base_corpus"] == base.version
    probs = head.probabilities(encode(["mercenaries recruited abroad again", "stock market rally today"]))
    assert probs[0] > 0.5 > probs[1]


def test_feedback_adds_to_the_base_and_changes_the_version(encode, make_examples):
    from classifiers.labelled import LabelledStory
    from classifiers.types import StoryText

    base = base_from(make_examples(6, 6), encode)
    alone = train_head([], encode, "bow", 20, base=base)
    # A local judgement the corpus disagrees with: weighted, it moves the head toward it.
    vote = [LabelledStory(StoryText("stock market rally mercenaries", ""), True)]
    voted = train_head(vote, encode, "bow", 20, base=base, example_weight=8.0)
    assert voted.version != alone.version and voted.n_relevant == 7
    text = encode(["stock market rally mercenaries"])
    assert voted.probabilities(text)[0] > alone.probabilities(text)[0]
    assert train_head([], encode, "bow", 20).version != alone.version  # the base is in the version


def test_a_base_of_other_vectors_is_refused(encode, make_examples):
    base = base_from(make_examples(3, 3), encode, name="other")
    with pytest.raises(ValueError, match="holds other vectors"):
        train_head([], encode, "bow", 20, base=base)


def test_vectors_round_trip_through_the_shipped_format(tmp_path, encode, make_examples):
    import numpy as np

    from classifiers.base_corpus import read_base_vectors, save_base_vectors

    examples = make_examples(4, 3)
    vectors = encode([e.story.text for e in examples])
    version = save_base_vectors(tmp_path / "base.npz", vectors, examples, "bow")
    loaded = read_base_vectors(tmp_path / "base.npz")
    assert loaded.version == version and loaded.encoder_name == "bow"
    assert loaded.labels.tolist() == [True] * 4 + [False] * 3
    assert np.allclose(loaded.vectors, vectors, atol=1e-3)
    assert save_base_vectors(tmp_path / "again.npz", vectors[::-1], examples[::-1], "bow") == version


@pytest.mark.parametrize(
    ("encoder_name", "dim"), [("USE-multilingual-v3", 512), ("multilingual-e5-small", 384)]
)
def test_the_shipped_corpus_loads_and_fits_each_head_encoder(encoder_name, dim):
    from classifiers.base_corpus import shipped_base_vectors

    base = shipped_base_vectors(encoder_name)
    assert base is not None, f"the {encoder_name} corpus vectors are missing: run python -m classifiers.train"
    assert base.encoder_name == encoder_name and base.vectors.shape == (len(base.labels), dim)
    assert base.n_relevant >= 300 and base.n_irrelevant >= 300


def test_both_shipped_corpora_hold_the_same_items():
    from classifiers.base_corpus import BASE_CORPUS_FILES, shipped_base_vectors

    labels = [shipped_base_vectors(name).labels.tolist() for name in BASE_CORPUS_FILES]
    assert labels[0] == labels[1]


def test_a_refiner_joins_the_version_and_the_description(encode, make_examples):
    cheap = train_head(make_examples(5, 5), encode, "bow", 5)
    refiner = train_head(make_examples(5, 5), encode, "other-bow", 5)
    head = cheap.with_refiner(refiner)
    assert head.version == f"{cheap.version}+{refiner.version}" and head.refiner is refiner
    assert head.describe()["refiner"]["encoder"] == "other-bow"
    inactive = train_head(make_examples(1, 1), encode, "other-bow", 5)
    assert cheap.with_refiner(inactive).refiner is None
