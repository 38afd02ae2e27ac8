"""SSRF at fetch time, with the real Fetcher against loopback servers: redirects to private
addresses (in any notation), to names resolving to them and to file: are refused hop by hop;
article pages get the same guard; and DNS rebinding between check and connect is caught at connect time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpcore
import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from feeds.article import fetch_article
from feeds.fetch import Fetcher, make_client
from feeds.safety import AddressGuard, PublicAddressBackend, resolve_host
from feeds.settings import PollerSettings
from feeds.types import FetchErrorKind
from tests.security.conftest import NamedServer

RSS = b"<rss version='2.0'><channel><title>t</title><item><title>x</title></item></channel></rss>"
STRICT = PollerSettings(
    allow_private_addresses=False, connect_timeout_seconds=1, read_timeout_seconds=1, total_timeout_seconds=2
)
LOOSE = STRICT.model_copy(update={"allow_private_addresses": True})
REFUSED = {FetchErrorKind.BLOCKED_ADDRESS, FetchErrorKind.INVALID_URL}


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """A client without the connect-time check, so a first hop can reach the loopback test server
    as if it were public: these tests are about the guard that checks every hop."""
    async with make_client(LOOSE) as shared:
        yield shared


@pytest.fixture
async def guarded_client() -> AsyncIterator[httpx.AsyncClient]:
    """The client the poller really uses: it connects only to addresses it checked itself."""
    async with make_client(STRICT) as shared:
        yield shared


def _secret(server: HTTPServer) -> list[str]:
    """Serve /secret (what an attacker wants read); the list grows each time it is served."""
    hits: list[str] = []

    def serve(request: Request) -> Response:
        hits.append(request.path)
        return Response(RSS)

    server.expect_request("/secret").respond_with_handler(serve)
    return hits


class FirstHopAllowed:
    """Lets the test server's loopback URL through once; later hops meet the real guard."""

    def __init__(self, real: AddressGuard) -> None:
        self.real = real
        self.calls = 0

    async def __call__(self, url: str) -> str:
        self.calls += 1
        return url if self.calls == 1 else await self.real(url)


async def _resolve_intranet(host: str, port: int) -> list[str]:
    return {"intranet.example": ["192.168.10.5"]}.get(host, ["93.184.216.34"])


@pytest.mark.parametrize(
    "location",
    [
        "http://10.0.0.1/feed.xml",
        "http://localhost:{port}/secret",
        "http://0x7f.1:{port}/secret",
        "http://intranet.example/",
    ],
)
async def test_redirect_to_a_private_address_is_blocked(
    feed_server: HTTPServer, client: httpx.AsyncClient, location: str
) -> None:
    hits = _secret(feed_server)
    feed_server.expect_request("/bounce").respond_with_data(
        "", status=302, headers={"Location": location.format(port=feed_server.port)}
    )
    guard = FirstHopAllowed(AddressGuard(allow_private=False, resolver=_resolve_intranet))
    result = await Fetcher(client, STRICT, guard=guard).fetch(feed_server.url_for("/bounce"))
    assert result.error_kind is FetchErrorKind.BLOCKED_ADDRESS
    assert guard.calls == 2 and not hits


def _public_name(name: str):
    """DNS as an attacker's public feed host would see it: ``name`` is public, the rest is real DNS."""

    async def resolve(host: str, port: int) -> list[str]:
        return ["93.184.216.34"] if host == name else await resolve_host(host, port)

    return resolve


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1:{port}/secret",
        "//127.0.0.1:{port}/secret",  # scheme-relative
        "http://[::ffff:127.0.0.1]:{port}/secret",
        "http://[::ffff:7f00:1]:{port}/secret",
        "http://2130706433:{port}/secret",
        "http://0x7f000001:{port}/secret",
        "http://127.1:{port}/secret",
        "http://example.com@127.0.0.1:{port}/secret",
        "http://localhost:{port}/secret",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/secret",
        "http://0.0.0.0:{port}/secret",
        "file:///etc/passwd",
        "gopher://127.0.0.1:{port}/_GET%20/secret",
    ],
)
async def test_a_public_feed_redirecting_to_a_private_address_is_refused_with_the_real_guard(
    named_server: NamedServer, client: httpx.AsyncClient, location: str
) -> None:
    """The first hop is a name the guard's DNS calls public (the server really is on loopback); the
    redirect target meets the very same AddressGuard, with real getaddrinfo behind it."""
    server = named_server.server
    hits = _secret(server)
    server.expect_request("/feed").respond_with_data(
        "", status=302, headers={"Location": location.format(port=server.port)}
    )
    guard = AddressGuard(allow_private=False, resolver=_public_name(named_server.name))
    result = await Fetcher(client, STRICT, guard=guard).fetch(named_server.url("/feed"))
    assert result.error_kind in REFUSED, result
    assert result.body is None and not hits
    assert [entry[0].path for entry in server.log] == ["/feed"]


async def test_a_redirect_chain_is_checked_at_every_hop(
    named_server: NamedServer, client: httpx.AsyncClient
) -> None:
    server = named_server.server
    hits = _secret(server)
    server.expect_request("/a").respond_with_data("", status=301, headers={"Location": "/b"})
    server.expect_request("/b").respond_with_data(
        "", status=307, headers={"Location": f"http://127.0.0.1:{server.port}/secret"}
    )
    guard = AddressGuard(allow_private=False, resolver=_public_name(named_server.name))
    result = await Fetcher(client, STRICT, guard=guard).fetch(named_server.url("/a"))
    assert result.error_kind is FetchErrorKind.BLOCKED_ADDRESS and not hits
    assert [entry[0].path for entry in server.log] == ["/a", "/b"]


async def test_the_name_itself_is_blocked_by_real_dns(
    named_server: NamedServer, client: httpx.AsyncClient
) -> None:
    result = await Fetcher(client, STRICT).fetch(named_server.url("/feed"))
    assert result.error_kind is FetchErrorKind.BLOCKED_ADDRESS and "non-public" in str(result.error_message)
    assert not named_server.server.log


async def test_the_address_connected_to_is_the_address_checked(
    named_server: NamedServer, guarded_client: httpx.AsyncClient
) -> None:
    """DNS rebinding: the name answers public to the guard's lookup and loopback to the connection's."""
    hits = _secret(named_server.server)
    guard = AddressGuard(allow_private=False, resolver=_public_name(named_server.name))
    result = await Fetcher(guarded_client, STRICT, guard=guard).fetch(named_server.url("/secret"))
    assert result.error_kind is FetchErrorKind.BLOCKED_ADDRESS and "connect time" in str(result.error_message)
    assert not hits and not named_server.server.log


async def test_the_connection_goes_to_the_checked_address_not_to_the_name() -> None:
    """Below our backend is httpcore's socket layer; a recording one shows where it would connect."""
    attempts: list[str] = []

    class Recording(httpcore.AsyncNetworkBackend):
        async def connect_tcp(self, host: str, port: int, **options: object) -> httpcore.AsyncNetworkStream:
            attempts.append(f"{host}:{port}")
            raise httpcore.ConnectError("refused")

    async def two_public(host: str, port: int) -> list[str]:
        return ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]

    backend = PublicAddressBackend(resolver=two_public, inner=Recording())
    with pytest.raises(httpcore.ConnectError):
        await backend.connect_tcp("feeds.example", 443)
    assert attempts == ["93.184.216.34:443", "2606:2800:220:1:248:1893:25c8:1946:443"]


async def test_private_feed_url_is_blocked_without_a_request(
    feed_server: HTTPServer, client: httpx.AsyncClient
) -> None:
    result = await Fetcher(client, STRICT).fetch(feed_server.url_for("/feed"))
    assert result.error_kind is FetchErrorKind.BLOCKED_ADDRESS
    assert not feed_server.log


async def test_article_pages_get_the_same_guard(feed_server: HTTPServer, client: httpx.AsyncClient) -> None:
    """A feed item's link is fetched for its full text: a private one must not be."""
    hits = _secret(feed_server)
    article = await fetch_article(client, feed_server.url_for("/secret"), STRICT)
    assert article.result.error_kind is FetchErrorKind.BLOCKED_ADDRESS and article.text is None
    assert not hits


async def test_local_files_are_read_only_when_allowed(tmp_path: Path, client: httpx.AsyncClient) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(RSS)
    allowed = await Fetcher(client, LOOSE, allow_file=True).fetch(feed.as_uri())
    refused = await Fetcher(client, LOOSE).fetch(feed.as_uri())
    assert allowed.ok and allowed.body == RSS
    assert refused.error_kind is FetchErrorKind.INVALID_URL and refused.body is None


async def test_a_redirect_to_a_file_url_is_refused_even_where_file_feeds_are_allowed(
    tmp_path: Path, feed_server: HTTPServer, client: httpx.AsyncClient
) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes(RSS)
    feed_server.expect_request("/bounce").respond_with_data(
        "", status=302, headers={"Location": secret.as_uri()}
    )
    result = await Fetcher(client, LOOSE, allow_file=True).fetch(feed_server.url_for("/bounce"))
    assert result.error_kind is FetchErrorKind.BLOCKED_ADDRESS and result.body is None
