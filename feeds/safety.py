"""SSRF guard: feed URLs come from Telegram users and OPML files, so they must not
reach private, loopback, link-local, multicast, reserved or unspecified addresses.

Hosts are parsed with ``httpx.URL`` (the parser of the client that will connect), IP
literals in every form ``inet_aton`` accepts are decoded, and names are resolved with
``getaddrinfo`` (off the event loop) with every resolved address checked. The guard
runs again on every redirect hop. A name can answer differently the next time it is looked up
(DNS rebinding), so the client's connections go through ``PublicAddressBackend``, which resolves
the name once more, checks those addresses, and connects to one of them, not to the name.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

from feeds.normalise import MAX_URL_CHARS

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]
UrlGuard = Callable[[str], Awaitable[str]]

_DEFAULT_PORTS = {"http": 80, "https": 443}
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NUMERIC_PART = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")


class UnsafeURLError(ValueError):
    """The URL must not be fetched; the message says why in words a user understands."""


class InvalidURLError(UnsafeURLError):
    """The URL is malformed or uses a scheme we do not fetch."""


class BlockedAddressError(UnsafeURLError):
    """The URL points at (or resolves to) a non-public address; the message names the way to allow it."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"{reason} (poller.allow_private_addresses = true allows it)")


def check_feed_url(url: str, *, allow_private: bool, allow_file: bool = False) -> str:
    """Return the normalised URL, or raise UnsafeURLError; no DNS lookup here."""
    parsed = _parse(url)
    if parsed.scheme == "file":
        if not allow_file:
            raise InvalidURLError("file: URLs are only accepted from the command line")
        return url.strip()
    if not allow_private:
        _check_host_literal(parsed.host)
    if parsed.port == _DEFAULT_PORTS[parsed.scheme]:
        parsed = parsed.copy_with(port=None)
    normalised = str(parsed)
    if len(normalised) > MAX_URL_CHARS:
        raise InvalidURLError(f"URL longer than {MAX_URL_CHARS} characters")
    return normalised


async def resolve_host(host: str, port: int) -> list[str]:
    """Resolve a host name with getaddrinfo in the loop's thread pool."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


@dataclass(frozen=True, slots=True)
class AddressGuard:
    """The fetch-time guard: syntax check, then every resolved address must be public."""

    allow_private: bool
    allow_file: bool = False
    resolver: Resolver = resolve_host

    async def __call__(self, url: str) -> str:
        normalised = check_feed_url(url, allow_private=self.allow_private, allow_file=self.allow_file)
        parsed = httpx.URL(normalised)
        if self.allow_private or parsed.scheme == "file":
            return normalised
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        addresses = await self.resolver(parsed.host, port)
        if not addresses:
            raise BlockedAddressError(f"{parsed.host} does not resolve to any address")
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            if not is_public_address(ip):
                raise BlockedAddressError(f"{parsed.host} resolves to non-public address {ip}")
        return normalised


class PublicAddressBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network layer, connecting only to public addresses it has checked itself.

    The address connected to is the address checked, whatever the name answers by then; TLS
    still verifies the certificate against the name (httpcore takes the server name from the URL).
    """

    def __init__(
        self, resolver: Resolver = resolve_host, inner: httpcore.AsyncNetworkBackend | None = None
    ) -> None:
        self._resolver = resolver
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        literal = parse_ip_literal(host)
        addresses = [str(literal)] if literal else await self._resolver(host, port)
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            if not is_public_address(ip):
                raise BlockedAddressError(f"{host} resolves to non-public address {ip} at connect time")
        if not addresses:
            raise BlockedAddressError(f"{host} does not resolve to any address")
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error  # the next address, as a resolver-driven connect would
        assert failure is not None
        raise failure

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def is_public_address(ip: IPAddress) -> bool:
    """True only for globally routable unicast addresses, looking inside IPv6 wrappers."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return is_public_address(embedded)
    return ip.is_global and not (
        ip.is_multicast or ip.is_reserved or ip.is_unspecified or ip.is_loopback or ip.is_link_local
    )


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address hidden in mapped, 6to4, Teredo or NAT64 forms, if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _parse(url: str) -> httpx.URL:
    if not isinstance(url, str) or not url.strip():
        raise InvalidURLError("empty URL")
    text = url.strip()
    if len(text) > MAX_URL_CHARS:
        raise InvalidURLError(f"URL longer than {MAX_URL_CHARS} characters")
    if any(ord(ch) < 0x21 or ch == "\\" for ch in text):
        raise InvalidURLError("URL contains spaces, control characters or backslashes")
    try:
        parsed = httpx.URL(text)
    except (httpx.InvalidURL, ValueError) as exc:
        raise InvalidURLError(f"malformed URL: {exc}") from exc
    if parsed.scheme == "file":
        return parsed
    if parsed.scheme not in _DEFAULT_PORTS:
        raise InvalidURLError(f"scheme {parsed.scheme or '(none)'!r} is not allowed; use http or https")
    if not parsed.host:
        raise InvalidURLError("URL has no host")
    return parsed


def _check_host_literal(host: str) -> None:
    """Block local names and IP literals in any notation, before any DNS lookup."""
    name = host.rstrip(".").lower()
    if name in _LOCAL_NAMES or name.endswith(_LOCAL_SUFFIXES):
        raise BlockedAddressError(f"{host} is a local host name")
    ip = parse_ip_literal(name)
    if ip is not None and not is_public_address(ip):
        raise BlockedAddressError(f"{host} is a non-public address ({ip})")


def parse_ip_literal(host: str) -> IPAddress | None:
    """Decode an IP literal, including inet_aton's decimal, octal and hex IPv4 forms."""
    candidate = host.strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(candidate)
    except ValueError:
        pass
    parts = candidate.lower().split(".")
    if not 1 <= len(parts) <= 4 or not all(_NUMERIC_PART.match(part) for part in parts):
        return None
    try:
        numbers = [_parse_ipv4_part(part) for part in parts]
    except ValueError:
        return None
    *head, last = numbers
    if any(n > 0xFF for n in head) or last >= 1 << (8 * (5 - len(numbers))):
        return None
    value = last
    for index, number in enumerate(head):
        value |= number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _parse_ipv4_part(part: str) -> int:
    if part.startswith("0x"):
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8)
    return int(part, 10)
