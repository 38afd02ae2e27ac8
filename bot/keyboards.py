"""Inline keyboards under alerts and search results."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import Action, CallbackCodec
from storage.feedback import FeedbackTally


def _count(n: int) -> str:
    return f" ({n})" if n else ""


def alert_keyboard(
    codec: CallbackCodec, story_id: int, *, has_outlet: bool, tally: FeedbackTally | None = None
) -> InlineKeyboardMarkup:
    """👍/👎 (with the votes counted so far, once there are any) and, if the outlet is known, mute it."""
    relevant, not_relevant = (tally.relevant, tally.not_relevant) if tally else (0, 0)
    rows = [
        [
            InlineKeyboardButton(
                f"👍 Relevant{_count(relevant)}", callback_data=codec.encode(Action.FEEDBACK, story_id, 1)
            ),
            InlineKeyboardButton(
                f"👎 Not relevant{_count(not_relevant)}",
                callback_data=codec.encode(Action.FEEDBACK, story_id, 0),
            ),
        ]
    ]
    if has_outlet:
        rows.append(
            [
                InlineKeyboardButton(
                    "🔇 Mute this outlet", callback_data=codec.encode(Action.MUTE_OUTLET, story_id)
                )
            ]
        )
    return InlineKeyboardMarkup(rows)


def search_keyboard(
    codec: CallbackCodec, token: str, *, offset: int, page_size: int, has_more: bool
) -> InlineKeyboardMarkup | None:
    """◀ Previous / More ▶ for a stored search; None when everything fits on one page."""
    buttons = []
    if offset > 0:
        previous = max(0, offset - page_size)
        buttons.append(
            InlineKeyboardButton(
                "◀ Previous", callback_data=codec.encode(Action.SEARCH_PAGE, token, previous)
            )
        )
    if has_more:
        buttons.append(
            InlineKeyboardButton(
                "More ▶", callback_data=codec.encode(Action.SEARCH_PAGE, token, offset + page_size)
            )
        )
    return InlineKeyboardMarkup([buttons]) if buttons else None
