"""A PostgreSQL schema of a benchmark's own, dropped afterwards (even when the benchmark fails)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage.db import normalise_database_url


@contextmanager
def temporary_schema(url: str, prefix: str = "bench") -> Iterator[str]:
    """Yield ``url`` with its search_path set to a fresh schema; drop the schema on exit."""
    schema = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalise_database_url(url))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (
            make_url(normalise_database_url(url))
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
