"""OPML, language detection, article extraction, settings and the load-test server."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError
from pytest_httpserver import HTTPServer

from feeds.article import fetch_article, find_canonical_link
from feeds.opml import OpmlFeed, parse_opml, write_opml
from feeds.settings import PollerSettings
from feeds.types import FetchErrorKind
from tests.feeds.feeds_samples import ARTICLE, NOW
from textkit.language import LanguageDetector

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>Subscriptions</title></head><body>
  <outline text="Asia">
    <outline text="Kathmandu &amp; Co" type="rss" xmlUrl="https://kathmandu-daily.example/rss"/>
    <outline text="Nested">
      <outline text="Wire" type="rss" xmlUrl="https://wire.example/atom?lang=en&amp;x=1"/>
    </outline>
  </outline>
  <outline text="Duplicate" type="rss" xmlUrl="https://kathmandu-daily.example/rss"/>
  <outline text="Script" type="rss" xmlUrl="javascript:alert(1)"/>
  <outline text="Metadata" type="rss" xmlUrl="http://169.254.169.254/latest"/>
</body></opml>
"""


def test_opml_import_keeps_nested_feeds_and_reports_bad_ones() -> None:
    result = parse_opml(OPML)
    assert result.feeds == (
        OpmlFeed("https://kathmandu-daily.example/rss", "Kathmandu & Co"),
        OpmlFeed("https://wire.example/atom?lang=en&x=1", "Wire"),
    )
    assert len(result.problems) == 2
    assert any("javascript" in error for error in result.problems)
    assert any("169.254.169.254" in error for error in result.problems)


def test_opml_import_of_garbage_is_an_error_not_an_exception() -> None:
    result = parse_opml(b"<<<not xml")
    assert result.feeds == ()


def test_opml_export_escapes_and_round_trips() -> None:
    feeds = (
        OpmlFeed("https://a.example/rss?x=1&y=2", 'Tom & Jerry\'s "News" <daily>'),
        OpmlFeed("https://b.example/feed", None),
    )
    document = write_opml(feeds, title="Mine & yours", now=NOW)
    assert document.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    assert "<title>Mine &amp; yours</title>" in document and "Sat, 01 Mar 2025 12:00:00 GMT" in document
    assert parse_opml(document.encode()).feeds == (
        feeds[0],
        OpmlFeed("https://b.example/feed", None),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia recruits men from Nepal with promises of jobs, families say", "en"),
        ("Россия вербует мигрантов на войну, обещая работу", "ru"),
        ("Росія вербує мігрантів на війну, обіцяючи роботу", "uk"),
        ("Francia investiga el reclutamiento de mercenarios para la guerra", "es"),
        # In capitals the model alone reads German and Portuguese: such a line is lowercased first.
        ("RUSSIA RECRUITS MEN FROM NEPAL WITH PROMISES OF JOBS, FAMILIES SAY", "en"),
        ("FRANCIA INVESTIGA EL RECLUTAMIENTO DE MERCENARIOS PARA LA GUERRA", "es"),
        ("Kiev", None),
        ("", None),
        ("12 345 !!!", None),
    ],
)
def test_language_detection(detector: LanguageDetector, text: str, expected: str | None) -> None:
    assert detector.detect(text) == expected


async def test_fetch_article_extracts_text_and_canonical_url(
    feed_server: HTTPServer, client: httpx.AsyncClient, settings: PollerSettings
) -> None:
    feed_server.expect_request("/story").respond_with_data(ARTICLE, content_type="text/html; charset=utf-8")
    article = await fetch_article(client, feed_server.url_for("/story?utm_medium=rss"), settings)
    assert (
        article.text is not None and "12 have been killed" in article.text and "Copyright" not in article.text
    )
    assert article.canonical_url == f"https://127.0.0.1:{feed_server.port}/news/nepal-russia"


async def test_fetch_article_failure_is_a_value(client: httpx.AsyncClient, settings: PollerSettings) -> None:
    article = await fetch_article(client, "http://127.0.0.1:1/story", settings)
    assert article.result.error_kind is FetchErrorKind.CONNECT and article.text is None


def test_canonical_link_must_be_web_url() -> None:
    assert (
        find_canonical_link('<head><link rel="canonical" href="javascript:x"></head>', "https://a.example/")
        is None
    )
    assert find_canonical_link("<head></head><link rel=canonical href=/late>", "https://a.example/") is None


def test_settings_defaults_descriptions_and_validation() -> None:
    settings = PollerSettings()
    assert settings.default_interval_seconds == 600 and settings.max_response_bytes == 5_000_000
    assert settings.allow_private_addresses is False and settings.fetch_full_text is False
    assert settings.cluster_window_hours == 72
    for name, field in PollerSettings.model_fields.items():
        assert field.description, name
    with pytest.raises(ValidationError):
        PollerSettings(unknown_key=1)
    with pytest.raises(ValidationError):
        PollerSettings(global_concurrency=0)
    with pytest.raises(ValidationError):
        PollerSettings(min_interval_seconds=900, default_interval_seconds=600)


def test_parse_processes_default_to_one_per_usable_core() -> None:
    assert PollerSettings().parse_processes == "auto"
    assert PollerSettings().parse_workers == min(16, len(os.sched_getaffinity(0)))
    assert PollerSettings(parse_processes=0).parse_workers == 0
    assert PollerSettings.model_validate({"parse_processes": "3"}).parse_workers == 3  # from the environment
    for wrong in (-1, 17, "many"):
        with pytest.raises(ValidationError):
            PollerSettings(parse_processes=wrong)


def _load_feedserver():
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "feedserver.py"
    spec = importlib.util.spec_from_file_location("warwatch_benchmark_feedserver", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


async def test_load_test_server_serves_distinct_feeds_with_etags() -> None:
    feedserver = _load_feedserver()
    with feedserver.FeedServer(feeds=3) as server:
        async with httpx.AsyncClient() as plain:
            first = await plain.get(server.feed_urls()[0])
            other = await plain.get(server.feed_urls()[1])
            cached = await plain.get(server.feed_urls()[0], headers={"If-None-Match": first.headers["etag"]})
            missing = await plain.get(f"{server.base_url}/feed/3.xml")
        assert first.status_code == 200 and first.text.count("<item>") == 20
        assert first.content != other.content
        assert cached.status_code == 304 and missing.status_code == 404
        assert server.not_modified == 1
    newest = max(parsedate_to_datetime(d) for d in re.findall(r"<pubDate>(.*?)</pubDate>", first.text))
    assert abs(datetime.now(UTC) - newest) < timedelta(days=2)  # fresh news: retention keeps it
