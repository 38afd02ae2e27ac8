"""Fixtures for the feeds tests: a threaded HTTP server on 127.0.0.1 and tight settings."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from pytest_httpserver import HTTPServer

from feeds.fetch import make_client
from feeds.language import LanguageDetector
from feeds.settings import PollerSettings


@pytest.fixture(scope="session")
def feed_server() -> Iterator[HTTPServer]:
    """One threaded server for the session (slow handlers must not block the others)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def httpserver(feed_server: HTTPServer) -> Iterator[HTTPServer]:
    """The session server with this test's handlers only."""
    feed_server.clear()
    yield feed_server
    feed_server.clear()


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


@pytest.fixture(scope="session")
def detector() -> LanguageDetector:
    """The language model loads once for the whole run."""
    return LanguageDetector()


@pytest.fixture
def rng() -> random.Random:
    return random.Random(1234)
