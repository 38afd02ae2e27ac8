"""Fan-out delivery: N subscribers × M flagged stories through the real bot against the fake Bot API.

    python benchmarks/fanout.py                                  # 10 000 subscribers, 50 alerts, 60 s cap
    python benchmarks/fanout.py --subscribers 300 --alerts 5     # a quick run that drains completely
    python benchmarks/fanout.py --seconds 0                      # no cap: drain everything (hours at 25/s)

At Telegram's ~30 messages/s, 10 000 × 50 = 500 000 messages take over 4 hours, so by default the run
stops after --seconds and reports what it measured, plus the time the whole fan-out would take.
Prints the settings, messages/s, the peak count in any 1-second window, the least spacing between two
messages to one chat, the outbox query time, and peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.app import build_application  # noqa: E402
from classifiers.types import Verdict  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Subscriber  # noqa: E402
from storage.outbox import due_alerts  # noqa: E402
from storage.stories import insert_stories  # noqa: E402
from storage.verdicts import record_verdicts  # noqa: E402
from tests.bot.doubles import keyword_classify  # noqa: E402
from tests.bot.fake_telegram import TOKEN, FakeTelegram  # noqa: E402
from tests.storage.factories import Entry  # noqa: E402
from warwatch.config import Settings  # noqa: E402
from warwatch.logs import configure_logging  # noqa: E402


def fill(database: Database, subscribers: int, alerts: int) -> float:
    """Subscribers, then each story's verdict (which queues one alert per subscriber); returns seconds."""
    started = time.perf_counter()
    with database.session() as session:
        rows = [
            {"chat_id": 10_000_000 + i, "chat_type": "private", "active": True} for i in range(subscribers)
        ]
        session.execute(insert(Subscriber), rows)
    for i in range(alerts):
        with database.session() as session:
            [story] = insert_stories(session, None, [Entry(f"Recruiters case {i}: men sent to the front")])
            record_verdicts(session, [(story.id, Verdict(0.9, True, {"summary": "benchmark"}, "bench", "1"))])
    return time.perf_counter() - started


def peak_per_second(times: list[float]) -> int:
    """The most messages inside any 1-second window (sliding, not aligned to clock seconds)."""
    peak, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        peak = max(peak, end - start + 1)
    return peak


def min_chat_spacing(calls: list[tuple[int, float]]) -> float | None:
    last: dict[int, float] = {}
    spacing: float | None = None
    for chat_id, at in calls:
        if chat_id in last:
            gap = at - last[chat_id]
            spacing = gap if spacing is None else min(spacing, gap)
        last[chat_id] = at
    return spacing


async def run(args: argparse.Namespace) -> None:
    configure_logging("WARNING")
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'fanout.db'}"
        database = Database(url)
        upgrade(database)
        fill_seconds = fill(database, args.subscribers, args.alerts)
        server = FakeTelegram()
        await server.start()
        settings = Settings(
            database={"url": url},
            telegram={"token": TOKEN, "api_base_url": server.base_url},
            delivery={
                "messages_per_second": args.rate,
                "per_chat_interval_seconds": args.per_chat_interval,
                "batch_size": args.batch_size,
                "concurrency": args.concurrency,
            },
        )
        print("settings:", settings.delivery.model_dump(), f"database={database.dialect}")
        print(f"filled {args.subscribers} subscribers × {args.alerts} alerts in {fill_seconds:.1f} s")
        with database.session() as session:
            query_started = time.perf_counter()
            due_alerts(session, datetime.now(UTC), limit=args.batch_size, per_chat=3)
            query_seconds = time.perf_counter() - query_started
        application = build_application(settings.for_bot(), database, keyword_classify)
        await application.initialize()
        deadline = time.monotonic() + args.seconds if args.seconds else float("inf")
        started = time.monotonic()
        sent = await application.bot_data.delivery.drain(application.bot, lambda: time.monotonic() > deadline)
        elapsed = time.monotonic() - started
        await application.shutdown()
        await server.stop()
        database.dispose()

    calls = [(call.chat_id or 0, call.at) for call in server.calls_to("sendMessage") if call.status == 200]
    times = sorted(at for _, at in calls)
    per_chat: dict[int, int] = defaultdict(int)
    for chat_id, _ in calls:
        per_chat[chat_id] += 1
    total = args.subscribers * args.alerts
    rate = len(times) / (times[-1] - times[0]) if len(times) > 1 else 0.0
    spacing = min_chat_spacing(sorted(calls, key=lambda c: c[1]))
    print(f"sent {sent} of {total} messages in {elapsed:.1f} s: {rate:.1f} messages/s")
    print(f"peak messages in any 1-second window: {peak_per_second(times)} (limit {args.rate:g})")
    shown = "n/a (one message per chat)" if spacing is None else f"{spacing:.3f} s"
    print(f"least spacing between two messages to one chat: {shown}")
    print(f"outbox query (batch of {args.batch_size} with {total} pending): {query_seconds * 1000:.0f} ms")
    print(f"duplicates: {sum(n - 1 for n in per_chat.values() if n > args.alerts)}")
    if rate:
        print(f"whole fan-out at this rate: {total / rate / 3600:.2f} h")
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--alerts", type=int, default=50, help="flagged stories, each fanned out to everyone")
    parser.add_argument("--seconds", type=float, default=60.0, help="stop sending after this long (0: never)")
    parser.add_argument("--rate", type=float, default=25.0, help="delivery.messages_per_second")
    parser.add_argument("--per-chat-interval", type=float, default=1.0)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
