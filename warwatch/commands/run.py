"""``warwatch run``: the service."""

from __future__ import annotations

from typing import Annotated

import typer

from warwatch.context import cli_context, fail


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
    metrics_server = None
    if settings.metrics.port:
        from warwatch.metrics import serve_metrics

        try:
            metrics_server = serve_metrics(database, settings.metrics.listen, settings.metrics.port)
        except OSError as error:
            database.dispose()
            fail(f"metrics.port {settings.metrics.port}: cannot listen on {settings.metrics.listen}: {error}")
    try:
        if settings.telegram.token is not None:
            from warwatch.telegram_service import run_telegram_service

            asyncio.run(run_telegram_service(settings, database, once=once))
        else:
            from warwatch.service import run_console_service

            asyncio.run(run_console_service(settings, database, once=once))
    finally:
        if metrics_server is not None:
            metrics_server.close()
        database.dispose()
