"""``warwatch classify`` and ``warwatch eval``: the classifier from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from warwatch.context import fail


def classify_command(
    ctx: typer.Context,
    text: str,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Score a text (a title, optionally followed by a summary) and explain the decision."""
    del ctx, as_json  # wired to the classifier in the classifier issue
    fail("not available yet: the classifier is being built (issue #4)", code=1)


def eval_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Labelled JSONL file.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Evaluate the classifier on a labelled JSONL file (precision, recall, F1, per kind and language)."""
    del ctx, as_json  # wired to the classifier in the classifier issue
    fail("not available yet: the classifier is being built (issue #4)", code=1)
