"""procrastinate's tables and functions in the PostgreSQL database, created on first start.

Apart from warwatch/tasks.py on purpose: importing the tasks registers their periodic jobs (and logs
each), which every command that opens the database would otherwise pay for and print.
"""

from __future__ import annotations

from sqlalchemy import text

from storage.db import Database


def ensure_queue_schema(database: Database) -> bool:
    """Create procrastinate's tables and functions unless they exist; True if created."""
    from procrastinate.schema import SchemaManager

    with database.engine.connect() as connection:
        if connection.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar() is not None:
            return False
    raw = database.engine.raw_connection()
    try:
        with raw.cursor() as cursor:
            cursor.execute(SchemaManager.get_schema())
        raw.commit()
    finally:
        raw.close()
    return True
