"""``warwatch db …``: schema migrations."""

from __future__ import annotations

import typer

from warwatch.context import cli_context

app = typer.Typer(help="Database schema and maintenance.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_command(ctx: typer.Context) -> None:
    """Create the database or bring its schema up to date (also done by `warwatch run`)."""
    from storage.migrate import current_revision

    database = cli_context(ctx).database  # opening it migrates it
    typer.echo(f"database at revision {current_revision(database)}")
