"""``warwatch run``: the service."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from warwatch.context import cli_context, fail

if TYPE_CHECKING:
    from collections.abc import Coroutine
    from typing import Any

    from storage.db import Database
    from storage.records import PollSchedule
    from storage.service_lock import ServiceLock
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
    from storage.service_lock import ServiceRunningError, acquire_service_lock

    context = cli_context(ctx)
    settings, database = context.settings, context.database
    metrics_server = None
    lock = None
    try:  # every way out, a refusal included, closes the database (and the metrics endpoint)
        if role is not Role.ALL and database.dialect != "postgresql":
            fail(
                f"--role {role.value} needs PostgreSQL (database.url): on SQLite, run everything with "
                "--role all"
            )
        if once and role is not Role.ALL:
            fail("--once goes with --role all")
        if role in (Role.ALL, Role.BOT):  # the roles that deliver; queue workers have the queue's locks
            try:
                lock = acquire_service_lock(database)
            except OSError as error:
                fail(f"cannot lock the database for this service: {error}")
        if settings.metrics.port:
            from warwatch.metrics import serve_metrics

            try:
                metrics_server = serve_metrics(database, settings.metrics.listen, settings.metrics.port)
            except OSError as error:
                where = f"{settings.metrics.listen}:{settings.metrics.port}"
                fail(f"metrics.port: cannot listen on {where}: {error}")
        due_before = _poll_schedule(database) if once else None
        _serve(settings, database, once=once, role=role, lock=lock)
        if due_before is not None:
            typer.echo(_once_summary(due_before, database))
    except ServiceRunningError as error:
        fail(str(error), code=1)
    except SQLAlchemyError as error:
        fail(f"database error: {describe_database_error(error)}", code=1)
    finally:
        if metrics_server is not None:
            metrics_server.close()
        if lock is not None:
            lock.release()
        database.dispose()


def _poll_schedule(database: Database) -> PollSchedule:
    from datetime import UTC, datetime

    from storage.feeds import poll_schedule

    with database.session() as session:
        return poll_schedule(session, datetime.now(UTC))


def _once_summary(before: PollSchedule, database: Database) -> str:
    """What one cycle polled and when the next feed is due: a feed backing off after an error is
    not due, and without this line `run --once` would seem to do nothing at all."""
    from datetime import UTC, datetime

    from warwatch.commands.status import describe_next_poll

    after = _poll_schedule(database)
    still = f", {after.due} still due" if after.due else ""
    return (
        f"run --once: {before.due} of {before.polled} feeds were due{still}; "
        f"{describe_next_poll(after, datetime.now(UTC))}"
    )


def _serve(
    settings: Settings, database: Database, *, once: bool, role: Role, lock: ServiceLock | None
) -> None:
    import asyncio

    service = _service(settings, database, once=once, role=role)
    if lock is None:
        asyncio.run(service)
    else:
        from warwatch.single_service import serve_holding

        asyncio.run(serve_holding(lock, service))


def _service(settings: Settings, database: Database, *, once: bool, role: Role) -> Coroutine[Any, Any, None]:
    if role in (Role.POLLER, Role.CLASSIFIER):
        from warwatch.workers import run_worker

        return run_worker(settings, database, role.value)
    if settings.telegram.token is not None:
        from warwatch.telegram_service import run_telegram_service

        return _refusing_a_rejected_token(
            run_telegram_service(settings, database, once=once, pipeline=role is Role.ALL)
        )
    from warwatch.console_service import run_console_service

    return run_console_service(settings, database, once=once, pipeline=role is Role.ALL)


async def _refusing_a_rejected_token(service: Coroutine[Any, Any, None]) -> None:
    """One line instead of PTB's InvalidToken traceback, which quotes the token."""
    from telegram.error import InvalidToken

    try:
        await service
    except InvalidToken:
        fail(
            "telegram.token was rejected by the Bot API (Unauthorized): check the token @BotFather "
            "gave you (TELEGRAM_BOT_TOKEN or telegram.token)"
        )
