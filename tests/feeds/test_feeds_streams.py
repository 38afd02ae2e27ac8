"""The pool's readability check through ``KeptSocketStream``: a kept-alive connection the server
closed is noticed and replaced, against a real loopback server."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import httpx
import pytest

from feeds.fetch import Fetcher
from feeds.settings import PollerSettings
from feeds.streams import is_readable
from tests.feeds.feeds_samples import RSS


class ClosingServer:
    """Answers each request on a connection kept alive (HTTP/1.1, no ``Connection: close``), then
    closes that connection, as a server whose keep-alive timeout ran out does."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.connections = 0
        self.closed = threading.Semaphore(0)
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> ClosingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self._listener.close()
        self._thread.join(5)

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:  # the listener was closed: the test is over
                return
            with connection:
                self.connections += 1
                request = b""
                while b"\r\n\r\n" not in request:
                    request += connection.recv(4096)
                head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(RSS)}\r\n\r\n"
                connection.sendall(head.encode() + RSS)
            self.closed.release()


@pytest.fixture
def closing_server() -> Iterator[ClosingServer]:
    with ClosingServer() as server:
        yield server


async def test_a_connection_the_server_closed_is_replaced_not_reused(
    closing_server: ClosingServer, client: httpx.AsyncClient, settings: PollerSettings
) -> None:
    fetcher = Fetcher(client, settings)
    url = f"http://127.0.0.1:{closing_server.port}/feed"
    first = await fetcher.fetch(url)
    assert closing_server.closed.acquire(timeout=5)
    second = await fetcher.fetch(url)
    assert first.ok and second.ok and second.body == RSS, second.error_message
    assert closing_server.connections == 2


def test_readable_when_data_waits_or_the_peer_closed() -> None:
    left, right = socket.socketpair()
    with left, right:
        assert not is_readable(left)
        right.sendall(b"x")
        assert is_readable(left)
        left.recv(1)
        assert not is_readable(left)
        right.close()
        assert is_readable(left)  # the next read returns the end of the stream
    assert is_readable(left)  # closed here too: no descriptor
    assert is_readable(None)
