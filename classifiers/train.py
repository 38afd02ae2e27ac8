"""Rebuild the shipped head's corpus vectors, and fit the fusion weights on held-out evidence.

    .venv/bin/python -m classifiers.train data/corpus/*.jsonl \\
        --exclude ../shared/data/dev_news.jsonl --fit-fusion 5

writes ``classifiers/data/base_corpus.npz`` and ``base_corpus_e5.npz`` (the corpus's multilingual
USE and e5 vectors, with its labels) and, with ``--fit-fusion K``, prints the fusion weights that a
logistic regression finds on out-of-fold evidence: rule sums, zero-shot logits and the logit of
an e5 head trained without the item's source domain (folds grouped as in ``warwatch eval --cv``;
e5 because the e5 head decides every story near the threshold). The weights are printed, not
written: a person reads them and decides what becomes the default.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from classifiers.backends.encoders import E5Encoder, UseEncoder
from classifiers.base_corpus import BASE_CORPUS_FILES, save_base_vectors
from classifiers.crossval import grouped_folds
from classifiers.fusion import logit
from classifiers.labelled import LabelledStory, load_labelled
from classifiers.language import rule_languages
from classifiers.settings import ClassifierSettings

DEFAULT_OUT_DIR = Path(__file__).parent / "data"


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
    items: Sequence[LabelledStory],
    vectors: np.ndarray,
    encoder_name: str,
    settings: ClassifierSettings,
    folds: Sequence[Sequence[int]],
) -> np.ndarray:
    """Per item: clipped rule sum, zero-shot logit (known / unknown language), out-of-fold head logit."""
    from classifiers.factory import build_backend
    from classifiers.rules import compile_rules

    rules = compile_rules(settings.keywords)
    cap = settings.fusion.rules_cap
    rule_sums = [rules.match(i.story.text, rule_languages(i.story)).score for i in items]
    zero_shot = build_backend(settings).scores([i.story for i in items])
    head_logits = out_of_fold_head_logits(items, vectors, encoder_name, settings, folds)
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


def out_of_fold_head_logits(
    items: Sequence[LabelledStory],
    vectors: np.ndarray,
    encoder_name: str,
    settings: ClassifierSettings,
    folds: Sequence[Sequence[int]],
) -> np.ndarray:
    """Per item, the logit of a head trained on ``vectors`` of the other folds only."""
    from classifiers.factory import head_kernel_gamma
    from classifiers.head import train_head

    head_logits = np.zeros(len(items))
    by_text = dict(zip((i.story.text for i in items), vectors, strict=True))
    for fold in folds:
        held_out = set(fold)
        train = [item for index, item in enumerate(items) if index not in held_out]
        head = train_head(
            train,
            lambda texts: np.stack([by_text[t] for t in texts]),
            encoder_name,
            1,
            settings.head_regularisation,
            head_kernel_gamma(settings, encoder_name),
        )
        probabilities = head.probabilities(vectors[fold])
        head_logits[fold] = [logit(float(p)) for p in probabilities]
    return head_logits


def fit_fusion(
    features: np.ndarray,
    labels: np.ndarray,
    hard_negative: np.ndarray,
    folds: Sequence[Sequence[int]],
    max_hard_negative_rate: float,
) -> dict[str, Any]:
    """Fusion weights that best predict the labels, with the bias lowered to an operating point.

    A balanced logistic fit puts the threshold where recall and specificity trade evenly; on
    close-but-wrong stories (hard negatives) that alerts too often for an analyst's inbox. The
    bias is lowered until at most ``max_hard_negative_rate`` of the hard negatives would alert,
    judged out of fold (each fold scored by weights fitted on the others).
    """
    from sklearn.linear_model import LogisticRegression

    def fitted(rows: np.ndarray) -> LogisticRegression:
        model = LogisticRegression(C=10.0, class_weight="balanced", max_iter=1000)
        return model.fit(features[rows], labels[rows])

    out_of_fold = np.zeros(len(labels))
    for fold in folds:
        out_of_fold[fold] = fitted(np.setdiff1d(np.arange(len(labels)), fold)).decision_function(
            features[fold]
        )
    shift = max(0.0, float(np.quantile(out_of_fold[hard_negative], 1.0 - max_hard_negative_rate)))
    alerts = out_of_fold >= shift
    model = fitted(np.arange(len(labels)))
    rules, zero_shot, unsupported, head = (round(float(w), 3) for w in model.coef_[0])
    return {
        "bias": round(float(model.intercept_[0]) - shift, 3),
        "rules": rules,
        "zero_shot": zero_shot,
        "zero_shot_unsupported_lang": unsupported,
        "head": head,
        "bias_lowered_by": round(shift, 3),
        "out_of_fold": {
            "recall": round(float(alerts[labels == 1].mean()), 4),
            "precision": round(float(labels[alerts].mean()), 4),
            "hard_negatives_flagged": round(float(alerts[hard_negative].mean()), 4),
        },
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m classifiers.train", description=__doc__)
    parser.add_argument("corpus", nargs="+", type=Path, help="labelled JSONL files")
    parser.add_argument(
        "--exclude", nargs="*", type=Path, default=[], help="test sets: no item may share theirs"
    )
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR)
    parser.add_argument(
        "--fit-fusion", type=int, metavar="K", help="print fusion weights fitted over K folds"
    )
    parser.add_argument(
        "--max-hard-negative-rate",
        type=float,
        default=0.1,
        help="operating point of --fit-fusion: at most this share of hard negatives alerts (out of fold)",
    )
    args = parser.parse_args(argv)

    from classifiers.factory import head_encoder

    settings = ClassifierSettings()
    items = unique_items(args.corpus, args.exclude)
    positives = sum(item.relevant for item in items)
    vectors = {}
    for name, file_name in BASE_CORPUS_FILES.items():
        vectors[name] = head_encoder(settings, name).encode([i.story.text for i in items])
        out = args.out_dir / file_name
        version = save_base_vectors(out, vectors[name], items, name)
        print(
            json.dumps({"written": str(out), "version": version, "items": len(items), "positives": positives})
        )
    if args.fit_fusion:
        labels = np.array([item.relevant for item in items], dtype=int)
        name = E5Encoder.name if settings.head_refine else UseEncoder.name
        folds = grouped_folds(items, args.fit_fusion)
        features = fusion_features(items, vectors[name], name, settings, folds)
        hard = np.array([item.kind == "hard_negative" for item in items])
        weights = fit_fusion(features, labels, hard, folds, args.max_hard_negative_rate)
        if name == E5Encoder.name:  # the e5 head decides the stories near the threshold
            weights["refined_head"] = weights.pop("head")
        print(json.dumps({"fitted_fusion": weights}))


if __name__ == "__main__":
    main()
