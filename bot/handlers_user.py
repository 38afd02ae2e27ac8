"""Commands for everyone: start, help, subscribe, unsubscribe, latest, search; and the fallbacks."""

from __future__ import annotations

import secrets
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from bot.context import BotContext
from bot.guards import managers_only
from bot.keyboards import search_keyboard
from bot.render import esc, render_latest, render_search_page
from bot.replies import command_args, reply_html
from storage.search import search
from storage.subscribers import subscribe, unsubscribe
from storage.verdicts import latest_flagged

MAX_STORED_SEARCHES = 20
SEARCHES_KEY = "searches"

WELCOME = (
    "👋 <b>warwatch</b> watches news feeds for stories about people trafficked or recruited to fight in "
    "wars — foreign fighters, mercenaries, men lured abroad with job offers and sent to the front — and "
    "alerts you when one appears.\n\n"
    "/subscribe to get alerts in this chat, /settings to choose what and when, /search to look through "
    "stored stories, /help for everything else."
)
USER_HELP = (
    "<b>Commands</b>\n"
    "/subscribe — get alerts in this chat\n"
    "/unsubscribe — stop alerts\n"
    "/settings — minimum score, languages, countries, keywords, instant or daily digest, mute\n"
    "/follow WORD — only alert on stories mentioning it (see /settings)\n"
    "/unfollow WORD — stop following a keyword\n"
    "/search QUERY — search all stored stories\n"
    "/latest — the most recent alerts\n"
    "/export [DAYS] [COUNTRY] — the flagged stories with their case facts, as a CSV file\n"
    "/case ID — one flagged story's case facts, with the words they rest on\n"
    "/archive ID — keep a copy of the story's page now (WARC, SHA-256) and list its copies\n"
    "/cite ID [plain|apa|json] — a citation of the archived copy, for a report\n"
    "/trends [destination] — a chart of flagged stories per week by origin country (or force)\n"
    "/storyline ID — one case's stories across weeks (arrest, charge, sentence…)\n"
    "/following — the storylines this chat follows · /unfollowstoryline ID\n\n"
    "Under each alert, 👍/👎 tell us whether it was relevant: it trains the classifier; "
    "🧵 Follow storyline brings the case's later stories as new developments."
)
ADMIN_HELP = (
    "\n\n<b>Admin</b>\n"
    "/keywords · /addkeyword TERM [WEIGHT] · /rmkeyword TERM\n"
    "/threshold [VALUE] · /feeds · /addfeed URL · /rmfeed ID · /sources\n"
    "/test TEXT · /stats · /backtest +TERM [WEIGHT] | -TERM | threshold VALUE [DAYS]\n"
    "/bundle [DAYS | #ID | ID,ID…] — archived copies as an evidence zip (WARC, manifest, SHA256SUMS)"
)


async def start(update: Update, context: BotContext) -> None:
    """Say what the bot does."""
    await reply_html(update, WELCOME)


async def help_command(update: Update, context: BotContext) -> None:
    """List the commands (admin commands only for admins)."""
    extra = ADMIN_HELP if context.bot_data.services.is_admin(update.effective_user) else ""
    await reply_html(update, USER_HELP + extra)


@managers_only()
async def subscribe_command(update: Update, context: BotContext) -> None:
    """Start alerts in this chat."""
    chat = update.effective_chat
    assert chat is not None  # managers_only lets no chat-less update through
    title = chat.title or chat.full_name or chat.username
    _, started = await context.bot_data.services.db(subscribe, chat.id, chat_type=chat.type, title=title)
    text = "✅ Subscribed: alerts will arrive here." if started else "You are already subscribed."
    await reply_html(update, f"{text} Fine-tune them with /settings.")


@managers_only()
async def unsubscribe_command(update: Update, context: BotContext) -> None:
    """Stop alerts in this chat."""
    chat = update.effective_chat
    assert chat is not None  # managers_only lets no chat-less update through
    stopped = await context.bot_data.services.db(unsubscribe, chat.id)
    await reply_html(
        update, "🔕 Unsubscribed. /subscribe to start again." if stopped else "You were not subscribed."
    )


async def latest_command(update: Update, context: BotContext) -> None:
    """Show the most recent alerts."""
    services = context.bot_data.services
    flagged = await services.db(latest_flagged, services.settings.telegram.latest_count)
    await reply_html(update, render_latest(flagged))


async def search_command(update: Update, context: BotContext) -> None:
    """Search stored stories; the query is kept in chat_data so "More" buttons stay under 64 bytes."""
    query = " ".join(command_args(context)).strip()
    if not query:
        await reply_html(
            update, "Usage: <code>/search QUERY</code>, e.g. <code>/search Nepal recruits</code>"
        )
        return
    searches: dict[str, str] = _chat_data(context).setdefault(SEARCHES_KEY, {})
    while len(searches) >= MAX_STORED_SEARCHES:
        searches.pop(next(iter(searches)))
    token = secrets.token_urlsafe(6)
    searches[token] = query
    text, markup = await search_page(context, token, query, 0)
    await reply_html(update, text, markup)


async def search_page(
    context: BotContext, token: str, query: str, offset: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of results and its paging buttons."""
    services = context.bot_data.services
    size = services.settings.telegram.search_page_size
    hits = await services.db(search, query, limit=size + 1, offset=offset)
    markup = search_keyboard(services.codec, token, offset=offset, page_size=size, has_more=len(hits) > size)
    return render_search_page(query, hits[:size], offset), markup


def stored_search(context: BotContext, token: str) -> str | None:
    return _chat_data(context).get(SEARCHES_KEY, {}).get(token)


def _chat_data(context: BotContext) -> dict[Any, Any]:
    """This chat's in-memory data (gone after a restart, which only expires old search buttons)."""
    return context.chat_data if context.chat_data is not None else {}


async def unknown_command(update: Update, context: BotContext) -> None:
    """Unknown commands: answered in private chats and when addressed to us; other bots' are ignored."""
    message, chat = update.effective_message, update.effective_chat
    command = (message.text or "").split(maxsplit=1)[0] if message and message.text else ""
    addressee = command.partition("@")[2].casefold()
    ours = bool(addressee) and addressee == (context.bot.username or "").casefold()
    if ours or (chat is not None and chat.type == ChatType.PRIVATE and not addressee):
        await reply_html(update, f"I don't know {esc(command[:64])}. /help lists what I understand.")


async def other_message(update: Update, context: BotContext) -> None:
    """Private chats get a hint for anything that is not a command; groups are left in peace."""
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        await reply_html(update, "I only understand commands. /help lists them.")
