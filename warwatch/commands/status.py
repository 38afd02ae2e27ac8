"""``warwatch status``: is the service keeping up? Feeds, classifier backlog, outbox, last activity."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from warwatch.context import cli_context

if TYPE_CHECKING:
    from storage.archive_space import ArchiveTally
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

    from storage.archive_space import archive_tally
    from storage.status import service_status

    now = datetime.now(UTC)
    context = cli_context(ctx)
    with context.reading_database.session() as session:
        status = service_status(session, now)
        archive = archive_tally(session)
    if as_json:
        typer.echo(json.dumps({**asdict(status), "archive": asdict(archive)}, default=str, indent=2))
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
    for line in describe_archive_tally(archive, context.settings.archive.max_bytes):
        typer.echo(line)


def _size(count: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"


def describe_archive_tally(tally: ArchiveTally, max_bytes: int) -> list[str]:
    """The archive's size against its cap, its states, and each failure shown, not hidden."""
    states = ", ".join(f"{count} {name}" for name, count in tally.archives.items())
    cap = f" of {_size(max_bytes)}" if max_bytes else " (no cap)"
    lines = [
        f"archive:     {sum(tally.archives.values())} stories ({states}); {tally.snapshots} snapshots, "
        f"{_size(tally.bytes)}{cap}; pages {tally.pages['edited']} edited, "
        f"{tally.pages['removed']} removed; {tally.notices_pending} notices waiting",
    ]
    if tally.retrying or tally.archives["failed"]:
        lines.append(
            f"             {tally.retrying} retrying, {tally.archives['failed']} failed; "
            "`warwatch archive ID` shows one and tries it again"
        )
    for failure in tally.failures:
        lines.append(
            f"             story {failure.story_id} ({failure.state.value}, {failure.attempts} tries): "
            f"{failure.error[:200]}"
        )
    return lines
