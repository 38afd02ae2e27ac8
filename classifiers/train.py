"""Rebuild the shipped head's corpus vectors, and fit the fusion weights on held-out evidence.

    .venv/bin/python -m classifiers.train data/corpus/*.jsonl \\
        --exclude ../shared/data/dev_news.jsonl --fit-fusion 5

writes ``classifiers/data/base_corpus.npz`` (multilingual USE vectors + labels of the corpus)
and, with ``--fit-fusion K``, prints the fusion weights that a logistic regression finds on
out-of-fold evidence: rule sums, zero-shot logits and the logit of a head trained without the
item's source domain (folds grouped as in ``warwatch eval --cv``). The weights are printed, not
written: a person reads them and decides what becomes the default.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from classifiers.backends.encoders import UseEncoder
from classifiers.base_corpus import BASE_CORPUS_FILE, save_base_vectors
from classifiers.crossval import grouped_folds
from classifiers.fusion import logit
from classifiers.labelled import LabelledStory, load_labelled
from classifiers.language import rule_languages
from classifiers.settings import ClassifierSettings

DEFAULT_OUT = Path(__file__).parent / "data" / BASE_CORPUS_FILE


def unique_items(paths: Sequence[Path], exclude: Sequence[Path]) -> list[LabelledStory]:
    """Items of ``paths`` once each (by URL and by title), none sharing a URL or title with ``exclude``."""
    seen_urls: set[str] = set()
    seen_titles: set[str] = set()
    for path in exclude:
        for item in load_labelled(path):
            seen_urls.add(item.url or "")
            seen_titles.add(item.story.title.casefold())
    kept = []
    for path in paths:
        for item in load_labelled(path):
            title = item.story.title.casefold()
            if (item.url and item.url in seen_urls) or title in seen_titles:
                continue
            seen_urls.add(item.url or "")
            seen_titles.add(title)
            kept.append(item)
    return kept


def fusion_features(
    items: Sequence[LabelledStory], vectors: np.ndarray, settings: ClassifierSettings, folds: int
) -> np.ndarray:
    """Per item: clipped rule sum, zero-shot logit (known / unknown language), out-of-fold head logit."""
    from classifiers.factory import build_backend
    from classifiers.head import train_head
    from classifiers.rules import compile_rules

    rules = compile_rules(settings.keywords)
    cap = settings.fusion.rules_cap
    rule_sums = [rules.match(i.story.text, rule_languages(i.story)).score for i in items]
    zero_shot = build_backend(settings).scores([i.story for i in items])
    head_logits = np.zeros(len(items))
    by_text = dict(zip((i.story.text for i in items), vectors, strict=True))
    for fold in grouped_folds(items, folds):
        held_out = set(fold)
        train = [item for index, item in enumerate(items) if index not in held_out]
        head = train_head(train, lambda texts: np.stack([by_text[t] for t in texts]), UseEncoder.name, 1)
        probabilities = head.probabilities(vectors[fold])
        head_logits[fold] = [logit(float(p)) for p in probabilities]
    rows = []
    for rule_sum, score, head_logit in zip(rule_sums, zero_shot, head_logits, strict=True):
        zs = logit(score.probability)
        rows.append(
            [
                min(max(rule_sum, -cap), cap),
                zs if score.lang_supported else 0.0,
                0.0 if score.lang_supported else zs,
                head_logit,
            ]
        )
    return np.array(rows)


def fit_fusion(features: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """Weights of the fusion formula that best predict the labels (a lightly regularised logistic fit)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=10.0, class_weight="balanced", max_iter=1000).fit(features, labels)
    rules, zero_shot, unsupported, head = (round(float(w), 3) for w in model.coef_[0])
    return {
        "bias": round(float(model.intercept_[0]), 3),
        "rules": rules,
        "zero_shot": zero_shot,
        "zero_shot_unsupported_lang": unsupported,
        "head": head,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m classifiers.train", description=__doc__)
    parser.add_argument("corpus", nargs="+", type=Path, help="labelled JSONL files")
    parser.add_argument(
        "--exclude", nargs="*", type=Path, default=[], help="test sets: no item may share theirs"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--fit-fusion", type=int, metavar="K", help="print fusion weights fitted over K folds"
    )
    args = parser.parse_args(argv)

    from classifiers.factory import use_encoder

    settings = ClassifierSettings()
    items = unique_items(args.corpus, args.exclude)
    vectors = use_encoder(settings.batch_size, settings.threads).encode([i.story.text for i in items])
    version = save_base_vectors(args.out, vectors, items, UseEncoder.name)
    positives = sum(item.relevant for item in items)
    print(
        json.dumps(
            {"written": str(args.out), "version": version, "items": len(items), "positives": positives}
        )
    )
    if args.fit_fusion:
        labels = np.array([item.relevant for item in items], dtype=int)
        weights = fit_fusion(fusion_features(items, vectors, settings, args.fit_fusion), labels)
        print(json.dumps({"fitted_fusion": weights}))


if __name__ == "__main__":
    main()
