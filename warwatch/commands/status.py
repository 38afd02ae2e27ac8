"""``warwatch status``: is the service keeping up? Feeds, classifier backlog, outbox, last activity."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from warwatch.context import cli_context

if TYPE_CHECKING:
    from storage.records import PollSchedule


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC" if moment else "never"


def describe_next_poll(schedule: PollSchedule, now: datetime) -> str:
    """Which feed is polled next and when: after a failure a feed waits out its back-off, and the
    service (or `run --once`) polls nothing meanwhile; this says so, and how to poll it now."""
    if schedule.next_at is None or schedule.next_feed_id is None:
        from warwatch.sources import NOTHING_POLLED

        return "no feed falls due later" if schedule.polled else NOTHING_POLLED
    minutes = max(1, round((schedule.next_at - now).total_seconds() / 60))
    wait = f"{minutes} min" if minutes < 120 else f"{minutes / 60:.1f} h"
    return (
        f"next: feed {schedule.next_feed_id} at {_when(schedule.next_at)} (in {wait}); "
        f"`warwatch feeds poll {schedule.next_feed_id}` polls it now"
    )


def status_command(
    ctx: typer.Context,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object, for scripts and monitors.")
    ] = False,
) -> None:
    """Feeds ok/erroring/failing, stories waiting for the classifier, outbox backlog, last activity."""
    from datetime import UTC

    from storage.status import service_status

    now = datetime.now(UTC)
    with cli_context(ctx).reading_database.session() as session:
        status = service_status(session, now)
    if as_json:
        typer.echo(json.dumps(asdict(status), default=str, indent=2))
        return
    feeds = ", ".join(f"{count} {name}" for name, count in status.feeds.items())
    alerts = ", ".join(f"{count} {name}" for name, count in status.alerts.items())
    typer.echo(f"feeds:       {feeds}; last poll {_when(status.last_poll_at)}")
    polling = status.polling
    typer.echo(
        f"polling:     {polling.due} of {polling.polled} feeds due now; {describe_next_poll(polling, now)}"
    )
    typer.echo(
        f"stories:     {status.stories} stored, {status.stories_pending} waiting for the classifier; "
        f"last new story {_when(status.last_story_at)}"
    )
    typer.echo(
        f"alerts:      {alerts}; oldest pending since {_when(status.oldest_pending_alert_at)}; "
        f"last sent {_when(status.last_alert_sent_at)}"
    )
    typer.echo(f"subscribers: {status.subscribers} active")
