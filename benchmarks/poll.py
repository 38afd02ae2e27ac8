"""Poll cycle at scale: N loopback feeds × 20 items through fetch, parse, dedup, cluster and store.

    python benchmarks/poll.py                 # N=1000, SQLite in a temporary folder
    python benchmarks/poll.py --feeds 200     # a quick run

The feed server runs as a separate process (benchmarks/feedserver.py), so its CPU and memory are not
counted. All feeds live on one loopback host standing in for N hosts, so the per-host limit is raised
to the global one. Classification is excluded. Prints cold cycle time (every feed new), warm cycle
time (every feed answers 304), stories stored, duplicates, and the peak RSS of this process and of the
parse worker process.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(feeds: int, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, str(HERE / "feedserver.py"), "--feeds", str(feeds), "--port", str(port)],
        stdout=subprocess.PIPE,
    )
    assert server.stdout is not None
    server.stdout.readline()  # "serving …" once it listens
    return server


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def workers_peak_rss_mb() -> float:
    """Peak RSS (VmHWM) of this process's multiprocessing children: the parse workers."""
    total_kb = 0
    for child in multiprocessing.active_children():
        status = Path(f"/proc/{child.pid}/status").read_text(encoding="ascii")
        total_kb += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
    return total_kb / 1024


async def measure(feeds: int, concurrency: int, folder: Path) -> None:
    # Imported here: spawned parse workers re-import this script as their main module, and should
    # load only what parsing needs, as they do under `warwatch run`.
    from sqlalchemy import func, select

    from feeds.fetch import make_client
    from storage.feeds import add_feed
    from storage.models import Story
    from warwatch.config import Settings
    from warwatch.polling import FeedPoller
    from warwatch.startup import open_database

    port = free_port()
    server = start_server(feeds, port)
    try:
        settings = Settings(
            database={"url": f"sqlite:///{folder / 'poll.db'}"},
            sources={"seed_default_packs": False},  # the benchmark's own feeds only, never real outlets
            poller={
                "allow_private_addresses": True,
                "global_concurrency": concurrency,
                "per_host_concurrency": concurrency,
            },
        )
        database = open_database(settings)
        with database.session() as session:
            for i in range(feeds):
                add_feed(session, f"http://127.0.0.1:{port}/feed/{i}.xml")
        with FeedPoller(settings, database) as poller:
            async with make_client(settings.poller) as client:
                began = time.perf_counter()
                cold = await poller.poll_due(client)
                cold_seconds = time.perf_counter() - began
                began = time.perf_counter()
                warm = await poller.poll_due(client, now=datetime.now(UTC) + timedelta(days=2))
                warm_seconds = time.perf_counter() - began
            workers_rss = workers_peak_rss_mb()
        with database.session() as session:
            stored = session.scalar(select(func.count(Story.id))) or 0
            distinct_urls = session.scalar(select(func.count(func.distinct(Story.canonical_url)))) or 0
            distinct_hashes = session.scalar(select(func.count(func.distinct(Story.content_hash)))) or 0
            clusters = session.scalar(select(func.count(func.distinct(Story.cluster_id)))) or 0
        database.dispose()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(10)
    print(
        f"feeds={feeds} items_per_feed=20 concurrency={concurrency} database=sqlite classification=excluded"
    )
    print(
        f"cold_cycle_seconds={cold_seconds:.1f} feeds_polled={cold.feeds_polled} failed={cold.feeds_failed} "
        f"entries={cold.entries_seen} stories_new={cold.stories_new}"
    )
    print(
        f"warm_cycle_seconds={warm_seconds:.1f} not_modified={warm.not_modified}/{warm.feeds_polled} "
        f"stories_new={warm.stories_new}"
    )
    print(
        f"stories_stored={stored} duplicate_urls={stored - distinct_urls} "
        f"duplicate_hashes={stored - distinct_hashes} clusters={clusters}"
    )
    print(
        f"peak_rss_mb={peak_rss_mb():.0f} parse_workers_peak_rss_mb={workers_rss:.0f} "
        f"sum={peak_rss_mb() + workers_rss:.0f}"
    )
    if not stored:
        raise SystemExit("error: no story was stored, so the cold cycle measured no storing")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(measure(args.feeds, args.concurrency, Path(folder)))


if __name__ == "__main__":
    main()
