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
    "story_archives",
    "snapshots",
    "archive_notices",
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


def test_0009_gives_each_stored_case_a_storyline_and_downgrades(database_url: str) -> None:
    from storage.models import Storyline

    database = Database(database_url)
    upgrade(database, "0008")
    with database.session() as session:
        cased, _ = insert_stories(session, None, [Entry("Nepali men sent to Russia"), Entry("No case row")])
        verdict = {"story_id": cased.id, "score": 0.9, "alert": True, "model_name": "m", "model_version": "1"}
        session.execute(insert(Classification), [verdict | {"reasons": {}}])
        session.execute(
            text(
                "INSERT INTO story_cases (story_id, classification_id, origin_countries, destination, event) "
                "SELECT story_id, id, 'NP', 'russia', 'recruitment' FROM classifications"
            )
        )
    upgrade(database)
    tables = {"storylines", "storyline_stories", "storyline_follows", "spike_alerts"}
    assert tables <= set(inspect(database.engine).get_table_names())
    with database.session() as session:
        rows = session.execute(text("SELECT story_id, storyline_id FROM storyline_stories")).all()
        assert [tuple(row) for row in rows] == [(cased.id, cased.id)]
        old = session.get_one(Storyline, cased.id)
        assert (old.title, old.first_story_at, old.state) == (cased.title, cased.published_at, "open")
        new = Storyline(title="new", first_story_at=cased.published_at, last_story_at=cased.published_at)
        session.add(new)
        session.flush()
        assert new.id > cased.id  # the numbering goes on after the stories' (PostgreSQL's sequence too)
    downgrade(database, "0008")
    assert not tables & set(inspect(database.engine).get_table_names())
    assert "storyline_id" not in {column["name"] for column in inspect(database.engine).get_columns("alerts")}
    database.dispose()
