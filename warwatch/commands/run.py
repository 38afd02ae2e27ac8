"""``warwatch run``: the service."""

from __future__ import annotations

from typing import Annotated

import typer

from warwatch.context import cli_context


def run_command(
    ctx: typer.Context,
    once: Annotated[
        bool, typer.Option("--once", help="Do one poll-classify-deliver cycle, then exit.")
    ] = False,
) -> None:
    """Poll feeds, classify new stories and deliver alerts until stopped (Ctrl-C)."""
    import asyncio

    context = cli_context(ctx)
    settings, database = context.settings, context.database
    try:
        if settings.telegram.token is not None:
            from warwatch.telegram_service import run_telegram_service

            asyncio.run(run_telegram_service(settings, database, once=once))
        else:
            from warwatch.service import run_console_service

            asyncio.run(run_console_service(settings, database, once=once))
    finally:
        database.dispose()
