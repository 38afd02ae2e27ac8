"""``warwatch eval-cases``: how well case facts are extracted, on a labelled file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from warwatch.context import fail


def eval_cases_command(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            help="JSONL: id, title, summary, lang, origin_countries, destination, event, count.",
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="All figures, by language, as JSON.")] = False,
) -> None:
    """Origin-country precision and recall, destination, event and count accuracy, by language."""
    from cases.evaluate import evaluate_cases, load_cases

    try:
        cases = load_cases(file)
    except (ValueError, UnicodeDecodeError) as error:
        fail(str(error))
    if not cases:
        fail(f"{file} holds no labelled cases")
    report = evaluate_cases(cases)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    typer.echo(
        f"{report['n']} cases: origin precision {report['origin_precision']:.3f}, "
        f"recall {report['origin_recall']:.3f}; destination {report['destination_accuracy']:.3f}, "
        f"event {report['event_accuracy']:.3f}, count {report['count_accuracy']:.3f}"
    )
    for lang, scores in report["by_lang"].items():
        typer.echo(
            f"  {lang:3s} n={scores['n']:3d} origin P {scores['origin_precision']:.2f} "
            f"R {scores['origin_recall']:.2f} · destination {scores['destination_accuracy']:.2f} · "
            f"event {scores['event_accuracy']:.2f} · count {scores['count_accuracy']:.2f}"
        )
