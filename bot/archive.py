"""/archive ID, /cite ID and /bundle: the evidence archive in Telegram. The page is fetched by the
service's archive (handed in as ``ArchiveAccess``: the bot imports no fetcher)."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from telegram import InputFile, Update

from archive.bundle import write_bundle
from archive.cite import CitationStyle, cite
from archive.store import WarcStore
from bot.cases import parse_story_id
from bot.context import BotContext
from bot.guards import admin_only
from bot.ratelimit import waiting_out_flood_control
from bot.render import esc, link
from bot.replies import command_args, reply_html
from storage.archive import ArchiveDetail, NoWebAddressError, citation, kept_snapshots

BUNDLE_DEFAULT_DAYS = 30
BUNDLE_MAX_DAYS = 3650
DOCUMENT_LIMIT_BYTES = 50_000_000  # what the Bot API lets a bot send
ARCHIVE_USAGE = (
    "Usage: <code>/archive ID</code>, a story id (from /export or an alert): <code>/archive 42</code>"
)
CITE_USAGE = "Usage: <code>/cite ID [plain|apa|json]</code>, e.g. <code>/cite 42 apa</code>"
BUNDLE_USAGE = (
    "Usage: <code>/bundle [DAYS]</code> (copies retrieved in the last DAYS days, 30 by default) or "
    "<code>/bundle #ID</code> or <code>/bundle ID,ID,…</code> (those stories)"
)


@dataclass(frozen=True)
class ArchiveAccess:
    """What the bot may do with the archive: read its files, and archive a story now."""

    store: WarcStore
    capture: Callable[[int, str], Awaitable[ArchiveDetail | None]]  # (story id, actor)


def render_archive(detail: ArchiveDetail) -> str:
    """One story's archive: its state and each look, with hashes."""
    archive = detail.archive
    page = archive.page_state.value if archive.page_state else "not captured yet"
    lines = [
        f"🗄 <b>Archive of #{archive.story_id}</b> {link(archive.url, archive.title)}",
        f"{esc(archive.outlet or 'unknown outlet')} · archive {archive.state.value} · page {page}",
    ]
    for snapshot in detail.snapshots:
        status = f"HTTP {snapshot.status_code}" if snapshot.status_code else "no answer"
        line = f"• {snapshot.retrieved_at:%Y-%m-%d %H:%M} UTC {snapshot.outcome.value} ({status})"
        if snapshot.body_sha256 and snapshot.warc_sha256:
            line += f"\n  SHA-256 <code>{snapshot.body_sha256}</code>"
        if snapshot.note:
            line += f" — {esc(snapshot.note)}"
        lines.append(line)
    if archive.next_check_at:
        lines.append(f"Next look: {archive.next_check_at:%Y-%m-%d %H:%M} UTC")
    if archive.last_error:
        lines.append(f"⚠️ Last try failed ({archive.attempts} in a row): {esc(archive.last_error[:300])}")
    if any(snapshot.warc_sha256 for snapshot in detail.snapshots):
        lines.append(f"/cite {archive.story_id} cites the archived copy.")
    return "\n".join(lines)


async def archive_command(update: Update, context: BotContext) -> None:
    """Archive a stored story's page now (unless a copy is kept) and show its snapshots."""
    story_id = parse_story_id(command_args(context))
    if story_id is None:
        await reply_html(update, ARCHIVE_USAGE)
        return
    access = context.bot_data.services.archive
    if access is None:
        await reply_html(update, "The archive is not running in this process.")
        return
    user = update.effective_user
    try:
        detail = await access.capture(story_id, f"telegram:{user.id if user else 'unknown'}")
    except NoWebAddressError:
        await reply_html(update, f"Story #{story_id} has no web address to archive.")
        return
    if detail is None:
        await reply_html(update, f"No story #{story_id} is stored (it may have been pruned).")
        return
    await reply_html(update, render_archive(detail))


def parse_cite_args(words: list[str]) -> tuple[int, CitationStyle] | None:
    styles = {style.value: style for style in CitationStyle}
    if len(words) == 2 and words[1].lower() in styles:
        words, style = words[:1], styles[words[1].lower()]
    else:
        style = CitationStyle.PLAIN
    story_id = parse_story_id(words)
    return (story_id, style) if story_id is not None else None


async def cite_command(update: Update, context: BotContext) -> None:
    """A citation of a story's archived copy, to paste into a report."""
    parsed = parse_cite_args(command_args(context))
    if parsed is None:
        await reply_html(update, CITE_USAGE)
        return
    story_id, style = parsed
    found = await context.bot_data.services.db(citation, story_id)
    if found is None:
        await reply_html(
            update, f"Story #{story_id} has no archived copy yet: /archive {story_id} takes one."
        )
        return
    text = esc(cite(found, style))
    await reply_html(update, f"<pre>{text}</pre>" if style is CitationStyle.JSON else text)


def parse_bundle_args(words: list[str]) -> tuple[int | None, list[int] | None] | None:
    """(days, None) for ``[DAYS]``, or (None, ids) for ``#ID`` or ``ID,ID,…``; None for anything else."""
    if not words:
        return BUNDLE_DEFAULT_DAYS, None
    if len(words) != 1:
        return None
    word = words[0]
    if not word.startswith("#") and "," not in word:
        days = parse_story_id([word])
        return (days, None) if days is not None and days <= BUNDLE_MAX_DAYS else None
    ids = [parse_story_id([part.strip().removeprefix("#")]) for part in word.split(",")]
    chosen = [story_id for story_id in ids if story_id is not None]
    return (None, chosen) if len(chosen) == len(ids) else None


@admin_only
async def bundle_command(update: Update, context: BotContext) -> None:
    """Send an evidence bundle (WARC files, manifest.csv, SHA256SUMS) as a zip document."""
    parsed = parse_bundle_args(command_args(context))
    chat, services = update.effective_chat, context.bot_data.services
    if chat is None:
        return
    if parsed is None:
        await reply_html(update, BUNDLE_USAGE)
        return
    if services.archive is None:
        await reply_html(update, "The archive is not running in this process.")
        return
    days, ids = parsed
    since = datetime.now(UTC) - timedelta(days=days) if days is not None else None
    snapshots = await services.db(kept_snapshots, since=since, story_ids=ids)
    scope = (
        f"the last {days} day(s)" if days is not None else f"stories {esc(', '.join(map(str, ids or [])))}"
    )
    if not snapshots:
        await reply_html(update, f"No archived copies for {scope}.")
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"warwatch-evidence-{datetime.now(UTC):%Y-%m-%d}.zip"
        try:
            written = await asyncio.to_thread(write_bundle, path, snapshots, services.archive.store)
        except ValueError as error:
            await reply_html(update, f"Cannot build the bundle: {esc(error)}")
            return
        size = path.stat().st_size
        if size > DOCUMENT_LIMIT_BYTES:
            await reply_html(
                update,
                f"The bundle for {scope} is {size / 1e6:.0f} MB, over Telegram's 50 MB: "
                "use <code>warwatch archive export</code>, or ask for fewer days or stories.",
            )
            return
        caption = f"{written} archived copies ({scope}); <code>warwatch archive verify</code> re-checks it"
        with path.open("rb") as handle, waiting_out_flood_control():
            document = InputFile(handle, filename=path.name)
            await context.bot.send_document(chat.id, document, caption=caption, parse_mode="HTML")
