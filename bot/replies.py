"""Small helpers shared by handlers: replying in HTML, and who may change a chat's subscription."""

from __future__ import annotations

from telegram import ChatMember, InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError

from bot.context import BotContext
from bot.ratelimit import waiting_out_flood_control
from bot.render import split_html

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_MANAGERS = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)


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


async def can_manage_chat(update: Update, context: BotContext) -> bool:
    """Anyone in a private chat or posting in a channel; otherwise (groups, and buttons under channel
    posts, which every reader can press) chat administrators and bot admins only."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None:
        return False
    if chat.type == ChatType.PRIVATE or update.channel_post is not None:
        return True  # only a channel's administrators can post in it
    if message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id:
        return True  # an anonymous administrator of this group
    if user is None:
        return False
    if context.bot_data.services.is_admin(user):
        return True
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError:
        return False
    return member.status in _MANAGERS
