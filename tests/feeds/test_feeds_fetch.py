"""Fetcher against a real loopback server: limits, redirects, conditional GET, errors."""

from __future__ import annotations

import asyncio
import gzip
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from feeds.fetch import Fetcher, parse_max_age, parse_retry_after
from feeds.settings import PollerSettings
from feeds.types import FetchErrorKind, FetchResult
from tests.feeds.feeds_samples import NOW, RSS

MB = 1_000_000


async def test_ok_response_carries_body_and_validators(
    feed_server: HTTPServer, client: httpx.AsyncClient, settings: PollerSettings
) -> None:
    seen: dict[str, str] = {}

    def handler(request: Request) -> Response:
        seen.update(request.headers)
        return Response(
            RSS,
            content_type="application/rss+xml",
            headers={
                "ETag": '"v1"',
                "Last-Modified": "Sat, 01 Mar 2025 10:00:00 GMT",
                "Cache-Control": "max-age=900",
            },
        )

    feed_server.expect_request("/feed").respond_with_handler(handler)
    result = await Fetcher(client, settings).fetch(feed_server.url_for("/feed"))
    assert result.ok and result.status_code == 200 and result.body == RSS
    assert (result.etag, result.last_modified) == ('"v1"', "Sat, 01 Mar 2025 10:00:00 GMT")
    assert result.max_age_seconds == 900
    assert seen["User-Agent"] == settings.user_agent
    assert "rss" in seen["Accept"]


async def test_second_poll_with_validators_is_not_modified(
    feed_server: HTTPServer, client: httpx.AsyncClient, settings: PollerSettings
) -> None:
    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"' or request.headers.get("If-Modified-Since"):
            return Response(status=304)
        return Response(RSS, headers={"ETag": '"v1"'})

    feed_server.expect_request("/feed").respond_with_handler(handler)
    fetcher = Fetcher(client, settings)
    first = await fetcher.fetch(feed_server.url_for("/feed"))
    by_etag = await fetcher.fetch(feed_server.url_for("/feed"), etag=first.etag)
    by_date = await fetcher.fetch(feed_server.url_for("/feed"), last_modified="Sat, 01 Mar 2025 10:00:00 GMT")
    for result in (by_etag, by_date):
        assert result.ok and result.not_modified and result.body is None and result.status_code == 304


async def test_gzip_bodies_are_decoded(
    feed_server: HTTPServer, client: httpx.AsyncClient, settings: PollerSettings
) -> None:
    feed_server.expect_request("/gz").respond_with_data(
        gzip.compress(RSS), headers={"Content-Encoding": "gzip"}
    )
    result = await Fetcher(client, settings).fetch(feed_server.url_for("/gz"))
    assert result.body == RSS


@pytest.mark.parametrize(
    ("status", "headers", "retry_after"),
    [
        (500, {}, None),
        (404, {}, None),
        (429, {"Retry-After": "120"}, 120.0),
        (503, {"Retry-After": "7200"}, 7200.0),
    ],
)
async def test_error_statuses_become_typed_results(
    feed_server: HTTPServer,
    client: httpx.AsyncClient,
    settings: PollerSettings,
    status: int,
    headers: dict[str, str],
    retry_after: float | None,
) -> None:
    feed_server.expect_request("/err").respond_with_data("nope", status=status, headers=headers)
    result = await Fetcher(client, settings).fetch(feed_server.url_for("/err"))
    assert result.error_kind is FetchErrorKind.HTTP_STATUS
    assert result.status_code == status and result.retry_after_seconds == retry_after
    assert str(status) in (result.error_message or "")


def _drip(chunks: int, pause: float) -> Iterator[bytes]:
    for _ in range(chunks):
        time.sleep(pause)
        yield b" "


async def test_slow_drip_server_hits_the_overall_deadline(
    feed_server: HTTPServer, client: httpx.AsyncClient, settings: PollerSettings
) -> None:
    # Each chunk arrives within the read timeout (1 s) but the whole never ends in 2 s.
    feed_server.expect_request("/drip").respond_with_response(Response(_drip(12, 0.4)))
    started = time.monotonic()
    result = await Fetcher(client, settings).fetch(feed_server.url_for("/drip"))
    assert result.error_kind is FetchErrorKind.TIMEOUT
    assert time.monotonic() - started < settings.total_timeout_seconds + 1


async def test_silent_server_hits_the_read_timeout(
    feed_server: HTTPServer, client: httpx.AsyncClient, settings: PollerSettings
) -> None:
    def handler(request: Request) -> Response:
        time.sleep(1.5)
        return Response(RSS)

    feed_server.expect_request("/silent").respond_with_handler(handler)
    result = await Fetcher(client, settings).fetch(feed_server.url_for("/silent"))
    assert result.error_kind is FetchErrorKind.TIMEOUT


async def test_huge_body_is_aborted_at_the_cap_without_buffering_it(
    feed_server: HTTPServer, client: httpx.AsyncClient, settings: PollerSettings
) -> None:
    sent = [0]
    chunk = b"x" * 65_536

    def fifty_megabytes() -> Iterator[bytes]:
        for _ in range(50 * MB // len(chunk)):
            sent[0] += len(chunk)
            yield chunk

    feed_server.expect_request("/huge").respond_with_response(Response(fifty_megabytes()))
    started = time.monotonic()
    result = await Fetcher(client, settings).fetch(feed_server.url_for("/huge"))
    assert result.error_kind is FetchErrorKind.TOO_LARGE and result.body is None
    assert time.monotonic() - started < 5
    assert sent[0] < 20 * MB  # the server was cut off long before 50 MB


async def test_declared_huge_body_is_refused_before_reading(
    feed_server: HTTPServer, client: httpx.AsyncClient, settings: PollerSettings
) -> None:
    body = b"x" * (settings.max_response_bytes + 1)
    feed_server.expect_request("/declared").respond_with_data(body)
    result = await Fetcher(client, settings).fetch(feed_server.url_for("/declared"))
    assert result.error_kind is FetchErrorKind.TOO_LARGE
    assert "Content-Length" in (result.error_message or "")


async def test_gzip_bomb_is_capped_after_decompression(
    feed_server: HTTPServer, client: httpx.AsyncClient, settings: PollerSettings
) -> None:
    bomb = gzip.compress(b"\0" * (settings.max_response_bytes * 3))
    feed_server.expect_request("/bomb").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    result = await Fetcher(client, settings).fetch(feed_server.url_for("/bomb"))
    assert result.error_kind is FetchErrorKind.TOO_LARGE


async def test_redirects_are_followed_up_to_the_cap(
    feed_server: HTTPServer, client: httpx.AsyncClient, settings: PollerSettings
) -> None:
    feed_server.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    feed_server.expect_request("/new").respond_with_data(RSS)
    feed_server.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    fetcher = Fetcher(client, settings)
    moved = await fetcher.fetch(feed_server.url_for("/old"))
    assert moved.ok and moved.final_url == feed_server.url_for("/new") and moved.body == RSS
    loop = await fetcher.fetch(feed_server.url_for("/loop"))
    assert loop.error_kind is FetchErrorKind.TOO_MANY_REDIRECTS


@pytest.mark.parametrize(
    ("url", "kind"),
    [("ftp://example.com/", FetchErrorKind.INVALID_URL), ("http://127.0.0.1:1/", FetchErrorKind.CONNECT)],
)
async def test_invalid_and_unreachable_urls(
    client: httpx.AsyncClient, settings: PollerSettings, url: str, kind: FetchErrorKind
) -> None:
    result = await Fetcher(client, settings).fetch(url)
    assert result.error_kind is kind and result.error_message


async def _concurrent_fetches(
    feed_server: HTTPServer, fetcher: Fetcher, count: int
) -> tuple[list[FetchResult], int]:
    """``count`` fetches at once of a slow URL; the results and the most requests in flight at once."""
    lock = threading.Lock()
    active, peak = [0], [0]

    def handler(request: Request) -> Response:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.1)
        with lock:
            active[0] -= 1
        return Response(RSS)

    feed_server.expect_request("/busy").respond_with_handler(handler)
    results = await asyncio.gather(*(fetcher.fetch(feed_server.url_for("/busy")) for _ in range(count)))
    return list(results), peak[0]


async def test_per_host_limit_caps_concurrent_requests(
    feed_server: HTTPServer, client: httpx.AsyncClient
) -> None:
    limited = PollerSettings(allow_private_addresses=True, per_host_concurrency=2, global_concurrency=10)
    results, peak = await _concurrent_fetches(feed_server, Fetcher(client, limited), 8)
    assert all(result.ok for result in results)
    assert peak == 2


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    assert parse_retry_after("120", NOW) == 120
    assert parse_retry_after("Sat, 01 Mar 2025 13:00:00 GMT", NOW) == 3600
    assert parse_retry_after("Sat, 01 Mar 2025 11:00:00 GMT", NOW) == 0
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after(None, NOW) is None


def test_max_age_is_read_from_cache_control() -> None:
    assert parse_max_age("public, max-age=300") == 300
    assert parse_max_age("s-maxage=60, public") == 60
    assert parse_max_age("no-cache") is None


async def test_the_global_limit_caps_requests_when_the_host_limit_does_not(
    feed_server: HTTPServer, client: httpx.AsyncClient
) -> None:
    limited = PollerSettings(allow_private_addresses=True, per_host_concurrency=10, global_concurrency=2)
    results, peak = await _concurrent_fetches(feed_server, Fetcher(client, limited), 8)
    assert all(result.ok for result in results) and peak == 2


async def test_last_modified_alone_makes_the_next_poll_conditional(
    feed_server: HTTPServer, client: httpx.AsyncClient, settings: PollerSettings
) -> None:
    stamp = "Sat, 01 Mar 2025 12:00:00 GMT"
    feed_server.expect_request("/lm", headers={"If-Modified-Since": stamp}).respond_with_data("", status=304)
    feed_server.expect_request("/lm").respond_with_data(RSS, headers={"Last-Modified": stamp})
    fetcher = Fetcher(client, settings)
    first = await fetcher.fetch(feed_server.url_for("/lm"))
    assert first.ok and first.last_modified == stamp and first.etag is None
    second = await fetcher.fetch(feed_server.url_for("/lm"), last_modified=first.last_modified)
    assert second.not_modified and second.body is None
