"""The content-addressed store: names are hashes, writes are whole or absent, even under kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from archive.store import TEMPORARY_PREFIX, WarcStore, file_sha256
from archive.warc import read_snapshot

ROOT = Path(__file__).resolve().parents[2]


def test_a_file_is_named_by_its_hash_and_a_failed_write_leaves_nothing(tmp_path: Path) -> None:
    store = WarcStore(tmp_path)
    stored = store.put(lambda out: out.write(b"evidence"))
    assert store.path(stored.sha256).read_bytes() == b"evidence"
    assert file_sha256(store.path(stored.sha256)) == stored.sha256 and stored.size == 8

    def broken(out: object) -> None:
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        store.put(broken)
    assert sorted(path.name for path in tmp_path.rglob("*") if path.is_file()) == [f"{stored.sha256}.warc.gz"]


def test_a_name_that_is_not_a_hash_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        WarcStore(tmp_path).path("../../etc/passwd")


def test_kill_9_while_writing_leaves_no_partial_file_under_a_hash_name(tmp_path: Path) -> None:
    store = WarcStore(tmp_path / "store")
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.archive.store_writer", str(store.directory)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    stored: list[str] = []
    try:
        assert child.stdout is not None
        for line in child.stdout:
            words = line.split()
            if words[0] == "stored":
                stored.append(words[2])
            elif words[0] == "writing" and int(words[1]) == 3:
                os.kill(child.pid, signal.SIGKILL)  # in the middle of the third write
                break
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL and len(stored) == 2
    files = sorted(store.files())
    assert sorted(path.name.removesuffix(".warc.gz") for path in files) == sorted(stored)
    for path in files:  # every hash-named file is whole: its hash is its name, and warcio reads it
        assert file_sha256(path) == path.name.removesuffix(".warc.gz")
        with path.open("rb") as stream:
            assert len(read_snapshot(stream).body) == 8_000_000
    leftovers = list(store.directory.glob(f"{TEMPORARY_PREFIX}*"))
    assert len(leftovers) == 1  # the write the kill cut short, under its temporary name
    assert store.sweep_temporary() == 1 and not list(store.directory.glob(f"{TEMPORARY_PREFIX}*"))
