"""Fixtures for the archive tests: the poller's own fetcher on loopback, a store in a temporary
folder, and article pages to serve (the loopback `feed_server` comes from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from archive.capture import Archivist
from archive.store import WarcStore
from feeds.article import HTML_ACCEPT
from feeds.fetch import Fetcher, make_client
from feeds.settings import PollerSettings
from feeds.types import FetchResult

PARAGRAPH = (
    "Recruiters promised {n} men from Nepal jobs as security guards in Russia; on arrival they were "
    "given uniforms and sent to the front line near Bakhmut, family number {i} said on {day}. "
)


def article(title: str, count: int = 12, day: str = "Monday", paragraphs: int = 8) -> bytes:
    """An article page trafilatura reads: title, author, outlet, and a body of real sentences."""
    body = "".join(f"<p>{PARAGRAPH.format(n=count, day=day, i=i)}</p>" for i in range(paragraphs))
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{title}</title><meta name='author' content='Jane Q. Roe'>"
        "<meta property='og:site_name' content='Kathmandu Ledger'>"
        "<meta property='article:published_time' content='2026-11-02T08:00:00Z'></head>"
        f"<body><nav>Home · World</nav><article><h1>{title}</h1>{body}</article>"
        "<footer>© Ledger</footer></body></html>"
    ).encode()


@pytest.fixture
def poller_settings() -> PollerSettings:
    return PollerSettings(
        allow_private_addresses=True,
        connect_timeout_seconds=2,
        read_timeout_seconds=2,
        total_timeout_seconds=5,
        max_redirects=3,
    )


@pytest.fixture
async def client(poller_settings: PollerSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(poller_settings) as shared:
        yield shared


@pytest.fixture
def store(tmp_path: Path) -> WarcStore:
    return WarcStore(tmp_path / "archive")


@pytest.fixture
def archivist(client: httpx.AsyncClient, poller_settings: PollerSettings, store: WarcStore) -> Archivist:
    fetcher = Fetcher(client, poller_settings)

    async def fetch(url: str) -> FetchResult:
        return await fetcher.fetch(url, accept=HTML_ACCEPT)

    return Archivist(fetch, store)
