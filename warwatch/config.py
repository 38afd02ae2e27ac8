"""Configuration: config.toml, then ``WARWATCH_*`` environment variables, then the conventional ones.

Loaded explicitly at start-up (never at import time). Every field carries its help text: the
README's configuration reference is generated from it (``warwatch config reference``).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from archive.settings import ArchiveSettings
from bot.settings import BotSettings, DeliverySettings, TelegramSettings
from classifiers.settings import ClassifierSettings
from feeds.settings import PollerSettings, SourcesSettings

DEFAULT_CONFIG_FILE = Path("config.toml")
CONFIG_ENV_VAR = "WARWATCH_CONFIG"


class ConfigError(Exception):
    """A configuration problem, worded for the person who has to fix it."""


_DATABASE_URL_FORMS = "use sqlite:///path/to/warwatch.db or postgresql://user@host:5432/dbname"


class DatabaseSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        "sqlite:///warwatch.db",
        min_length=1,
        description="SQLAlchemy URL, SQLite or PostgreSQL. Default: a SQLite file (WAL mode) in the "
        "working directory; an in-memory one (sqlite://) is refused, as it keeps nothing. "
        "PostgreSQL: postgresql://user@host:5432/dbname (psycopg 3 driver).",
    )
    echo: bool = Field(False, description="Log every SQL statement (debugging only).")

    @field_validator("url")
    @classmethod
    def _supported_database(cls, url: str) -> str:
        """Only SQLite and PostgreSQL have a schema here (anything else fails deep in a driver), and a
        database in memory would take every feed, story and alert with it when the process ends."""
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        from storage.db import is_in_memory_sqlite

        try:
            backend = make_url(url).get_backend_name()
        except ArgumentError:
            raise ValueError(f"not a database URL; {_DATABASE_URL_FORMS}") from None
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(f"{backend!r} databases are not supported; {_DATABASE_URL_FORMS}")
        if is_in_memory_sqlite(url):
            raise ValueError(
                "an in-memory SQLite database keeps nothing once the command ends; "
                "name a file instead: sqlite:///warwatch.db"
            )
        return url


class LoggingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="Lowest level logged.")
    format: Literal["console", "json"] = Field(
        "console", description="One line per event: key=value for people, or JSON for log collectors."
    )


class ServiceSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cycle_seconds: float = Field(
        30.0,
        gt=0,
        description="Longest wait between two looks for due feeds and unclassified stories; the service "
        "also wakes as soon as the next feed falls due.",
    )
    feeds_per_cycle: int = Field(2000, gt=0, description="Most feeds polled in one cycle.")
    classify_batch_size: int = Field(64, gt=0, description="Stories classified per batch.")


class RetentionSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    story_days: int = Field(
        365,
        ge=0,
        le=36_500,  # a century; far more would put the horizon before year 1 (an OverflowError)
        description="Stories published more than this many days ago are deleted with their verdicts, "
        "and feed items that old are not stored; alerts and feedback are kept. 0 keeps everything; "
        "at most 36500 (100 years).",
    )
    check_hours: float = Field(6.0, gt=0, description="How often the service prunes old stories.")


class CasesSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    storyline_weeks: int = Field(
        8,
        ge=1,
        le=104,
        description="A flagged story joins a storyline (the same case across weeks) only within this many "
        "weeks of a story of it; a storyline no story joined for this long is dormant.",
    )
    spike_alerts: bool = Field(
        True,
        description="Send each admin (telegram.admins) one alert per origin country or force and week "
        "whose flagged stories spike above their own baseline (`warwatch cases spikes` lists them).",
    )


class MetricsSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    port: int = Field(
        0, ge=0, le=65535, description="Serve Prometheus metrics at http://listen:port/metrics; 0 = off."
    )
    listen: str = Field("127.0.0.1", min_length=1, description="Address the metrics endpoint listens on.")


class _ConventionalEnv(PydanticBaseSettingsSource):
    """TELEGRAM_BOT_TOKEN, TELEGRAM_API_BASE_URL and WARWATCH_ADMINS, as other tools spell them."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        telegram: dict[str, Any] = {}
        if token := os.environ.get("TELEGRAM_BOT_TOKEN"):
            telegram["token"] = token
        if base_url := os.environ.get("TELEGRAM_API_BASE_URL"):
            telegram["api_base_url"] = base_url
        if (admins := os.environ.get("WARWATCH_ADMINS")) is not None:
            telegram["admins"] = [part.strip() for part in admins.split(",") if part.strip()]
        return {"telegram": telegram} if telegram else {}


class _EnvJsonError(ValueError):
    """A ``WARWATCH_*`` variable that must hold JSON does not."""


class _WarwatchEnv(EnvSettingsSource):
    """``WARWATCH_<TABLE>__<KEY>`` variables; one whose value is not the JSON it needs is named."""

    def explode_env_vars(
        self, field_name: str, field: FieldInfo, env_vars: Mapping[str, str | None]
    ) -> dict[str, Any]:
        try:
            return super().explode_env_vars(field_name, field, env_vars)
        except ValueError:  # pydantic-settings says only which table; find the variable
            for name, value in env_vars.items():
                try:
                    super().explode_env_vars(field_name, field, {name: value})
                except ValueError as error:
                    raise _EnvJsonError(f"{name.upper()} is not valid JSON ({error})") from None
            raise


class Settings(BaseSettings):
    """All of warwatch's settings; each table of config.toml is one field here."""

    model_config = SettingsConfigDict(
        env_prefix="WARWATCH_",
        env_nested_delimiter="__",
        extra="forbid",
        nested_model_default_partial_update=True,
    )

    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)
    service: ServiceSettings = Field(default_factory=ServiceSettings)
    poller: PollerSettings = Field(default_factory=PollerSettings)
    sources: SourcesSettings = Field(default_factory=SourcesSettings)
    classifier: ClassifierSettings = Field(default_factory=ClassifierSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    delivery: DeliverySettings = Field(default_factory=DeliverySettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    cases: CasesSettings = Field(default_factory=CasesSettings)
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    archive: ArchiveSettings = Field(default_factory=ArchiveSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Earlier sources win: conventional env > WARWATCH_* env > the TOML file (passed as init values).
        return (_ConventionalEnv(settings_cls), _WarwatchEnv(settings_cls), init_settings)

    def for_bot(self) -> BotSettings:
        """The part the bot reads: its tables, the configured threshold, the private-address switch."""
        return BotSettings(
            telegram=self.telegram,
            delivery=self.delivery,
            default_threshold=self.classifier.threshold,
            allow_private_feeds=self.poller.allow_private_addresses,
        )


def secret_values(settings: Settings) -> list[str]:
    """What must never be printed: the bot token, the webhook secret, the database password."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    telegram = settings.telegram
    secrets = [value.get_secret_value() for value in (telegram.token, telegram.webhook_secret) if value]
    try:
        password = make_url(settings.database.url).password
    except ArgumentError:  # not a URL at all: start-up says so, and the URL pattern hides a password
        password = None
    return [*secrets, *([str(password)] if password else [])]


def resolve_config_path(path: Path | None) -> Path | None:
    """The file to read: --config, else $WARWATCH_CONFIG, else ./config.toml if present."""
    if path is not None:
        return path
    if env_path := os.environ.get(CONFIG_ENV_VAR):
        return Path(env_path)
    return DEFAULT_CONFIG_FILE if DEFAULT_CONFIG_FILE.is_file() else None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read config file {path}: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"config file {path} is not valid TOML: {error}") from None


def _describe(error: ValidationError, origin: str) -> str:
    """One line per bad key; a single bad key stays on the one ``error:`` line."""
    problems = []
    for problem in error.errors():
        key = ".".join(str(part) for part in problem["loc"]) or "(top level)"
        message = "unknown key" if problem["type"] == "extra_forbidden" else problem["msg"]
        message = message.removeprefix("Value error, ")  # our own validators' words, as they are
        given = problem.get("input")
        shown = "" if problem["type"] == "missing" or isinstance(given, dict) else f" (got {given!r})"
        problems.append(f"{key}: {message}{shown}")
    if len(problems) == 1:
        return f"invalid configuration ({origin}): {problems[0]}"
    return "\n  ".join([f"invalid configuration ({origin}):", *problems])


def load_settings(path: Path | None = None) -> Settings:
    """Read and validate the configuration, or raise ConfigError naming each bad key."""
    config_path = resolve_config_path(path)
    values = _read_toml(config_path) if config_path else {}
    origin = f"{config_path} and environment" if config_path else "defaults and environment"
    try:
        return Settings(**values)
    except ValidationError as error:
        raise ConfigError(_describe(error, origin)) from None
    except SettingsError as error:
        cause = error.__cause__
        reason = str(cause) if isinstance(cause, _EnvJsonError) else f"{error}: {cause}"
        raise ConfigError(f"invalid configuration (environment): {reason}") from None
