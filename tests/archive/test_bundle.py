"""Evidence bundles: the manifest and checksums written, and verify catching a flipped byte."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from warcio.archiveiterator import ArchiveIterator

from archive.bundle import CHECKSUMS, MANIFEST, verify_bundle, write_bundle
from archive.capture import Archivist
from archive.store import WarcStore
from tests.archive.conftest import article


@dataclass(frozen=True)
class Entry:
    story_id: int
    final_url: str
    retrieved_at: datetime
    body_sha256: str | None
    status_code: int | None
    outcome: str
    warc_sha256: str | None


@pytest.fixture
async def bundle(feed_server: HTTPServer, archivist: Archivist, store: WarcStore, tmp_path: Path) -> Path:
    entries = []
    for story_id in (7, 8):
        feed_server.expect_request(f"/s/{story_id}").respond_with_data(
            article(f"Story {story_id}"), content_type="text/html"
        )
        result = await archivist.capture(feed_server.url_for(f"/s/{story_id}"))
        assert result.warc is not None
        entries.append(
            Entry(
                story_id,
                result.final_url,
                result.retrieved_at,
                result.body_sha256,
                200,
                "captured",
                result.warc.sha256,
            )
        )
    out = tmp_path / "evidence.zip"
    assert write_bundle(out, entries, store) == 2
    return out


def test_a_bundle_holds_the_warc_files_a_manifest_and_checksums(bundle: Path) -> None:
    with zipfile.ZipFile(bundle) as opened:
        names = set(opened.namelist())
        rows = list(csv.DictReader(io.StringIO(opened.read(MANIFEST).decode())))
        sums = opened.read(CHECKSUMS).decode().splitlines()
        records = [record.rec_type for record in ArchiveIterator(io.BytesIO(opened.read(rows[0]["warc"])))]
    assert {MANIFEST, CHECKSUMS} < names and len(names) == 4
    assert [row["id"] for row in rows] == ["7", "8"]
    assert list(rows[0]) == ["id", "url", "retrieved", "sha256", "status", "outcome", "warc"]
    assert rows[0]["status"] == "200" and rows[0]["url"].endswith("/s/7")
    assert len(sums) == 3 and records == ["warcinfo", "response", "metadata"]
    report = verify_bundle(bundle)
    assert report.ok and report.entries == 2 and report.failures == []


def test_verify_names_the_entry_whose_byte_was_flipped(bundle: Path) -> None:
    with zipfile.ZipFile(bundle) as opened:
        member = opened.getinfo(opened.namelist()[1])  # the second story's WARC file
        assert member.filename.startswith("warc/")
    data = bytearray(bundle.read_bytes())
    data[member.header_offset + len(member.FileHeader()) + member.compress_size // 2] ^= 0x01
    bundle.write_bytes(bytes(data))
    report = verify_bundle(bundle)
    assert not report.ok and report.entries == 2
    assert any(failure.startswith(member.filename) for failure in report.failures)
    assert any(failure.startswith(f"story 8 ({member.filename})") for failure in report.failures)
    assert not any("story 7" in failure for failure in report.failures)


def test_verify_catches_a_changed_manifest_and_a_file_that_is_no_bundle(bundle: Path, tmp_path: Path) -> None:
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(tampered, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == MANIFEST:
                data = data.replace(b",200,", b",404,")
            target.writestr(name, data)
    assert [f for f in verify_bundle(tampered).failures if f.startswith(MANIFEST)]
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip at all")
    report = verify_bundle(junk)
    assert not report.ok and "not a readable zip file" in report.failures[0]


def test_a_missing_warc_file_stops_the_export_and_leaves_no_bundle(store: WarcStore, tmp_path: Path) -> None:
    entry = Entry(9, "http://x.org/", datetime.now(UTC), "0" * 64, 200, "captured", "a" * 64)
    with pytest.raises(ValueError, match="story 9"):
        write_bundle(tmp_path / "out.zip", [entry], store)
    assert not list(tmp_path.glob("*.zip")) and not list(tmp_path.glob(".tmp-*"))
