"""Scale-out on PostgreSQL: one poller and 1, then 2, classifier worker processes, end to end.

    .venv/bin/python benchmarks/scale.py --feeds 5000 --items 4   # the issue's size, about 20 000 stories
    .venv/bin/python benchmarks/scale.py --feeds 5000             # 20 items each: about 90 000 stories, hours
    .venv/bin/python benchmarks/scale.py --feeds 300              # a few minutes

For each configuration: a fresh schema, N loopback feeds × ``--items`` items, `warwatch run --role poller` and
the classifier workers as processes; the clock runs from their start until every stored story is
classified. Prints stories/s end to end, the speed-up of 2 workers over 1 (same run), and the
queue latency of the classify jobs (deferred → started, from procrastinate's event table).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from feedserver import FeedServer
from pgschema import temporary_schema
from sqlalchemy import func, select

from storage.feeds import add_feed
from storage.models import Story
from storage.states import StoryState
from warwatch.config import Settings
from warwatch.metrics import latency_quantiles
from warwatch.startup import open_database

ROOT = Path(__file__).resolve().parents[1]
QUEUE_LATENCY_SQL = """
SELECT extract(epoch FROM started.at - deferred.at)
FROM procrastinate_jobs jobs
JOIN procrastinate_events deferred ON deferred.job_id = jobs.id AND deferred.type = 'deferred'
JOIN procrastinate_events started ON started.job_id = jobs.id AND started.type = 'started'
WHERE jobs.task_name = 'warwatch:classify_stories'
"""


def worker(role: str, url: str, threads: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "WARWATCH_DATABASE__URL": url,
        "WARWATCH_POLLER__ALLOW_PRIVATE_ADDRESSES": "true",
        "WARWATCH_CLASSIFIER__THREADS": str(threads),
        "WARWATCH_LOGGING__LEVEL": "WARNING",
        "WARWATCH_SOURCES__SEED_DEFAULT_PACKS": "false",  # the benchmark's own feeds only
    }
    return subprocess.Popen([sys.executable, "-m", "warwatch", "run", "--role", role], cwd=ROOT, env=env)


def run(base_url: str, feeds: int, items: int, classifiers: int, timeout: float) -> dict[str, float]:
    # With one worker torch may use both cores; with two, one thread each (2 cores here).
    threads = 0 if classifiers == 1 else 1
    with (
        temporary_schema(base_url, prefix="scale") as url,
        FeedServer(feeds=feeds, items_per_feed=items) as server,
    ):
        database = open_database(Settings(database={"url": url}, sources={"seed_default_packs": False}))
        with database.session() as session:
            for feed_url in server.feed_urls():
                add_feed(session, feed_url)
        processes = [worker("poller", url, 1)] + [
            worker("classifier", url, threads) for _ in range(classifiers)
        ]
        started = time.perf_counter()
        try:
            while True:
                with database.session() as session:
                    stored = session.scalar(select(func.count(Story.id))) or 0
                    pending = session.scalar(
                        select(func.count(Story.id)).where(Story.state == StoryState.PENDING)
                    )
                polled_all = server.requests >= feeds
                if polled_all and stored and not pending:
                    break
                if time.perf_counter() - started > timeout:
                    raise SystemExit(
                        f"error: not done after {timeout:.0f} s ({stored} stored, {pending} pending)"
                    )
                time.sleep(0.5)
            elapsed = time.perf_counter() - started
            with database.engine.connect() as connection:
                latencies = [float(row[0]) for row in connection.exec_driver_sql(QUEUE_LATENCY_SQL)]
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait(timeout=60)
            database.dispose()
    quantiles = latency_quantiles(latencies)
    return {
        "stories": stored,
        "seconds": elapsed,
        "stories_per_second": stored / elapsed,
        "queue_p50_s": quantiles.get("0.5", float("nan")),
        "queue_p95_s": quantiles.get("0.95", float("nan")),
        "classify_jobs": len(latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=5000)
    parser.add_argument("--items", type=int, default=20, help="items per feed")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument(
        "--timeout", type=float, default=3600.0, help="give up on one configuration after this"
    )
    args = parser.parse_args()
    results = {n: run(args.database_url, args.feeds, args.items, n, args.timeout) for n in (1, 2)}
    for n, result in results.items():
        print(
            f"classifiers={n} feeds={args.feeds} items={args.items} stories={result['stories']:.0f} "
            f"seconds={result['seconds']:.1f} stories_per_second={result['stories_per_second']:.1f} "
            f"queue_latency_s p50={result['queue_p50_s']:.2f} p95={result['queue_p95_s']:.2f} "
            f"classify_jobs={result['classify_jobs']:.0f}"
        )
    print(f"speedup_2_vs_1={results[2]['stories_per_second'] / results[1]['stories_per_second']:.2f}")


if __name__ == "__main__":
    main()
