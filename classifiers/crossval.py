"""Cross-validation with folds grouped by source domain.

Outlets copy one another's stories and one outlet words its stories alike: a fold that
held an outlet's items on both sides would measure memory, not generalisation. Every
item of one domain therefore sits in one fold, and each fold's classifier is built
from the other folds only.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from urllib.parse import urlsplit

from classifiers.evaluate import EvalReport, score_verdicts
from classifiers.labelled import LabelledStory
from classifiers.types import Classifier, Verdict

BuildClassifier = Callable[[Sequence[LabelledStory]], Classifier]


def source_domain(item: LabelledStory) -> str:
    """The item's outlet: its URL's host without ``www.`` (an item without a URL is its own group)."""
    host = (urlsplit(item.url).hostname or "") if item.url else ""
    host = host.removeprefix("www.").removeprefix("m.").removeprefix("amp.")
    return host or f"no-url:{item.id or item.story.title}"


def grouped_folds(items: Sequence[LabelledStory], k: int) -> list[list[int]]:
    """``k`` folds of item indices; a domain never spans two folds; fold sizes are balanced.

    Largest domains are placed first, each into the currently smallest fold (ties broken by
    fold number, domains of equal size by name), so the split is deterministic.
    """
    if k < 2:
        raise ValueError(f"--cv needs at least 2 folds, got {k}")
    by_domain: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        by_domain[source_domain(item)].append(index)
    if len(by_domain) < k:
        raise ValueError(f"--cv {k}: only {len(by_domain)} source domains, fewer than the folds")
    folds: list[list[int]] = [[] for _ in range(k)]
    for _, indices in sorted(by_domain.items(), key=lambda pair: (-len(pair[1]), pair[0])):
        min(folds, key=len).extend(indices)
    return [sorted(fold) for fold in folds]


def cross_validate(items: Sequence[LabelledStory], k: int, build: BuildClassifier) -> EvalReport:
    """Score every item with a classifier that never saw its domain; one report over all folds."""
    verdicts: list[Verdict | None] = [None] * len(items)
    elapsed = 0.0
    for fold in grouped_folds(items, k):
        held_out = set(fold)
        classifier = build([item for i, item in enumerate(items) if i not in held_out])
        started = time.perf_counter()
        fold_verdicts = classifier.classify_batch([items[i].story for i in fold])
        for index, verdict in zip(fold, fold_verdicts, strict=True):
            verdicts[index] = verdict
        elapsed += time.perf_counter() - started
    scored = [verdict for verdict in verdicts if verdict is not None]
    return replace(score_verdicts(items, scored, elapsed), folds=k)
