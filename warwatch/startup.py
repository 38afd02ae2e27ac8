"""Start-up steps shared by the CLI, the service and the bot."""

from __future__ import annotations

import structlog
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from storage.db import Database, describe_database_error
from storage.keywords import seed_rules
from storage.migrate import upgrade
from warwatch.config import ConfigError, Settings

log = structlog.get_logger(__name__)


def open_database(settings: Settings) -> Database:
    """Connect, apply pending migrations and seed the default keyword rules on first start."""
    url = settings.database.url
    try:
        database = Database(url, echo=settings.database.echo)
    except (OSError, ArgumentError) as error:
        raise ConfigError(f"database.url {url!r} is not usable: {error}") from None
    try:
        upgrade(database)
        if database.dialect == "postgresql":
            from warwatch.queue_schema import ensure_queue_schema

            if ensure_queue_schema(database):
                log.info("task_queue_schema_created")
        with database.session() as session:
            seeded = seed_rules(session, settings.classifier.keywords)
    except SQLAlchemyError as error:
        database.dispose()
        raise ConfigError(f"database {url!r} is not usable: {describe_database_error(error)}") from None
    if seeded:
        log.info("keywords_seeded", count=seeded)
    return database
