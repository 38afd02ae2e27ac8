"""A child process for the crash test: writes large snapshots into a store, one after another,
saying "writing N" once each file is open and "stored N SHA" once it is stored, until it is killed."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from archive.store import BinarySink, WarcStore
from archive.warc import write_snapshot

BODY_BYTES = 8_000_000  # random bytes do not compress: each write takes a good fraction of a second


def main(directory: str) -> None:
    store = WarcStore(Path(directory))
    number = 0
    while True:
        number += 1
        body = os.urandom(BODY_BYTES)
        write = partial(
            write_snapshot,
            url=f"http://127.0.0.1/page/{number}",
            retrieved_at=datetime.now(UTC),
            status_code=200,
            reason="OK",
            http_version="HTTP/1.1",
            headers=[("Content-Type", "application/octet-stream")],
            body=body,
            text=None,
        )
        stored = store.put(partial(_announced, number, write))
        print(f"stored {number} {stored.sha256}", flush=True)


def _announced(number: int, write: Callable[[BinarySink], None], out: BinarySink) -> None:
    """Say so once the temporary file is open, so the parent's kill lands mid-write."""
    print(f"writing {number}", flush=True)
    write(out)


if __name__ == "__main__":
    main(sys.argv[1])
