"""Who may run a handler: warwatch admins (bot-wide changes) and a chat's managers (its alerts).

Handlers state their guard as a decorator, so the check cannot be forgotten or pasted in a
different order; a refused command gets one reply, a refused button an alert.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.context import BotContext
from bot.replies import reply_html

Handler = Callable[[Update, BotContext], Awaitable[None]]
NOT_ADMIN = "Sorry, this command is for warwatch administrators only."
NOT_MANAGER = "Only administrators of this group can change its alerts."
_MANAGERS = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)


def admin_only(handler: Handler) -> Handler:
    """Run the handler for admins (by ``effective_user.id``, so forwarding grants nothing); refuse others."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: BotContext) -> None:
        if context.bot_data.services.is_admin(update.effective_user):
            await handler(update, context)
        else:
            await _refuse(update, NOT_ADMIN)

    return guarded


def managers_only(refusal: str = NOT_MANAGER) -> Callable[[Handler], Handler]:
    """Run the handler for those who may change this chat's alerts (`can_manage_chat`); refuse others."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(update: Update, context: BotContext) -> None:
            if await can_manage_chat(update, context):
                await handler(update, context)
            elif update.effective_chat is not None or update.callback_query is not None:
                await _refuse(update, refusal)

        return guarded

    return decorate


async def _refuse(update: Update, refusal: str) -> None:
    """A refused button gets an alert (its query must be answered), a refused command a reply."""
    if update.callback_query is not None:
        await update.callback_query.answer(refusal, show_alert=True)
    else:
        await reply_html(update, refusal)


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
