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
