"""Cross-validation: folds grouped by source domain, each fold scored by a classifier built without it."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from classifiers.crossval import cross_validate, grouped_folds, source_domain
from classifiers.labelled import LabelledStory
from classifiers.types import StoryText, Verdict


def item(url: str | None, title: str, relevant: bool = True) -> LabelledStory:
    return LabelledStory(
        StoryText(title, "", "en"), relevant, "positive" if relevant else "easy_negative", url=url
    )


ITEMS = [
    item("https://www.alpha.example/1", "a1"),
    item("https://alpha.example/2", "a2", False),
    item("https://m.alpha.example/3", "a3"),
    item("https://beta.example/1", "b1"),
    item("https://beta.example/2", "b2", False),
    item("https://gamma.example/1", "g1"),
    item("https://delta.example/1", "d1", False),
    item(None, "no url"),
]


def test_source_domain_drops_mobile_and_www_prefixes():
    assert {source_domain(i) for i in ITEMS[:3]} == {"alpha.example"}
    assert source_domain(ITEMS[-1]) == "no-url:no url"


def test_a_domain_never_spans_two_folds_and_every_item_is_in_one():
    folds = grouped_folds(ITEMS, 3)
    assert sorted(i for fold in folds for i in fold) == list(range(len(ITEMS)))
    fold_of = {i: n for n, fold in enumerate(folds) for i in fold}
    for a in range(len(ITEMS)):
        for b in range(len(ITEMS)):
            if source_domain(ITEMS[a]) == source_domain(ITEMS[b]):
                assert fold_of[a] == fold_of[b]
    assert max(map(len, folds)) - min(map(len, folds)) <= 3  # the biggest domain has three items
    assert grouped_folds(list(ITEMS), 3) == folds  # deterministic


def test_too_few_domains_or_folds_is_a_clear_error():
    with pytest.raises(ValueError, match="only 5 source domains"):
        grouped_folds(ITEMS, 6)
    with pytest.raises(ValueError, match="at least 2 folds"):
        grouped_folds(ITEMS, 1)


class Memoriser:
    """Flags exactly the titles it was trained on as relevant: perfect in-sample, useless held out."""

    def __init__(self, train: Sequence[LabelledStory]) -> None:
        self.known = {i.story.title for i in train if i.relevant}

    def classify_batch(self, texts: Sequence[StoryText]) -> list[Verdict]:
        return [Verdict(1.0, s.title in self.known, {}, "memo", "v1") for s in texts]


def test_each_fold_is_scored_by_a_classifier_that_never_saw_its_domains():
    trained_on: list[set[str]] = []

    def build(train: Sequence[LabelledStory]) -> Memoriser:
        trained_on.append({source_domain(i) for i in train})
        return Memoriser(train)

    report = cross_validate(ITEMS, 3, build)
    assert len(trained_on) == 3
    for fold, domains in zip(grouped_folds(ITEMS, 3), trained_on, strict=True):
        assert not domains & {source_domain(ITEMS[i]) for i in fold}
    assert report.recall == 0.0 and report.folds == 3  # memorising wins nothing held out
    assert report.to_json()["cv_folds"] == 3
