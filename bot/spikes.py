"""Spike alerts to admins: "📈 Nepal: 5 flagged stories this week against 0.4 a week before", sent once
per spike and admin through the delivery's sender (pacing, flood control), by a repeating job."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import structlog
from telegram.error import RetryAfter, TelegramError

from bot.context import BotContext, Services
from bot.delivery import Delivery, retry_delay
from bot.render import esc, trend_label
from storage.case_trends import TrendKey
from storage.spike_alerts import (
    SpikeAlertRecord,
    due_spike_alerts,
    mark_spike_failed,
    mark_spike_retry,
    mark_spike_sent,
)

log = structlog.get_logger(__name__)
SPIKE_JOB = "spike_alerts"


def render_spike(alert: SpikeAlertRecord) -> str:
    """One admin message: the country (or force), this week's count, its baseline and the rule's p."""
    key = TrendKey(alert.dimension)
    label = trend_label(key, alert.key)
    named = label if label == alert.key else f"{label} ({alert.key})"
    what = "origin country" if key is TrendKey.COUNTRY else "destination force"
    chart = "/trends" if key is TrendKey.COUNTRY else "/trends destination"
    return (
        f"📈 <b>Spike: {esc(named)}</b> ({what})\n"
        f"{alert.count} flagged stories (distinct events) in the week of {alert.week:%Y-%m-%d} so far, "
        f"against {alert.baseline:.2f} a week before (Poisson tail p = {alert.p_value:.1e}).\n"
        f"{chart} draws the weeks."
    )


@dataclass
class SpikeDelivery:
    """The spike alerts' drain; failures are settled as an alert's are (wait out a 429, back off on
    network errors up to the retry budget, give up on a chat that refuses)."""

    services: Services
    delivery: Delivery

    async def run_job(self, context: BotContext) -> int:
        settings = self.services.settings.delivery
        sent = 0
        for alert in await self.services.db(due_spike_alerts, datetime.now(UTC), settings.batch_size):
            if not context.application.running:
                break
            try:
                await self.delivery.send_parts(context.bot, alert.chat_id, [render_spike(alert)], None)
            except TelegramError as error:
                await self._settle(alert, error)
                continue
            await self.services.db(mark_spike_sent, alert.id, sent_at=datetime.now(UTC))
            log.info("spike_alert_sent", spike_alert_id=alert.id, chat_id=alert.chat_id, key=alert.key)
            sent += 1
        return sent

    async def _settle(self, alert: SpikeAlertRecord, error: TelegramError) -> None:
        delay = retry_delay(error, alert.attempts, self.services.settings.delivery)
        if delay is None:
            await self.services.db(mark_spike_failed, alert.id, error=str(error))
            log.warning(
                "spike_alert_failed", spike_alert_id=alert.id, chat_id=alert.chat_id, error=str(error)
            )
            return
        if isinstance(error, RetryAfter):
            self.delivery.pacer.hold(alert.chat_id, delay)
        retry_at = datetime.now(UTC) + timedelta(seconds=delay)
        await self.services.db(mark_spike_retry, alert.id, error=str(error), next_attempt_at=retry_at)
        log.warning("spike_alert_retry", spike_alert_id=alert.id, chat_id=alert.chat_id, error=str(error))
