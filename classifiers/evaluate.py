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

from rich.console import Group
from rich.table import Table

from classifiers.labelled import LabelledStory, load_labelled
from classifiers.types import Classifier, Verdict

__all__ = ["EvalReport", "evaluate", "load_labelled", "report_table"]


@dataclass(frozen=True)
class EvalReport:
    """Precision/recall/F1 for label 1, flagged rate per kind, recall per language, throughput."""

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
    elapsed = time.perf_counter() - started

    tp = sum(1 for item, v in zip(items, verdicts, strict=True) if item.relevant and v.alert)
    flagged = sum(1 for v in verdicts if v.alert)
    positives = sum(1 for item in items if item.relevant)
    precision = tp / flagged if flagged else 0.0
    recall = tp / positives if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    kind_counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    lang_counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item, verdict in zip(items, verdicts, strict=True):
        kind = item.kind or ("positive" if item.relevant else "negative")
        kind_counts[kind][0] += 1
        kind_counts[kind][1] += verdict.alert
        if item.relevant:
            lang = item.story.lang or "unknown"
            lang_counts[lang][0] += 1
            lang_counts[lang][1] += verdict.alert
    first = verdicts[0]
    return EvalReport(
        precision=precision,
        recall=recall,
        f1=f1,
        stories_per_second=len(items) / elapsed if elapsed > 0 else float("inf"),
        by_kind={
            k: {"n": n, "flagged_rate": round(hit / n, 4)} for k, (n, hit) in sorted(kind_counts.items())
        },
        by_lang={k: {"n": n, "recall": round(hit / n, 4)} for k, (n, hit) in sorted(lang_counts.items())},
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
    )


def report_table(report: EvalReport) -> Group:
    """Rich tables for humans: headline metrics, then per kind, then recall per language."""
    headline = Table(title=f"{report.model_name} {report.model_version} on {report.n} stories")
    for column in ("precision", "recall", "F1", "non-English recall", "stories/s"):
        headline.add_column(column, justify="right")
    headline.add_row(
        f"{report.precision:.3f}",
        f"{report.recall:.3f}",
        f"{report.f1:.3f}",
        f"{report.non_english_recall:.3f}",
        f"{report.stories_per_second:.1f}",
    )
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

    from classifiers.factory import build_classifier
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
    classifier = build_classifier(settings, settings.keywords)
    report = evaluate(classifier, select_part(load_labelled(args.file), args.part))
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        Console().print(report_table(report))


if __name__ == "__main__":
    main()
