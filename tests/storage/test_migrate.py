"""Migrations: an empty database upgrades to the head revision, idempotently, and downgrades back."""

from __future__ import annotations

from sqlalchemy import insert, inspect, text

from storage.db import Database
from storage.migrate import current_revision, downgrade, head_revision, upgrade
from storage.models import Classification
from storage.stories import insert_stories
from tests.storage.factories import Entry

TABLES = {
    "feeds",
    "stories",
    "classifications",
    "keyword_rules",
    "subscribers",
    "alerts",
    "feedback",
    "audit_log",
    "runtime_settings",
    "story_cases",
    "story_case_origins",
}


def test_upgrade_from_empty_creates_every_table(database_url: str) -> None:
    database = Database(database_url)
    assert current_revision(database) is None
    upgrade(database)
    assert current_revision(database) == head_revision()
    assert TABLES <= set(inspect(database.engine).get_table_names())
    database.dispose()


def test_upgrade_is_idempotent_and_downgrade_reverses_it(database_url: str) -> None:
    database = Database(database_url)
    upgrade(database)
    upgrade(database)
    downgrade(database, "base")
    assert current_revision(database) is None
    assert not TABLES & set(inspect(database.engine).get_table_names())
    upgrade(database)
    assert current_revision(database) == head_revision()
    database.dispose()


def test_0007_fills_story_cases_from_the_newest_flagged_verdicts_and_downgrades(database_url: str) -> None:
    database = Database(database_url)
    upgrade(database, "0006")
    case = {"origin_countries": ["NP", "IN"], "destination": "russia", "event": "casualties", "count": 12}
    with database.session() as session:  # verdicts stored before 0007, straight into the old tables
        flagged, cleared, bare, never = insert_stories(session, None, [Entry(t) for t in "ABCD"])
        verdicts = [
            (flagged.id, False, {}),
            (flagged.id, True, {"case": case}),
            (cleared.id, True, {"case": case}),
            (cleared.id, False, {"case": case}),  # the newest verdict cleared it
            (bare.id, True, {"summary": "flagged before case extraction"}),
            (never.id, False, {}),
        ]
        session.execute(
            insert(Classification),
            [
                {"story_id": story_id, "score": 0.5, "alert": alert, "model_name": "m", "model_version": "1"}
                | {"reasons": reasons}
                for story_id, alert, reasons in verdicts
            ],
        )
    upgrade(database)
    with database.engine.connect() as connection:
        cases = connection.execute(
            text("SELECT story_id, origin_countries, destination, event, people_count FROM story_cases")
        ).all()
        origins = connection.execute(
            text("SELECT story_id, country FROM story_case_origins ORDER BY country")
        ).all()
    assert [tuple(row) for row in cases] == [(flagged.id, "IN NP", "russia", "casualties", 12)]
    assert [tuple(row) for row in origins] == [(flagged.id, "IN"), (flagged.id, "NP")]
    downgrade(database, "0006")
    assert not {"story_cases", "story_case_origins"} & set(inspect(database.engine).get_table_names())
    database.dispose()
