"""One delivering service per database: two `warwatch run` on one database would poll the same feeds
and send every alert twice.

SQLite: an exclusive ``flock`` on ``<database file>.lock`` beside the database. PostgreSQL: a
session-level advisory lock, keyed by the schema, on a connection of its own. Both go with the
process, even after kill -9: the kernel drops a dead process's flocks, and PostgreSQL ends the
session of a connection whose client is gone. The holder writes who it is (pid, host, since when)
where a refused second service can read it.
"""

from __future__ import annotations

import enum
import fcntl
import json
import os
import re
import socket
import zlib
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from storage.db import Database

LOCK_CLASS = 0x57415257  # "WARW": first key of our advisory locks, so other applications' keys differ
CONNECT_TIMEOUT_SECONDS = 10
_TAG = re.compile(r"^warwatch pid=(\d+) host=(.*)$")


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds the lock, as far as it could be told."""

    pid: int | None
    host: str | None
    since: str | None

    @classmethod
    def this_process(cls) -> Holder:
        return cls(os.getpid(), socket.gethostname(), datetime.now(UTC).isoformat(timespec="seconds"))

    def describe(self) -> str:
        if self.pid is None:
            return "pid unknown"
        where = f" on host {self.host}" if self.host else ""
        since = f", since {self.since}" if self.since else ""
        return f"pid {self.pid}{where}{since}"


class ServiceRunningError(Exception):
    """Another service holds this database's service lock."""

    def __init__(self, holder: Holder, where: str) -> None:
        super().__init__(
            f"another `warwatch run` ({holder.describe()}) already serves {where}: stop it first "
            "(one delivering service per database; on PostgreSQL, --role poller and --role classifier "
            "processes may run beside it)"
        )
        self.holder = holder


class LockState(enum.StrEnum):
    HELD = "held"
    WAITING = (
        "waiting"  # the connection that held it dropped (a database restart): taken again when it answers
    )


class ServiceLock(Protocol):
    def check(self) -> LockState:
        """Still held? Raises ServiceRunningError when another service took it meanwhile."""
        ...

    def release(self) -> None: ...


class FileServiceLock:
    """An exclusive flock on ``<database file>.lock``."""

    def __init__(self, database_file: Path) -> None:
        self.path = database_file.with_name(f"{database_file.name}.lock")
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)  # not inherited by child processes (PEP 446)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise ServiceRunningError(holder, str(database_file)) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(asdict(Holder.this_process())).encode(), 0)
        self._fd: int | None = fd

    def check(self) -> LockState:
        return LockState.HELD  # a flock is held until the process lets go or dies

    def release(self) -> None:
        """The file stays (removing it would let a third process lock a file nobody else sees)."""
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _read_holder(fd: int) -> Holder:
    try:
        data = json.loads(os.pread(fd, 4096, 0) or b"{}")
        return Holder(int(data["pid"]), str(data.get("host") or ""), data.get("since"))
    except (ValueError, KeyError, TypeError, OSError):  # the holder is still writing, or wrote no JSON
        return Holder(None, None, None)


class AdvisoryServiceLock:
    """A session-level PostgreSQL advisory lock on a dedicated connection, held for the service's life."""

    def __init__(self, database: Database) -> None:
        me = Holder.this_process()
        self._engine = create_engine(
            database.url,
            poolclass=NullPool,
            isolation_level="AUTOCOMMIT",  # never idle in a transaction for days
            connect_args={
                "application_name": f"warwatch pid={me.pid} host={me.host}"[:63],
                "connect_timeout": CONNECT_TIMEOUT_SECONDS,
            },
        )
        self._where = make_url(database.url).render_as_string(hide_password=True)
        self._connection: Connection | None = None
        try:
            self._take()
        except BaseException:
            self._engine.dispose()
            raise

    def _take(self) -> None:
        connection = self._engine.connect()
        try:
            schema = connection.execute(text("SELECT coalesce(current_schema(), '')")).scalar_one()
            key = zlib.crc32(f"{schema}".encode()) & 0x7FFFFFFF
            taken = connection.execute(
                text("SELECT pg_try_advisory_lock(:class, :key)"), {"class": LOCK_CLASS, "key": key}
            ).scalar_one()
            if not taken:
                holder = _advisory_holder(connection, key)
                raise ServiceRunningError(holder, f"{self._where} (schema {schema or '(none)'})")
        except BaseException:
            connection.close()
            raise
        self._connection = connection

    def check(self) -> LockState:
        """After a lost connection (a PostgreSQL restart took the lock with it) take the lock again."""
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT 1"))
                return LockState.HELD
            except SQLAlchemyError:
                self._connection.close()
                self._connection = None
        try:
            self._take()
        except SQLAlchemyError:
            return LockState.WAITING
        return LockState.HELD

    def release(self) -> None:
        """Closing the session releases the lock."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._engine.dispose()


def _advisory_holder(connection: Connection, key: int) -> Holder:
    row = connection.execute(
        text(
            "SELECT a.application_name, a.backend_start FROM pg_locks l "
            "LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND l.classid = CAST(:class AS oid) AND l.objid = CAST(:key AS oid)"
        ),
        {"class": LOCK_CLASS, "key": key},
    ).first()
    if row is None:
        return Holder(None, None, None)
    since = row.backend_start.astimezone(UTC).isoformat(timespec="seconds") if row.backend_start else None
    if match := _TAG.match(row.application_name or ""):
        return Holder(int(match.group(1)), match.group(2), since)
    return Holder(None, None, since)


def acquire_service_lock(database: Database) -> ServiceLock | None:
    """Take the database's service lock, or raise ServiceRunningError naming the holder.

    None for an in-memory SQLite database: no other process can open it.
    """
    if database.dialect == "postgresql":
        return AdvisoryServiceLock(database)
    path = sqlite_file(database.url)
    return FileServiceLock(path) if path else None


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL (``file:`` URIs included); None for an in-memory database."""
    name = make_url(url).database or ""
    if name.startswith("file:"):
        name = name.removeprefix("file:").split("?", 1)[0]
    if not name or name == ":memory:":
        return None
    return Path(name).expanduser().resolve()
