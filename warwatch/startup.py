"""Start-up steps shared by the CLI, the service and the bot."""

from __future__ import annotations

import structlog
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from storage.db import Database, describe_database_error, sqlite_file
from storage.keywords import seed_rules
from storage.migrate import current_revision, head_revision, upgrade
from warwatch.config import ConfigError, Settings
from warwatch.sources import seed_default_sources

log = structlog.get_logger(__name__)


def open_database(settings: Settings) -> Database:
    """Connect, apply pending migrations and, on first start, seed the default keyword rules and
    enable the default catalogue sources."""
    url = settings.database.url
    path = sqlite_file(url)
    if path is not None and not path.parent.exists():
        log.warning("database_directory_created", path=str(path.parent))
    try:
        database = Database(url, echo=settings.database.echo)
    except (OSError, ArgumentError, ImportError) as error:  # ImportError: a driver not installed
        raise ConfigError(f"database.url {url!r} is not usable: {error}") from None
    try:
        upgrade(database)
        if database.dialect == "postgresql":
            from warwatch.queue_schema import ensure_queue_schema

            if ensure_queue_schema(database):
                log.info("task_queue_schema_created")
        with database.session() as session:
            seeded = seed_rules(session, settings.classifier.keywords)
        with database.session() as session:
            sources = seed_default_sources(session, settings.sources)
    except SQLAlchemyError as error:
        database.dispose()
        raise ConfigError(f"database {url!r} is not usable: {describe_database_error(error)}") from None
    except ValueError as error:  # sources.default_packs names a pack that does not exist
        database.dispose()
        raise ConfigError(str(error)) from None
    if seeded:
        log.info("keywords_seeded", count=seeded)
    if sources:
        log.info("sources_seeded", feeds=sources, hint="`warwatch sources list` shows them")
    return database


def open_database_for_reading(settings: Settings) -> Database:
    """Open the database without migrating, seeding or creating anything: for commands that only look.

    A backup, a read-only mount or a mistyped path must not turn into a fresh, empty database.
    """
    url = settings.database.url
    path = sqlite_file(url)
    if path is not None and not path.is_file():
        raise ConfigError(
            f"no database at {path}: nothing is stored yet (add a feed with `warwatch feeds add` "
            "or start `warwatch run`), or database.url points elsewhere"
        )
    try:
        database = Database(url, echo=settings.database.echo, read_only=True)
    except (OSError, ArgumentError, ImportError) as error:  # ImportError: a driver not installed
        raise ConfigError(f"database.url {url!r} is not usable: {error}") from None
    try:
        revision, head = current_revision(database), head_revision()
    except SQLAlchemyError as error:
        database.dispose()
        raise ConfigError(f"database {url!r} is not usable: {describe_database_error(error)}") from None
    if revision != head:
        database.dispose()
        raise ConfigError(
            f"database {url!r} has schema {revision or 'none'}, this warwatch reads {head}: "
            "run `warwatch db upgrade` (on a copy, if this is a backup)"
        )
    return database
