"""Buttons under alerts and search results. Every callback query is answered, valid or not."""

from __future__ import annotations

from collections.abc import Awaitable

from sqlalchemy.orm import Session
from telegram import CallbackQuery, InlineKeyboardButton, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.callbacks import Action, CallbackData
from bot.context import BotContext
from bot.guards import managers_only
from bot.handlers_user import search_page, stored_search
from bot.keyboards import feedback_row, replace_row
from bot.replies import NO_PREVIEW
from storage.feedback import record_feedback
from storage.stories import get_story
from storage.subscribers import get_subscriber, update_preferences

STORY_ID_MAX = 2**62
MAX_SEARCH_OFFSET = 1000
EXPIRED = "This button has expired. Send the command again for fresh buttons."


def keyboard_rows(query: CallbackQuery) -> tuple[tuple[InlineKeyboardButton, ...], ...]:
    """The buttons under the message the query came from, row by row."""
    message = query.message
    return (
        message.reply_markup.inline_keyboard if isinstance(message, Message) and message.reply_markup else ()
    )


def _decoded(update: Update, context: BotContext) -> tuple[CallbackQuery, CallbackData | None]:
    query = update.callback_query
    assert query is not None  # registered for callback queries only
    return query, context.bot_data.services.codec.decode(query.data)


async def tolerate_unchanged(edit: Awaitable[object]) -> None:
    """Run an edit; Telegram's "message is not modified" (a repeated tap) is not an error for us."""
    try:
        await edit
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            raise


async def feedback_button(update: Update, context: BotContext) -> None:
    """Count a 👍/👎 (a second tap replaces the first) and show the tally on the buttons."""
    query, data = _decoded(update, context)
    story_id = data.int_arg(0, 1, STORY_ID_MAX) if data else None
    relevant = data.int_arg(1, 0, 1) if data else None
    chat = update.effective_chat
    if story_id is None or relevant is None or chat is None:
        await query.answer(EXPIRED)
        return
    services = context.bot_data.services
    tally = await services.db(
        record_feedback, story_id, user_id=query.from_user.id, chat_id=chat.id, relevant=bool(relevant)
    )
    if tally is None:
        await query.answer("That story is no longer stored.")
        return
    await query.answer(
        "Thanks — counted as relevant 👍" if relevant else "Thanks — counted as not relevant 👎"
    )
    markup = replace_row(
        services.codec, keyboard_rows(query), Action.FEEDBACK, feedback_row(services.codec, story_id, tally)
    )
    await tolerate_unchanged(query.edit_message_reply_markup(markup))


def _mute_outlet(session: Session, chat_id: int, story_id: int) -> str | None:
    """Add the story's outlet to the chat's muted outlets; the outlet, or None if there is nothing to mute."""
    story, subscriber = get_story(session, story_id), get_subscriber(session, chat_id)
    if story is None or not story.outlet or subscriber is None:
        return None
    if story.outlet not in subscriber.muted_outlets:
        update_preferences(session, chat_id, muted_outlets=[*subscriber.muted_outlets, story.outlet])
    return story.outlet


@managers_only("Only administrators of this chat can mute outlets.")
async def mute_outlet_button(update: Update, context: BotContext) -> None:
    """Stop alerts from this story's outlet in this chat."""
    query, data = _decoded(update, context)
    story_id = data.int_arg(0, 1, STORY_ID_MAX) if data else None
    chat = update.effective_chat
    if story_id is None or chat is None:
        await query.answer(EXPIRED)
        return
    outlet = await context.bot_data.services.db(_mute_outlet, chat.id, story_id)
    if outlet is None:
        await query.answer("Nothing to mute: the story or this chat's subscription is gone.")
        return
    await query.answer(f"Muted {outlet[:150]}. Undo in /settings.", show_alert=True)


async def search_page_button(update: Update, context: BotContext) -> None:
    """Show another page of a stored search in place."""
    query, data = _decoded(update, context)
    token = data.args[0] if data and data.args else ""
    offset = data.int_arg(1, 0, MAX_SEARCH_OFFSET) if data else None
    search_query = stored_search(context, token)
    if offset is None or search_query is None:
        await query.answer("This search has expired — send /search again.")
        return
    await query.answer()
    text, markup = await search_page(context, token, search_query, offset)
    await tolerate_unchanged(
        query.edit_message_text(
            text, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW, reply_markup=markup
        )
    )


async def invalid_button(update: Update, context: BotContext) -> None:
    """Tampered, foreign or outdated callback data: a polite answer and nothing else."""
    if update.callback_query is not None:
        await update.callback_query.answer(EXPIRED)
