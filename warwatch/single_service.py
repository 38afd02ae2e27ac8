"""`warwatch run` keeps its database's service lock (storage/service_lock.py) for as long as it serves."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import Any

import structlog

from storage.service_lock import LockState, ServiceLock

log = structlog.get_logger(__name__)
CHECK_SECONDS = 5.0


async def serve_holding(
    lock: ServiceLock, service: Coroutine[Any, Any, None], every: float = CHECK_SECONDS
) -> None:
    """Run the service, checking every few seconds that the lock is still ours.

    A PostgreSQL restart drops the lock with its connection; it is taken again as soon as the
    database answers. If another service took it meanwhile, this one stops (ServiceRunningError)
    rather than send every alert a second time.
    """
    task = asyncio.ensure_future(service)
    state = LockState.HELD
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=every)
            if done:
                return task.result()
            previous, state = state, await asyncio.to_thread(lock.check)
            if state is not previous:
                log.warning("service_lock_lost" if state is LockState.WAITING else "service_lock_regained")
    finally:
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
