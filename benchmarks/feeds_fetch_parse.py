"""Fetch+parse only (no storage): where a poll cycle's time and memory go.

.venv/bin/python benchmarks/feeds_fetch_parse.py --feeds 1000
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from feedserver import FeedServer

from feeds.fetch import make_client
from feeds.parse import parse_feed
from feeds.poller import poll_feeds
from feeds.settings import PollerSettings
from feeds.types import PollOutcome, PollTarget
from textkit.language import LanguageDetector


async def run_cycle(
    settings: PollerSettings, feeds: list[PollTarget], detector: LanguageDetector
) -> tuple[float, list[PollOutcome]]:
    """Wall time and outcomes of one poll_feeds cycle."""
    started = time.perf_counter()
    async with make_client(settings) as client:
        outcomes = [outcome async for outcome in poll_feeds(client, feeds, settings, detector=detector)]
    return time.perf_counter() - started, outcomes


def time_parse_alone(body: bytes, settings: PollerSettings, detector: LanguageDetector, rounds: int) -> float:
    """Seconds to parse one feed document, without any I/O."""
    started = time.perf_counter()
    for _ in range(rounds):
        parse_feed(
            body,
            url="http://127.0.0.1/feed.xml",
            content_type="application/rss+xml",
            fetched_at=datetime.now(UTC),
            settings=settings,
            detector=detector,
        )
    return (time.perf_counter() - started) / rounds


async def measure(count: int) -> None:
    settings = PollerSettings(allow_private_addresses=True, global_concurrency=64, per_host_concurrency=64)
    detector = LanguageDetector()
    detector.detect("warm up the language model before timing anything")
    with FeedServer(feeds=count) as server:
        feeds = [PollTarget(id=i, url=url) for i, url in enumerate(server.feed_urls())]
        cold, outcomes = await run_cycle(settings, feeds, detector)
        errors = sum(outcome.error_kind is not None for outcome in outcomes)
        entries = sum(len(outcome.entries) for outcome in outcomes)
        print(f"cold cycle: {count} feeds, {entries} entries, {errors} errors, {cold:.2f}s")
        warm_feeds = [PollTarget(id=o.feed_id, url=feeds[o.feed_id].url, etag=o.etag) for o in outcomes]
        warm, warm_outcomes = await run_cycle(settings, warm_feeds, detector)
        not_modified = sum(outcome.result.not_modified for outcome in warm_outcomes)
        print(f"warm cycle: {not_modified}/{count} not modified, {warm:.2f}s")
        body, _ = server.catalogue.document(0)
    per_feed = time_parse_alone(body, settings, detector, rounds=100)
    print(
        f"parse alone: {per_feed * 1000:.1f} ms per 20-item feed → {per_feed * count:.1f}s CPU per cold cycle"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS (whole process, server thread included): {peak:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    asyncio.run(measure(parser.parse_args().feeds))


if __name__ == "__main__":
    main()
