"""Capturing and re-checking pages on a real loopback server, through the poller's fetcher."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from warcio.archiveiterator import ArchiveIterator
from werkzeug import Response

from archive.capture import Archivist, Previous
from archive.store import WarcStore, file_sha256
from archive.types import CheckOutcome, CheckResult
from archive.warc import payload_digest, read_snapshot
from tests.archive.conftest import article

MB = 1_000_000


def previous_of(result: CheckResult) -> Previous:
    assert result.warc is not None
    return Previous(result.final_url, result.text_sha256, result.warc.sha256)


async def test_a_capture_is_one_warc_file_warcio_reads_back(
    feed_server: HTTPServer, archivist: Archivist, store: WarcStore
) -> None:
    page = article("Nepali men sent to the front")
    feed_server.expect_request("/story").respond_with_data(
        page, content_type="text/html; charset=utf-8", headers={"ETag": '"a1"', "X-Frame-Options": "DENY"}
    )
    result = await archivist.capture(feed_server.url_for("/story"))

    assert result.outcome is CheckOutcome.CAPTURED and result.warc is not None
    assert result.status_code == 200 and result.body_sha256 == hashlib.sha256(page).hexdigest()
    assert result.headers is not None and result.headers["etag"] == '"a1"'
    assert result.page is not None and result.page.author == "Jane Q Roe"
    assert result.page.site_name == "Kathmandu Ledger" and result.page.published == "2026-11-02"
    assert "sent to the front line" in (result.page.text or "")
    path = store.path(result.warc.sha256)
    assert file_sha256(path) == result.warc.sha256 and path.stat().st_size == result.warc.size
    with path.open("rb") as stream:  # warcio's own reader, record by record
        records = [
            (record.rec_type, record.rec_headers, record.http_headers, record.content_stream().read())
            for record in ArchiveIterator(stream)
        ]
    assert [kind for kind, *_ in records] == ["warcinfo", "response", "metadata"]
    _, headers, http, body = records[1]
    assert body == page and http.get_statuscode() == "200"
    assert http.get_header("X-Frame-Options") == "DENY" and http.get_header("Content-Length") == str(
        len(page)
    )
    assert headers.get_header("WARC-Target-URI") == feed_server.url_for("/story")
    assert headers.get_header("WARC-Payload-Digest") == payload_digest(page)
    assert records[2][1].get_header("WARC-Refers-To") == headers.get_header("WARC-Record-ID")
    assert "sent to the front line" in records[2][3].decode()


async def test_a_compressed_answer_is_kept_decoded_with_its_original_encoding_named(
    feed_server: HTTPServer, archivist: Archivist, store: WarcStore
) -> None:
    page = article("Compressed")
    feed_server.expect_request("/gz").respond_with_data(
        gzip.compress(page), content_type="text/html", headers={"Content-Encoding": "gzip"}
    )
    result = await archivist.capture(feed_server.url_for("/gz"))
    assert result.warc is not None and result.body_sha256 == hashlib.sha256(page).hexdigest()
    with store.open(result.warc.sha256) as stream:
        content = read_snapshot(stream)
    assert content.body == page
    assert ("X-Archive-Orig-Content-Encoding", "gzip") in content.headers
    assert all(name.lower() != "content-encoding" for name, _ in content.headers)


async def test_a_page_that_changes_between_checks_is_edited_with_a_diff(
    feed_server: HTTPServer, archivist: Archivist, store: WarcStore
) -> None:
    versions = iter(
        [article("Recruits", count=12), article("Recruits", count=12), article("Recruits", count=40)]
    )
    feed_server.expect_request("/changing").respond_with_handler(
        lambda request: Response(next(versions), content_type="text/html")
    )
    url = feed_server.url_for("/changing")
    first = await archivist.capture(url)
    same = await archivist.recheck(url, previous_of(first))
    edited = await archivist.recheck(url, previous_of(first))

    assert same.outcome is CheckOutcome.UNCHANGED and same.warc is None
    assert edited.outcome is CheckOutcome.EDITED and edited.warc is not None
    assert edited.changed_words == 8  # "12" became "40" in each of the eight paragraphs
    assert "-Recruiters promised 12 men" in (edited.diff or "") and "+Recruiters promised 40" in (
        edited.diff or ""
    )
    assert len(list(store.files())) == 2  # the unchanged look kept nothing


async def test_spacing_and_case_are_not_edits(feed_server: HTTPServer, archivist: Archivist) -> None:
    versions = iter(
        [article("Same"), article("Same").replace(b"Recruiters promised", b"RECRUITERS   promised")]
    )
    feed_server.expect_request("/respaced").respond_with_handler(
        lambda request: Response(next(versions), content_type="text/html")
    )
    url = feed_server.url_for("/respaced")
    first = await archivist.capture(url)
    assert (await archivist.recheck(url, previous_of(first))).outcome is CheckOutcome.UNCHANGED


@pytest.mark.parametrize("status", [404, 410])
async def test_a_page_that_goes_away_is_removed(
    feed_server: HTTPServer, archivist: Archivist, status: int
) -> None:
    answers = iter([Response(article("Gone soon"), content_type="text/html"), Response("no", status=status)])
    feed_server.expect_request("/gone").respond_with_handler(lambda request: next(answers))
    url = feed_server.url_for("/gone")
    first = await archivist.capture(url)
    again = await archivist.recheck(url, previous_of(first))
    assert again.outcome is CheckOutcome.REMOVED and again.status_code == status
    assert again.error == f"HTTP {status}" and again.warc is None


async def test_a_redirect_to_another_host_or_the_front_page_is_a_removal(
    feed_server: HTTPServer, archivist: Archivist
) -> None:
    elsewhere = feed_server.url_for("/landing").replace("127.0.0.1", "localhost")
    answers = iter(
        [
            Response(article("Moved"), content_type="text/html"),
            Response(status=301, headers={"Location": elsewhere}),
            Response(status=302, headers={"Location": "/"}),
        ]
    )
    feed_server.expect_request("/moved").respond_with_handler(lambda request: next(answers))
    feed_server.expect_request("/landing").respond_with_data(article("Other site"), content_type="text/html")
    feed_server.expect_request("/").respond_with_data(article("Front page"), content_type="text/html")
    url = feed_server.url_for("/moved")
    first = await archivist.capture(url)
    to_host = await archivist.recheck(url, previous_of(first))
    to_front = await archivist.recheck(url, previous_of(first))
    assert (
        to_host.outcome is CheckOutcome.REMOVED and to_host.error == "redirected to another host (localhost)"
    )
    assert to_host.final_url == elsewhere
    assert (
        to_front.outcome is CheckOutcome.REMOVED and to_front.error == "redirected to the site's front page"
    )


async def test_a_50_mb_page_is_refused_by_the_size_cap_and_nothing_is_kept(
    feed_server: HTTPServer, archivist: Archivist, store: WarcStore
) -> None:
    sent = [0]
    chunk = b"<p>" + b"x" * 65_533

    def fifty_megabytes() -> Iterator[bytes]:
        for _ in range(50 * MB // len(chunk)):
            sent[0] += len(chunk)
            yield chunk

    feed_server.expect_request("/huge").respond_with_response(
        Response(fifty_megabytes(), content_type="text/html")
    )
    result = await archivist.capture(feed_server.url_for("/huge"))
    assert result.outcome is CheckOutcome.FAILED and result.permanent
    assert (result.error or "").startswith("too_large:") and result.warc is None
    assert sent[0] < 20 * MB and not list(store.files())
    assert not store.directory.exists() or not any(store.directory.iterdir())


async def test_a_failure_that_may_mend_is_not_permanent(
    feed_server: HTTPServer, archivist: Archivist
) -> None:
    feed_server.expect_request("/busy").respond_with_data("busy", status=503)
    result = await archivist.capture(feed_server.url_for("/busy"))
    assert result.outcome is CheckOutcome.FAILED and not result.permanent
    assert result.status_code == 503 and (result.error or "").startswith("http_status:")


HOSTILE_PAGES = {
    "nul_and_controls": b"<html><body><article><p>Nepali\x00 recruits\x07 "
    + b"word " * 200
    + b"</p></article></body></html>",
    "deep_nesting": b"<html><body>"
    + b"<div>" * 20_000
    + b"recruits"
    + b"</div>" * 20_000
    + b"</body></html>",
    "bogus_charset": b"<html><head><meta charset='x-no-such-charset'></head><body><p>\xff\xfe\x80 caf\xe9 "
    + b"mot " * 200
    + b"</p></body></html>",
    "not_html": bytes(range(256)) * 64,
    "scripts_and_bidi": (
        "<html><head><title>\u202egnp.exe</title><script>alert(1)</script></head><body><article>"
        + "<p>Men were sent to the front \u200b\u2066line.</p>" * 30
        + "<img src=x onerror=alert(1)></article></body></html>"
    ).encode(),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_PAGES))
async def test_hostile_html_is_kept_as_received_and_never_stops_the_archive(
    feed_server: HTTPServer, archivist: Archivist, store: WarcStore, name: str
) -> None:
    body = HOSTILE_PAGES[name]
    feed_server.expect_request(f"/hostile/{name}").respond_with_data(body, content_type="text/html")
    result = await archivist.capture(feed_server.url_for(f"/hostile/{name}"))
    assert result.outcome is CheckOutcome.CAPTURED and result.warc is not None
    with store.open(result.warc.sha256) as stream:
        content = read_snapshot(stream)
    assert content.body == body  # the evidence is the bytes as received, whatever they hold
    text = result.page.text if result.page else None
    assert text is None or ("\x00" not in text and "\u202e" not in text)
    title = result.page.title if result.page else None
    assert title is None or "\u202e" not in title
