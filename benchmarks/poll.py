"""Poll cycle at scale: N loopback feeds × 20 items through fetch, parse, dedup, cluster and store.

    python benchmarks/poll.py                 # N=1000, SQLite in a temporary folder
    python benchmarks/poll.py --feeds 200     # a quick run

The feed server runs as a separate process (benchmarks/feedserver.py), so its CPU and memory are not
counted. All feeds live on one loopback host standing in for N hosts, so the per-host limit is raised
to the global one. Classification is excluded. In one run, on the same documents:

* ``feedparser_only_seconds``: feedparser alone (as ``feeds.parse`` calls it) on every body the cold
  cycle will fetch, one after the other on one core: the floor our own work is compared with;
* the cold cycle (every feed new) and the warm cycle (every feed answers 304), with their ratios;
* where the cold cycle's time went, per stage (``feeds.timing``; stages run in parallel, in the parse
  workers and the store thread, so their sum exceeds the wall time): fetch is the event loop thread's
  CPU time (HTTP, scheduling, results coming back from the workers);
* CPU seconds of this process and of the parse workers, and the cores they kept busy;
* stories stored against the distinct items served (by guid), and the duplicates among the stored;
* peak RSS of this process and of the parse worker processes.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).parent
STAGES = ("fetch", "parse", "clean", "language", "dedup", "cluster", "insert")


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


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Interrupt the feed server, and kill it if it has not stopped within 10 s: with thousands of
    connections it can take longer to close them, and the figures must still be printed."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def workers_peak_rss_mb() -> float:
    """Peak RSS (VmHWM) of this process's multiprocessing children: the parse workers."""
    total_kb = 0
    for child in multiprocessing.active_children():
        status = Path(f"/proc/{child.pid}/status").read_text(encoding="ascii")
        total_kb += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
    return total_kb / 1024


def workers_cpu_seconds() -> float:
    """User plus system CPU time of the parse workers alive now."""
    ticks = 0
    for child in multiprocessing.active_children():
        fields = Path(f"/proc/{child.pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return ticks / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class FeedparserBaseline:
    seconds: float
    entries: int
    distinct_items: int


def feedparser_only(urls: list[str]) -> FeedparserBaseline:
    """feedparser on every feed body the cold cycle fetches, one at a time on one core; each body is
    fetched, parsed and dropped (only the parse is timed), so this adds no memory to the peak."""
    import httpx

    from feeds.parse import read_document

    seconds, entries, guids = 0.0, 0, set()
    with httpx.Client(trust_env=False) as client:
        for url in urls:
            response = client.get(url)
            response.raise_for_status()
            started = time.perf_counter()
            document = read_document(
                response.content, url=url, content_type=response.headers.get("content-type")
            )
            seconds += time.perf_counter() - started
            entries += len(document.entries)
            guids.update(entry.get("id") for entry in document.entries)
    return FeedparserBaseline(seconds, entries, len(guids))


async def measure(feeds: int, concurrency: int, parse_processes: int | None, folder: Path) -> None:
    # Imported here: spawned parse workers re-import this script as their main module, and should
    # load only what parsing needs, as they do under `warwatch run`.
    from sqlalchemy import func, select

    from feeds import timing
    from feeds.fetch import make_client
    from storage.feeds import add_feed
    from storage.models import Story
    from warwatch.config import Settings
    from warwatch.polling import FeedPoller
    from warwatch.startup import open_database

    port = free_port()
    server = start_server(feeds, port)
    try:
        urls = [f"http://127.0.0.1:{port}/feed/{i}.xml" for i in range(feeds)]
        baseline = feedparser_only(urls)
        poller_settings: dict[str, object] = {
            "allow_private_addresses": True,
            "global_concurrency": concurrency,
            "per_host_concurrency": concurrency,
        }
        if parse_processes is not None:
            poller_settings["parse_processes"] = parse_processes
        settings = Settings(
            database={"url": f"sqlite:///{folder / 'poll.db'}"},
            sources={"seed_default_packs": False},  # the benchmark's own feeds only, never real outlets
            service={"feeds_per_cycle": feeds},  # every feed in the one cold cycle
            poller=poller_settings,
        )
        database = open_database(settings)
        with database.session() as session:
            for url in urls:
                add_feed(session, url)
        with FeedPoller(settings, database) as poller:
            async with make_client(settings.poller) as client:
                timing.drain()
                own_cpu, loop_cpu = own_cpu_seconds(), time.thread_time()
                began = time.perf_counter()
                cold = await poller.poll_due(client)
                cold_seconds = time.perf_counter() - began
                loop_cpu, own_cpu = time.thread_time() - loop_cpu, own_cpu_seconds() - own_cpu
                stages = {"fetch": loop_cpu, **timing.drain()}
                workers_cpu, workers = workers_cpu_seconds(), len(multiprocessing.active_children())
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
        stop_server(server)
    print(
        f"feeds={feeds} items_per_feed=20 concurrency={concurrency} "
        f"parse_processes={settings.poller.parse_processes} parse_workers={settings.poller.parse_workers} "
        f"cpus={len(os.sched_getaffinity(0))} "
        f"database=sqlite classification=excluded"
    )
    print(
        f"feedparser_only_seconds={baseline.seconds:.1f} entries={baseline.entries} "
        f"distinct_items_served={baseline.distinct_items}"
    )
    print(
        f"cold_cycle_seconds={cold_seconds:.1f} "
        f"ratio_to_feedparser_only={cold_seconds / baseline.seconds:.2f} "
        f"feeds_polled={cold.feeds_polled} failed={cold.feeds_failed} entries={cold.entries_seen} "
        f"stories_new={cold.stories_new}"
    )
    print(
        f"warm_cycle_seconds={warm_seconds:.1f} ratio_to_cold={warm_seconds / cold_seconds:.2f} "
        f"not_modified={warm.not_modified}/{warm.feeds_polled} stories_new={warm.stories_new}"
    )
    staged = sum(stages.values())
    for stage in STAGES:
        seconds = stages.get(stage, 0.0)
        print(f"cold_stage={stage} seconds={seconds:.2f} share={seconds / staged:.0%}")
    print(
        f"cold_cpu_seconds main={own_cpu:.1f} parse_workers={workers_cpu:.1f} ({workers} processes) "
        f"cores_busy={(own_cpu + workers_cpu) / cold_seconds:.2f}"
    )
    print(
        f"stories_stored={stored} distinct_items_served={baseline.distinct_items} "
        f"duplicate_urls={stored - distinct_urls} duplicate_hashes={stored - distinct_hashes} "
        f"clusters={clusters}"
    )
    print(
        f"peak_rss_mb={peak_rss_mb():.0f} parse_workers_peak_rss_mb={workers_rss:.0f} "
        f"sum={peak_rss_mb() + workers_rss:.0f}"
    )
    if not stored:
        raise SystemExit("error: no story was stored, so the cold cycle measured no storing")
    if stored != baseline.distinct_items:
        raise SystemExit(f"error: {stored} stories stored, {baseline.distinct_items} distinct items served")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument(
        "--parse-processes", type=int, default=None, help="poller.parse_processes (default: the setting's)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(measure(args.feeds, args.concurrency, args.parse_processes, Path(folder)))


if __name__ == "__main__":
    main()
