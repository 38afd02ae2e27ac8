"""Fixtures for the feeds tests: tight poller settings and a client (the loopback `feed_server` and
the `detector` come from tests/conftest.py)."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator

import httpx
import pytest

from feeds.fetch import make_client
from feeds.settings import PollerSettings


@pytest.fixture
def settings() -> PollerSettings:
    """Loopback allowed, short timeouts so failure tests stay fast."""
    return PollerSettings(
        allow_private_addresses=True,
        connect_timeout_seconds=2,
        read_timeout_seconds=1,
        total_timeout_seconds=2,
        max_redirects=3,
        failing_after_errors=3,
    )


@pytest.fixture
async def client(settings: PollerSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(settings) as shared:
        yield shared


@pytest.fixture
def rng() -> random.Random:
    return random.Random(1234)
