"""Archive throughput: capturing N article pages from a loopback server, then re-checking them.

    .venv/bin/python benchmarks/archive_capture.py                 # 1 000 pages
    .venv/bin/python benchmarks/archive_capture.py --pages 200

A raw asyncio HTTP/1.1 server on 127.0.0.1 serves N distinct news pages (about 60 kB of HTML each:
head metadata, inline script and style, navigation, 10–16 paragraphs, footer), gzip-compressed as
most sites send them. N flagged stories point at them in a temporary SQLite database; the service's archive
(`warwatch.archiving.ArchiveService`, default settings, the poller's fetcher and limits) runs
cycles until nothing is due: each page fetched, its text extracted (trafilatura), a WARC file
written and fsynced, a row recorded. Then every archive is made due again and re-checked (same
pages: text unchanged, so no new file). Prints pages/s for both, and disk bytes per page
(the WARC files on disk, gzip per record) against the bytes of HTML served.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import random
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import update  # noqa: E402

from archive.settings import ArchiveSettings  # noqa: E402
from feeds.fetch import make_client  # noqa: E402
from feeds.settings import PollerSettings  # noqa: E402
from storage.archive import queue_archives  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import StoryArchive  # noqa: E402
from storage.stories import insert_stories  # noqa: E402
from warwatch.archiving import make_archive_service  # noqa: E402
from warwatch.logs import configure_logging  # noqa: E402

WORDS = (
    "recruiters promised men from Nepal India Kenya Cuba jobs as guards cooks drivers in Russia on arrival "
    "they were given uniforms contracts in Russian and sent to the front near Bakhmut Avdiivka families "
    "say embassy officials the ministry police arrested agents who charged fees of thousands of dollars "
    "survivors described training of two weeks before deployment several were killed wounded captured"
).split()


def page(number: int, rng: random.Random) -> bytes:
    """One news page: distinct text, the boilerplate every site wraps it in."""
    nav = "".join(f"<li><a href='/section/{i}'>Section {i}</a></li>" for i in range(60))
    paragraphs = "".join(
        "<p>" + " ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 110))) + f" (report {number}).</p>"
        for _ in range(rng.randint(10, 16))
    )
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Story {number}</title>"
        "<meta name='author' content='Staff Reporter'><meta property='og:site_name' content='Loopback News'>"
        f"<script>window.analytics={{id:{number}}};{'track(event, {page: 1});' * 1500}</script>"
        f"<style>{'.x{color:red}' * 600}</style></head>"
        f"<body><header><nav><ul>{nav}</ul></nav></header><main><article><h1>Story {number}</h1>"
        f"{paragraphs}</article></main><footer>{'<a href=/about>About</a> ' * 40}</footer></body></html>"
    ).encode()


class PageServer:
    """Serves ``/page/{i}`` from memory over keep-alive HTTP/1.1, in a thread of its own."""

    def __init__(self, pages: list[bytes]) -> None:
        self.pages = [gzip.compress(body) for body in pages]
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PageServer:
        self._thread.start()
        self._ready.wait()
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while request := await reader.readuntil(b"\r\n\r\n"):
                path = request.split(b" ", 2)[1].decode()
                number = int(path.rsplit("/", 1)[-1])
                body = self.pages[number]
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


async def run_until_idle(service: object) -> tuple[int, float]:
    looks, started = 0, time.perf_counter()
    while outcomes := await service.run_due():  # type: ignore[attr-defined]
        looks += sum(outcomes.values())
    return looks, time.perf_counter() - started


async def main(count: int) -> None:
    configure_logging("WARNING", "console")  # one line per page would cost more than it tells
    rng = random.Random(15)
    pages = [page(number, rng) for number in range(count)]
    html_bytes = sum(len(body) for body in pages)
    with tempfile.TemporaryDirectory() as folder, PageServer(pages) as server:
        database = Database(f"sqlite:///{folder}/bench.db")
        upgrade(database)
        from tests.storage.factories import Entry

        base = f"http://127.0.0.1:{server.port}/page"
        with database.session() as session:
            stories = insert_stories(
                session, None, [Entry(f"Story {n}", url=f"{base}/{n}") for n in range(count)]
            )
            queue_archives(session, [story.id for story in stories], now=datetime.now(UTC))
        poller = PollerSettings(allow_private_addresses=True)
        settings = ArchiveSettings(directory=Path(folder) / "archive")
        async with make_client(poller) as client:
            service = make_archive_service(settings, database, client, poller)
            captured, capture_seconds = await run_until_idle(service)
            with database.session() as session:
                session.execute(update(StoryArchive).values(next_check_at=datetime.now(UTC)))
            rechecked, recheck_seconds = await run_until_idle(service)
            files = list(service.store.files())
        disk = sum(path.stat().st_size for path in files)
        database.dispose()
    print(f"settings: {count} pages, archive defaults (pages_per_cycle {settings.pages_per_cycle}), poller")
    print(
        f"  defaults (global_concurrency {poller.global_concurrency}, per_host_concurrency "
        f"{poller.per_host_concurrency}: one loopback host), SQLite, gzip-served HTML"
    )
    print(f"capture:  {captured} pages in {capture_seconds:.1f} s = {captured / capture_seconds:.1f} pages/s")
    print(
        f"re-check: {rechecked} pages in {recheck_seconds:.1f} s = {rechecked / recheck_seconds:.1f} pages/s "
        "(text unchanged: no new file)"
    )
    print(
        f"disk:     {len(files)} WARC files, {disk / len(files):,.0f} bytes per page on disk "
        f"(HTML served: {html_bytes / count:,.0f} bytes per page decoded)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    asyncio.run(main(parser.parse_args().pages))
