"""Engine and session factory: the one place that knows which database we talk to."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

from sqlalchemy import CursorResult, Engine, Update, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000


def normalise_database_url(url: str) -> str:
    """Pick the psycopg 3 driver for plain ``postgresql://`` URLs, so users can paste a libpq URL."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def describe_database_error(error: SQLAlchemyError) -> str:
    """The driver's own first line ("database or disk is full"), without SQLAlchemy's SQL dump."""
    lines = str(error.orig if isinstance(error, DBAPIError) else error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets the bot read while the poller writes; foreign keys are off by default in SQLite."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _configure_sqlite_reader(dbapi_connection: Any, _record: Any) -> None:
    """A reader must not switch journal modes (that is a write); it only waits for the writer."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _configure_postgres_reader(dbapi_connection: Any, _record: Any) -> None:
    """Every transaction of a reader's connection is read-only (the URL's own options stay untouched)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    cursor.close()
    dbapi_connection.commit()


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for PostgreSQL, in-memory and ``file:`` URI databases."""
    parsed = make_url(normalise_database_url(url))
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database).expanduser()


def is_in_memory_sqlite(url: str) -> bool:
    """A SQLite database that lives only as long as its connection (``sqlite://``, ``:memory:``…)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return False
    name = parsed.database or ""
    return (
        name in ("", ":memory:") or name.startswith("file::memory:") or parsed.query.get("mode") == "memory"
    )


def make_engine(url: str, *, echo: bool = False, read_only: bool = False) -> Engine:
    """Create an engine; for a SQLite file, create its folder and switch on WAL and foreign keys.

    ``read_only`` opens SQLite with ``mode=ro`` and PostgreSQL with read-only transactions, so
    looking at a backup (or a file another user owns) neither changes nor creates anything.
    """
    url = normalise_database_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_file(url)
        timeout = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        if read_only and path is not None:
            uri = f"file:{quote(str(path.resolve()))}?mode=ro"
            reader_url = parsed.set(database=uri, query={"uri": "true"})
            engine = create_engine(reader_url, echo=echo, connect_args=timeout)
            event.listen(engine, "connect", _configure_sqlite_reader)
            return engine
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args=timeout)
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    engine = create_engine(url, echo=echo, pool_pre_ping=True)
    if read_only:
        event.listen(engine, "connect", _configure_postgres_reader)
    return engine


class Database:
    """An engine plus its session factory; passed explicitly to whoever needs storage."""

    def __init__(self, url: str, *, echo: bool = False, read_only: bool = False) -> None:
        self.url = normalise_database_url(url)
        self.read_only = read_only
        self.engine = make_engine(self.url, echo=echo, read_only=read_only)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back on any error."""
        with self._sessions.begin() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def rows_changed(session: Session, statement: Update) -> int:
    """How many rows an UPDATE changed (``Session.execute`` is typed as returning a plain ``Result``)."""
    result = cast("CursorResult[Any]", session.execute(statement))
    return result.rowcount or 0
