"""``warwatch feedback …``: labelled examples that train the classifier's feedback head."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from warwatch.context import cli_context, fail

app = typer.Typer(
    help="Import and count the labelled feedback the classifier learns from.", no_args_is_help=True
)


@app.command("import")
def import_command(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="JSONL: title, summary, label, lang.")
    ],
) -> None:
    """Add labelled stories (label 1 or 0; "ambiguous" rows are skipped); re-importing adds nothing twice."""
    from classifiers.labelled import load_labelled
    from storage.admin import import_labelled
    from storage.feedback import FeedbackExample

    try:
        items = load_labelled(file)
    except ValueError as error:
        fail(str(error))
    examples = [
        FeedbackExample(item.story.title, item.story.summary, item.story.lang, item.relevant)
        for item in items
    ]
    with cli_context(ctx).database.session() as session:
        result = import_labelled(session, examples, actor="cli", source=str(file))
    typer.echo(f"imported {result.added} labelled stories ({result.already_known} already known) from {file}")
    _print_counts(ctx)


@app.command("stats")
def stats_command(ctx: typer.Context) -> None:
    """How many relevant and not-relevant examples there are, and whether the head is active."""
    _print_counts(ctx)


def _print_counts(ctx: typer.Context) -> None:
    from classifiers.base_corpus import shipped_base_vectors
    from storage.feedback import feedback_revision

    context = cli_context(ctx)
    with context.database.session() as session:
        total, relevant, _ = feedback_revision(session)
    base = shipped_base_vectors() if context.settings.classifier.head_base_corpus else None
    needed = context.settings.classifier.head_min_examples
    if base is not None:
        state = f"active (the shipped corpus of {len(base.labels)} stories plus this feedback)"
    elif min(relevant, total - relevant) >= needed:
        state = "active"
    else:
        state = f"inactive until it has {needed} of each"
    typer.echo(f"feedback: {relevant} relevant, {total - relevant} not relevant; head {state}")
