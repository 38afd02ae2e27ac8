"""/case ID: one flagged story's case facts, with the evidence, its outlet, URL and cluster."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.render import render_case
from bot.replies import command_args, reply_html
from storage.cases import case_detail
from storage.stories import get_story

MAX_ROW_ID = 2**63 - 1  # the largest id either database stores; a longer number is a typo
USAGE = "Usage: <code>/case ID</code>, a story id (the story_id column of /export): <code>/case 42</code>"


def parse_story_id(words: list[str]) -> int | None:
    """The one story id in the arguments; None for anything else."""
    if len(words) != 1 or not words[0].isdecimal() or len(words[0]) > len(str(MAX_ROW_ID)):
        return None
    story_id = int(words[0])
    return story_id if 1 <= story_id <= MAX_ROW_ID else None


async def case_command(update: Update, context: BotContext) -> None:
    """Show one story's case facts; an id that is not a flagged story is answered on one line."""
    story_id = parse_story_id(command_args(context))
    if story_id is None:
        await reply_html(update, USAGE)
        return
    services = context.bot_data.services
    detail = await services.db(case_detail, story_id)
    if detail is not None:
        await reply_html(update, render_case(detail))
    elif await services.db(get_story, story_id) is None:
        await reply_html(update, f"No story #{story_id} is stored (it may have been pruned).")
    else:
        await reply_html(update, f"Story #{story_id} has no case facts: its verdict did not flag it.")
