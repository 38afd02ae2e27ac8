"""``warwatch config …``: check the configuration and print its reference."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from warwatch.context import cli_context, fail

app = typer.Typer(help="Check the configuration or print its reference.", no_args_is_help=True)


@app.command("check")
def check_command(ctx: typer.Context) -> None:
    """Load and validate the configuration; print the effective values (secrets hidden)."""
    from warwatch.logs import redact

    settings = cli_context(ctx).settings
    typer.echo(redact(settings.model_dump_json(indent=2)))  # the database password too


@app.command("reference")
def reference_command(
    update: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="Rewrite the reference between the markers in this file (README.md).",
        ),
    ] = None,
) -> None:
    """Print the Markdown reference of every setting (the README's configuration section)."""
    from warwatch.reference import settings_reference, update_reference

    if update is None:
        typer.echo(settings_reference(), nl=False)
    else:
        try:
            update_reference(update)
        except UnicodeDecodeError:
            fail(f"{update} is not UTF-8 text")
        except (OSError, ValueError) as error:  # unwritable, or no markers
            fail(str(error))
