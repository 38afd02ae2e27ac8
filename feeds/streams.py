"""httpcore's network streams, with the pool's readability question answered cheaply.

Each time a request starts or ends, httpcore's connection pool asks every idle connection whether
its socket is readable (a server that closed a kept-alive connection leaves it readable). anyio's
stream answers by rebuilding its table of socket attributes, a ``getpeername`` call included, on
every question: with the poller's 64 connections that was a fifth of a cold cycle's main-process
CPU (``benchmarks/poll.py``). ``KeptSocketBackend``'s streams keep the socket from the connect and
ask it directly, with the same ``poll`` as httpcore's own check.
"""

from __future__ import annotations

import select
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore

_READABLE_EVENTS = select.POLLIN | select.POLLPRI


class KeptSocketStream(httpcore.AsyncNetworkStream):
    """An inner stream that answers ``get_extra_info("is_readable")`` from its socket, kept once."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket: socket.socket | None = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:  # noqa: ASYNC109
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:  # noqa: ASYNC109
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
    ) -> httpcore.AsyncNetworkStream:
        return KeptSocketStream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            return is_readable(self._socket)
        return self._inner.get_extra_info(info)


class KeptSocketBackend(httpcore.AsyncNetworkBackend):
    """``inner``'s connections (anyio's by default), as ``KeptSocketStream``s."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._inner.connect_tcp(
            host, port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )
        return KeptSocketStream(stream)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def is_readable(sock: socket.socket | None) -> bool:
    """Whether a read would return at once; a closed socket (or none) counts as readable, its next
    read being the end of the stream, as httpcore counts it."""
    if sock is None or sock.fileno() < 0:
        return True
    poller = select.poll()
    poller.register(sock, _READABLE_EVENTS)
    return bool(poller.poll(0))
