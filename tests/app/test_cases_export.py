"""`warwatch cases export`: one row per flagged story with its case facts, filtered, as CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

from classifiers.types import Verdict
from storage.cases import EXPORT_COLUMNS as COLUMNS
from storage.db import Database
from storage.stories import insert_stories
from storage.verdicts import record_verdicts
from tests.storage.factories import Entry
from warwatch.pipeline import with_case_facts

NOV = [datetime(2026, 11, day, tzinfo=UTC) for day in (9, 20, 21)]
STORIES = [
    Entry("12 Nepali men killed fighting in the Russian army", published_at=NOV[0]),
    Entry("Kenyan recruiters jailed in Nairobi", published_at=NOV[1]),
    Entry("Football: a new season begins", published_at=NOV[2]),
]
FLAGGED = (True, True, False)


def _fill(database_url: str) -> None:
    database = Database(database_url)
    with database.session() as session:
        stories = insert_stories(session, None, STORIES)
        verdicts = [Verdict(0.9 if alert else 0.1, alert, {}, "m", "1") for alert in FLAGGED]
        record_verdicts(session, with_case_facts(stories, verdicts))
    database.dispose()


def test_export_writes_one_csv_row_per_flagged_story_with_its_case_facts(cli, database_url: str) -> None:
    cli("db", "upgrade")
    _fill(database_url)
    result = cli("cases", "export")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["title"] for row in rows] == [STORIES[0].title, STORIES[1].title]
    assert (rows[0]["origin_countries"], rows[0]["destination"], rows[0]["event"], rows[0]["count"]) == (
        "NP",
        "russia",
        "casualties",
        "12",
    )
    assert rows[1]["origin_countries"] == "KE" and rows[1]["event"] == "legal_action"
    assert "exported 2 stories" in result.stderr


def test_export_filters_by_country_and_date_and_writes_json_lines(cli, database_url: str) -> None:
    cli("db", "upgrade")
    _fill(database_url)
    lines = cli("cases", "export", "--format", "json", "--country", "np").stdout.splitlines()
    [nepal] = [json.loads(line) for line in lines]
    assert nepal["case_card"] == "🇳🇵 Nepal → Russia's forces · deaths or wounds · 12 people"
    by_name = cli("cases", "export", "--format", "json", "--country", "Kenya").stdout.splitlines()
    assert [json.loads(line)["origin_countries"] for line in by_name] == ["KE"]
    recent = cli("cases", "export", "--format", "json", "--since", "2026-11-10").stdout.splitlines()
    assert [json.loads(line)["title"] for line in recent] == [STORIES[1].title]


def test_an_empty_export_is_a_header_and_says_so(cli) -> None:
    cli("db", "upgrade")
    result = cli("cases", "export", "--country", "Atlantis")
    assert result.stdout.splitlines() == [",".join(COLUMNS)]
    assert "exported 0 stories" in result.stderr
