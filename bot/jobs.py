"""Repeating jobs whose runs never overlap, without APScheduler's "skipped: max instances" noise."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from bot.context import BotContext


class ExclusiveJob:
    """A JobQueue callback that starts ``work`` as an application task unless the last run is still going.

    Tasks made with ``application.create_task`` are awaited by ``application.stop()``, so a run in
    progress finishes cleanly; ``cancel()`` is for work that should not hold up a shutdown.
    """

    def __init__(self, name: str, work: Callable[[BotContext], Awaitable[object]]) -> None:
        self.name = name
        self._work = work
        self._task: asyncio.Task[object] | None = None

    async def __call__(self, context: BotContext) -> None:
        if not context.application.running:
            return  # shutting down: start nothing new
        if self._task is None or self._task.done():
            self._task = context.application.create_task(self._run(context), name=self.name)

    async def _run(self, context: BotContext) -> object:
        return await self._work(context)

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
