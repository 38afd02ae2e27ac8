"""A child process for the crash test: the service's archive cycle, run until nothing is due."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from archive.settings import ArchiveSettings
from feeds.fetch import make_client
from feeds.settings import PollerSettings
from storage.db import Database
from warwatch.archiving import make_archive_service


async def main(database_url: str, directory: str) -> None:
    database = Database(database_url)
    poller = PollerSettings(allow_private_addresses=True, max_response_bytes=10_000_000)
    async with make_client(poller) as client:
        service = make_archive_service(ArchiveSettings(directory=Path(directory)), database, client, poller)
        while await service.run_due():
            pass


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
