"""A service that loses its lock to another stops instead of delivering beside it."""

from __future__ import annotations

import asyncio

import pytest

from storage.service_lock import Holder, LockState, ServiceRunningError
from warwatch.single_service import serve_holding


class TakenAfter:
    """A lock another service takes after ``checks`` checks (as after a PostgreSQL restart)."""

    def __init__(self, checks: int) -> None:
        self.checks = checks
        self.released = False

    def check(self) -> LockState:
        self.checks -= 1
        if self.checks < 0:
            raise ServiceRunningError(Holder(4321, "elsewhere", None), "the database")
        return LockState.WAITING if self.checks == 0 else LockState.HELD

    def release(self) -> None:
        self.released = True


async def test_a_service_whose_lock_was_taken_is_stopped() -> None:
    stopped = asyncio.Event()

    async def service() -> None:
        try:
            await asyncio.sleep(3600)
        finally:
            stopped.set()

    with pytest.raises(ServiceRunningError, match="pid 4321 on host elsewhere"):
        await asyncio.wait_for(serve_holding(TakenAfter(2), service(), every=0.01), 10)
    assert stopped.is_set()


async def test_a_service_that_ends_returns_its_result_and_its_errors() -> None:
    async def failing() -> None:
        raise RuntimeError("boom")

    await serve_holding(TakenAfter(100), asyncio.sleep(0.05), every=0.01)
    with pytest.raises(RuntimeError, match="boom"):
        await serve_holding(TakenAfter(100), failing(), every=0.01)
