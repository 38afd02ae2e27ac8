"""One WARC file per snapshot (warcio): a warcinfo record, the HTTP response as received, and a
metadata record with the text extracted from it.

The poller's fetcher hands over the body after transfer and content decoding (the size cap counts
decoded bytes), so the response record holds that body: ``Content-Encoding`` and
``Transfer-Encoding`` are kept as ``X-Archive-Orig-*`` headers and ``Content-Length`` states the
stored length, as replay tools expect. ``WARC-Payload-Digest`` is the SHA-256 of that body (the
hash the database, citations and bundle manifests name).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from io import BytesIO
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from archive.store import BinarySink

SOFTWARE = "warwatch archive (warcio)"
TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"
_DECODED_AWAY = frozenset({"content-encoding", "transfer-encoding", "content-length"})


@dataclass(frozen=True, slots=True)
class WarcContent:
    """What a snapshot's WARC file says: the response and the extracted text."""

    url: str
    status_code: int
    headers: list[tuple[str, str]]
    body: bytes
    payload_digest: str | None  # as the file states it, "sha256:BASE32"
    text: str | None


def payload_digest(body: bytes) -> str:
    """The WARC spelling of a body's SHA-256: ``sha256:`` and base32."""
    return "sha256:" + base64.b32encode(hashlib.sha256(body).digest()).decode()


def stored_headers(headers: Iterable[tuple[str, str]], body_length: int) -> list[tuple[str, str]]:
    """The response headers as they describe the stored (decoded) body."""
    kept: list[tuple[str, str]] = []
    for name, value in headers:
        lowered = name.lower()
        if lowered in ("content-encoding", "transfer-encoding"):
            kept.append((f"X-Archive-Orig-{name}", value))
        elif lowered not in _DECODED_AWAY:
            kept.append((name, value))
    kept.append(("Content-Length", str(body_length)))
    return kept


def write_snapshot(
    out: BinarySink,
    *,
    url: str,
    retrieved_at: datetime,
    status_code: int,
    reason: str,
    http_version: str | None,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    text: str | None,
) -> None:
    """Write the snapshot's records, each gzipped on its own (``.warc.gz``), to ``out``."""
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    date = datetime_to_iso_date(retrieved_at.replace(tzinfo=None), use_micros=True)
    info = writer.create_warcinfo_record("snapshot.warc.gz", {"software": SOFTWARE, "format": "WARC/1.1"})
    writer.write_record(info)
    protocol = (http_version or "HTTP/1.1").upper()
    http_headers = StatusAndHeaders(
        f"{status_code} {reason}".strip(), stored_headers(headers, len(body)), protocol=protocol
    )
    response = writer.create_warc_record(
        url,
        "response",
        payload=BytesIO(body),
        length=len(body),
        http_headers=http_headers,
        warc_headers_dict={"WARC-Date": date, "WARC-Payload-Digest": payload_digest(body)},
    )
    writer.write_record(response)
    if text is not None:
        encoded = text.encode()
        metadata = writer.create_warc_record(
            url,
            "metadata",
            payload=BytesIO(encoded),
            length=len(encoded),
            warc_content_type=TEXT_CONTENT_TYPE,
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Refers-To": response.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        writer.write_record(metadata)


def read_snapshot(stream: BinaryIO) -> WarcContent:
    """The response and the extracted text of a snapshot file, read with warcio's own reader;
    raises ValueError when the file holds no response record (or is not a WARC file)."""
    found: WarcContent | None = None
    text: str | None = None
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type == "response" and found is None:
                http = record.http_headers
                found = WarcContent(
                    url=record.rec_headers.get_header("WARC-Target-URI"),
                    status_code=int(http.get_statuscode()) if http else 0,
                    headers=list(http.headers) if http else [],
                    body=record.content_stream().read(),
                    payload_digest=record.rec_headers.get_header("WARC-Payload-Digest"),
                    text=None,
                )
            elif record.rec_type == "metadata" and text is None:
                text = record.content_stream().read().decode("utf-8", errors="replace")
    except Exception as error:  # warcio and zlib raise many kinds on a damaged file
        raise ValueError(f"not a readable WARC file: {type(error).__name__}: {error}") from None
    if found is None:
        raise ValueError("no response record in the WARC file")
    return replace(found, text=text)
