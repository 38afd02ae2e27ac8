"""Telegram and delivery configuration: the ``[telegram]`` and ``[delivery]`` tables of config.toml,
and `BotSettings`, everything the bot reads of the configuration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, SecretStr


class TelegramSettings(BaseModel):
    """How to reach Telegram; with no token, alerts are printed to the console instead."""

    model_config = ConfigDict(extra="forbid")

    token: SecretStr | None = Field(
        None,
        description="Bot token from @BotFather. Also read from TELEGRAM_BOT_TOKEN. "
        "Empty: alerts are printed to the console.",
    )
    api_base_url: HttpUrl | None = Field(
        None,
        description="Bot API base URL, e.g. http://127.0.0.1:8081/bot for a local Bot API server or a "
        "test double. Also read from TELEGRAM_API_BASE_URL. Empty: Telegram's own.",
    )
    admins: list[int] = Field(
        default_factory=list,
        description="Telegram user ids allowed to run admin commands. "
        "Also read from WARWATCH_ADMINS (comma-separated).",
    )
    mode: Literal["polling", "webhook"] = Field(
        "polling", description="How updates arrive: long polling, or a webhook Telegram calls."
    )
    webhook_url: HttpUrl | None = Field(
        None, description="Public HTTPS URL Telegram posts updates to (webhook mode only)."
    )
    webhook_listen: str = Field("127.0.0.1", description="Address the webhook server listens on.")
    webhook_port: int = Field(8443, gt=0, lt=65536, description="Port the webhook server listens on.")
    webhook_secret: SecretStr | None = Field(
        None, description="Secret token Telegram sends with each webhook call (recommended)."
    )
    search_page_size: int = Field(5, gt=0, le=20, description="Stories per page of /search results.")
    latest_count: int = Field(10, gt=0, le=50, description="Alerts listed by /latest.")
    backtest_days: int = Field(7, gt=0, le=90, description="Days of stories /backtest replays by default.")
    backtest_max_stories: int = Field(
        2000, gt=0, description="Most stories /backtest classifies (the newest), to bound its run time."
    )


class DeliverySettings(BaseModel):
    """How the outbox is drained."""

    model_config = ConfigDict(extra="forbid")

    interval_seconds: float = Field(2.0, gt=0, description="How often the delivery job looks for due alerts.")
    batch_size: int = Field(200, gt=0, description="Alerts taken from the outbox per delivery run.")
    max_attempts: int = Field(
        8, gt=0, description="Give up on an alert after this many failed attempts (network errors)."
    )
    retry_base_seconds: float = Field(
        5.0, gt=0, description="First retry delay after a network error; doubles with each attempt."
    )
    retry_cap_seconds: float = Field(1800.0, gt=0, description="Largest delay between retries of one alert.")
    messages_per_second: float = Field(
        25.0,
        gt=0,
        le=30,
        description="Most messages sent per second over all chats (Telegram allows about 30). Sends "
        "leave evenly spaced; network jitter can bunch one or two more into a second on arrival.",
    )
    group_messages_per_minute: float = Field(
        20.0, gt=0, le=20, description="Most messages per minute into one group or channel (Telegram: 20)."
    )
    per_chat_interval_seconds: float = Field(
        1.0, ge=0, description="Least time between two messages to the same chat (Telegram: about 1 s)."
    )
    per_chat_burst: int = Field(
        3,
        gt=0,
        description="Alerts one chat may receive per outbox batch, so a backlog in one chat never holds "
        "up the others.",
    )
    concurrency: int = Field(
        8,
        gt=0,
        description="Sends in flight at once. Small, so replies to commands never queue behind a long "
        "fan-out in the rate limiter.",
    )
    digest_check_seconds: float = Field(
        300.0, gt=0, description="How often the digest job looks for chats whose digest hour has come."
    )


@dataclass(frozen=True, slots=True)
class BotSettings:
    """What the bot reads of the configuration: its own two tables and two values owned elsewhere.

    ``warwatch.config.Settings.for_bot`` composes it, so the bot never imports the application's
    configuration module.
    """

    telegram: TelegramSettings
    delivery: DeliverySettings
    default_threshold: float  # classifier.threshold; /threshold overrides it at run time
    allow_private_feeds: bool  # poller.allow_private_addresses, for /addfeed's URL check
