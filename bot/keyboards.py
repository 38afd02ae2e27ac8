"""Inline keyboards under alerts and search results."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import Action, CallbackCodec
from storage.feedback import FeedbackTally


def _count(n: int) -> str:
    return f" ({n})" if n else ""


def feedback_row(
    codec: CallbackCodec, story_id: int, tally: FeedbackTally | None
) -> list[InlineKeyboardButton]:
    """👍/👎, with the votes counted so far once there are any."""
    relevant, not_relevant = (tally.relevant, tally.not_relevant) if tally else (0, 0)
    return [
        InlineKeyboardButton(
            f"👍 Relevant{_count(relevant)}", callback_data=codec.encode(Action.FEEDBACK, story_id, 1)
        ),
        InlineKeyboardButton(
            f"👎 Not relevant{_count(not_relevant)}", callback_data=codec.encode(Action.FEEDBACK, story_id, 0)
        ),
    ]


def storyline_row(codec: CallbackCodec, storyline_id: int, *, following: bool) -> list[InlineKeyboardButton]:
    """Follow the story's storyline (its later stories come as new developments), or stop."""
    if following:
        text, follow = f"🔕 Unfollow storyline {storyline_id}", 0
    else:
        text, follow = f"🧵 Follow storyline {storyline_id}", 1
    return [InlineKeyboardButton(text, callback_data=codec.encode(Action.STORYLINE, storyline_id, follow))]


def alert_keyboard(
    codec: CallbackCodec,
    story_id: int,
    *,
    has_outlet: bool,
    tally: FeedbackTally | None = None,
    storyline_id: int | None = None,
    following: bool = False,
) -> InlineKeyboardMarkup:
    """👍/👎, mute the outlet (if known), and follow the storyline (if the story is in one)."""
    rows = [feedback_row(codec, story_id, tally)]
    if has_outlet:
        rows.append(
            [
                InlineKeyboardButton(
                    "🔇 Mute this outlet", callback_data=codec.encode(Action.MUTE_OUTLET, story_id)
                )
            ]
        )
    if storyline_id is not None:
        rows.append(storyline_row(codec, storyline_id, following=following))
    return InlineKeyboardMarkup(rows)


def replace_row(
    codec: CallbackCodec,
    rows: Sequence[Sequence[InlineKeyboardButton]],
    action: Action,
    new_row: list[InlineKeyboardButton],
) -> InlineKeyboardMarkup:
    """The keyboard with the row whose buttons do ``action`` replaced, the others kept as they are
    (appended when no row does it)."""

    def does(row: Sequence[InlineKeyboardButton]) -> bool:
        decoded = codec.decode(row[0].callback_data) if row else None
        return decoded is not None and decoded.action is action

    kept = [new_row if does(row) else list(row) for row in rows]
    return InlineKeyboardMarkup(kept if any(map(does, rows)) else [*kept, new_row])


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
