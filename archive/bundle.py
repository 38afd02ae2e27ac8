"""Evidence bundles: a zip of WARC files with a CSV manifest and a checksum file, and the check
that every hash in it still holds (``warwatch archive verify``)."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from archive.store import CHUNK, WarcStore
from archive.warc import read_snapshot

MANIFEST = "manifest.csv"
CHECKSUMS = "SHA256SUMS"
MANIFEST_COLUMNS = ("id", "url", "retrieved", "sha256", "status", "outcome", "warc")


class BundleEntry(Protocol):
    """One kept copy of a page (``storage.archive.SnapshotRecord`` fits)."""

    @property
    def story_id(self) -> int: ...
    @property
    def final_url(self) -> str: ...
    @property
    def retrieved_at(self) -> datetime: ...
    @property
    def body_sha256(self) -> str | None: ...
    @property
    def status_code(self) -> int | None: ...
    @property
    def outcome(self) -> str: ...
    @property
    def warc_sha256(self) -> str | None: ...


@dataclass
class VerifyReport:
    entries: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def write_bundle(out: Path, entries: Iterable[BundleEntry], store: WarcStore) -> int:
    """Write the bundle to ``out`` (whole or not at all); returns how many copies it holds.

    A copy whose WARC file is missing from the store stops the export (ValueError): a bundle
    that silently lacks evidence is worse than none.
    """
    manifest = io.StringIO()
    writer = csv.writer(manifest, lineterminator="\n")
    writer.writerow(MANIFEST_COLUMNS)
    sums: list[str] = []
    written = 0
    descriptor, temporary = tempfile.mkstemp(prefix=".tmp-", suffix=".zip", dir=out.parent)
    os.close(descriptor)
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_STORED) as bundle:
            for entry in entries:
                if entry.warc_sha256 is None:
                    continue
                member = f"warc/{entry.warc_sha256}.warc.gz"
                if not store.exists(entry.warc_sha256):
                    raise ValueError(f"story {entry.story_id}: WARC file {entry.warc_sha256} is missing")
                bundle.write(store.path(entry.warc_sha256), member)
                sums.append(f"{entry.warc_sha256}  {member}")
                writer.writerow(
                    [
                        entry.story_id,
                        entry.final_url,
                        entry.retrieved_at.isoformat(),
                        entry.body_sha256 or "",
                        entry.status_code or "",
                        entry.outcome,
                        member,
                    ]
                )
                written += 1
            data = manifest.getvalue().encode()
            bundle.writestr(MANIFEST, data)
            sums.append(f"{hashlib.sha256(data).hexdigest()}  {MANIFEST}")
            bundle.writestr(CHECKSUMS, "\n".join(sums) + "\n")
        Path(temporary).replace(out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return written


def verify_bundle(path: Path) -> VerifyReport:
    """Re-check every hash of a bundle: each file against SHA256SUMS, and each response body
    against the manifest's SHA-256 (read back with warcio). Each failing entry is named."""
    report = VerifyReport()
    try:
        with zipfile.ZipFile(path) as bundle:
            names = set(bundle.namelist())
            if CHECKSUMS not in names or MANIFEST not in names:
                report.failures.append(f"{path.name}: no {CHECKSUMS} or {MANIFEST}: not a warwatch bundle")
                return report
            expected = _read_sums(bundle, report)
            for name in sorted(names - {CHECKSUMS}):
                if name not in expected:
                    report.failures.append(f"{name}: not listed in {CHECKSUMS}")
                elif (actual := _member_sha256(bundle, name)) != expected.pop(name):
                    report.failures.append(f"{name}: SHA-256 differs from {CHECKSUMS} ({actual})")
            report.failures += [f"{name}: listed in {CHECKSUMS} but missing" for name in expected]
            _verify_manifest(bundle, names, report)
    except (zipfile.BadZipFile, OSError) as error:
        report.failures.append(f"{path.name}: not a readable zip file ({error})")
    return report


def _read_sums(bundle: zipfile.ZipFile, report: VerifyReport) -> dict[str, str]:
    sums: dict[str, str] = {}
    for line in _read_text(bundle, CHECKSUMS, report).splitlines():
        digest, _, name = line.partition("  ")
        if len(digest) == 64 and name:
            sums[name] = digest
        elif line.strip():
            report.failures.append(f"{CHECKSUMS}: unreadable line {line[:80]!r}")
    return sums


def _verify_manifest(bundle: zipfile.ZipFile, names: set[str], report: VerifyReport) -> None:
    rows = csv.DictReader(io.StringIO(_read_text(bundle, MANIFEST, report)))
    for row in rows:
        report.entries += 1
        member, label = row.get("warc") or "", f"story {row.get('id')} ({row.get('warc')})"
        if member not in names:
            report.failures.append(f"{label}: WARC file missing from the bundle")
            continue
        try:
            with bundle.open(member) as stream:
                content = read_snapshot(io.BytesIO(stream.read()))
        except (ValueError, zipfile.BadZipFile, OSError) as error:
            report.failures.append(f"{label}: unreadable ({error})")
            continue
        if hashlib.sha256(content.body).hexdigest() != row.get("sha256"):
            report.failures.append(f"{label}: the response body's SHA-256 differs from the manifest")


def _read_text(bundle: zipfile.ZipFile, name: str, report: VerifyReport) -> str:
    try:
        return bundle.read(name).decode("utf-8")
    except (zipfile.BadZipFile, UnicodeDecodeError, OSError) as error:
        report.failures.append(f"{name}: unreadable ({error})")
        return ""


def _member_sha256(bundle: zipfile.ZipFile, name: str) -> str:
    digest = hashlib.sha256()
    try:
        with bundle.open(name) as stream:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
    except (zipfile.BadZipFile, OSError) as error:  # a stored member's CRC-32 no longer matches
        return f"unreadable: {error}"
    return digest.hexdigest()
