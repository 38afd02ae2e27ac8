"""A content-addressed store of files on disk: each named by the SHA-256 of its bytes.

A file is written to a temporary name in its final folder, flushed to disk (fsync), and only then
renamed to its hash (``os.replace``, atomic on one file system), and the folder is synced so the
rename survives a crash. A crash mid-write leaves only a ``.tmp-`` file, which no row names and
``sweep_temporary`` removes: a name in the store always holds the whole file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from archive.types import StoredFile

SUFFIX = ".warc.gz"
TEMPORARY_PREFIX = ".tmp-"
_HASH = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1 << 20


class BinarySink(Protocol):
    """Where a file's bytes are written (warcio's writer needs only this)."""

    def write(self, data: bytes, /) -> int: ...


class _HashingWriter:
    """A binary file that hashes and counts what goes through it."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes, /) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self._handle.write(data)

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        self._handle.flush()


class WarcStore:
    """WARC files under ``directory``, two levels deep by hash prefix (``ab/abcd….warc.gz``)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, sha256: str) -> Path:
        if not _HASH.match(sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.directory / sha256[:2] / f"{sha256}{SUFFIX}"

    def put(self, write: Callable[[BinarySink], None]) -> StoredFile:
        """Store what ``write`` writes to the file it is given; returns its hash and size."""
        self.directory.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, dir=self.directory)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                writer = _HashingWriter(handle)
                write(writer)
                handle.flush()
                os.fsync(handle.fileno())
            stored = StoredFile(writer.digest.hexdigest(), writer.size)
            final = self.path(stored.sha256)
            if not final.parent.is_dir():
                final.parent.mkdir(exist_ok=True)
                _sync_directory(self.directory)
            Path(temporary).replace(final)
            _sync_directory(final.parent)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                Path(temporary).unlink()
            raise
        return stored

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def remove(self, sha256: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(sha256).unlink()

    def sweep_temporary(self, older_than_seconds: float = 0.0) -> int:
        """Remove what crashed writes left behind (older than this: another process may be
        writing the newer ones); returns how many files."""
        removed = 0
        cutoff = time.time() - older_than_seconds
        for leftover in self.directory.glob(f"{TEMPORARY_PREFIX}*"):
            with contextlib.suppress(FileNotFoundError):
                if leftover.stat().st_mtime <= cutoff:
                    leftover.unlink()
                    removed += 1
        return removed

    def files(self) -> Iterator[Path]:
        """Every stored file (not the temporary ones)."""
        return self.directory.glob(f"??/*{SUFFIX}")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _sync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
