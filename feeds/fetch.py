"""HTTP fetching with hard limits; every failure becomes a FetchResult, never an exception.

One shared ``httpx.AsyncClient`` (made by ``make_client`` or injected by tests) does
the I/O. Redirects are followed here, hop by hop, so the SSRF guard sees each one.
"""

from __future__ import annotations

import asyncio
import re
import socket
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote

import httpcore
import httpx
import structlog

from feeds.safety import AddressGuard, BlockedAddressError, PublicAddressBackend, UnsafeURLError, UrlGuard
from feeds.settings import PollerSettings
from feeds.streams import KeptSocketBackend
from feeds.types import FetchErrorKind, FetchResult

log = structlog.get_logger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
# Validators longer than these are not kept (the feeds table keeps no more); the next poll is then
# unconditional, which is all a validator saves.
MAX_ETAG_CHARS = 512
MAX_LAST_MODIFIED_CHARS = 128
_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-maxage|max-age)\s*=\s*\"?(\d+)", re.IGNORECASE)


class ResponseTooLargeError(Exception):
    """The body passed ``max_response_bytes``."""


class RedirectLoopError(Exception):
    """More redirects than ``max_redirects``."""


class HTTPStatusError(Exception):
    """The server answered with an error status (and perhaps a Retry-After)."""

    def __init__(self, status_code: int, message: str, retry_after: float | None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.retry_after = retry_after


def make_client(settings: PollerSettings) -> httpx.AsyncClient:
    """The one client the app shares: no automatic redirects, no proxy env, bounded pool."""
    timeout = httpx.Timeout(
        connect=settings.connect_timeout_seconds,
        read=settings.read_timeout_seconds,
        write=settings.read_timeout_seconds,
        pool=settings.total_timeout_seconds,
    )
    limits = httpx.Limits(
        max_connections=settings.global_concurrency,
        max_keepalive_connections=settings.global_concurrency,
    )
    return httpx.AsyncClient(
        timeout=timeout,
        limits=limits,
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": settings.user_agent, "Accept": FEED_ACCEPT},
        transport=pooled_transport(limits, allow_private=settings.allow_private_addresses),
    )


def pooled_transport(limits: httpx.Limits, *, allow_private: bool) -> httpx.AsyncHTTPTransport:
    """httpx's transport on our network backend: ``KeptSocketBackend``'s cheap readability checks
    (see ``feeds.streams``), and unless private addresses are allowed, connections only through
    ``PublicAddressBackend`` (DNS rebinding).

    httpx has no parameter for httpcore's network backend, so the pool it builds is replaced by
    the same pool on our backend.
    """
    backend = KeptSocketBackend()
    transport = httpx.AsyncHTTPTransport(limits=limits, trust_env=False)
    if not isinstance(getattr(transport, "_pool", None), httpcore.AsyncConnectionPool):
        raise RuntimeError("this httpx version builds its transport differently: see pooled_transport")
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=backend if allow_private else PublicAddressBackend(inner=backend),
    )
    return transport


class ConcurrencyLimits:
    """A global semaphore plus one semaphore per host, created on first use.

    A polite host (an aggregator's search API with published limits) gets one request at a
    time, each starting at least its pause after the one before.
    """

    def __init__(
        self, *, global_limit: int, per_host_limit: int, polite_hosts: Mapping[str, float] | None = None
    ) -> None:
        self._global = asyncio.Semaphore(global_limit)
        self._per_host_limit = per_host_limit
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._pauses = dict(polite_hosts or {})
        self._last_start: dict[str, float] = {}

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Take the host slot first so a task waiting on a busy host holds no global slot."""
        pause = self._pauses.get(host)
        limit = 1 if pause is not None else self._per_host_limit
        host_semaphore = self._hosts.setdefault(host, asyncio.Semaphore(limit))
        async with host_semaphore:
            if pause is not None:
                previous = self._last_start.get(host)
                if previous is not None:
                    await asyncio.sleep(max(previous + pause - time.monotonic(), 0.0))
                self._last_start[host] = time.monotonic()
            async with self._global:
                yield


class Fetcher:
    """Fetches URLs within the settings' limits; safe to share across concurrent tasks."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        settings: PollerSettings,
        *,
        guard: UrlGuard | None = None,
        allow_file: bool = False,
    ) -> None:
        self._client = client
        self._settings = settings
        self._guard = guard or AddressGuard(
            allow_private=settings.allow_private_addresses, allow_file=allow_file
        )
        self._limits = ConcurrencyLimits(
            global_limit=settings.global_concurrency,
            per_host_limit=settings.per_host_concurrency,
            polite_hosts=settings.polite_hosts,
        )

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = FEED_ACCEPT,
    ) -> FetchResult:
        """GET ``url`` conditionally; errors come back as ``FetchResult.error_kind``."""
        started = time.monotonic()
        current = url
        try:
            headers = {"Accept": accept}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            for hop in range(self._settings.max_redirects + 1):
                if hop and current.lower().startswith("file:"):
                    raise BlockedAddressError("a redirect to a file: URL is refused")
                current = await self._guard(current)
                if current.startswith("file:"):
                    return await self._read_file(url, current, started)
                async with self._limits.slot(httpx.URL(current).host):
                    result = await self._request(url, current, headers, started)
                if isinstance(result, FetchResult):
                    return result
                current = result
            raise RedirectLoopError(f"more than {self._settings.max_redirects} redirects")
        except Exception as exc:  # the single place where exceptions become values
            kind, message = classify_error(exc)
            if kind is FetchErrorKind.UNEXPECTED:
                log.exception("fetch_unexpected_error", url=url, stage="fetch")
            return FetchResult(
                url=url,
                final_url=current,
                status_code=exc.status_code if isinstance(exc, HTTPStatusError) else None,
                retry_after_seconds=exc.retry_after if isinstance(exc, HTTPStatusError) else None,
                error_kind=kind,
                error_message=message,
                elapsed_seconds=time.monotonic() - started,
            )

    async def _request(
        self, url: str, current: str, headers: dict[str, str], started: float
    ) -> FetchResult | str:
        """One hop: a FetchResult, or the next URL when the server redirects."""
        async with asyncio.timeout(self._settings.total_timeout_seconds):
            request = self._client.build_request("GET", current, headers=headers)
            response = await self._client.send(request, stream=True)
            try:
                location = response.headers.get("location")
                if response.status_code in _REDIRECT_CODES and location:
                    return str(response.url.join(location))
                if response.status_code >= 400:
                    raise HTTPStatusError(
                        response.status_code,
                        f"HTTP {response.status_code} {response.reason_phrase}".strip(),
                        parse_retry_after(response.headers.get("retry-after"), datetime.now(UTC)),
                    )
                not_modified = response.status_code == httpx.codes.NOT_MODIFIED
                body = (
                    None if not_modified else await read_capped(response, self._settings.max_response_bytes)
                )
            finally:
                await response.aclose()
        return FetchResult(
            url=url,
            final_url=current,
            status_code=response.status_code,
            body=body,
            content_type=response.headers.get("content-type"),
            etag=_bounded(response.headers.get("etag"), MAX_ETAG_CHARS),
            last_modified=_bounded(response.headers.get("last-modified"), MAX_LAST_MODIFIED_CHARS),
            max_age_seconds=parse_max_age(response.headers.get("cache-control")),
            not_modified=not_modified,
            elapsed_seconds=time.monotonic() - started,
            http_version=response.http_version,
            reason_phrase=response.reason_phrase,
            headers=tuple(
                (name.decode("latin-1"), value.decode("latin-1")) for name, value in response.headers.raw
            ),
        )

    async def _read_file(self, url: str, current: str, started: float) -> FetchResult:
        """Local feeds for the CLI only (the guard rejects file: unless allowed)."""
        path = Path(unquote(httpx.URL(current).path))
        limit = self._settings.max_response_bytes

        def read() -> bytes:
            with path.open("rb") as handle:
                data = handle.read(limit + 1)
            if len(data) > limit:
                raise ResponseTooLargeError(f"file larger than {limit} bytes")
            return data

        body = await asyncio.to_thread(read)
        return FetchResult(
            url=url, final_url=current, status_code=200, body=body, elapsed_seconds=time.monotonic() - started
        )


def _bounded(value: str | None, limit: int) -> str | None:
    return value if value is not None and len(value) <= limit else None


async def read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    """Stream the (decoded) body, aborting as soon as it passes ``max_bytes``."""
    declared = response.headers.get("content-length", "")
    encoded = response.headers.get("content-encoding", "identity").lower() != "identity"
    if declared.isdigit() and not encoded and int(declared) > max_bytes:
        raise ResponseTooLargeError(f"Content-Length {declared} exceeds {max_bytes} bytes")
    buffer = bytearray()
    async for chunk in response.aiter_bytes():
        buffer += chunk
        if len(buffer) > max_bytes:
            raise ResponseTooLargeError(f"body exceeds {max_bytes} bytes")
    return bytes(buffer)


def classify_error(exc: BaseException) -> tuple[FetchErrorKind, str]:
    """Map any exception from a fetch to a typed kind and a short message."""
    message = str(exc) or type(exc).__name__
    kinds: list[tuple[type[BaseException] | tuple[type[BaseException], ...], FetchErrorKind]] = [
        (BlockedAddressError, FetchErrorKind.BLOCKED_ADDRESS),
        (UnsafeURLError, FetchErrorKind.INVALID_URL),
        ((TimeoutError, httpx.TimeoutException), FetchErrorKind.TIMEOUT),
        (ResponseTooLargeError, FetchErrorKind.TOO_LARGE),
        (RedirectLoopError, FetchErrorKind.TOO_MANY_REDIRECTS),
        (HTTPStatusError, FetchErrorKind.HTTP_STATUS),
        ((httpx.InvalidURL, httpx.UnsupportedProtocol), FetchErrorKind.INVALID_URL),
        (socket.gaierror, FetchErrorKind.DNS),
        ((httpx.ConnectError, OSError), FetchErrorKind.CONNECT),
        ((httpx.TransportError, httpx.DecodingError, httpx.StreamError), FetchErrorKind.PROTOCOL),
    ]
    for types, kind in kinds:
        if isinstance(exc, types):
            return kind, message
    return FetchErrorKind.UNEXPECTED, f"{type(exc).__name__}: {message}"


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Retry-After as seconds from now; accepts delta-seconds or an HTTP date."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - now).total_seconds())


def parse_max_age(cache_control: str | None) -> float | None:
    """``max-age`` (or ``s-maxage``) of a Cache-Control header, in seconds."""
    if not cache_control:
        return None
    match = _MAX_AGE.search(cache_control)
    return float(match.group(1)) if match else None
