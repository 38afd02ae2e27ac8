"""Small helpers shared by handlers: replying in HTML and reading a command's arguments."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.constants import ParseMode

from bot.context import BotContext
from bot.ratelimit import waiting_out_flood_control
from bot.render import split_html

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def reply_html(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Answer in the update's chat, split under Telegram's limit, with the buttons on the last part;
    told to wait by flood control, the reply waits (within a bound) and then arrives."""
    message = update.effective_message
    if message is None:
        return
    parts = split_html(text)
    with waiting_out_flood_control():  # nothing would send a reply later: a 429 is waited out
        for index, part in enumerate(parts):
            await message.reply_text(
                part,
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
                reply_markup=markup if index == len(parts) - 1 else None,
                do_quote=False,
            )


def command_args(context: BotContext) -> list[str]:
    return list(context.args or [])
