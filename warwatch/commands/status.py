"""``warwatch status``: is the service keeping up? Feeds, classifier backlog, outbox, last activity."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Annotated

import typer

from warwatch.context import cli_context


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC" if moment else "never"


def status_command(
    ctx: typer.Context,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object, for scripts and monitors.")
    ] = False,
) -> None:
    """Feeds ok/erroring/failing, stories waiting for the classifier, outbox backlog, last activity."""
    from storage.status import service_status

    with cli_context(ctx).reading_database.session() as session:
        status = service_status(session)
    if as_json:
        typer.echo(json.dumps(asdict(status), default=str, indent=2))
        return
    feeds = ", ".join(f"{count} {name}" for name, count in status.feeds.items())
    alerts = ", ".join(f"{count} {name}" for name, count in status.alerts.items())
    typer.echo(f"feeds:       {feeds}; last poll {_when(status.last_poll_at)}")
    typer.echo(
        f"stories:     {status.stories} stored, {status.stories_pending} waiting for the classifier; "
        f"last new story {_when(status.last_story_at)}"
    )
    typer.echo(
        f"alerts:      {alerts}; oldest pending since {_when(status.oldest_pending_alert_at)}; "
        f"last sent {_when(status.last_alert_sent_at)}"
    )
    typer.echo(f"subscribers: {status.subscribers} active")
