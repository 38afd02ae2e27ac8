"""/export: the flagged stories of the last days with their case facts, as a CSV document."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session
from telegram import InputFile, Update

from bot.context import BotContext
from bot.ratelimit import waiting_out_flood_control
from bot.render import esc
from bot.replies import command_args, reply_html
from storage.cases import EXPORT_COLUMNS, flagged_cases

DEFAULT_DAYS = 30
MAX_DAYS = 365
MAX_ROWS = 20_000  # a few MB: far under Telegram's 50 MB for a document
USAGE = "Usage: <code>/export [DAYS] [COUNTRY]</code>, e.g. <code>/export 30 Nepal</code> (1–365 days)"


def _csv(session: Session, since: datetime, country: str | None) -> tuple[bytes, int, bool]:
    """The CSV, its row count, and whether it was cut at ``MAX_ROWS``."""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    rows = 0
    for item in flagged_cases(session, since, country):
        if rows == MAX_ROWS:
            return text.getvalue().encode(), rows, True
        writer.writerow(item.as_row())
        rows += 1
    return text.getvalue().encode(), rows, False


def parse_export_args(words: list[str]) -> tuple[int, str | None] | None:
    """(days, country) from ``[DAYS] [COUNTRY]``; None when the days are not a number in range."""
    days = DEFAULT_DAYS
    if words and words[0].isdecimal():
        days = int(words[0]) if len(words[0]) <= 3 else 0
        words = words[1:]
    if not 1 <= days <= MAX_DAYS:
        return None
    return days, " ".join(words) or None


async def export_command(update: Update, context: BotContext) -> None:
    """Send the flagged stories of the last days (of one country, if named) as a CSV document."""
    chat = update.effective_chat
    parsed = parse_export_args(command_args(context))
    if chat is None:
        return
    if parsed is None:
        await reply_html(update, USAGE)
        return
    days, country = parsed
    since = datetime.now(UTC) - timedelta(days=days)
    body, rows, cut = await context.bot_data.services.db(_csv, since, country)
    scope = f"the last {days} day(s)" + (f" naming {esc(country)}" if country else "")
    if not rows:
        await reply_html(update, f"No flagged stories in {scope}.")
        return
    caption = f"{rows} flagged stories in {scope}" + (f" (the first {MAX_ROWS})" if cut else "")
    document = InputFile(io.BytesIO(body), filename=f"warwatch-{datetime.now(UTC):%Y-%m-%d}.csv")
    with waiting_out_flood_control():
        await context.bot.send_document(chat.id, document, caption=caption, parse_mode="HTML")
