"""poll_feeds end to end against the loopback server: outcomes, errors, schedules."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import random
import signal
import time
from datetime import timedelta

import httpx
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from classifiers.default_keywords import default_keywords
from classifiers.rules import compile_rules
from feeds import timing
from feeds.cluster import StoryClusterer
from feeds.parse_pool import ParsePool
from feeds.poller import poll_feed_batches, poll_feeds
from feeds.settings import PollerSettings
from feeds.types import FetchErrorKind, PollOutcome, PollTarget
from tests.feeds.feeds_samples import ATOM, MALFORMED, NOW, RDF, RSS, rss_with_items
from textkit.language import LanguageDetector


async def poll(
    client: httpx.AsyncClient,
    feeds: list[PollTarget],
    settings: PollerSettings,
    detector: LanguageDetector,
) -> dict[int, PollOutcome]:
    outcomes = poll_feeds(client, feeds, settings, now=NOW, detector=detector, rng=random.Random(3))
    return {outcome.feed_id: outcome async for outcome in outcomes}


async def test_one_cycle_with_good_and_bad_feeds(
    feed_server: HTTPServer, client: httpx.AsyncClient, settings: PollerSettings, detector: LanguageDetector
) -> None:
    def etagged(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"rss-1"':
            return Response(status=304)
        return Response(RSS, content_type="application/rss+xml", headers={"ETag": '"rss-1"'})

    def slow(request: Request) -> Response:
        time.sleep(1.5)
        return Response(RSS)

    feed_server.expect_request("/rss").respond_with_handler(etagged)
    feed_server.expect_request("/atom").respond_with_data(ATOM, content_type="application/atom+xml")
    feed_server.expect_request("/broken").respond_with_data(MALFORMED)
    feed_server.expect_request("/500").respond_with_data("boom", status=500)
    feed_server.expect_request("/429").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7200"}
    )
    feed_server.expect_request("/slow").respond_with_handler(slow)
    feeds = [
        PollTarget(id=1, url=feed_server.url_for("/rss")),
        PollTarget(id=2, url=feed_server.url_for("/atom"), error_count=2),
        PollTarget(id=3, url=feed_server.url_for("/broken"), etag='"old"'),
        PollTarget(id=4, url=feed_server.url_for("/500")),
        PollTarget(id=5, url=feed_server.url_for("/429")),
        PollTarget(id=6, url=feed_server.url_for("/slow"), error_count=2),  # third error: failing
        PollTarget(id=7, url="gopher://example.com/"),
    ]
    outcomes = await poll(client, feeds, settings, detector)
    assert set(outcomes) == {1, 2, 3, 4, 5, 6, 7}

    rss = outcomes[1]
    assert rss.error_kind is None and rss.error_count == 0 and not rss.failing
    assert len(rss.entries) == 2 and rss.parsed is not None and rss.parsed.title == "Kathmandu Daily"
    assert rss.etag == '"rss-1"' and rss.result.body is None  # body dropped once parsed
    assert timedelta(minutes=54) <= rss.next_poll_at - NOW <= timedelta(minutes=66)  # <ttl>60</ttl> ± jitter

    assert outcomes[2].error_count == 0 and len(outcomes[2].entries) == 1

    broken = outcomes[3]
    assert broken.error_kind is FetchErrorKind.PARSE and broken.error_count == 1 and broken.entries == ()
    assert broken.error is not None and broken.etag is None  # this response's own; storage keeps the old

    assert outcomes[4].error_kind is FetchErrorKind.HTTP_STATUS and outcomes[4].result.status_code == 500
    assert timedelta(minutes=5) <= outcomes[4].next_poll_at - NOW <= timedelta(minutes=10)

    limited = outcomes[5]
    assert limited.result.status_code == 429 and limited.next_poll_at - NOW == timedelta(hours=2)

    slow = outcomes[6]
    assert slow.error_kind is FetchErrorKind.TIMEOUT and slow.failing and slow.error_count == 3
    assert slow.next_poll_at - NOW == timedelta(seconds=settings.max_interval_seconds)

    assert outcomes[7].error_kind is FetchErrorKind.INVALID_URL and "gopher" in (outcomes[7].error or "")

    second = await poll(
        client, [PollTarget(id=1, url=feeds[0].url, etag=rss.etag, error_count=1)], settings, detector
    )
    assert second[1].result.not_modified and second[1].entries == () and second[1].parsed is None
    assert second[1].error_count == 0 and second[1].etag is None  # a 304 sent none: the stored one stays


async def test_same_story_in_two_feeds_has_one_identity(
    feed_server: HTTPServer, client: httpx.AsyncClient, settings: PollerSettings, detector: LanguageDetector
) -> None:
    title = "Nepal asks Russia to return citizens recruited to fight in Ukraine"
    summary = (
        "Kathmandu has asked Moscow to send back hundreds of Nepali nationals who joined the Russian army."
    )
    feed_server.expect_request("/a").respond_with_data(
        rss_with_items((title, "https://www.outlet.example/s/1?utm_source=a&amp;utm_medium=rss", summary))
    )
    feed_server.expect_request("/b").respond_with_data(
        rss_with_items((f"<b>{title}</b>", "http://outlet.example/s/1/?fbclid=zz#top", f"<p>{summary}</p>"))
    )
    feeds = [PollTarget(id=1, url=feed_server.url_for("/a")), PollTarget(id=2, url=feed_server.url_for("/b"))]
    outcomes = await poll(client, feeds, settings, detector)
    (first,), (second,) = outcomes[1].entries, outcomes[2].entries
    assert first.canonical_url == second.canonical_url == "https://outlet.example/s/1"
    assert first.content_hash == second.content_hash
    assert first.url != second.url


async def test_same_event_from_two_outlets_clusters(
    feed_server: HTTPServer, client: httpx.AsyncClient, settings: PollerSettings, detector: LanguageDetector
) -> None:
    feed_server.expect_request("/kathmandu").respond_with_data(RSS)
    feed_server.expect_request("/wire").respond_with_data(ATOM)
    feeds = [
        PollTarget(id=1, url=feed_server.url_for("/kathmandu")),
        PollTarget(id=2, url=feed_server.url_for("/wire")),
    ]
    outcomes = await poll(client, feeds, settings, detector)
    clusterer = StoryClusterer(
        timedelta(hours=settings.cluster_window_hours), settings.cluster_similarity_threshold
    )
    stories = [*outcomes[1].entries, *outcomes[2].entries]
    clusters = [
        clusterer.assign(key, f"{entry.title}. {entry.summary}", entry.published_at, title=entry.title)
        for key, entry in enumerate(stories)
    ]
    nepal_local, floods, nepal_wire = clusters
    assert nepal_wire == nepal_local == 0
    assert floods == 1
    assert stories[0].host != stories[2].host


async def test_closing_the_generator_early_cancels_the_rest(
    feed_server: HTTPServer, client: httpx.AsyncClient, settings: PollerSettings, detector: LanguageDetector
) -> None:
    feed_server.expect_request("/fast").respond_with_data(RSS)

    def slow(request: Request) -> Response:
        time.sleep(0.8)
        return Response(RSS)

    feed_server.expect_request("/slow").respond_with_handler(slow)
    feeds = [PollTarget(id=1, url=feed_server.url_for("/fast"))] + [
        PollTarget(id=i, url=feed_server.url_for("/slow")) for i in range(2, 6)
    ]
    started = time.monotonic()
    generator = poll_feeds(client, feeds, settings, now=NOW, detector=detector)
    first = await anext(generator)
    await generator.aclose()
    assert first.feed_id == 1
    assert time.monotonic() - started < 1.5


async def test_polled_feeds_wait_for_the_caller_instead_of_piling_up(
    feed_server: HTTPServer, client: httpx.AsyncClient, settings: PollerSettings, detector: LanguageDetector
) -> None:
    served: list[str] = []

    def counted(request: Request) -> Response:
        served.append(request.path)
        return Response(RSS)

    feed_server.expect_request("/feed").respond_with_handler(counted)
    feeds = [PollTarget(id=i, url=feed_server.url_for("/feed")) for i in range(10)]
    one_slot = settings.model_copy(update={"global_concurrency": 1})
    generator = poll_feeds(client, feeds, one_slot, now=NOW, detector=detector)
    taken = [await anext(generator)]
    await asyncio.sleep(0.5)  # the caller is busy with the first feed: at most one more is polled
    assert len(served) == 2
    taken += [outcome async for outcome in generator]
    assert len(served) == len(taken) == 10 and all(outcome.error is None for outcome in taken)


async def test_a_busy_caller_gets_the_feeds_finished_meanwhile_in_one_batch(
    feed_server: HTTPServer, client: httpx.AsyncClient, settings: PollerSettings, detector: LanguageDetector
) -> None:
    feed_server.expect_request("/feed").respond_with_data(RSS)
    feeds = [PollTarget(id=i, url=feed_server.url_for("/feed")) for i in range(6)]
    generator = poll_feed_batches(client, feeds, settings, now=NOW, detector=detector)
    batches = [await anext(generator)]
    await asyncio.sleep(0.5)  # the caller stores the first batch; the other feeds finish meanwhile
    batches += [batch async for batch in generator]
    assert len(batches) <= 2
    assert sorted(outcome.feed_id for batch in batches for outcome in batch) == list(range(6))


async def test_a_parse_worker_hands_back_the_seconds_of_each_stage(
    feed_server: HTTPServer, client: httpx.AsyncClient, settings: PollerSettings, detector: LanguageDetector
) -> None:
    feed_server.expect_request("/feed").respond_with_data(RSS)
    timing.drain()
    pool = ParsePool(1)
    try:
        outcomes = poll_feeds(
            client, [PollTarget(id=1, url=feed_server.url_for("/feed"))], settings, now=NOW, parse_pool=pool
        )
        [outcome] = [outcome async for outcome in outcomes]
    finally:
        pool.close()
    assert outcome.entries
    seconds = timing.drain()
    assert {timing.PARSE, timing.CLEAN, timing.LANGUAGE, timing.DEDUP} <= seconds.keys()
    assert all(value > 0 for value in seconds.values())


async def test_a_killed_parse_worker_fails_one_feed_on_one_line_and_the_pool_starts_afresh(
    feed_server: HTTPServer, client: httpx.AsyncClient, settings: PollerSettings
) -> None:
    feed_server.expect_request("/feed").respond_with_data(RSS)
    feeds = [PollTarget(id=1, url=feed_server.url_for("/feed"))]
    pool = ParsePool(1)

    async def poll_once() -> PollOutcome:
        [outcome] = [o async for o in poll_feeds(client, feeds, settings, now=NOW, parse_pool=pool)]
        return outcome

    try:
        assert (await poll_once()).entries  # the worker is up
        workers = multiprocessing.active_children()
        assert workers
        for worker in workers:
            os.kill(worker.pid, signal.SIGKILL)  # as the OOM killer would
            worker.join(timeout=10)
        lost = await poll_once()
        assert lost.error_kind is FetchErrorKind.UNEXPECTED and "parse worker died" in (lost.error or "")
        assert (await poll_once()).entries  # a new worker parses the next poll
    finally:
        pool.close()


async def test_a_file_feed_added_from_the_command_line_is_polled(
    tmp_path, client: httpx.AsyncClient, settings: PollerSettings, detector: LanguageDetector
) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(RSS)
    outcomes = await poll(client, [PollTarget(1, feed.as_uri(), None, None, 0)], settings, detector)
    assert outcomes[1].error is None and outcomes[1].entries


async def test_a_feeds_ttl_still_counts_when_the_server_answers_304(
    feed_server: HTTPServer, client: httpx.AsyncClient, detector: LanguageDetector
) -> None:
    """A 304 has no body and so no <ttl>: the one stored from the last full answer applies."""
    settings = PollerSettings(allow_private_addresses=True, interval_jitter_ratio=0.0)
    long_ttl = RSS.replace(b"<ttl>60</ttl>", b"<ttl>180</ttl>")
    feed_server.expect_request("/rss", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    feed_server.expect_request("/rss").respond_with_data(
        long_ttl, content_type="application/rss+xml", headers={"ETag": '"v1"'}
    )
    url = feed_server.url_for("/rss")
    [full] = (await poll(client, [PollTarget(1, url)], settings, detector)).values()
    assert full.ttl_minutes == 180 and full.next_poll_at == NOW + timedelta(minutes=180)
    [cached] = (
        await poll(client, [PollTarget(1, url, '"v1"', None, 0, full.ttl_minutes)], settings, detector)
    ).values()
    assert cached.result.not_modified
    assert cached.ttl_minutes == 180 and cached.next_poll_at == NOW + timedelta(minutes=180)


async def test_rdf_and_a_charset_from_the_http_header_come_through_the_whole_poll(
    feed_server: HTTPServer, client: httpx.AsyncClient, settings: PollerSettings, detector: LanguageDetector
) -> None:
    title = "Вербовщики отправляли мужчин на фронт"
    cp1251 = (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>Новости</title>"
        f"<item><title>{title}</title><link>https://ru.example/1</link></item></channel></rss>"
    ).encode("windows-1251")
    feed_server.expect_request("/rdf").respond_with_data(RDF, content_type="application/rdf+xml")
    feed_server.expect_request("/ru").respond_with_data(
        cp1251, content_type="application/rss+xml; charset=windows-1251"
    )
    feeds = [PollTarget(1, feed_server.url_for("/rdf")), PollTarget(2, feed_server.url_for("/ru"))]
    outcomes = await poll(client, feeds, settings, detector)
    assert outcomes[1].error is None and outcomes[1].entries
    assert outcomes[2].error is None and [e.title for e in outcomes[2].entries] == [title]


LEGACY_FEEDS = {
    # path: (encoding, content type without a charset, channel title, title, summary, language)
    "/koi8-r": (
        "koi8-r",
        "text/xml",
        "Новости",
        "Вербовщики отправили мигрантов на войну",
        "Семьи говорят, что мужчинам обещали работу на стройке, а затем отправили их на фронт.",
        "ru",
    ),
    "/shift-jis": (
        "shift_jis",
        "application/rss+xml",
        "ニュース",
        "ネパール人の傭兵、ロシア軍の前線へ",
        "仕事があると言われて渡航した男性たちが、ウクライナの前線に送られたと家族が証言した。",
        "ja",
    ),
}


async def test_legacy_encodings_without_a_declared_charset_are_detected(
    feed_server: HTTPServer, client: httpx.AsyncClient, settings: PollerSettings, detector: LanguageDetector
) -> None:
    """No charset in HTTP or the XML declaration: the encoding is guessed (chardet), not mojibake, so
    the language is right and the language's keyword rules match."""
    for path, (encoding, content_type, channel, title, summary, _) in LEGACY_FEEDS.items():
        body = (
            f"<?xml version='1.0'?><rss version='2.0'><channel><title>{channel}</title>"
            f"<item><title>{title}</title><link>https://legacy.example{path}</link>"
            f"<description>{summary}</description></item></channel></rss>"
        ).encode(encoding)
        feed_server.expect_request(path).respond_with_data(body, content_type=content_type)
    feeds = [PollTarget(i, feed_server.url_for(path)) for i, path in enumerate(LEGACY_FEEDS, 1)]
    outcomes = await poll(client, feeds, settings, detector)
    rules = compile_rules(default_keywords())
    for feed_id, (_, content_type, channel, title, summary, language) in enumerate(LEGACY_FEEDS.values(), 1):
        outcome = outcomes[feed_id]
        assert outcome.result.content_type == content_type  # really served without a charset
        (entry,) = outcome.entries
        assert (entry.title, entry.summary, entry.language) == (title, summary, language)
        assert outcome.parsed is not None and outcome.parsed.title == channel
        assert rules.match(f"{entry.title}\n{entry.summary}", entry.language).score >= 1.5
