"""`warwatch archive ID|export|verify|delete`, `warwatch cite` and the archive lines of `status`,
against pages on a loopback server and a database of each kind."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from archive.store import file_sha256
from storage.db import Database
from storage.models import AuditEntry
from storage.stories import insert_stories
from tests.app.conftest import Invoke
from tests.archive.conftest import article
from tests.storage.factories import Entry

CONFIG = '[poller]\nallow_private_addresses = true\n[archive]\ndirectory = "{directory}"\n'


@pytest.fixture
def archive_dir(tmp_path: Path) -> Path:
    return tmp_path / "evidence"


@pytest.fixture
def cli(make_cli: Any, archive_dir: Path) -> Invoke:
    invoke = make_cli(CONFIG.format(directory=archive_dir))
    invoke("db", "upgrade")
    return invoke


def store_story(database_url: str, url: str, title: str = "Nepali men sent to the front") -> int:
    database = Database(database_url)
    try:
        with database.session() as session:
            [story] = insert_stories(session, None, [Entry(title, url=url)])
            return story.id
    finally:
        database.dispose()


def test_archive_id_keeps_a_warc_file_and_cite_names_its_hash(
    cli: Invoke, feed_server: HTTPServer, database_url: str, archive_dir: Path
) -> None:
    feed_server.expect_request("/story").respond_with_data(article("Recruits"), content_type="text/html")
    story_id = store_story(database_url, feed_server.url_for("/story"))
    output = cli("archive", str(story_id)).stdout
    assert "captured  HTTP 200" in output and "page live" in output and "prunable" in output
    [warc] = list(archive_dir.glob("??/*.warc.gz"))
    assert f"WARC {warc}" in output and file_sha256(warc) == warc.name.removesuffix(".warc.gz")
    with warc.open("rb") as stream:
        assert [record.rec_type for record in ArchiveIterator(stream)] == ["warcinfo", "response", "metadata"]
    assert cli("archive", str(story_id)).stdout.count("captured") == 1  # a kept copy is not taken again

    fields = json.loads(cli("cite", str(story_id), "--style", "json").stdout)
    assert fields["warc_sha256"] == warc.name.removesuffix(".warc.gz") and fields["http_status"] == 200
    assert fields["author"] == "Jane Q Roe" and f"{fields['sha256']}" in output
    apa = cli("cite", str(story_id), "--style", "apa").stdout
    assert apa.startswith("Roe, J. Q. (") and f"from {feed_server.url_for('/story')}" in apa
    assert "story_id" not in cli("cite", str(story_id)).stdout


def test_a_page_that_cannot_be_kept_says_why_and_exits_1(
    cli: Invoke, feed_server: HTTPServer, database_url: str
) -> None:
    feed_server.expect_request("/missing").respond_with_data("no", status=404)
    story_id = store_story(database_url, feed_server.url_for("/missing"))
    output = cli("archive", str(story_id), code=1).stdout
    assert "archive: failed" in output and "error (last try): http_status: HTTP 404" in output
    assert "has no archived copy yet" in cli("cite", str(story_id), code=1).output
    assert "no story 424242" in cli("archive", "424242", code=1).output
    linkless = store_story(database_url, "urn:warwatch:guid:x", title="No link")
    assert "has no web address" in cli("archive", str(linkless), code=1).output
    assert "No such command 'abc'" in cli("archive", "abc", code=2).output


def test_export_verify_and_a_flipped_byte(
    cli: Invoke, feed_server: HTTPServer, database_url: str, tmp_path: Path
) -> None:
    ids = []
    for number in (1, 2):
        feed_server.expect_request(f"/s{number}").respond_with_data(
            article(f"Story {number}"), content_type="text/html"
        )
        ids.append(store_story(database_url, feed_server.url_for(f"/s{number}"), title=f"Story {number}"))
        cli("archive", str(ids[-1]))
    bundle = tmp_path / "bundle.zip"
    assert (
        "2 archived copies of 2 stories"
        in cli("archive", "export", str(bundle), "--ids", ",".join(map(str, ids))).stdout
    )
    assert "ok: 2 entries" in cli("archive", "verify", str(bundle)).stdout
    with zipfile.ZipFile(bundle) as opened:
        rows = list(csv.DictReader(io.StringIO(opened.read("manifest.csv").decode())))
        member = opened.getinfo(rows[1]["warc"])
    assert [row["id"] for row in rows] == [str(story_id) for story_id in ids]
    data = bytearray(bundle.read_bytes())
    data[member.header_offset + len(member.FileHeader()) + 40] ^= 0x80
    bundle.write_bytes(bytes(data))
    result = cli("archive", "verify", str(bundle), code=1)
    assert f"FAILED story {ids[1]} ({member.filename})" in result.stdout
    assert f"story {ids[0]}" not in result.stdout

    since = tmp_path / "since.zip"
    assert "2 archived copies" in cli("archive", "export", str(since), "--since", "2000-01-01").stdout
    assert (
        "nothing to export"
        in cli("archive", "export", str(tmp_path / "x.zip"), "--since", "2999-01-01", code=1).output
    )
    assert "--ids 'x,1'" in cli("archive", "export", str(tmp_path / "y.zip"), "--ids", "x,1", code=2).output


def test_delete_removes_the_rows_and_files_and_is_audited(
    cli: Invoke, feed_server: HTTPServer, database_url: str, archive_dir: Path
) -> None:
    feed_server.expect_request("/story").respond_with_data(article("Recruits"), content_type="text/html")
    story_id = store_story(database_url, feed_server.url_for("/story"))
    cli("archive", str(story_id))
    assert len(list(archive_dir.glob("??/*.warc.gz"))) == 1
    assert "1 WARC files" in cli("archive", "delete", str(story_id)).stdout
    assert not list(archive_dir.glob("??/*.warc.gz"))
    assert "has no archive" in cli("archive", "delete", str(story_id), code=1).output
    database = Database(database_url)
    try:
        with database.session() as session:
            [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "archive.delete")).all()
            assert (entry.actor, entry.details["story_id"]) == ("cli", story_id)
    finally:
        database.dispose()


def test_status_shows_the_archive_size_and_its_failures(
    cli: Invoke, feed_server: HTTPServer, database_url: str
) -> None:
    feed_server.expect_request("/ok").respond_with_data(article("Fine"), content_type="text/html")
    feed_server.expect_request("/busy").respond_with_data("busy", status=503)
    cli("archive", str(store_story(database_url, feed_server.url_for("/ok"), title="Fine")))
    busy = store_story(database_url, feed_server.url_for("/busy"), title="Busy")
    cli("archive", str(busy), code=1)
    output = cli("status").stdout
    assert "archive:     2 stories (1 pending, 1 watching, 0 done, 0 failed); 1 snapshots, " in output
    assert "1 retrying, 0 failed" in output
    assert f"story {busy} (pending, 1 tries): http_status: HTTP 503" in output
    tally = json.loads(cli("status", "--json").stdout)["archive"]
    assert tally["retrying"] == 1 and tally["bytes"] > 0 and tally["failures"][0]["story_id"] == busy


def test_export_of_a_storyline_bundles_its_stories_and_follows_a_merge(
    cli: Invoke, feed_server: HTTPServer, database_url: str, tmp_path: Path
) -> None:
    from cases.storylines import StorylineRule
    from storage.storylines import merge_storylines, storylines_of
    from storage.verdicts import record_verdicts
    from tests.storage.test_storylines import ARREST, CHARGE, UNRELATED, flagged

    database = Database(database_url)
    ids = []
    try:
        for number, entry in enumerate((ARREST, CHARGE, UNRELATED)):
            feed_server.expect_request(f"/c{number}").respond_with_data(
                article(entry.title), content_type="text/html"
            )
            story_id = store_story(database_url, feed_server.url_for(f"/c{number}"), title=entry.title)
            with database.session() as session:
                record_verdicts(session, [(story_id, flagged(entry))], StorylineRule())
            cli("archive", str(story_id))
            ids.append(story_id)
        with database.session() as session:
            lines = storylines_of(session, ids)
    finally:
        database.dispose()
    case_line, other_line = lines[ids[0]], lines[ids[2]]
    assert lines[ids[1]] == case_line != other_line
    bundle = tmp_path / "case.zip"
    assert (
        "2 archived copies of 2 stories"
        in cli("archive", "export", str(bundle), "--storyline", str(case_line)).stdout
    )
    with zipfile.ZipFile(bundle) as opened:
        rows = list(csv.DictReader(io.StringIO(opened.read("manifest.csv").decode())))
    assert sorted(int(row["id"]) for row in rows) == ids[:2]
    assert (
        "no storyline 999999"
        in cli("archive", "export", str(tmp_path / "n.zip"), "--storyline", "999999", code=1).output
    )

    database = Database(database_url)
    try:
        with database.session() as session:
            merge_storylines(session, case_line, [other_line])
    finally:
        database.dispose()
    merged = cli("archive", "export", str(tmp_path / "m.zip"), "--storyline", str(other_line)).stdout
    assert f"merged into {case_line}" in merged and "3 archived copies of 3 stories" in merged
