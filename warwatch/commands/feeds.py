"""``warwatch feeds …``: the list of feeds to poll."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from warwatch.context import cli_context, fail

if TYPE_CHECKING:
    from rich.table import Table

    from storage.records import FeedRecord

HEALTH_STYLE = {"erroring": "yellow", "failing": "red"}
TABLE_MIN_WIDTH = 120  # below this, `feeds list` prints one block per feed
MAX_ROW_ID = 2**63 - 1  # the largest integer SQLite or PostgreSQL stores; a larger one is a typo

app = typer.Typer(help="List, add, remove, poll, import and export feeds.", no_args_is_help=True)


@app.command("list")
def list_feeds(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show every feed with its status, last and next poll, and last error."""
    from rich.console import Console

    from storage.feeds import list_feeds as stored_feeds

    with cli_context(ctx).reading_database.session() as session:
        feeds = stored_feeds(session)
    if as_json:
        rows = [
            {
                "id": f.id,
                "url": f.url,
                "name": f.name,
                "status": f.health.value,
                "errors": f.error_count,
                "last_error": f.last_error,
                "last_polled_at": f.last_polled_at and f.last_polled_at.isoformat(),
                "next_poll_at": f.next_poll_at and f.next_poll_at.isoformat(),
            }
            for f in feeds
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    console = Console()
    if console.width >= TABLE_MIN_WIDTH:
        console.print(_feeds_table(feeds))
    else:  # a table this narrow cuts URLs until different feeds look alike: one block per feed
        for feed in feeds:
            console.print(_feed_block(feed), soft_wrap=True)  # URLs wrap whole, as the terminal wraps
    typer.echo(f"{len(feeds)} feeds")


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "never"


def _next_poll(feed: FeedRecord, now: datetime) -> str:
    from storage.records import FeedHealth

    if feed.health is FeedHealth.DISABLED:
        return "never"
    return "now" if feed.next_poll_at is None or feed.next_poll_at <= now else _when(feed.next_poll_at)


def _health(feed: FeedRecord) -> str:
    return f"[{HEALTH_STYLE.get(feed.health, 'default')}]{feed.health.value}[/]"


def _feeds_table(feeds: list[FeedRecord]) -> Table:
    """Wide terminals: one row per feed; a long URL folds onto more lines, never cut."""
    from rich.markup import escape
    from rich.table import Table

    now = datetime.now(UTC)
    table = Table("id", "status", "name")
    table.add_column("url", overflow="fold")
    for heading in ("last poll", "next poll", "last error"):
        table.add_column(heading)
    for feed in feeds:
        table.add_row(
            str(feed.id),
            _health(feed),
            escape(feed.name or ""),
            escape(feed.url),
            _when(feed.last_polled_at),
            _next_poll(feed, now),
            escape((feed.last_error or "")[:60]),
        )
    return table


def _feed_block(feed: FeedRecord) -> str:
    """Narrow terminals: id, status and name, then the whole URL on a line of its own, then the polls."""
    from rich.markup import escape

    lines = [
        f"[bold]{feed.id}[/]  {_health(feed)}  {escape(feed.name or '')}".rstrip(),
        f"    {escape(feed.url)}",
        f"    last poll {_when(feed.last_polled_at)} · next poll {_next_poll(feed, datetime.now(UTC))}",
    ]
    if feed.last_error:
        lines.append(f"    last error: {escape(feed.last_error[:200])}")
    return "\n".join(lines)


@app.command("poll")
def poll_feed(
    ctx: typer.Context,
    feed_id: Annotated[int, typer.Argument(min=1, max=MAX_ROW_ID, help="The id `feeds list` shows.")],
) -> None:
    """Poll one feed now, even while it backs off after errors, and say what it found."""
    import asyncio

    from storage.feeds import get_feed
    from storage.states import FeedStatus
    from warwatch.polling import poll_now

    context = cli_context(ctx)
    with context.database.session() as session:
        feed = get_feed(session, feed_id)
    if feed is None:
        fail(f"no feed with id {feed_id}", code=1)
    if feed.status is FeedStatus.DISABLED:
        fail(f"feed {feed_id} is disabled")
    report = asyncio.run(poll_now(context.settings, context.database, feed))
    with context.database.session() as session:
        polled = get_feed(session, feed_id) or feed
    when = f"next poll {polled.next_poll_at:%Y-%m-%d %H:%M:%S} UTC" if polled.next_poll_at else ""
    if report.feeds_failed:
        fail(f"feed {feed_id}: {polled.last_error}; {polled.error_count} failure(s) in a row; {when}", code=1)
    if report.not_modified:
        typer.echo(f"feed {feed_id}: not modified since the last poll; {when}")
    else:
        typer.echo(
            f"feed {feed_id}: {report.entries_seen} entries, {report.stories_new} new stories stored "
            f"(`warwatch run` classifies them); {when}"
        )


@app.command("add")
def add_feed(
    ctx: typer.Context,
    url: str,
    name: Annotated[
        str | None, typer.Option("--name", help="A display name (default: the feed's title).")
    ] = None,
) -> None:
    """Add a feed by URL (http, https, or file: for local files)."""
    from feeds.safety import UnsafeURLError, check_feed_url
    from storage.admin import add_feed as store_feed
    from storage.feeds import DuplicateFeedError

    context = cli_context(ctx)
    try:
        checked = check_feed_url(
            url, allow_private=context.settings.poller.allow_private_addresses, allow_file=True
        )
    except UnsafeURLError as error:
        fail(str(error))
    try:
        with context.database.session() as session:
            feed = store_feed(session, checked, actor="cli", name=name)
    except DuplicateFeedError as error:
        fail(str(error))
    typer.echo(f"added feed {feed.id}: {feed.url}")


@app.command("remove")
def remove_feed(
    ctx: typer.Context,
    feed_id: Annotated[int, typer.Argument(min=1, max=MAX_ROW_ID, help="The id `feeds list` shows.")],
) -> None:
    """Remove a feed by id; its stories stay searchable."""
    from storage.admin import remove_feed as delete_feed

    with cli_context(ctx).database.session() as session:
        removed = delete_feed(session, feed_id, actor="cli")
    if removed is None:
        fail(f"no feed with id {feed_id}", code=1)
    typer.echo(f"removed feed {feed_id}: {removed.url}")


@app.command("import")
def import_opml(
    ctx: typer.Context, file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]
) -> None:
    """Add every feed of an OPML file; unsafe or duplicate URLs are reported and skipped."""
    from feeds.opml import parse_opml
    from storage.admin import import_feeds

    context = cli_context(ctx)
    document = parse_opml(file.read_bytes(), allow_private=context.settings.poller.allow_private_addresses)
    if not document.is_opml:
        fail(f"{file} is not an OPML file (no <opml> document in it): nothing imported")
    for problem in document.problems:
        typer.echo(f"skipped: {problem}", err=True)
    outlines = [(outline.url, outline.title) for outline in document.feeds]
    with context.database.session() as session:
        added = import_feeds(session, outlines, actor="cli", source=str(file))
    typer.echo(
        f"imported {added} feeds ({len(document.feeds) - added} already present, "
        f"{len(document.problems)} skipped)"
    )


@app.command("export")
def export_opml(ctx: typer.Context) -> None:
    """Print all feeds as OPML 2.0."""
    from feeds.opml import OpmlFeed, write_opml
    from storage.feeds import list_feeds as stored_feeds

    with cli_context(ctx).reading_database.session() as session:
        feeds = stored_feeds(session)
    typer.echo(write_opml([OpmlFeed(url=feed.url, title=feed.name) for feed in feeds]), nl=False)
