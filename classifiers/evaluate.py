"""Evaluate a classifier on a labelled JSONL file: quality per kind and language, and speed.

``python -m classifiers.evaluate FILE.jsonl [--json] [--part 1/2]`` runs the default
cascade; the app's ``warwatch eval`` calls :func:`evaluate` and :func:`report_table`.
"""

from __future__ import annotations

import argparse
import json
import time
import zlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rich.console import Group
from rich.table import Table

from classifiers.labelled import LabelledStory, load_labelled
from classifiers.types import Classifier, Verdict

__all__ = ["EvalReport", "evaluate", "load_labelled", "report_table", "score_verdicts"]

BOOTSTRAP_ROUNDS = 1000


@dataclass(frozen=True)
class EvalReport:
    """Precision/recall/F1 for label 1, flagged rate per kind, per-language recall and false-alert
    rate, bootstrap 95 % intervals, throughput; ``folds`` is set for a cross-validated report."""

    precision: float
    recall: float
    f1: float
    stories_per_second: float
    by_kind: dict[str, dict[str, float]]
    by_lang: dict[str, dict[str, float]]
    n: int
    model_name: str = ""
    model_version: str = ""
    missed: list[str] = field(default_factory=list)
    false_alerts: list[str] = field(default_factory=list)
    intervals: dict[str, list[float]] = field(default_factory=dict)
    by_lang_negatives: dict[str, dict[str, float]] = field(default_factory=dict)
    folds: int | None = None

    @property
    def non_english_recall(self) -> float:
        positives = {lang: v for lang, v in self.by_lang.items() if lang != "en"}
        total = sum(v["n"] for v in positives.values())
        return sum(v["recall"] * v["n"] for v in positives.values()) / total if total else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "stories_per_second": round(self.stories_per_second, 1),
            "by_kind": self.by_kind,
            "by_lang": self.by_lang,
            "non_english_recall": round(self.non_english_recall, 4),
            "n": self.n,
            "model_name": self.model_name,
            "model_version": self.model_version,
            "missed": self.missed,
            "false_alerts": self.false_alerts,
            "by_lang_negatives": self.by_lang_negatives,
            "intervals_95": self.intervals,
            "cv_folds": self.folds,
        }


def _label(item: LabelledStory, index: int) -> str:
    return item.id or f"#{index + 1}: {item.story.title[:60]}"


def evaluate(classifier: Classifier, items: Sequence[LabelledStory]) -> EvalReport:
    """Classify ``items`` in one batch (after an untimed warm-up on the first 16) and score the verdicts."""
    if not items:
        raise ValueError("nothing to evaluate: no labelled items")
    stories = [item.story for item in items]
    classifier.classify_batch(stories[:16])  # one-off work (loading models, label vectors) is not speed
    started = time.perf_counter()
    verdicts: list[Verdict] = classifier.classify_batch(stories)
    return score_verdicts(items, verdicts, time.perf_counter() - started)


def _point_metrics(
    relevant: np.ndarray, alert: np.ndarray, kinds: np.ndarray, english: np.ndarray
) -> dict[str, float]:
    """The headline figures of one (re)sample; columns are aligned boolean/str arrays."""
    tp = float(np.sum(relevant & alert))
    flagged, positives = float(alert.sum()), float(relevant.sum())
    precision = tp / flagged if flagged else 0.0
    recall = tp / positives if positives else 0.0
    non_english = relevant & ~english
    metrics = {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "non_english_recall": float(alert[non_english].mean()) if non_english.any() else 0.0,
    }
    for kind in ("hard_negative", "easy_negative"):
        of_kind = kinds == kind
        if of_kind.any():
            metrics[f"{kind}_flagged_rate"] = float(alert[of_kind].mean())
    return metrics


def bootstrap_intervals(
    items: Sequence[LabelledStory], alerts: Sequence[bool], rounds: int = BOOTSTRAP_ROUNDS, seed: int = 0
) -> dict[str, list[float]]:
    """95 % percentile-bootstrap intervals of the headline figures (items resampled with replacement).

    They say how far a figure could move on another sample of news like this one; a fixed
    seed makes a report reproducible.
    """
    relevant = np.array([item.relevant for item in items])
    alert = np.array(alerts, dtype=bool)
    kinds = np.array([item.kind or "" for item in items])
    english = np.array([(item.story.lang or "") == "en" for item in items])
    rng = np.random.default_rng(seed)
    samples: dict[str, list[float]] = defaultdict(list)
    for _ in range(rounds):
        pick = rng.integers(0, len(items), len(items))
        for name, value in _point_metrics(relevant[pick], alert[pick], kinds[pick], english[pick]).items():
            samples[name].append(value)
    return {
        name: [round(float(np.percentile(values, 2.5)), 4), round(float(np.percentile(values, 97.5)), 4)]
        for name, values in samples.items()
    }


def _rates(counts: dict[str, list[int]], name: str) -> dict[str, dict[str, float]]:
    """``{key: {"n": n, name: hits / n}}`` from ``{key: [n, hits]}``, keys sorted."""
    return {key: {"n": n, name: round(hit / n, 4)} for key, (n, hit) in sorted(counts.items())}


def score_verdicts(items: Sequence[LabelledStory], verdicts: Sequence[Verdict], elapsed: float) -> EvalReport:
    """The report for ``verdicts`` (aligned with ``items``) that took ``elapsed`` seconds."""
    tp = sum(1 for item, v in zip(items, verdicts, strict=True) if item.relevant and v.alert)
    flagged = sum(1 for v in verdicts if v.alert)
    positives = sum(1 for item in items if item.relevant)
    precision = tp / flagged if flagged else 0.0
    recall = tp / positives if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    kind_counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    lang_counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    negative_lang_counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item, verdict in zip(items, verdicts, strict=True):
        kind = item.kind or ("positive" if item.relevant else "negative")
        kind_counts[kind][0] += 1
        kind_counts[kind][1] += verdict.alert
        counts = lang_counts if item.relevant else negative_lang_counts
        counts[item.story.lang or "unknown"][0] += 1
        counts[item.story.lang or "unknown"][1] += verdict.alert
    first = verdicts[0]
    return EvalReport(
        precision=precision,
        recall=recall,
        f1=f1,
        stories_per_second=len(items) / elapsed if elapsed > 0 else float("inf"),
        by_kind=_rates(kind_counts, "flagged_rate"),
        by_lang=_rates(lang_counts, "recall"),
        by_lang_negatives=_rates(negative_lang_counts, "flagged_rate"),
        n=len(items),
        model_name=first.model_name,
        model_version=first.model_version,
        missed=[
            _label(it, i)
            for i, (it, v) in enumerate(zip(items, verdicts, strict=True))
            if it.relevant and not v.alert
        ],
        false_alerts=[
            _label(it, i)
            for i, (it, v) in enumerate(zip(items, verdicts, strict=True))
            if not it.relevant and v.alert
        ],
        intervals=bootstrap_intervals(items, [v.alert for v in verdicts]),
    )


def _span(interval: list[float] | None) -> str:
    return f"{interval[0]:.3f}–{interval[1]:.3f}" if interval else ""


def report_table(report: EvalReport) -> Group:
    """Rich tables for humans: headline metrics, then per kind, then recall per language."""
    scope = f"{report.folds}-fold cross-validation over" if report.folds else "on"
    headline = Table(title=f"{report.model_name} {report.model_version} {scope} {report.n} stories")
    for column in ("precision", "recall", "F1", "non-English recall", "stories/s"):
        headline.add_column(column, justify="right")
    headline.add_row(
        f"{report.precision:.3f}",
        f"{report.recall:.3f}",
        f"{report.f1:.3f}",
        f"{report.non_english_recall:.3f}",
        f"{report.stories_per_second:.1f}",
    )
    if report.intervals:
        names = ("precision", "recall", "f1", "non_english_recall")
        headline.add_row(*(_span(report.intervals.get(name)) for name in names), "95 % interval")
    kinds = Table(title="flagged rate by kind")
    kinds.add_column("kind")
    kinds.add_column("n", justify="right")
    kinds.add_column("flagged", justify="right")
    for kind, row in report.by_kind.items():
        kinds.add_row(kind, str(row["n"]), f"{row['flagged_rate']:.3f}")
    langs = Table(title="recall by language (positives)")
    langs.add_column("lang")
    langs.add_column("n", justify="right")
    langs.add_column("recall", justify="right")
    for lang, row in report.by_lang.items():
        langs.add_row(lang, str(row["n"]), f"{row['recall']:.3f}")
    return Group(headline, kinds, langs)


def select_part(items: Sequence[LabelledStory], part: str | None) -> list[LabelledStory]:
    """``"K/N"`` keeps the K-th of N fixed parts, chosen by a hash of each item's id (or title).

    The split does not depend on file order or on skipped rows, so the halves of a
    tune/held-out check stay the same between runs.
    """
    if not part:
        return list(items)
    k, n = (int(x) for x in part.split("/"))
    if not 1 <= k <= n:
        raise ValueError(f"--part must be K/N with 1 <= K <= N, got {part}")
    return [item for item in items if zlib.crc32((item.id or item.story.title).encode()) % n == k - 1]


def main(argv: Sequence[str] | None = None) -> None:
    import structlog
    from rich.console import Console

    from classifiers.factory import default_classifier
    from classifiers.settings import ClassifierSettings

    parser = argparse.ArgumentParser(prog="python -m classifiers.evaluate", description=__doc__)
    parser.add_argument("file", help="labelled JSONL (title, summary, label, kind, lang)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--part", help="K/N: evaluate only every N-th item from the K-th (held-out halves)")
    parser.add_argument("--backend", choices=["embedding", "nli"], default="embedding")
    parser.add_argument("--embedding-model", choices=["hybrid", "minilm", "use"], default="hybrid")
    args = parser.parse_args(argv)
    # Through stdlib logging (warnings and up, on stderr) so stdout carries only the report.
    structlog.configure(logger_factory=structlog.stdlib.LoggerFactory())
    settings = ClassifierSettings(backend=args.backend, embedding_model=args.embedding_model)
    classifier = default_classifier(settings)
    report = evaluate(classifier, select_part(load_labelled(args.file), args.part))
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        Console().print(report_table(report))


if __name__ == "__main__":
    main()
