"""Prometheus metrics: counters and latencies of polling and classification, and the database's view
of the outbox and the alert latency, read at scrape time so every process reports the same numbers.

Counters live in prometheus_client's default registry, as its own docs do; they cost a few
nanoseconds each and are served only when ``metrics.port`` is set.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from storage.db import Database
from storage.status import recent_alert_latencies, service_status

if TYPE_CHECKING:
    from wsgiref.simple_server import WSGIServer

FEED_POLLS = Counter("warwatch_feed_polls", "Feed polls by outcome.", ["outcome"])
POLL_CYCLE_SECONDS = Histogram(
    "warwatch_poll_cycle_seconds",
    "Time to poll every due feed and store what is new.",
    buckets=(0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300),
)
STORIES_STORED = Counter("warwatch_stories_stored", "New stories stored (duplicates are not counted).")
STORIES_CLASSIFIED = Counter("warwatch_stories_classified", "Stories classified.")
STORIES_FLAGGED = Counter("warwatch_stories_flagged", "Stories the classifier flagged for an alert.")
ALERTS_QUEUED = Counter("warwatch_alerts_queued", "Alert rows written to the outbox.")
CLASSIFY_BATCH_SECONDS = Histogram(
    "warwatch_classify_batch_seconds",
    "Time to classify one batch of stories and store the verdicts and alerts.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60),
)
LATENCY_WINDOW = timedelta(hours=1)


@dataclass(eq=False)  # registries keep collectors in a dict: identity hashing
class DatabaseCollector(Collector):
    """The process's counters, then gauges read from the database at each scrape."""

    database: Database

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()
        now = datetime.now(UTC)
        with self.database.session() as session:
            status = service_status(session)
            latencies = recent_alert_latencies(session, now - LATENCY_WINDOW)
        feeds = GaugeMetricFamily("warwatch_feeds", "Feeds by status.", labels=["status"])
        for name, count in status.feeds.items():
            feeds.add_metric([name], count)
        yield feeds
        alerts = GaugeMetricFamily("warwatch_alerts", "Alert rows by status.", labels=["status"])
        for name, count in status.alerts.items():
            alerts.add_metric([name], count)
        yield alerts
        yield GaugeMetricFamily(
            "warwatch_stories_pending", "Stories waiting for the classifier.", value=status.stories_pending
        )
        yield GaugeMetricFamily("warwatch_subscribers", "Active subscribers.", value=status.subscribers)
        latency = GaugeMetricFamily(
            "warwatch_alert_latency_seconds",
            "From a story's first fetch to its alert's confirmed send, over the last hour.",
            labels=["quantile"],
        )
        for quantile, value in latency_quantiles(latencies).items():
            latency.add_metric([quantile], value)
        yield latency


def latency_quantiles(latencies: list[float]) -> dict[str, float]:
    """p50 and p95 (nearest-rank above 20 samples); nothing when there were no sends."""
    if not latencies:
        return {}
    if len(latencies) == 1:
        return {"0.5": latencies[0], "0.95": latencies[0]}
    cuts = statistics.quantiles(latencies, n=20, method="inclusive")
    return {"0.5": statistics.median(latencies), "0.95": cuts[18]}


@dataclass
class MetricsServer:
    """The /metrics endpoint on its own thread; ``close`` stops it and frees the port."""

    server: WSGIServer

    @property
    def port(self) -> int:
        return int(self.server.server_port)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve_metrics(database: Database, listen: str, port: int) -> MetricsServer:
    """Serve the counters and the database gauges at http://listen:port/metrics (port 0: any free one)."""
    registry = CollectorRegistry()
    registry.register(DatabaseCollector(database))
    server, _thread = start_http_server(port, addr=listen, registry=registry)
    return MetricsServer(server)
