"""/sources: the catalogue's packs, how many of their feeds are polled, buttons to switch them."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlalchemy.orm import Session
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot.callbacks import Action, CallbackCodec
from bot.context import BotContext
from bot.guards import admin_only
from bot.handlers_buttons import EXPIRED, tolerate_unchanged
from bot.render import esc
from bot.replies import reply_html
from feeds.catalogue import Pack
from storage import admin
from storage.sources import polled_by_url

Catalogue = Callable[[Session], Mapping[str, Pack]]
ON, OFF = "on", "off"


def _screen(session: Session, catalogue: Catalogue, codec: CallbackCodec) -> tuple[str, InlineKeyboardMarkup]:
    packs = catalogue(session)
    polled = polled_by_url(session, [feed.url for pack in packs.values() for feed in pack.feeds])
    lines, buttons = ["📡 <b>Source packs</b> (feeds polled here / in the pack)"], []
    for name, pack in sorted(packs.items()):
        on = sum(polled.get(feed.url, False) for feed in pack.feeds)
        lines.append(f"• <b>{esc(name)}</b> {on}/{len(pack.feeds)} — {esc(pack.title)}")
        label, switch = (f"⏸ Disable {name}", OFF) if on else (f"▶️ Enable {name}", ON)
        data = codec.encode(Action.SOURCES, switch, name)
        buttons.append([InlineKeyboardButton(label, callback_data=data)])
    lines.append("Your own feeds (/feeds) are never changed by a pack.")
    return "\n".join(lines), InlineKeyboardMarkup(buttons)


@admin_only
async def sources_command(update: Update, context: BotContext) -> None:
    """Show the source packs with a button each to enable or disable it."""
    services = context.bot_data.services
    if services.catalogue is None:
        await reply_html(update, "The source catalogue is not available in this deployment.")
        return
    text, markup = await services.db(_screen, services.catalogue, services.codec)
    await reply_html(update, text, markup)


def _switch(session: Session, catalogue: Catalogue, pack: str, enable: bool, actor: str) -> str | None:
    """Apply one button; the answer to show, or None when the pack no longer exists."""
    packs = catalogue(session)
    if pack not in packs:
        return None
    if enable:
        change = admin.enable_pack(session, pack, packs[pack].feeds, actor=actor)
        return f"{pack}: {change.added} added, {change.enabled_again} enabled again"
    return f"{pack}: {admin.disable_pack(session, pack, actor=actor)} feeds no longer polled"


@admin_only
async def sources_button(update: Update, context: BotContext) -> None:
    """Enable or disable a pack, then redraw the list."""
    query, services = update.callback_query, context.bot_data.services
    assert query is not None  # registered for callback queries only
    data = services.codec.decode(query.data)
    switch, pack = (*data.args, "", "")[:2] if data else ("", "")
    user = update.effective_user
    answer = None
    if services.catalogue is not None and switch in (ON, OFF):
        actor = f"telegram:{user.id}" if user else "telegram:?"
        answer = await services.db(_switch, services.catalogue, pack, switch == ON, actor)
    if answer is None or services.catalogue is None:
        await query.answer(EXPIRED)
        return
    await query.answer(answer)
    text, markup = await services.db(_screen, services.catalogue, services.codec)
    await tolerate_unchanged(query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup))
