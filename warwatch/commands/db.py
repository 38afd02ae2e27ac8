"""``warwatch db …``: schema migrations."""

from __future__ import annotations

from typing import Annotated

import typer

from warwatch.context import cli_context, fail

app = typer.Typer(help="Database schema and maintenance.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_command(ctx: typer.Context) -> None:
    """Create the database or bring its schema up to date (also done by `warwatch run`)."""
    from storage.migrate import current_revision

    database = cli_context(ctx).database  # opening it migrates it
    typer.echo(f"database at revision {current_revision(database)}")


@app.command("vacuum")
def vacuum_command(
    ctx: typer.Context,
    days: Annotated[
        int | None,
        typer.Option(min=0, help="Keep stories this many days (default: retention.story_days; 0 keeps all)."),
    ] = None,
) -> None:
    """Delete stories past the retention horizon (alerts and feedback stay), then reclaim the space."""
    from datetime import UTC, datetime

    from pydantic import ValidationError

    from storage.retention import prune_stories, vacuum
    from warwatch.config import RetentionSettings
    from warwatch.story_store import retention_horizon

    context = cli_context(ctx)
    retention = context.settings.retention
    if days is not None:  # checked as the setting is, so --days and retention.story_days agree on bounds
        try:
            retention = RetentionSettings.model_validate({**retention.model_dump(), "story_days": days})
        except ValidationError as error:
            fail(f"--days {days}: {error.errors()[0]['msg']}")
    horizon = retention_horizon(retention, datetime.now(UTC))
    if horizon is None:
        typer.echo("retention keeps every story: nothing pruned")
    else:
        report = prune_stories(context.database, horizon)
        typer.echo(
            f"pruned {report.stories} stories published before {horizon:%Y-%m-%d %H:%M} UTC "
            f"({report.classifications} verdicts; {report.alerts_closed} undelivered alerts closed; "
            f"{report.storylines} storylines left without a story deleted)"
        )
    vacuum(context.database)
    typer.echo("space reclaimed")
