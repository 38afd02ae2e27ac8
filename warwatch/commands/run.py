"""``warwatch run``: the service."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from warwatch.context import cli_context, fail

if TYPE_CHECKING:
    from storage.db import Database
    from warwatch.config import Settings


class Role(StrEnum):
    ALL = "all"
    POLLER = "poller"
    CLASSIFIER = "classifier"
    BOT = "bot"


def run_command(
    ctx: typer.Context,
    once: Annotated[
        bool, typer.Option("--once", help="Do one poll-classify-deliver cycle, then exit.")
    ] = False,
    role: Annotated[
        Role,
        typer.Option(
            help="all: everything in this process. With PostgreSQL, split it: pollers and classifier "
            "workers take jobs from the task queue, and one bot process delivers."
        ),
    ] = Role.ALL,
) -> None:
    """Poll feeds, classify new stories and deliver alerts until stopped (Ctrl-C)."""
    from sqlalchemy.exc import SQLAlchemyError

    from storage.db import describe_database_error

    context = cli_context(ctx)
    settings, database = context.settings, context.database
    metrics_server = None
    try:  # every way out, a refusal included, closes the database (and the metrics endpoint)
        if role is not Role.ALL and database.dialect != "postgresql":
            fail(
                f"--role {role.value} needs PostgreSQL (database.url): on SQLite, run everything with "
                "--role all"
            )
        if once and role is not Role.ALL:
            fail("--once goes with --role all")
        if settings.metrics.port:
            from warwatch.metrics import serve_metrics

            try:
                metrics_server = serve_metrics(database, settings.metrics.listen, settings.metrics.port)
            except OSError as error:
                where = f"{settings.metrics.listen}:{settings.metrics.port}"
                fail(f"metrics.port: cannot listen on {where}: {error}")
        _serve(settings, database, once=once, role=role)
    except SQLAlchemyError as error:
        fail(f"database error: {describe_database_error(error)}", code=1)
    finally:
        if metrics_server is not None:
            metrics_server.close()
        database.dispose()


def _serve(settings: Settings, database: Database, *, once: bool, role: Role) -> None:
    import asyncio

    if role in (Role.POLLER, Role.CLASSIFIER):
        from warwatch.workers import run_worker

        asyncio.run(run_worker(settings, database, role.value))
    elif settings.telegram.token is not None:
        from warwatch.telegram_service import run_telegram_service

        asyncio.run(run_telegram_service(settings, database, once=once, pipeline=role is Role.ALL))
    else:
        from warwatch.service import run_console_service

        asyncio.run(run_console_service(settings, database, once=once, pipeline=role is Role.ALL))
