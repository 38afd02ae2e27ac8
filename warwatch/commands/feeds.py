"""``warwatch feeds …``: the list of feeds to poll."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from warwatch.context import cli_context, fail

MAX_ROW_ID = 2**63 - 1  # the largest integer SQLite or PostgreSQL stores; a larger one is a typo

app = typer.Typer(help="List, add, remove, import and export feeds.", no_args_is_help=True)


@app.command("list")
def list_feeds(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show every feed with its status, last poll and last error."""
    from rich.console import Console
    from rich.table import Table

    from storage.feeds import list_feeds as stored_feeds

    with cli_context(ctx).reading_database.session() as session:
        feeds = stored_feeds(session)
    if as_json:
        rows = [
            {
                "id": f.id,
                "url": f.url,
                "name": f.name,
                "status": f.status.value,
                "errors": f.error_count,
                "last_error": f.last_error,
                "last_polled_at": f.last_polled_at and f.last_polled_at.isoformat(),
            }
            for f in feeds
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table("id", "status", "name", "url", "last poll", "last error")
    for feed in feeds:
        status = f"[red]{feed.status.value}[/]" if feed.status.value == "failing" else feed.status.value
        polled = feed.last_polled_at.strftime("%Y-%m-%d %H:%M") if feed.last_polled_at else "never"
        table.add_row(str(feed.id), status, feed.name or "", feed.url, polled, (feed.last_error or "")[:60])
    Console().print(table)
    typer.echo(f"{len(feeds)} feeds")


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
    from storage.audit import record_audit
    from storage.feeds import DuplicateFeedError
    from storage.feeds import add_feed as store_feed

    context = cli_context(ctx)
    try:
        checked = check_feed_url(
            url, allow_private=context.settings.poller.allow_private_addresses, allow_file=True
        )
    except UnsafeURLError as error:
        fail(str(error))
    try:
        with context.database.session() as session:
            feed = store_feed(session, checked, name=name, added_by="cli")
            record_audit(session, "cli", "feed_add", url=checked, feed_id=feed.id)
    except DuplicateFeedError as error:
        fail(str(error))
    typer.echo(f"added feed {feed.id}: {feed.url}")


@app.command("remove")
def remove_feed(
    ctx: typer.Context,
    feed_id: Annotated[int, typer.Argument(min=1, max=MAX_ROW_ID, help="The id `feeds list` shows.")],
) -> None:
    """Remove a feed by id; its stories stay searchable."""
    from storage.audit import record_audit
    from storage.feeds import remove_feed as delete_feed

    with cli_context(ctx).database.session() as session:
        removed = delete_feed(session, feed_id)
        if removed:
            record_audit(session, "cli", "feed_remove", url=removed.url, feed_id=feed_id)
    if removed is None:
        fail(f"no feed with id {feed_id}", code=1)
    typer.echo(f"removed feed {feed_id}: {removed.url}")


@app.command("import")
def import_opml(
    ctx: typer.Context, file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]
) -> None:
    """Add every feed of an OPML file; unsafe or duplicate URLs are reported and skipped."""
    from feeds.opml import parse_opml
    from feeds.safety import UnsafeURLError, check_feed_url
    from storage.audit import record_audit
    from storage.feeds import add_feed as store_feed
    from storage.feeds import feed_ids_by_url

    context = cli_context(ctx)
    document = parse_opml(file.read_bytes(), allow_private=context.settings.poller.allow_private_addresses)
    for problem in document.problems:
        typer.echo(f"skipped: {problem}", err=True)
    added = 0
    with context.database.session() as session:
        existing = feed_ids_by_url(session, [outline.url for outline in document.feeds])
        for outline in document.feeds:
            try:
                url = check_feed_url(
                    outline.url,
                    allow_private=context.settings.poller.allow_private_addresses,
                    allow_file=False,
                )
            except UnsafeURLError as error:
                typer.echo(f"skipped {outline.url}: {error}", err=True)
                continue
            if url in existing:
                continue
            existing[url] = store_feed(session, url, name=outline.title, added_by="opml").id
            added += 1
        record_audit(session, "cli", "feeds_import", file=str(file), added=added)
    typer.echo(f"imported {added} feeds ({len(document.feeds) - added} skipped or already present)")


@app.command("export")
def export_opml(ctx: typer.Context) -> None:
    """Print all feeds as OPML 2.0."""
    from feeds.opml import OpmlFeed, write_opml
    from storage.feeds import list_feeds as stored_feeds

    with cli_context(ctx).reading_database.session() as session:
        feeds = stored_feeds(session)
    typer.echo(write_opml([OpmlFeed(url=feed.url, title=feed.name) for feed in feeds]), nl=False)
