"""Search latency at scale: fill N synthetic stories, then time 50 varied queries.

    python benchmarks/search.py                    # 100 000 stories in a temporary SQLite file
    python benchmarks/search.py --n 1000000        # the issue's target size
    python benchmarks/search.py --database-url postgresql://postgres@127.0.0.1:5432/test --n 100000

Prints the settings, fill time, and p50/p95/max latency over all queries (each run 3 times).
On PostgreSQL the benchmark works in a schema of its own and drops it afterwards, unless
``--pg-schema NAME`` names one to keep (and to reuse when it already holds N stories), as
``--sqlite-file`` does for SQLite.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import re
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pgschema import temporary_schema
from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from storage.db import Database, normalise_database_url
from storage.migrate import upgrade
from storage.models import Story
from storage.search import search
from storage.stories import count_stories

TOPIC = (
    "recruited recruiters mercenaries mercenary foreign fighters army front Russia Ukraine Nepal India "
    "Kenya Cuba Iraq Syria Libya Sudan Colombia Wagner legion jobs lured trafficking war soldiers contract "
    "embassy families returned killed missing court sentenced network agents visa promised"
).split()
COMMON = (
    "the a of to in and for on with said says after over new government minister officials people year "
    "week report city country police state president million police market company people health school "
    "water power election vote price team game season film music weather storm rain heat court law bank "
    "oil gas trade deal talks leader party border village province capital region news today local world"
).split()
OTHER = (
    "наемники вербовка фронт армия مرتزقة تجنيد mercenarios reclutados guerra mercenaires recrutés".split()
)
RARE = [f"{syllable}{n}" for syllable in ("zorb", "quil", "vend", "marl", "tesk") for n in range(400)]

QUERIES = [
    "recruited",
    "mercenaries",
    "Nepal",
    "Nepali men recruited Russia",
    "Kenya front",
    "Wagner",
    "foreign fighters Syria",
    "Cuba recruiters court",
    "army",
    "the",
    "said",
    "people government",
    "India visa jobs",
    "legion",
    "lured jobs Russia army",
    "Sudan Colombia mercenaries",
    "наемники",
    "вербовка фронт",
    "مرتزقة",
    "mercenarios guerra",
    "recrutés",
    "zorb7",
    "quil123 vend5",
    "tesk399",
    "embassy families",
    "killed missing",
    "sentenced network",
    "trafficking war",
    "storm rain",
    "election vote",
    "oil gas trade",
    "bank market",
    "football season",
    "weather heat",
    "police court",
    '"quoted phrase"',
    "NEAR(a b)",
    "-minus",
    "star*",
    "'; DROP TABLE stories; --",
    "x" * 1000,
    "🪖 emoji",
    "a AND b OR c",
    "Iraq Libya",
    "promised contract",
    "missing soldiers",
    "president minister",
    "world news today",
    "nonexistentword",
    "returned killed front Ukraine",
]


def make_story(rng: random.Random, i: int, start: datetime) -> dict[str, object]:
    def words(n: int) -> str:
        pool = rng.choices((TOPIC, COMMON, OTHER, RARE), weights=(0.15, 0.75, 0.04, 0.06), k=n)
        return " ".join(rng.choice(group) for group in pool)

    title = words(rng.randint(6, 12)).capitalize()
    return {
        "feed_id": None,
        "guid": f"g{i}",
        "url": f"https://outlet{i % 500}.example/{i}",
        "canonical_url": f"https://outlet{i % 500}.example/{i}",
        "title": title,
        "summary": words(rng.randint(20, 45)) + ".",
        "language": "en",
        "outlet": f"outlet{i % 500}.example",
        "published_at": start + timedelta(seconds=i * 30),
        "fetched_at": start + timedelta(seconds=i * 30),
        "content_hash": f"{i:064x}",
        "state": "pending",
    }


def fill(database: Database, n: int, seed: int) -> float:
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    began = time.perf_counter()
    batch = 5000
    with database.engine.begin() as connection:
        for offset in range(0, n, batch):
            rows = [make_story(rng, i, start) for i in range(offset, min(n, offset + batch))]
            connection.execute(insert(Story), rows)
    with database.engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
    return time.perf_counter() - began


def time_queries(database: Database, repeats: int) -> dict[str, list[float]]:
    """Seconds per run of each query; every third query asks for a later page, every fifth has --since."""
    since = datetime(2025, 6, 1, tzinfo=UTC)
    latencies: dict[str, list[float]] = {query: [] for query in QUERIES}
    with database.session() as session:
        for _ in range(repeats):
            for number, query in enumerate(QUERIES):
                began = time.perf_counter()
                page = 10 * (number % 3)
                search(session, query, limit=10, offset=page, since=since if number % 5 == 0 else None)
                latencies[query].append(time.perf_counter() - began)
    return latencies


def schema_name(value: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", value):
        raise argparse.ArgumentTypeError("lower-case letters, digits and _ only")
    return value


def kept_schema(url: str, schema: str) -> str:
    """``url`` with its search_path set to ``schema``, created if missing and never dropped."""
    admin = create_engine(normalise_database_url(url))
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
    admin.dispose()
    return (
        make_url(normalise_database_url(url))
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100_000, help="stories to fill (default 100000)")
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--sqlite-file", type=Path, help="keep the SQLite file here; reuse it if already filled"
    )
    parser.add_argument(
        "--pg-schema",
        type=schema_name,
        help="PostgreSQL: keep the stories in this schema; reuse it if already filled",
    )
    parser.add_argument("--per-query", action="store_true", help="also print each query's median latency")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        url = args.database_url or f"sqlite:///{args.sqlite_file or Path(folder) / 'bench.db'}"
        if make_url(normalise_database_url(url)).get_backend_name() == "postgresql":
            url = (
                kept_schema(url, args.pg_schema)
                if args.pg_schema
                else stack.enter_context(temporary_schema(url))
            )
        database = Database(url)
        try:
            upgrade(database)
            with database.session() as session:
                reuse = count_stories(session) == args.n
            fill_seconds = 0.0 if reuse else fill(database, args.n, args.seed)
            time_queries(database, 1)  # warm the caches once
            latencies = time_queries(database, args.repeats)
        finally:
            database.dispose()
    ms = [value * 1000 for values in latencies.values() for value in values]
    print(f"database={database.dialect} stories={args.n} queries={len(QUERIES)} repeats={args.repeats}")
    if fill_seconds:
        print(f"fill_seconds={fill_seconds:.1f} ({args.n / fill_seconds:,.0f} stories/s)")
    if args.per_query:
        for query, values in sorted(latencies.items(), key=lambda item: -statistics.median(item[1])):
            print(f"  {statistics.median(values) * 1000:7.1f} ms  {query[:60]!r}")
    print(f"search_ms p50={percentile(ms, 50):.1f} p95={percentile(ms, 95):.1f} max={max(ms):.1f}")


if __name__ == "__main__":
    main()
