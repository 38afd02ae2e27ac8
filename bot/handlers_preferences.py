"""A chat's alert preferences: /settings with its buttons, and /follow, /unfollow for keywords
(buttons cannot take typed words)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session
from telegram import Update
from telegram.constants import ParseMode

from bot.context import BotContext
from bot.guards import managers_only
from bot.handlers_buttons import tolerate_unchanged
from bot.preferences_menu import (
    Changes,
    Screen,
    apply_button,
    follow_keyword,
    render_screen,
    unfollow_keyword,
)
from bot.render import esc
from bot.replies import command_args, reply_html
from storage.records import SubscriberRecord
from storage.subscribers import get_subscriber, update_preferences

NOT_SUBSCRIBED = "This chat is not subscribed. Send /subscribe first."


async def _active_subscriber(context: BotContext, chat_id: int) -> SubscriberRecord | None:
    subscriber = await context.bot_data.services.db(get_subscriber, chat_id)
    return subscriber if subscriber and subscriber.active else None


@managers_only()
async def settings_command(update: Update, context: BotContext) -> None:
    """Show this chat's settings with buttons to change them."""
    chat = update.effective_chat
    assert chat is not None  # managers_only lets no chat-less update through
    subscriber = await _active_subscriber(context, chat.id)
    if subscriber is None:
        await reply_html(update, NOT_SUBSCRIBED)
        return
    text, markup = render_screen(context.bot_data.services.codec, subscriber, Screen.MAIN, datetime.now(UTC))
    await reply_html(update, text, markup)


def _change(session: Session, chat_id: int, changes: Changes) -> SubscriberRecord | None:
    return update_preferences(session, chat_id, **changes)


@managers_only()
async def settings_button(update: Update, context: BotContext) -> None:
    """Apply one settings button and redraw the screen."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None  # registered for callback queries only
    services = context.bot_data.services
    data = services.codec.decode(query.data)
    if chat is None or data is None:
        await query.answer("This button has expired. Send /settings again.")
        return
    subscriber = await _active_subscriber(context, chat.id)
    now = datetime.now(UTC)
    applied = apply_button(data, subscriber, now) if subscriber else None
    if subscriber is None or applied is None:
        await query.answer(
            NOT_SUBSCRIBED if subscriber is None else "This button has expired. Send /settings again."
        )
        return
    changes, screen = applied
    if changes:
        subscriber = await services.db(_change, chat.id, changes) or subscriber
    await query.answer("Saved." if changes else None)
    text, markup = render_screen(services.codec, subscriber, screen, now)
    await tolerate_unchanged(query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup))


@managers_only()
async def follow_command(update: Update, context: BotContext) -> None:
    """Only alert on stories mentioning this keyword (or another followed one)."""
    await _keyword_command(update, context, follow=True)


@managers_only()
async def unfollow_command(update: Update, context: BotContext) -> None:
    """Stop following a keyword."""
    await _keyword_command(update, context, follow=False)


async def _keyword_command(update: Update, context: BotContext, *, follow: bool) -> None:
    chat, word = update.effective_chat, " ".join(command_args(context))
    if chat is None:
        return
    if not word:
        await reply_html(update, f"Usage: <code>/{'follow' if follow else 'unfollow'} WORD</code>")
        return
    subscriber = await _active_subscriber(context, chat.id)
    if subscriber is None:
        await reply_html(update, NOT_SUBSCRIBED)
        return
    changes = follow_keyword(subscriber, word) if follow else unfollow_keyword(subscriber, word)
    if changes is None or isinstance(changes, str):
        await reply_html(update, esc(changes or "You do not follow that keyword."))
        return
    await context.bot_data.services.db(_change, chat.id, changes)
    verb = "Following" if follow else "No longer following"
    await reply_html(update, f"{verb} <b>{esc(' '.join(word.split()))}</b>. See /settings.")
