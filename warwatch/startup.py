"""Start-up steps shared by the CLI, the service and the bot."""

from __future__ import annotations

import structlog
from sqlalchemy.exc import SQLAlchemyError

from storage.db import Database
from storage.keywords import seed_rules
from storage.migrate import upgrade
from warwatch.config import ConfigError, Settings

log = structlog.get_logger(__name__)


def open_database(settings: Settings) -> Database:
    """Connect, apply pending migrations and seed the default keyword rules on first start."""
    database = Database(settings.database.url, echo=settings.database.echo)
    try:
        upgrade(database)
        with database.session() as session:
            seeded = seed_rules(session, settings.classifier.keywords)
    except SQLAlchemyError as error:
        database.dispose()
        raise ConfigError(
            f"database {settings.database.url!r} is not usable: {error.__class__.__name__}: "
            f"{str(error).splitlines()[0]}"
        ) from None
    if seeded:
        log.info("keywords_seeded", count=seeded)
    return database
