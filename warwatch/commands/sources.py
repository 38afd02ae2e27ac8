"""``warwatch sources …``: the catalogue's packs, enabling them, and whether sources earn their keep."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from warwatch.context import cli_context, fail

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from feeds.catalogue import Pack

app = typer.Typer(
    help="The source catalogue: list packs and feeds, enable or disable a pack, source health.",
    no_args_is_help=True,
)


def _pack(session: Session, name: str) -> Pack:
    from warwatch.sources import catalogue

    packs = catalogue(session)
    if name not in packs:
        fail(f"no pack named {name!r}: known packs are {', '.join(sorted(packs))}")
    return packs[name]


@app.command("list")
def list_sources(
    ctx: typer.Context,
    pack: Annotated[str | None, typer.Option(help="Only this pack's feeds.")] = None,
    lang: Annotated[str | None, typer.Option(help="Only feeds in this language (ISO 639-1).")] = None,
    country: Annotated[str | None, typer.Option(help="Only outlets of this country (e.g. NP).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="An array of feed objects, for scripts.")] = False,
) -> None:
    """The packs with their feeds, and whether each is polled here."""
    from storage.sources import polled_by_url
    from warwatch.sources import catalogue

    with cli_context(ctx).database.session() as session:
        packs = catalogue(session)
        if pack is not None and pack not in packs:
            fail(f"no pack named {pack!r}: known packs are {', '.join(sorted(packs))}")
        chosen = [
            feed
            for name, entry in sorted(packs.items())
            if pack in (None, name)
            for feed in entry.feeds
            if lang in (None, feed.lang) and (country is None or feed.country == country.upper())
        ]
        polled = polled_by_url(session, [feed.url for feed in chosen])
    rows = [
        {
            "url": feed.url,
            "name": feed.name,
            "lang": feed.lang,
            "country": feed.country,
            "pack": feed.pack,
            "kind": str(feed.kind),
            "enabled": polled.get(feed.url, False),
        }
        for feed in chosen
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for name, entry in sorted(packs.items()):
        feeds = [row for row in rows if row["pack"] == name]
        if feeds:
            enabled = sum(bool(row["enabled"]) for row in feeds)
            languages = ", ".join(sorted({str(row["lang"]) for row in feeds}))
            typer.echo(f"{name}: {entry.title}\n  {len(feeds)} feeds, {enabled} polled here; {languages}")
    typer.echo(f"{len(rows)} feeds in {len({row['pack'] for row in rows})} packs")


@app.command("preview")
def preview_pack(ctx: typer.Context, pack: str) -> None:
    """What `sources enable PACK` would add or wake, changing nothing."""
    from storage.sources import polled_by_url

    with cli_context(ctx).database.session() as session:
        entry = _pack(session, pack)
        stored = polled_by_url(session, [feed.url for feed in entry.feeds])
    for feed in entry.feeds:
        polled = stored.get(feed.url)
        state = "would add" if polled is None else "polled already" if polled else "would wake"
        typer.echo(f"{state:15s} {feed.lang} {feed.country or '--':3s} {feed.name} — {feed.url}")
    added = sum(feed.url not in stored for feed in entry.feeds)
    typer.echo(f"{pack}: {added} to add, {sum(not polled for polled in stored.values())} to wake")


@app.command("enable")
def enable_pack(ctx: typer.Context, pack: str) -> None:
    """Poll a pack's feeds; enabling twice adds nothing, and your own feeds are never touched."""
    from storage.admin import enable_pack as store_enable

    with cli_context(ctx).database.session() as session:
        entry = _pack(session, pack)
        change = store_enable(session, pack, entry.feeds, actor="cli")
    typer.echo(
        f"{pack}: {change.added} feeds added, {change.enabled_again} enabled again, "
        f"{change.already_there} already polled"
    )


@app.command("disable")
def disable_pack(ctx: typer.Context, pack: str) -> None:
    """Stop polling a pack's feeds; their stories stay, and `sources enable` brings them back."""
    from storage.admin import disable_pack as store_disable

    with cli_context(ctx).database.session() as session:
        _pack(session, pack)
        stopped = store_disable(session, pack, actor="cli")
    typer.echo(f"{pack}: {stopped} feeds no longer polled")


@app.command("stats")
def source_stats(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(min=1, max=365, help="The window, in days.")] = 7,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Per source: last success, stories per day, and the share the classifier flagged."""
    from datetime import UTC, datetime, timedelta

    from storage.sources import source_health

    now = datetime.now(UTC)
    with cli_context(ctx).reading_database.session() as session:
        health = source_health(session, now - timedelta(days=days), now)
    if as_json:
        rows = [
            {
                "feed_id": h.feed_id,
                "url": h.url,
                "name": h.name,
                "pack": h.pack,
                "status": h.status.value,
                "last_success_at": h.last_success_at and h.last_success_at.isoformat(),
                "last_error": h.last_error,
                "stories_per_day": round(h.per_day, 2),
                "flagged_share": None if h.flagged_share is None else round(h.flagged_share, 4),
            }
            for h in health
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for h in health:
        success = f"{h.last_success_at:%Y-%m-%d %H:%M}" if h.last_success_at else "never"
        share = "-" if h.flagged_share is None else f"{h.flagged_share:.1%}"
        typer.echo(
            f"#{h.feed_id} [{h.pack or 'own'}] {h.name or h.url}: last success {success}, "
            f"{h.per_day:.1f} stories/day, {share} flagged"
            + (f"; last error: {h.last_error[:80]}" if h.last_error and h.status.value != "ok" else "")
        )
    typer.echo(f"{len(health)} sources, last {days} days")
