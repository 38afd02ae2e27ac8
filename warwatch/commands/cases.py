"""``warwatch cases export`` (the flagged stories with their case facts, for analysis) and
``warwatch eval-cases`` (how well case facts are extracted, on a labelled file)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from warwatch.context import cli_context, fail

app = typer.Typer(help="The flagged stories' case facts: export them for analysis.", no_args_is_help=True)


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


@app.command("export")
def export_command(
    ctx: typer.Context,
    export_format: Annotated[ExportFormat, typer.Option("--format", help="csv or json (JSON lines).")] = (
        ExportFormat.CSV
    ),
    since: Annotated[datetime | None, typer.Option(help="Only stories published since (YYYY-MM-DD).")] = None,
    country: Annotated[
        str | None, typer.Option(help="Only stories naming this country: a code (NP) or English name.")
    ] = None,
) -> None:
    """One row per flagged story with its case facts, cluster, outlet, URL and dates, on stdout.

    Rows stream from the database a thousand at a time, so an export of any size runs in flat memory.
    """
    from datetime import UTC

    from storage.cases import flagged_cases

    moment = since.replace(tzinfo=since.tzinfo or UTC) if since else None
    with cli_context(ctx).reading_database.session() as session:
        written = _write((item.as_row() for item in flagged_cases(session, moment, country)), export_format)
    typer.echo(f"exported {written} stories", err=True)


def _write(rows: Iterator[dict[str, Any]], export_format: ExportFormat) -> int:
    from storage.cases import EXPORT_COLUMNS

    written = 0
    if export_format is ExportFormat.CSV:
        writer = csv.DictWriter(sys.stdout, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            written += 1
    else:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
            written += 1
    return written


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
