"""/stats: the numbers as text, and a chart of stories and flagged stories per day."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.charts import draw_png
from bot.render import esc
from storage.sources import SourceHealth
from storage.states import FeedStatus
from storage.status import BotStats

if TYPE_CHECKING:
    from matplotlib.axes import Axes

FAILING_SHOWN = 10
SOURCES_SHOWN = 5


def render_stats(stats: BotStats) -> str:
    classified = sum(day.classified for day in stats.days)
    flagged = sum(day.flagged for day in stats.days)
    rate = f"{flagged / classified:.1%}" if classified else "n/a"
    lines = ["📊 <b>warwatch statistics</b>", "", "<b>Day</b>: stories fetched / classified / flagged"]
    lines += [f"{day.day:%Y-%m-%d}: {day.stories} / {day.classified} / {day.flagged}" for day in stats.days]
    if not stats.days:
        lines.append("(no activity in this period)")
    lines += [
        "",
        f"Flagged rate: {rate} ({flagged} of {classified} classified)",
        f"Feeds: {stats.feeds}, failing: {len(stats.failing_feeds)}",
    ]
    for feed in stats.failing_feeds[:FAILING_SHOWN]:
        lines.append(f"  • #{feed.id} {esc(feed.name or feed.url)} — {esc((feed.last_error or '?')[:120])}")
    alerts = ", ".join(f"{status} {count}" for status, count in sorted(stats.alerts.items())) or "none"
    lines += [
        f"Subscribers: {stats.subscribers} ({stats.digest_subscribers} on daily digest)",
        f"Alerts: {alerts}",
        f"Feedback: 👍 {stats.feedback.relevant} · 👎 {stats.feedback.not_relevant}",
    ]
    return "\n".join(lines)


def render_source_health(health: Sequence[SourceHealth], days: int) -> str:
    """Which sources earn their keep: how many bring nothing, and which bring the flagged stories."""
    polled = [h for h in health if h.status is not FeedStatus.DISABLED]
    silent = sum(h.stories == 0 for h in polled)
    never = sum(h.last_success_at is None for h in polled)
    lines = [
        f"<b>Sources</b> (last {days} days): {len(polled)} polled, {silent} brought no story, "
        f"{never} never answered"
    ]
    best = sorted((h for h in polled if h.flagged), key=lambda h: (-h.flagged, h.feed_id))[:SOURCES_SHOWN]
    for h in best:
        share = f"{h.flagged_share:.0%}" if h.flagged_share is not None else "-"
        lines.append(f"  • {esc(h.name or h.url)} [{esc(h.pack or 'own')}]: {h.flagged} flagged ({share})")
    return "\n".join(lines)


def stats_chart(stats: BotStats) -> bytes:
    """A PNG bar chart of stories fetched and flagged per day."""

    def draw(axes: Axes) -> None:
        labels = [f"{day.day:%m-%d}" for day in stats.days]
        axes.bar(labels, [day.stories for day in stats.days], color="#9db4c0", label="stories fetched")
        axes.bar(labels, [day.flagged for day in stats.days], color="#c0392b", label="flagged")
        axes.legend()

    return draw_png(draw, "warwatch: stories per day (UTC)")
