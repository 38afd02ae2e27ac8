"""Storylines in the bot: /storyline ID (its stories), /following (the chat's followed storylines),
/unfollowstoryline ID, and the follow button under alerts. A merged or unknown id is answered on one line."""

from __future__ import annotations

from sqlalchemy.orm import Session
from telegram import InlineKeyboardMarkup, Update

from bot.callbacks import Action
from bot.cases import parse_story_id
from bot.context import BotContext
from bot.guards import managers_only
from bot.handlers_buttons import EXPIRED, keyboard_rows, tolerate_unchanged
from bot.keyboards import replace_row, storyline_row
from bot.render import esc, render_story_line, shorten, storyline_summary
from bot.replies import command_args, reply_html
from storage.follows import (
    FollowOutcome,
    FollowResult,
    current_storyline,
    follow_storyline,
    followed_storylines,
    unfollow_storyline,
)
from storage.states import StorylineState
from storage.storylines import StorylineDetail, StorylineRecord, storyline_detail

STORYLINE_ID_MAX = 2**62
TITLE_CHARS = 200
USAGE = "Usage: <code>/storyline ID</code>, the number an alert or /case names: <code>/storyline 7</code>"
UNFOLLOW_USAGE = "Usage: <code>/unfollowstoryline ID</code>, a number /following lists"


def render_storyline(detail: StorylineDetail, *, following: bool) -> str:
    """/storyline: the storyline's summary and its stories, oldest first, each with its case card."""
    storyline = detail.storyline
    lines = [
        f"🧵 <b>Storyline {storyline.id}</b>: {esc(shorten(storyline.title, TITLE_CHARS))}",
        esc(storyline_summary(storyline)) + (" · followed here" if following else ""),
    ]
    if storyline.stories > len(detail.entries):
        lines.append(f"The newest {len(detail.entries)} of its stories:")
    for number, entry in enumerate(detail.entries, 1):
        case = (
            f"\n    🧭 {esc(shorten(entry.card, TITLE_CHARS))} · /case {entry.story.id}" if entry.card else ""
        )
        lines.append(f"\n{render_story_line(number, entry.story, None)}{case}")
    return "\n".join(lines)


def render_following(storylines: list[StorylineRecord]) -> str:
    if not storylines:
        return "This chat follows no storyline. Press 🧵 Follow storyline under an alert."
    lines = ["🧵 <b>Storylines followed here</b>"]
    for storyline in storylines:
        lines.append(
            f"\n/storyline {storyline.id}: {esc(shorten(storyline.title, TITLE_CHARS))}\n"
            f"    {esc(storyline_summary(storyline))}"
        )
    lines.append("\nStop one with <code>/unfollowstoryline ID</code>.")
    return "\n".join(lines)


def merged_line(asked: int, into: int) -> str:
    return f"Storyline {asked} was merged into storyline {into}: /storyline {into}"


def _storyline_view(session: Session, chat_id: int, storyline_id: int) -> tuple[StorylineDetail | None, bool]:
    """The storyline and whether this chat follows it."""
    detail = storyline_detail(session, storyline_id)
    followed = {record.id for record in followed_storylines(session, chat_id)}
    return detail, storyline_id in followed


async def storyline_command(update: Update, context: BotContext) -> None:
    """Show one storyline's stories; a merged one points to the storyline that took them."""
    chat = update.effective_chat
    storyline_id = parse_story_id(command_args(context))
    if chat is None:
        return
    if storyline_id is None:
        await reply_html(update, USAGE)
        return
    services = context.bot_data.services
    detail, following = await services.db(_storyline_view, chat.id, storyline_id)
    if detail is None:
        await reply_html(update, f"No storyline #{storyline_id} is stored.")
    elif detail.storyline.state is StorylineState.MERGED and detail.storyline.merged_into is not None:
        await reply_html(update, merged_line(storyline_id, detail.storyline.merged_into))
    else:
        markup = InlineKeyboardMarkup([storyline_row(services.codec, storyline_id, following=following)])
        await reply_html(update, render_storyline(detail, following=following), markup)


async def following_command(update: Update, context: BotContext) -> None:
    """List the storylines this chat follows."""
    chat = update.effective_chat
    if chat is None:
        return
    storylines = await context.bot_data.services.db(followed_storylines, chat.id)
    await reply_html(update, render_following(storylines))


def _unfollow(session: Session, chat_id: int, storyline_id: int) -> tuple[bool, int | None]:
    """Whether the chat stopped following, and the storyline the id stands for now (None: unknown)."""
    return unfollow_storyline(session, chat_id, storyline_id), current_storyline(session, storyline_id)


@managers_only()
async def unfollow_storyline_command(update: Update, context: BotContext) -> None:
    """Stop following a storyline."""
    chat = update.effective_chat
    storyline_id = parse_story_id(command_args(context))
    assert chat is not None  # managers_only lets no chat-less update through
    if storyline_id is None:
        await reply_html(update, UNFOLLOW_USAGE)
        return
    stopped, current = await context.bot_data.services.db(_unfollow, chat.id, storyline_id)
    if current is None:
        await reply_html(update, f"No storyline #{storyline_id} is stored.")
    elif stopped:
        await reply_html(update, f"No longer following storyline {current}.")
    else:
        await reply_html(update, f"This chat does not follow storyline {current}. See /following.")


def follow_answer(result: FollowResult) -> str:
    """The one line a follow button answers with."""
    answers = {
        FollowOutcome.FOLLOWING: f"Following storyline {result.storyline_id}: its next stories come as "
        "new developments.",
        FollowOutcome.ALREADY: f"This chat already follows storyline {result.storyline_id}.",
        FollowOutcome.NOT_SUBSCRIBED: "This chat is not subscribed. Send /subscribe first.",
        FollowOutcome.UNKNOWN: "That storyline is no longer stored.",
    }
    merged = (
        f"Storyline {result.merged_from} was merged into {result.storyline_id}. "
        if result.merged_from
        else ""
    )
    return merged + answers[result.outcome]


@managers_only("Only administrators of this chat can follow storylines.")
async def storyline_button(update: Update, context: BotContext) -> None:
    """Follow (or unfollow) the storyline, and turn the button into its opposite."""
    query = update.callback_query
    chat = update.effective_chat
    assert query is not None  # registered for callback queries only
    services = context.bot_data.services
    data = services.codec.decode(query.data)
    storyline_id = data.int_arg(0, 1, STORYLINE_ID_MAX) if data else None
    follow = data.int_arg(1, 0, 1) if data else None
    if storyline_id is None or follow is None or chat is None:
        await query.answer(EXPIRED)
        return
    if follow:
        result = await services.db(follow_storyline, chat.id, storyline_id)
        await query.answer(follow_answer(result), show_alert=result.outcome is not FollowOutcome.FOLLOWING)
        if result.outcome not in (FollowOutcome.FOLLOWING, FollowOutcome.ALREADY):
            return
        row = storyline_row(services.codec, result.storyline_id, following=True)
    else:
        stopped, current = await services.db(_unfollow, chat.id, storyline_id)
        await query.answer(f"No longer following storyline {current}." if stopped else "Not followed here.")
        row = storyline_row(services.codec, current or storyline_id, following=False)
    markup = replace_row(services.codec, keyboard_rows(query), Action.STORYLINE, row)
    await tolerate_unchanged(query.edit_message_reply_markup(markup))
