"""/archive, /cite, /bundle and the edited/removed notices, through the real bot and the fake Bot
API, with pages on a loopback server."""

from __future__ import annotations

import zipfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from archive.bundle import verify_bundle
from archive.settings import ArchiveSettings
from archive.types import CheckOutcome, CheckResult
from bot.archive import ArchiveAccess, parse_bundle_args
from feeds.fetch import make_client
from feeds.settings import PollerSettings
from storage.archive import ArchiveSchedule, queue_archives, record_check
from storage.db import Database
from storage.models import Alert
from storage.states import AlertStatus
from storage.subscribers import subscribe
from tests.archive.conftest import article
from tests.bot.fake_telegram import FakeTelegram
from tests.bot.harness import ADMIN_ID, USER_ID, BotHarness, bot_settings, flag_story, start_bot, stop_bot
from tests.security.telegram_html import check_message
from warwatch.archiving import make_archive_service


@pytest.fixture
async def archive_bot(
    telegram: FakeTelegram, database: Database, database_url: str, tmp_path: Path
) -> AsyncIterator[BotHarness]:
    poller = PollerSettings(allow_private_addresses=True)
    async with make_client(poller) as client:
        service = make_archive_service(
            ArchiveSettings(directory=tmp_path / "archive"), database, client, poller
        )
        access = ArchiveAccess(service.store, service.archive_now)
        app = await start_bot(bot_settings(telegram, database_url), database, archive_access=access)
        yield BotHarness(telegram, app, database)
        await stop_bot(app)


async def test_archive_then_cite_a_story(archive_bot: BotHarness, feed_server: HTTPServer) -> None:
    feed_server.expect_request("/story").respond_with_data(article("Recruits"), content_type="text/html")
    story = flag_story(
        archive_bot.database, "Nepali men <sent> to the front", url=feed_server.url_for("/story")
    )
    [reply] = await archive_bot.ask(f"/archive {story.id}")
    assert f"Archive of #{story.id}" in reply and "captured (HTTP 200)" in reply and "SHA-256 <code>" in reply
    assert "&lt;sent&gt;" in reply
    check_message(reply)
    [apa] = await archive_bot.ask(f"/cite {story.id} apa")
    assert apa.startswith("Roe, J. Q. (") and "Archived copy: SHA-256" in apa
    [as_json] = await archive_bot.ask(f"/cite {story.id} json")
    assert as_json.startswith("<pre>{") and "&quot;warc_sha256&quot;" in as_json
    assert "Usage" in (await archive_bot.ask("/archive nope"))[0]
    assert "No story #999999" in (await archive_bot.ask("/archive 999999"))[0]
    [missing] = await archive_bot.ask("/cite 999999")
    assert "no archived copy yet" in missing


async def test_bundle_is_for_admins_and_arrives_as_a_zip_that_verifies(
    archive_bot: BotHarness, feed_server: HTTPServer, tmp_path: Path
) -> None:
    feed_server.expect_request("/story").respond_with_data(article("Recruits"), content_type="text/html")
    story = flag_story(archive_bot.database, "Recruits", url=feed_server.url_for("/story"))
    await archive_bot.ask(f"/archive {story.id}")
    [refused] = await archive_bot.ask("/bundle")
    assert "administrators only" in refused
    before = len(archive_bot.server.calls_to("sendDocument", ADMIN_ID))
    await archive_bot.ask("/bundle 7", chat_id=ADMIN_ID, user_id=ADMIN_ID, replies=0)
    await archive_bot.server.wait_for(
        lambda: len(archive_bot.server.calls_to("sendDocument", ADMIN_ID)) > before
    )
    call = archive_bot.server.calls_to("sendDocument", ADMIN_ID)[-1]
    bundle = tmp_path / "got.zip"
    bundle.write_bytes(call.params["document"])
    report = verify_bundle(bundle)
    assert report.ok and report.entries == 1
    assert "1 archived copies" in call.params["caption"]
    with zipfile.ZipFile(bundle) as opened:
        assert {"manifest.csv", "SHA256SUMS"} < set(opened.namelist())
    [none] = await archive_bot.ask("/bundle #424242", chat_id=ADMIN_ID, user_id=ADMIN_ID)
    assert "No archived copies" in none


def test_bundle_arguments() -> None:
    assert parse_bundle_args([]) == (30, None)
    assert parse_bundle_args(["7"]) == (7, None)
    assert parse_bundle_args(["#42"]) == (None, [42])
    assert parse_bundle_args(["4,#5"]) == (None, [4, 5])
    assert parse_bundle_args(["4,x"]) is None and parse_bundle_args(["99999"]) is None
    assert parse_bundle_args(["1", "2"]) is None


async def test_the_chats_that_got_the_alert_are_told_of_an_edit(archive_bot: BotHarness) -> None:
    database = archive_bot.database
    with database.session() as session:
        subscribe(session, USER_ID, chat_type="private", title="analyst")
    story = flag_story(database, "Nepali men sent to the front", url="https://ledger.example/story")

    def alert_sent() -> bool:  # Telegram has it and the bot has recorded so
        with database.session() as session:
            return session.query(Alert).filter(Alert.status == AlertStatus.SENT).count() == 1

    await archive_bot.server.wait_for(alert_sent)
    with database.session() as session:
        queue_archives(session, [story.id], now=datetime.now(UTC))
        now = datetime.now(UTC)
        common = {"url": story.url, "final_url": story.url, "retrieved_at": now, "status_code": 200}
        record_check(session, story.id, CheckResult(CheckOutcome.CAPTURED, **common), ArchiveSchedule(), now)
        edited = CheckResult(CheckOutcome.EDITED, changed_words=3, diff="-a\n+b", **common)
        record_check(session, story.id, edited, ArchiveSchedule(), now)
    await archive_bot.server.wait_for(
        lambda: any("was edited" in call.params["text"] for call in archive_bot.server.sent(USER_ID))
    )
    [notice] = [
        call.params["text"]
        for call in archive_bot.server.sent(USER_ID)
        if "was edited" in call.params["text"]
    ]
    assert notice.startswith("⚠️ <b>This story was edited</b> — archived copy kept")
    assert "3 words changed" in notice and f"/cite {story.id}" in notice
    check_message(notice)
