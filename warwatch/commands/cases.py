"""``warwatch cases list|show|storyline|export`` (the flagged stories with their case facts and
storylines: to read, and for analysis) and ``warwatch eval-cases`` (how well case facts are
extracted, on a labelled file)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from warwatch.commands.feeds import MAX_ROW_ID
from warwatch.context import cli_context, fail

if TYPE_CHECKING:
    from storage.case_trends import TrendKey

app = typer.Typer(
    help="The flagged stories' case facts: list, show, and export them for analysis.", no_args_is_help=True
)
TREND_KEY_WIDTH = 28  # "CF Central African Republic"
TREND_WEEK_WIDTH = 7  # "11-23" and the gap
ByOption = Annotated[str, typer.Option(help="country (of origin) or destination (the force).")]
SinceOption = Annotated[datetime | None, typer.Option(help="Only stories published since (YYYY-MM-DD).")]


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


@app.command("export")
def export_command(
    ctx: typer.Context,
    export_format: Annotated[ExportFormat, typer.Option("--format", help="csv or json (JSON lines).")] = (
        ExportFormat.CSV
    ),
    since: SinceOption = None,
    country: Annotated[
        str | None, typer.Option(help="Only stories naming this country: a code (NP) or English name.")
    ] = None,
) -> None:
    """One row per flagged story with its case facts, cluster, outlet, URL and dates, on stdout.

    Rows stream from the database a thousand at a time, so an export of any size runs in flat memory.
    """
    from storage.cases import flagged_cases

    with cli_context(ctx).reading_database.session() as session:
        rows = (item.as_row() for item in flagged_cases(session, _utc(since), country))
        written = _write(rows, export_format)
    typer.echo(f"exported {written} stories", err=True)


def _utc(moment: datetime | None) -> datetime | None:
    """A date given on the command line is UTC unless it says otherwise."""
    from datetime import UTC

    return moment.replace(tzinfo=moment.tzinfo or UTC) if moment else None


def _origin_code(country: str | None) -> str | None:
    """The ISO code for ``--country`` (a code or an English name); an unknown one stops the command."""
    if country is None:
        return None
    from cases import country_code

    code = country_code(country)
    if code is None:
        fail(f"unknown country {country!r}: give an ISO code (NP) or an English name (Nepal)")
    return code


@app.command("list")
def list_command(
    ctx: typer.Context,
    since: SinceOption = None,
    country: Annotated[
        str | None, typer.Option(help="Only stories whose recruits come from here: a code (NP) or a name.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many stories.")] = 50,
) -> None:
    """The newest flagged stories with their case card, newest first."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from storage.cases import list_cases

    code = _origin_code(country)
    with cli_context(ctx).reading_database.session() as session:
        found = list_cases(session, since=_utc(since), country=code, limit=limit)
    table = Table("id", "date", "case", "title", box=None, header_style="bold")
    for case in found:
        story = case.story
        table.add_row(str(story.id), f"{story.published_at:%Y-%m-%d}", escape(case.card), escape(story.title))
    if found:
        Console(soft_wrap=False).print(table)
    typer.echo(f"{len(found)} cases")


@app.command("show")
def show_command(
    ctx: typer.Context,
    story_id: Annotated[int, typer.Argument(min=1, max=MAX_ROW_ID, help="The id `cases list` shows.")],
) -> None:
    """One flagged story's case facts, the evidence they rest on, its URL, cluster and other outlets."""
    from bot.render import case_fields
    from storage.cases import case_detail
    from storage.stories import get_story

    with cli_context(ctx).reading_database.session() as session:
        detail = case_detail(session, story_id)
        stored = detail is not None or get_story(session, story_id) is not None
    if detail is None:
        unflagged = f"story {story_id} has no case facts: its verdict did not flag it"
        fail(unflagged if stored else f"no story {story_id} (it may have been pruned)")
    typer.echo(f"#{story_id} {detail.case.story.title}")
    for label, value in case_fields(detail):
        typer.echo(f"  {label}: {value}")


@app.command("storyline")
def storyline_command(
    ctx: typer.Context,
    storyline_id: Annotated[
        int, typer.Argument(min=1, max=MAX_ROW_ID, help="The number `cases show` and the alerts name.")
    ],
) -> None:
    """One storyline (a case's flagged stories across weeks): its state, dates and newest stories."""
    from bot.render import storyline_summary
    from storage.states import StorylineState
    from storage.storylines import storyline_detail

    with cli_context(ctx).reading_database.session() as session:
        detail = storyline_detail(session, storyline_id)
    if detail is None:
        fail(f"no storyline {storyline_id}")
    storyline = detail.storyline
    if storyline.state is StorylineState.MERGED and storyline.merged_into is not None:
        fail(f"storyline {storyline_id} was merged into storyline {storyline.merged_into}")
    typer.echo(f"storyline {storyline_summary(storyline)}: {storyline.title}")
    for entry in detail.entries:
        story = entry.story
        typer.echo(f"  #{story.id} {story.published_at:%Y-%m-%d} {entry.card} · {story.title}")


@app.command("trends")
def trends_command(
    ctx: typer.Context,
    weeks: Annotated[int, typer.Option(min=1, max=520, help="How many weeks, this one included.")] = 12,
    by: ByOption = "country",
) -> None:
    """Flagged stories per UTC week (Monday to Sunday) by origin country or destination force.

    A story told by several outlets (one cluster) counts once; the current week is so far.
    """
    from rich.console import Console
    from rich.table import Table

    from bot.render import trend_label
    from storage.case_trends import weekly_counts

    key = _trend_key(by)
    with cli_context(ctx).reading_database.session() as session:
        counts = weekly_counts(session, key, weeks)
    if not counts.counts:
        typer.echo(f"no flagged stories with case facts in the last {weeks} weeks")
        return
    table = Table(box=None)
    table.add_column(key.value, no_wrap=True)
    for heading in [*(f"{monday:%m-%d}" for monday in counts.weeks), "total"]:
        table.add_column(heading, justify="right", no_wrap=True)
    for name, weekly in counts.counts.items():
        label = trend_label(key, name)
        table.add_row(name if label == name else f"{name} {label}", *map(str, weekly), str(sum(weekly)))
    # a row per line even where the terminal (or a pipe's 80 columns) is narrower
    width = max(Console().width, TREND_KEY_WIDTH + TREND_WEEK_WIDTH * (weeks + 1))
    Console(width=width).print(table)
    typer.echo(f"weeks start on Monday (UTC); {counts.weeks[0]:%Y-%m-%d} is the first")


@app.command("spikes")
def spikes_command(
    ctx: typer.Context,
    by: ByOption = "country",
) -> None:
    """Countries (or forces) whose flagged stories this week jump above their own baseline.

    A spike: at least 3 this week and a Poisson tail probability under 1 % against the mean of the
    8 weeks before (docs/architecture.md states the rule).
    """
    from bot.render import trend_label
    from cases.spikes import BASELINE_WEEKS, find_spikes
    from storage.case_trends import weekly_counts

    key = _trend_key(by)
    with cli_context(ctx).reading_database.session() as session:
        counts = weekly_counts(session, key, BASELINE_WEEKS + 1)
    spikes = find_spikes(counts.counts)
    for spike in spikes:
        label = trend_label(key, spike.key)
        typer.echo(
            f"{spike.key if label == spike.key else f'{spike.key} {label}'}: {spike.count} this week "
            f"against {spike.baseline:.2f} a week before (p = {spike.p_value:.1e})"
        )
    typer.echo(f"{len(spikes)} spikes in the week of {counts.weeks[-1]:%Y-%m-%d} (UTC, so far)")


def _trend_key(by: str) -> TrendKey:
    """``--by``'s value as a trend key; anything else stops the command."""
    from storage.case_trends import TrendKey

    if by not in {key.value for key in TrendKey}:
        fail(f"--by {by!r}: give country or destination")
    return TrendKey(by)


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
