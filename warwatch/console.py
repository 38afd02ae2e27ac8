"""Console delivery: with no Telegram token, alerts from the outbox are printed instead of sent."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.console import Console
from rich.markup import escape

from bot.render import case_card
from storage.archive_notices import NoticeItem, due_notices, mark_notice_sent
from storage.db import Database
from storage.outbox import due_alerts, mark_sent
from storage.records import AlertJob
from storage.subscribers import CONSOLE_CHAT_ID

BATCH = 500


def render_console_alert(job: AlertJob) -> str:
    """Rich markup for one alert; every feed field is escaped. The outlet is the feed's name."""
    story = job.story
    score = f"{job.score:.2f}" if job.score is not None else "?"
    if job.development and job.storyline_id is not None:
        label = f"[bold magenta]NEW DEVELOPMENT in storyline {job.storyline_id}[/]"
    else:
        label = "[bold red]ALERT[/]"
    lines = [
        f"{label} [bold]{escape(story.title)}[/]",
        f"  {escape(job.feed_name or story.outlet or '?')} · {story.published_at:%Y-%m-%d %H:%M} UTC · "
        f"{story.language or '?'} · score {score}",
    ]
    if card := case_card(job.reasons):
        storyline = f" · storyline {job.storyline_id}" if job.storyline_id is not None else ""
        lines.append(f"  case: {escape(card)}{storyline}")
    if why := job.reasons.get("summary"):
        lines.append(f"  why: {escape(str(why))}")
    if job.also_reported_by:
        lines.append(f"  also reported by: {escape(', '.join(job.also_reported_by))}")
    if story.web_url:  # a story without a link is stored under a urn:, which is no use to a reader
        lines.append(f"  {escape(story.web_url)}")
    return "\n".join(lines)


def render_console_notice(item: NoticeItem) -> str:
    """Rich markup for an archive notice: the story was edited or removed, the copy is kept."""
    what = f"{item.changed_words} words changed" if item.outcome.value == "edited" else item.note or "gone"
    return (
        f"[bold yellow]⚠️ this story was {item.outcome.value} — archived copy kept[/] "
        f"[bold]{escape(item.title)}[/]\n  {escape(what)}; `warwatch archive {item.story_id}` shows the "
        f"copies\n  {escape(item.url)}"
    )


def deliver_notices_to_console(database: Database, console: Console) -> int:
    """Print the console pseudo-chat's archive notices and mark them sent; returns how many."""
    with database.session() as session:
        items = due_notices(session, datetime.now(UTC), BATCH, chat_id=CONSOLE_CHAT_ID)
    for item in items:
        console.print(render_console_notice(item))
        with database.session() as session:
            mark_notice_sent(session, item.notice_id, sent_at=datetime.now(UTC))
    return len(items)


def deliver_to_console(database: Database, console: Console) -> int:
    """Print the console pseudo-chat's due alerts, then its archive notices, once and mark them
    sent; returns how many were printed.

    Telegram chats' alerts stay pending for the Telegram service, even when this run has no token.
    """
    printed = 0
    while True:
        with database.session() as session:
            items = due_alerts(session, datetime.now(UTC), BATCH, chat_id=CONSOLE_CHAT_ID)
        if not items:
            return printed + deliver_notices_to_console(database, console)
        for job in (item.job for item in items):
            console.print(render_console_alert(job))
            with database.session() as session:
                mark_sent(session, job.alert_id, message_id=None, sent_at=datetime.now(UTC))
            printed += 1
