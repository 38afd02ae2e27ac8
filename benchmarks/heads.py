"""Which model the trained heads should be: heads alone, cross-validated by source domain.

Reads the shipped corpus vectors (``classifiers/data/base_corpus*.npz``, rebuilt by
``python -m classifiers.train``) and the corpus items they came from, and prints, per candidate,
AUC, and F1, precision and recall at the model's own decision point, the share of hard negatives
flagged, recall in the thin languages, and the time to fit on the whole corpus. The RBF kernel's
width gamma matters most for e5, whose vectors all lie close together ("scale" is 1.0 on unit vectors).

    .venv/bin/python benchmarks/heads.py
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from classifiers.crossval import grouped_folds
from classifiers.train import unique_items

ROOT = Path(__file__).resolve().parents[1]
DEV_SET = ROOT.parent / "shared" / "data" / "dev_news.jsonl"
THIN_LANGUAGES = ["so", "am", "tg", "tk", "uz", "kk", "ky", "ku", "ka", "yo"]


def logistic(c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight="balanced", max_iter=2000)


def rbf_svm(c: float, gamma: float | str = "scale") -> Any:
    from sklearn.svm import SVC

    return SVC(C=c, kernel="rbf", gamma=gamma, class_weight="balanced")


def main() -> None:
    from sklearn.metrics import roc_auc_score

    items = unique_items(sorted((ROOT / "data" / "corpus").glob("*.jsonl")), [DEV_SET])
    e5 = np.load(ROOT / "classifiers" / "data" / "base_corpus_e5.npz")["vectors"]
    use_data = np.load(ROOT / "classifiers" / "data" / "base_corpus.npz")
    use, labels = use_data["vectors"], use_data["labels"].astype(int)
    kinds = np.array([item.kind for item in items])
    thin = np.isin([item.story.lang for item in items], THIN_LANGUAGES) & (labels == 1)
    folds = grouped_folds(items, 5)
    candidates: list[tuple[str, np.ndarray, Callable[[], Any]]] = [
        ("e5, logistic regression, C = 16", e5, lambda: logistic(16)),
        ("e5, RBF SVM, C = 4, gamma scale", e5, lambda: rbf_svm(4)),
        ("e5, RBF SVM, C = 4, gamma 2", e5, lambda: rbf_svm(4, 2.0)),
        ("e5, RBF SVM, C = 4, gamma 4", e5, lambda: rbf_svm(4, 4.0)),
        ("e5, RBF SVM, C = 4, gamma 6", e5, lambda: rbf_svm(4, 6.0)),
        ("e5, RBF SVM, C = 4, gamma 8", e5, lambda: rbf_svm(4, 8.0)),
        ("e5, RBF SVM, C = 4, gamma 12", e5, lambda: rbf_svm(4, 12.0)),
        ("e5, RBF SVM, C = 2, gamma 6", e5, lambda: rbf_svm(2, 6.0)),
        ("e5, RBF SVM, C = 8, gamma 6", e5, lambda: rbf_svm(8, 6.0)),
        ("USE, RBF SVM, C = 4, gamma scale", use, lambda: rbf_svm(4)),
        ("USE, RBF SVM, C = 4, gamma 2", use, lambda: rbf_svm(4, 2.0)),
    ]
    print(f"items: {len(items)}  folds: 5, grouped by source domain")
    print("| head | AUC | F1 | precision | recall | hard negatives flagged | recall, thin langs | fit s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, vectors, make in candidates:
        decision = np.zeros(len(labels))
        for fold in folds:
            train = np.setdiff1d(np.arange(len(labels)), fold)
            decision[fold] = make().fit(vectors[train], labels[train]).decision_function(vectors[fold])
        alert = decision >= 0
        recall, precision = alert[labels == 1].mean(), labels[alert].mean()
        started = time.perf_counter()
        make().fit(vectors, labels)
        fit_seconds = time.perf_counter() - started
        print(
            f"| {name} | {roc_auc_score(labels, decision):.3f} | "
            f"{2 * recall * precision / (recall + precision):.3f} | {precision:.3f} | "
            f"{recall:.3f} | {alert[kinds == 'hard_negative'].mean():.1%} | {alert[thin].mean():.3f} | "
            f"{fit_seconds:.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
