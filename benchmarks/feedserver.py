"""Loopback RSS server for load tests: N feeds × 20 items (by default) at ``/feed/{i}.xml``.

Raw asyncio HTTP/1.1 with keep-alive (much faster than a framework, so the benchmark
measures the poller, not the server). Supports ``If-None-Match`` → 304. About one
item in ten is a syndicated story shared by several feeds under different tracking
parameters, as wire stories are in real life. ``bump()`` publishes new items.

In a benchmark::

    with FeedServer(feeds=1000) as server:
        urls = server.feed_urls()

or as a process: ``python benchmarks/feedserver.py --feeds 1000 --port 8765``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import itertools
import random
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

ITEMS_PER_FEED = 20
_SHARED_EVERY = 10
_COUNTRIES = [
    "Nepal",
    "India",
    "Sri Lanka",
    "Cuba",
    "Kenya",
    "Ghana",
    "Syria",
    "Iraq",
    "Serbia",
    "Kazakhstan",
    "Uzbekistan",
    "Tajikistan",
    "Bangladesh",
    "Egypt",
    "Cameroon",
    "Togo",
]
_ACTORS = [
    "recruiters",
    "a labour agency",
    "online job ads",
    "a travel agent",
    "a private military company",
    "smugglers",
    "officials",
    "a cleaning company",
    "a Telegram channel",
    "former soldiers",
]
_VERBS = ["lured", "tricked", "sent", "recruited", "trafficked", "deployed", "promised jobs to", "detained"]
_OTHER = [
    "Central bank raises interest rates",
    "Floods hit northern provinces",
    "Election results delayed",
    "New metro line opens",
    "Football club signs striker",
    "Wheat harvest beats forecasts",
    "Parliament debates budget",
    "Heatwave breaks records",
    "Ministers meet on trade deal",
]


_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ten",
    "var",
    "su",
    "ro",
    "del",
    "an",
    "tri",
    "po",
    "zen",
    "ul",
    "bra",
    "ie",
    "gos",
]
_VOCABULARY = [a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in _SYLLABLES][:3000]
_NAMES = [(a + b).capitalize() for a in _SYLLABLES for b in _SYLLABLES]


_ZIPF = list(itertools.accumulate(1 / rank for rank in range(1, len(_VOCABULARY) + 1)))


def _words(rng: random.Random, count: int) -> str:
    """Zipf-distributed draws from a 3 000-word vocabulary: everyday news is varied, with common words."""
    return " ".join(rng.choices(_VOCABULARY, cum_weights=_ZIPF, k=count))


def _story(rng: random.Random, index: int) -> tuple[str, str]:
    """A title and summary: one story in five is about recruitment for war, the rest general news."""
    country = rng.choice(_COUNTRIES)
    place, person = rng.choice(_NAMES), rng.choice(_NAMES)
    if index % 5:
        title = f"{rng.choice(_OTHER)} in {place}: {_words(rng, 5)}"
        summary = f"{person} said in {place}, {country}, that {_words(rng, 25)}. {_words(rng, 15)}."
        return title, summary
    count = rng.randint(2, 400)
    actor, verb = rng.choice(_ACTORS), rng.choice(_VERBS)
    title = f"{count} men from {place}, {country} {verb} to fight in Ukraine by {actor}"
    summary = (
        f"Families in {place} say {actor} {verb} {count} men who were promised work abroad, "
        f"according to {person}. Relatives said the men were sent to the front line after brief "
        f"training; {_words(rng, 12)}."
    )
    return title, summary


class FeedCatalogue:
    """Deterministic feed documents, rendered once per (feed, generation) and cached."""

    def __init__(
        self,
        feeds: int,
        *,
        base_url: str,
        seed: int = 0,
        epoch: datetime | None = None,
        items_per_feed: int = ITEMS_PER_FEED,
    ) -> None:
        self.feeds = feeds
        self.items_per_feed = items_per_feed
        self.base_url = base_url
        self.seed = seed
        # Items are dated from a day ago, so retention never takes them for old news.
        self.epoch = epoch or datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=1)
        self.generation = 0
        self._cache: dict[int, tuple[bytes, str]] = {}

    def bump(self) -> None:
        """Publish new items in every feed (changes every ETag)."""
        self.generation += 1
        self._cache.clear()

    def document(self, feed: int) -> tuple[bytes, str]:
        """(body, etag) of one feed."""
        cached = self._cache.get(feed)
        if cached is None:
            body = self._render(feed)
            cached = self._cache[feed] = (body, '"' + hashlib.sha1(body).hexdigest()[:20] + '"')
        return cached

    def _render(self, feed: int) -> bytes:
        now = self.epoch + timedelta(hours=self.generation)
        items = []
        for slot in range(self.items_per_feed):
            serial = self.generation * self.items_per_feed + slot
            shared = serial % _SHARED_EVERY == 0
            key = serial if shared else (feed * 1_000_003 + serial)
            title, summary = _story(random.Random(f"{self.seed}:{key}"), key)
            link = f"https://news{0 if shared else feed % 97}.example/story/{key}?utm_source=feed{feed}"
            items.append(
                f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
                f'<guid isPermaLink="false">story-{key}</guid>'
                f"<pubDate>{format_datetime(now - timedelta(minutes=slot * 7))}</pubDate>"
                f"<description>{escape('<p>' + summary + '</p>')}</description></item>"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Load feed {feed}</title><link>{self.base_url}/</link><ttl>10</ttl>"
            f"<description>Synthetic feed {feed}</description>{''.join(items)}</channel></rss>"
        ).encode()


class FeedServer:
    """The catalogue served over HTTP/1.1 from a background thread."""

    def __init__(
        self,
        feeds: int,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int = 0,
        items_per_feed: int = ITEMS_PER_FEED,
    ) -> None:
        self._host, self._port = host, port
        self.catalogue = FeedCatalogue(
            feeds, base_url=f"http://{host}", seed=seed, items_per_feed=items_per_feed
        )
        self.requests = 0
        self.not_modified = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    @property
    def base_url(self) -> str:
        return f"http://{self._host}:{self._port}"

    def feed_urls(self) -> list[str]:
        return [f"{self.base_url}/feed/{i}.xml" for i in range(self.catalogue.feeds)]

    def bump(self) -> None:
        """Publish new items (thread-safe: runs on the server's loop)."""
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self.catalogue.bump)

    def start(self) -> FeedServer:
        self._thread = threading.Thread(target=self._run, name="feedserver", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("feed server did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._server is not None:
            self._loop.call_soon_threadsafe(self._server.close)
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _run(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._server = await asyncio.start_server(self._handle, self._host, self._port, backlog=4096)
        self._port = self._server.sockets[0].getsockname()[1]
        self.catalogue.base_url = self.base_url
        self._ready.set()
        with contextlib.suppress(asyncio.CancelledError):
            await self._server.serve_forever()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                keep_alive = self._respond(head, writer)
                await writer.drain()
                if not keep_alive:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    def _respond(self, head: bytes, writer: asyncio.StreamWriter) -> bool:
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        self.requests += 1
        path = parts[1] if len(parts) > 1 else "/"
        status, body, extra = self._route(path, headers.get("if-none-match"))
        keep_alive = headers.get("connection", "").lower() != "close"
        head_lines = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", *extra]
        head_lines.append("Connection: keep-alive" if keep_alive else "Connection: close")
        writer.write(("\r\n".join(head_lines) + "\r\n\r\n").encode() + body)
        return keep_alive

    def _route(self, path: str, if_none_match: str | None) -> tuple[str, bytes, list[str]]:
        name = path.split("?", 1)[0]
        if not (name.startswith("/feed/") and name.endswith(".xml") and name[6:-4].isdigit()):
            return "404 Not Found", b"not found", []
        feed = int(name[6:-4])
        if feed >= self.catalogue.feeds:
            return "404 Not Found", b"not found", []
        body, etag = self.catalogue.document(feed)
        if if_none_match == etag:
            self.not_modified += 1
            return "304 Not Modified", b"", [f"ETag: {etag}"]
        return "200 OK", body, ["Content-Type: application/rss+xml; charset=utf-8", f"ETag: {etag}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    server = FeedServer(args.feeds, host=args.host, port=args.port).start()
    print(f"serving {args.feeds} feeds at {server.base_url}/feed/{{0..{args.feeds - 1}}}.xml", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
