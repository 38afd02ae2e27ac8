"""``warwatch archive ID|export|verify|delete`` and ``warwatch cite ID``: the evidence archive
of story pages (WARC files, hashes, re-checks), its citations and its bundles."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from archive.cite import CitationStyle
from warwatch.commands.feeds import MAX_ROW_ID
from warwatch.context import cli_context, fail

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from archive.store import WarcStore
    from storage.archive import ArchiveDetail
    from storage.db import Database
    from warwatch.config import Settings


class _StoryIdFirst(TyperGroup):
    """``warwatch archive 42`` is ``warwatch archive story 42``: a bare id names the story."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # typer's own click Context
        if args and args[0].isdecimal():
            args = ["story", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_StoryIdFirst,
    help="Archived copies of story pages (WARC files): `warwatch archive ID` archives one now and shows "
    "its snapshots; export and verify evidence bundles; delete an archive.",
    no_args_is_help=True,
)
StoryId = Annotated[
    int, typer.Argument(min=1, max=MAX_ROW_ID, help="The story id (`warwatch search --json`).")
]


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC" if moment else "-"


def warc_store(settings: Settings) -> WarcStore:
    from archive.store import WarcStore
    from warwatch.archiving import archive_directory

    return WarcStore(archive_directory(settings.archive, settings.database.url))


@app.command("story")
def story_command(ctx: typer.Context, story_id: StoryId) -> None:
    """`warwatch archive ID`: archive the story's page now, unless a copy is kept, and show its copies.

    Exit code 1 when no copy could be kept (the error says why).
    """
    import asyncio

    from storage.archive import NoWebAddressError

    context = cli_context(ctx)
    try:
        detail = asyncio.run(_archive_now(context.settings, context.database, story_id))
    except NoWebAddressError as error:
        fail(str(error), code=1)
    if detail is None:
        fail(f"no story {story_id} (it may have been pruned)", code=1)
    for line in describe_archive(detail, warc_store(context.settings)):
        typer.echo(line)
    if not any(snapshot.warc_sha256 for snapshot in detail.snapshots):
        raise typer.Exit(1)


async def _archive_now(settings: Settings, database: Database, story_id: int) -> ArchiveDetail | None:
    from feeds.fetch import make_client
    from warwatch.archiving import make_archive_service

    async with make_client(settings.poller) as client:
        service = make_archive_service(settings.archive, database, client, settings.poller)
        return await service.archive_now(story_id, actor="cli")


def describe_archive(detail: ArchiveDetail, store: WarcStore) -> list[str]:
    """The archive of one story, line by line: its state, each look, the files, the last error."""
    archive = detail.archive
    page = archive.page_state.value if archive.page_state else "not captured"
    nxt = f", next look {_when(archive.next_check_at)}" if archive.next_check_at else ""
    lines = [
        f"#{archive.story_id} {archive.title}",
        f"  {archive.outlet or 'unknown outlet'} · published {_when(archive.published_at)}",
        f"  {archive.url}",
        f"  archive: {archive.state.value}{nxt} · page {page} · "
        + ("kept (flagged story)" if archive.kept else "prunable (story not flagged)"),
    ]
    for snapshot in detail.snapshots:
        status = f"HTTP {snapshot.status_code}" if snapshot.status_code else "no answer"
        lines.append(f"  {_when(snapshot.retrieved_at)}  {snapshot.outcome.value:9s} {status}")
        if snapshot.body_sha256:
            lines.append(f"      body sha256 {snapshot.body_sha256}")
        if snapshot.warc_sha256:
            lines.append(f"      WARC {store.path(snapshot.warc_sha256)} ({snapshot.warc_bytes} bytes)")
        if snapshot.note:
            lines.append(f"      {snapshot.note}")
        if snapshot.changed_words:
            lines.append(f"      {snapshot.changed_words} words changed")
    if archive.last_error:
        tries = f"after {archive.attempts} tries" if archive.attempts > 1 else "last try"
        lines.append(f"  error ({tries}): {archive.last_error}")
    if any(snapshot.warc_sha256 for snapshot in detail.snapshots):
        lines.append(f"  `warwatch cite {archive.story_id}` cites the archived copy")
    return lines


def cite_command(
    ctx: typer.Context,
    story_id: StoryId,
    style: Annotated[CitationStyle, typer.Option(help="plain, apa or json.")] = CitationStyle.PLAIN,
) -> None:
    """A citation of the story's archived copy, ready to paste into a report.

    Title, outlet, author and dates where known, URL, retrieval time and the SHA-256 of the page.
    """
    from archive.cite import cite
    from storage.archive import citation

    with cli_context(ctx).reading_database.session() as session:
        found = citation(session, story_id)
    if found is None:
        fail(f"story {story_id} has no archived copy yet: `warwatch archive {story_id}` takes one", code=1)
    typer.echo(cite(found, style))


@app.command("export")
def export_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(dir_okay=False, help="The zip file to write (OUT.zip).")],
    since: Annotated[
        datetime | None, typer.Option(help="Copies retrieved since this date (YYYY-MM-DD, UTC).")
    ] = None,
    ids: Annotated[str | None, typer.Option(help="Only these stories: ids separated by commas.")] = None,
    storyline: Annotated[
        int | None,
        typer.Option(min=1, max=MAX_ROW_ID, help="Only the stories of this storyline (a merged one's too)."),
    ] = None,
) -> None:
    """Write an evidence bundle: the WARC files, manifest.csv and SHA256SUMS, in one zip.

    The manifest has a row per archived copy (id, url, retrieved, sha256, status, outcome, warc);
    `warwatch archive verify OUT.zip` re-checks it. The filters combine.
    """
    from datetime import UTC

    from archive.bundle import write_bundle
    from storage.archive import kept_snapshots

    story_ids = _parse_ids(ids) if ids is not None else None
    if not out.parent.is_dir():
        fail(f"{out.parent} is not a folder")
    context = cli_context(ctx)
    when = since.replace(tzinfo=since.tzinfo or UTC) if since else None
    with context.reading_database.session() as session:
        if storyline is not None:
            story_ids = _storyline_stories(session, storyline, story_ids)
        snapshots = kept_snapshots(session, since=when, story_ids=story_ids)
    if not snapshots:
        fail("no archived copy matches: nothing to export", code=1)
    try:
        written = write_bundle(out, snapshots, warc_store(context.settings))
    except (ValueError, OSError) as error:
        fail(f"cannot write {out}: {error}", code=1)
    stories = len({snapshot.story_id for snapshot in snapshots})
    typer.echo(f"wrote {out}: {written} archived copies of {stories} stories, manifest.csv and SHA256SUMS")


def _storyline_stories(session: Session, storyline: int, story_ids: list[int] | None) -> list[int]:
    """The storyline's story ids (within ``story_ids`` when given); an unknown storyline fails."""
    from storage.storylines import storyline_story_ids

    found = storyline_story_ids(session, storyline)
    if found is None:
        fail(f"no storyline {storyline}", code=1)
    survivor, members = found
    if survivor != storyline:
        typer.echo(f"storyline {storyline} was merged into {survivor}: exporting {survivor}")
    return [story for story in members if story_ids is None or story in story_ids]


def _parse_ids(text: str) -> list[int]:
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts or not all(part.isdecimal() and 0 < int(part) <= MAX_ROW_ID for part in parts):
        fail(f"--ids {text!r}: give story ids separated by commas, e.g. --ids 12,40")
    return [int(part) for part in parts]


@app.command("verify")
def verify_command(
    bundle: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="A bundle from `archive export`.")
    ],
) -> None:
    """Re-check every hash of a bundle; exit code 1 if any entry fails.

    Each file against SHA256SUMS, each response body against the manifest's SHA-256; every
    failing entry is named.
    """
    from archive.bundle import verify_bundle

    report = verify_bundle(bundle)
    for failure in report.failures:
        typer.echo(f"FAILED {failure}")
    if not report.ok:
        typer.echo(f"{len(report.failures)} problems in {bundle} ({report.entries} entries)", err=True)
        raise typer.Exit(1)
    typer.echo(f"ok: {report.entries} entries, every SHA-256 matches")


@app.command("delete")
def delete_command(ctx: typer.Context, story_id: StoryId) -> None:
    """Delete a story's archive and its WARC files, flagged or not (audited as archive.delete)."""
    from storage.admin import delete_archive

    context = cli_context(ctx)
    with context.database.session() as session:
        freed = delete_archive(session, story_id, actor="cli")
    if freed is None:
        fail(f"story {story_id} has no archive", code=1)
    store = warc_store(context.settings)
    for sha256 in freed:
        store.remove(sha256)
    typer.echo(f"deleted the archive of story {story_id} ({len(freed)} WARC files)")
