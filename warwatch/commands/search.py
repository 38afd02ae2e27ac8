"""``warwatch search``: full-text search over every stored story."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

import typer

from warwatch.context import cli_context


def search_command(
    ctx: typer.Context,
    query: str,
    limit: Annotated[int, typer.Option(min=1, max=100, help="How many results.")] = 10,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many results (paging).")] = 0,
    since: Annotated[
        datetime | None, typer.Option(help="Only stories published on or after this date.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON array, for scripts.")] = False,
) -> None:
    """Search stored stories (alerted or not), best match first."""
    from datetime import UTC

    from rich.console import Console
    from rich.markup import escape

    from storage.search import HIGHLIGHT_END, HIGHLIGHT_START, search

    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    with cli_context(ctx).reading_database.session() as session:
        hits = search(session, query, limit=limit, offset=offset, since=since)
    if as_json:
        rows = [
            {
                "id": h.story_id,
                "title": h.title,
                "url": h.url,
                "outlet": h.outlet,
                "language": h.language,
                "published_at": h.published_at.isoformat(),
                "score": h.score,
                "rank": h.rank,
                "snippet": h.snippet.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, ""),
            }
            for h in hits
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    console = Console()
    if not hits:
        console.print("no stories match")
        return
    for number, hit in enumerate(hits, start=offset + 1):
        snippet = escape(hit.snippet).replace(HIGHLIGHT_START, "[bold]").replace(HIGHLIGHT_END, "[/bold]")
        score = f"score {hit.score:.2f}" if hit.score is not None else "not classified"
        console.print(f"[bold]{number}. {escape(hit.title)}[/bold]")
        console.print(
            f"   {hit.outlet or '?'} · {hit.published_at:%Y-%m-%d} · {hit.language or '?'} · {score}"
        )
        console.print(f"   {snippet}")
        console.print(f"   [link={hit.url}]{escape(hit.url)}[/link]")
