"""The Prometheus endpoint: pipeline counters, and database gauges read at scrape time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from prometheus_client import REGISTRY

from storage.db import Database
from storage.outbox import due_alerts, mark_sent
from storage.stories import insert_stories
from storage.subscribers import set_console_subscriber
from tests.storage.factories import Entry, FakeVerdict
from warwatch.metrics import MetricsServer, latency_quantiles, serve_metrics
from warwatch.pipeline import Classification


@pytest.fixture
def metrics_server(database: Database) -> Iterator[MetricsServer]:
    server = serve_metrics(database, "127.0.0.1", 0)
    yield server
    server.close()


def scrape(server: MetricsServer) -> dict[str, float]:
    body = httpx.get(f"http://127.0.0.1:{server.port}/metrics", timeout=5).text
    samples = {}
    for line in body.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = float(value)
    return samples


def test_counters_and_gauges_follow_the_pipeline(database: Database, metrics_server: MetricsServer) -> None:
    before = REGISTRY.get_sample_value("warwatch_stories_classified_total") or 0.0
    now = datetime.now(UTC)
    with database.session() as session:
        set_console_subscriber(session, active=True)
        insert_stories(
            session,
            None,
            [
                Entry("Mercenaries recruited abroad", published_at=now),
                Entry("Markets rally", published_at=now),
            ],
        )
    assert scrape(metrics_server)["warwatch_stories_pending"] == 2

    def classify(texts):
        return [
            FakeVerdict(0.9 if "Mercenaries" in t.title else 0.1, "Mercenaries" in t.title) for t in texts
        ]

    report = Classification(database, classify, batch_size=10).run_pending()
    assert (report.classified, report.flagged, report.alerts_queued) == (2, 1, 1)
    samples = scrape(metrics_server)
    assert samples["warwatch_stories_classified_total"] - before == 2
    assert samples["warwatch_stories_pending"] == 0
    assert samples['warwatch_alerts{status="pending"}'] == 1
    assert samples["warwatch_classify_batch_seconds_count"] >= 1
    assert 'warwatch_alert_latency_seconds{quantile="0.95"}' not in samples  # nothing sent yet

    with database.session() as session:
        [job] = [item.job for item in due_alerts(session, now, 10)]
        mark_sent(session, job.alert_id, message_id=1, sent_at=datetime.now(UTC) + timedelta(seconds=3))
    samples = scrape(metrics_server)
    assert samples['warwatch_alerts{status="sent"}'] == 1
    assert 3 <= samples['warwatch_alert_latency_seconds{quantile="0.95"}'] < 60


def test_a_second_server_on_a_taken_port_fails_cleanly(
    database: Database, metrics_server: MetricsServer
) -> None:
    with pytest.raises(OSError):
        serve_metrics(database, "127.0.0.1", metrics_server.port)
    assert scrape(metrics_server)["warwatch_stories_pending"] == 0  # the first one still answers


def test_latency_quantiles() -> None:
    assert latency_quantiles([]) == {}
    assert latency_quantiles([4.0]) == {"0.5": 4.0, "0.95": 4.0}
    quantiles = latency_quantiles([float(i) for i in range(1, 101)])
    assert quantiles["0.5"] == 50.5 and 94 <= quantiles["0.95"] <= 96
