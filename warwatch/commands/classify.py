"""``warwatch classify``, ``eval`` and ``reclassify``: the classifier from the command line.

Each uses the classifier the service uses: the database's keyword rules, the threshold admins
set, and the feedback head once it has enough examples.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from warwatch.context import CliContext, cli_context, fail

if TYPE_CHECKING:
    from classifiers.types import StoryText, Verdict
    from warwatch.classifier_provider import ClassifierProvider


def _provider(context: CliContext) -> ClassifierProvider:
    from warwatch.classifier_provider import ClassifierProvider

    return ClassifierProvider(context.settings, context.database)


def classify_command(
    ctx: typer.Context,
    text: Annotated[
        str | None, typer.Argument(help="A title, optionally followed by a newline and a summary.")
    ] = None,
    lang: Annotated[
        str | None, typer.Option(help="ISO 639-1 language of the text; guessed when not given.")
    ] = None,
    file: Annotated[
        str | None,
        typer.Option(
            "--file",
            help="Score many stories in one process: a file (or - for stdin) with one title per line, "
            "or JSON lines with title, summary and lang. Prints one line (one JSON object with --json) each.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The whole verdict as one JSON object.")] = False,
) -> None:
    """Score a text (or a file of them) and explain the decision."""
    from classifiers.types import StoryText

    if file is not None:
        if text is not None:
            fail("give a text or --file, not both")
        _classify_file(cli_context(ctx), file, as_json)
        return
    if text is None:
        fail("nothing to classify: give a text, or --file FILE (- for stdin)")
    try:
        text.encode("utf-8")  # bytes that are not UTF-8 reach argv as lone surrogates
    except UnicodeEncodeError:
        fail("the text is not valid UTF-8: check the encoding of the terminal or script that passed it")
    title, _, summary = text.strip().partition("\n")
    if not title.strip():
        fail("nothing to classify: the text is empty")
    [verdict] = _provider(cli_context(ctx)).classify_batch([StoryText(title, summary.strip(), lang)])
    if as_json:
        typer.echo(json.dumps(_verdict_json(verdict), ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.markup import escape

    console = Console()
    colour = "red" if verdict.alert else "green"
    console.print(f"[bold {colour}]{'ALERT' if verdict.alert else 'no alert'}[/] score {verdict.score:.3f}")
    console.print(f"why: {escape(str(verdict.reasons.get('summary', '')))}")
    console.print(f"decision: {escape(str(verdict.reasons.get('decision', '')))}")
    console.print(f"model: {escape(verdict.model_name)} {verdict.model_version}")


def _verdict_json(verdict: Verdict) -> dict[str, Any]:
    return {
        "score": verdict.score,
        "alert": verdict.alert,
        "model_name": verdict.model_name,
        "model_version": verdict.model_version,
        "reasons": verdict.reasons,
    }


def _classify_file(context: CliContext, file: str, as_json: bool) -> None:
    """Score the stories of ``file`` in batches as they are read, so a pipe gets answers as it goes."""
    import sys
    from itertools import islice

    from classifiers.labelled import read_stories

    try:
        handle = sys.stdin.buffer if file == "-" else Path(file).open("rb")  # noqa: SIM115
    except OSError as error:
        fail(f"{file}: cannot read it ({error.strerror})")
    provider = _provider(context)
    size = context.settings.service.classify_batch_size
    try:
        with handle:
            stories = read_stories(handle, "stdin" if file == "-" else file)
            while batch := list(islice(stories, size)):
                for story, verdict in zip(batch, provider.classify_batch(batch), strict=True):
                    typer.echo(_verdict_line(story, verdict, as_json))
    except ValueError as error:
        fail(str(error))


def _verdict_line(story: StoryText, verdict: Verdict, as_json: bool) -> str:
    if as_json:
        return json.dumps({"title": story.title, **_verdict_json(verdict)}, ensure_ascii=False)
    return f"{'ALERT' if verdict.alert else '-    '} {verdict.score:.3f}  {story.title}"


def eval_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Labelled JSONL file.")],
    part: Annotated[
        str | None,
        typer.Option(help="K/N: only the K-th of N fixed parts of the file (held-out checks)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object, for scripts.")] = False,
    cv: Annotated[
        int | None,
        typer.Option(
            "--cv",
            min=2,
            max=50,
            help="K-fold cross-validation, folds grouped by source domain: each fold is scored by a "
            "head trained on the other folds only (not the shipped corpus, not feedback).",
        ),
    ] = None,
) -> None:
    """Evaluate the classifier on a labelled JSONL file (precision, recall, F1 with 95 % intervals, per
    kind and language)."""
    from rich.console import Console

    from classifiers.crossval import cross_validate
    from classifiers.evaluate import evaluate, report_table, select_part
    from classifiers.labelled import load_labelled

    try:
        items = select_part(load_labelled(file), part)
        if not items:
            fail(f"{file}: no labelled items (rows with label 1 or 0)")
        provider = _provider(cli_context(ctx))
        if cv:
            report = cross_validate(items, cv, provider.classifier_trained_on)
        else:
            report = evaluate(provider.classifier(), items)
    except ValueError as error:
        fail(str(error))
    if as_json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        Console().print(report_table(report))


def reclassify_command(
    ctx: typer.Context,
    since: Annotated[datetime, typer.Option(help="Stories published on or after this date.")],
    every: Annotated[
        bool,
        typer.Option("--all", help="Also stories whose verdict is already from the current version."),
    ] = False,
) -> None:
    """Classify stored stories again after a rule, label, threshold or model change.

    Each story gets a new verdict (the old one is kept); stories that now pass the threshold
    queue alerts, but no chat gets the same story cluster twice.
    """
    from datetime import UTC

    from rich.progress import Progress

    from storage.stories import requeue_stories
    from warwatch.pipeline import Classification

    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    context = cli_context(ctx)
    provider = _provider(context)
    version = provider.classifier().model_version
    with context.database.session() as session:
        requeued = requeue_stories(session, since, unless_version=None if every else version)
    classification = Classification.configured(context.settings, context.database, provider.classify_batch)
    with Progress(transient=True) as progress:
        task = progress.add_task("classifying", total=requeued)
        report = classification.run_pending(on_batch=lambda n: progress.advance(task, n))
    typer.echo(
        f"reclassified {report.classified} stories with {version}: "
        f"{report.flagged} flagged, {report.alerts_queued} new alerts queued"
    )
