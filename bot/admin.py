"""Admin commands: keyword rules, threshold, feeds, /test, /stats, /backtest. Every change is audited."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session
from telegram import Update
from telegram.constants import ParseMode

from bot.backtest import MAX_TERM_CHARS, Rule, UsageError, parse_number, parse_rule_change
from bot.context import BotContext
from bot.guards import admin_only
from bot.ratelimit import waiting_out_flood_control
from bot.render import esc, render_list, shorten, why_line
from bot.replies import command_args, reply_html
from bot.stats import render_source_health, render_stats, stats_chart
from classifiers.types import StoryText
from feeds.safety import UnsafeURLError, check_feed_url
from storage import admin
from storage.feeds import DuplicateFeedError, list_feeds
from storage.keywords import list_rules
from storage.overrides import alert_threshold
from storage.records import FeedRecord, KeywordRecord
from storage.sources import source_health
from storage.status import bot_stats

STATS_DAYS = 14
MAX_REASONS_CHARS = 1500


def _actor(update: Update) -> str:
    user = update.effective_user
    return f"telegram:{user.id}" if user else "telegram:?"


def _rule_line(rule: KeywordRecord) -> str:
    extras = [f"lang={rule.lang}" if rule.lang else "", "exclude" if rule.exclude else ""]
    extras.append(f"near={rule.near}" if rule.near else "")
    return " ".join(part for part in [f"{rule.term} ({rule.weight:+g})", *extras] if part)


def _feed_line(feed: FeedRecord) -> str:
    errors = f", {feed.error_count} errors" if feed.error_count else ""
    return f"#{feed.id} {feed.name or '-'} — {feed.url} [{feed.status}{errors}]"


@admin_only
async def keywords_command(update: Update, context: BotContext) -> None:
    """List the keyword rules."""
    rules = await context.bot_data.services.db(list_rules)
    await reply_html(update, render_list(f"Keyword rules ({len(rules)})", map(_rule_line, rules)))


@admin_only
async def add_keyword_command(update: Update, context: BotContext) -> None:
    """Add a keyword rule, or change its weight: /addkeyword TERM [WEIGHT]."""
    words = command_args(context)
    weight = parse_number(words[-1], -100, 100) if len(words) > 1 else None
    term = " ".join(words[:-1] if weight is not None else words)
    if not term or len(term) > MAX_TERM_CHARS:
        await reply_html(
            update, f"Usage: <code>/addkeyword TERM [WEIGHT]</code> (a term of 1-{MAX_TERM_CHARS} chars)"
        )
        return
    rule = Rule(term, 1.0 if weight is None else weight)
    services = context.bot_data.services
    if services.check_rule is not None:
        try:
            services.check_rule(rule)
        except ValueError as error:
            await reply_html(update, f"Not added: {esc(error)}")
            return
    record = await services.db(admin.add_keyword, rule, actor=_actor(update))
    await reply_html(update, f"Keyword rule saved: <b>{esc(_rule_line(record))}</b>")


@admin_only
async def remove_keyword_command(update: Update, context: BotContext) -> None:
    """Remove every rule with this term: /rmkeyword TERM."""
    term = " ".join(command_args(context))
    if not term or len(term) > MAX_TERM_CHARS:  # a longer term cannot be stored, nor echoed in one reply
        await reply_html(update, "Usage: <code>/rmkeyword TERM</code>")
        return
    removed = await context.bot_data.services.db(admin.remove_keywords, term, actor=_actor(update))
    text = (
        f"Removed {removed} rule(s) for <b>{esc(term)}</b>."
        if removed
        else f"No rule for <b>{esc(term)}</b>."
    )
    await reply_html(update, text)


def _threshold(session: Session, value: float | None, default: float, actor: str) -> float:
    """The current threshold, after setting it to ``value`` when one is given."""
    if value is not None:
        return admin.set_threshold(session, value, actor=actor, default=default)
    return alert_threshold(session, default)


@admin_only
async def threshold_command(update: Update, context: BotContext) -> None:
    """Show the alert threshold, or set it: /threshold [VALUE between 0 and 1]."""
    words, services = command_args(context), context.bot_data.services
    value = parse_number(words[0], 0.0, 1.0) if len(words) == 1 else None
    if words and value is None:
        await reply_html(update, "Usage: <code>/threshold [VALUE]</code> with a value between 0 and 1.")
        return
    current = await services.db(_threshold, value, services.settings.default_threshold, _actor(update))
    await reply_html(update, f"Alert threshold {'set to' if value is not None else 'is'} <b>{current:g}</b>.")


@admin_only
async def feeds_command(update: Update, context: BotContext) -> None:
    """List the feeds with their status."""
    feeds = await context.bot_data.services.db(list_feeds)
    await reply_html(update, render_list(f"Feeds ({len(feeds)})", map(_feed_line, feeds)))


@admin_only
async def add_feed_command(update: Update, context: BotContext) -> None:
    """Add a feed by URL (http or https, public addresses only): /addfeed URL."""
    words, services = command_args(context), context.bot_data.services
    if len(words) != 1:
        await reply_html(update, "Usage: <code>/addfeed URL</code>")
        return
    try:
        url = check_feed_url(words[0], allow_private=services.settings.allow_private_feeds)
        feed = await services.db(admin.add_feed, url, actor=_actor(update))
    except UnsafeURLError as error:
        await reply_html(update, f"Not added: {esc(error)}")
        return
    except DuplicateFeedError:
        await reply_html(update, "That feed is already in the list (/feeds).")
        return
    await reply_html(update, f"Feed #{feed.id} added: {esc(feed.url)}. It is polled in the next cycle.")


@admin_only
async def remove_feed_command(update: Update, context: BotContext) -> None:
    """Remove a feed by its id from /feeds: /rmfeed ID (its stories stay)."""
    words = command_args(context)
    digits = words[0].lstrip("#") if len(words) == 1 else ""
    feed_id = int(digits) if digits.isdecimal() and len(digits) <= 19 else None  # int() refuses 4301+ digits
    if feed_id is None or feed_id > 2**62:
        await reply_html(update, "Usage: <code>/rmfeed ID</code> with an id from /feeds")
        return
    feed = await context.bot_data.services.db(admin.remove_feed, feed_id, actor=_actor(update))
    await reply_html(update, f"Removed feed #{feed_id}: {esc(feed.url)}" if feed else f"No feed #{feed_id}.")


@admin_only
async def test_command(update: Update, context: BotContext) -> None:
    """Classify a text with the live rules and model, and show why: /test TEXT."""
    text = " ".join(command_args(context))
    if not text:
        await reply_html(update, "Usage: <code>/test TEXT</code>")
        return
    [verdict] = await asyncio.to_thread(context.bot_data.services.classify, [StoryText(text, "", None)])
    reasons = shorten(json.dumps(verdict.reasons, ensure_ascii=False, default=str), MAX_REASONS_CHARS)
    await reply_html(
        update,
        f"{'🚨 Would alert' if verdict.alert else '✅ Would not alert'} — score <b>{verdict.score:.3f}</b>\n"
        f"<i>Why:</i> {esc(why_line(verdict.reasons))}\n<pre>{esc(reasons)}</pre>",
    )


@admin_only
async def stats_command(update: Update, context: BotContext) -> None:
    """Counts by day, flagged rate, failing feeds and subscribers, with a chart."""
    services, chat = context.bot_data.services, update.effective_chat
    now = datetime.now(UTC)
    since = now - timedelta(days=STATS_DAYS)
    stats = await services.db(bot_stats, since)
    health = await services.db(source_health, since, now)
    await reply_html(update, f"{render_stats(stats)}\n\n{render_source_health(health, STATS_DAYS)}")
    if stats.days and chat is not None:
        chart = await asyncio.to_thread(stats_chart, stats)
        with waiting_out_flood_control():
            await context.bot.send_photo(
                chat.id, chart, caption=f"Last {STATS_DAYS} days", parse_mode=ParseMode.HTML
            )


@admin_only
async def backtest_command(update: Update, context: BotContext) -> None:
    """Count how many recent stories a rule change would flag, without applying it."""
    services = context.bot_data.services
    if services.backtest is None:
        await reply_html(update, "Backtesting is not available in this deployment.")
        return
    try:
        change, days = parse_rule_change(command_args(context), services.settings.telegram.backtest_days)
    except UsageError as error:
        await reply_html(update, esc(error))
        return
    await reply_html(update, f"⏳ Replaying the last {days} day(s) with: {esc(change.describe())}…")
    result = await asyncio.to_thread(services.backtest, change, days)
    lines = [
        f"🧪 <b>Backtest</b>: {esc(change.describe())}",
        f"Stories in the last {result.days} day(s): {result.stories}",
        f"Flagged now: {result.flagged_before} → with the change: {result.flagged_after}",
    ]
    lines += [f"  + {esc(shorten(title, 120))}" for title in result.newly_flagged]
    lines += [f"  − {esc(shorten(title, 120))}" for title in result.no_longer_flagged]
    lines.append("Nothing was changed. Apply with /addkeyword, /rmkeyword or /threshold.")
    await reply_html(update, "\n".join(lines))
