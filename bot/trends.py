"""/trends: a chart of flagged stories per week for the top origin countries (or destination forces)
over the last twelve weeks, with the totals in its caption."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from telegram import Update
from telegram.constants import ParseMode

from bot.charts import draw_png
from bot.context import BotContext
from bot.ratelimit import waiting_out_flood_control
from bot.render import esc, trend_label
from bot.replies import command_args, reply_html
from storage.case_trends import TrendKey, WeeklyCounts, weekly_counts

if TYPE_CHECKING:
    from matplotlib.axes import Axes

TREND_WEEKS = 12
TOP_SHOWN = 6
USAGE = "Usage: <code>/trends</code> (by origin country) or <code>/trends destination</code>"
_KEY_WORDS = {TrendKey.COUNTRY: "origin country", TrendKey.DESTINATION: "destination force"}


def parse_trend_key(words: list[str]) -> TrendKey | None:
    """``country`` unless the one argument names the other key; None for anything else."""
    if not words:
        return TrendKey.COUNTRY
    word = words[0].casefold()
    return TrendKey(word) if len(words) == 1 and word in {key.value for key in TrendKey} else None


def trends_chart(counts: WeeklyCounts, key: TrendKey) -> bytes:
    """One line per key, a point per week."""

    def draw(axes: Axes) -> None:
        from matplotlib.ticker import MaxNLocator

        weeks = [f"{monday:%m-%d}" for monday in counts.weeks]
        for name, series in counts.counts.items():
            axes.plot(weeks, series, marker="o", label=trend_label(key, name))
        axes.set_xlabel("week starting (Monday, UTC)")
        axes.set_ylabel("flagged stories (events)")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.legend()

    return draw_png(draw, f"warwatch: flagged stories per week by {_KEY_WORDS[key]}")


def trends_caption(counts: WeeklyCounts, key: TrendKey) -> str:
    totals = (f"{esc(trend_label(key, name))} {sum(weekly)}" for name, weekly in counts.counts.items())
    return f"Last {len(counts.weeks)} weeks by {_KEY_WORDS[key]}: {' · '.join(totals)}"


async def trends_command(update: Update, context: BotContext) -> None:
    """Send the chart; a week range without case facts is answered on one line."""
    chat = update.effective_chat
    key = parse_trend_key(command_args(context))
    if chat is None:
        return
    if key is None:
        await reply_html(update, USAGE)
        return
    counts = await context.bot_data.services.db(weekly_counts, key, TREND_WEEKS)
    if not counts.counts:
        await reply_html(update, f"No flagged stories with case facts in the last {TREND_WEEKS} weeks.")
        return
    top = counts.top(TOP_SHOWN)
    chart = await asyncio.to_thread(trends_chart, top, key)
    caption = trends_caption(top, key)
    with waiting_out_flood_control():
        await context.bot.send_photo(chat.id, chart, caption=caption, parse_mode=ParseMode.HTML)
