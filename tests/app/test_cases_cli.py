"""`warwatch cases list`, `show` and `trends`: the stored case facts of flagged stories, read back."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from classifiers.types import Verdict
from storage.case_trends import week_start
from storage.db import Database
from storage.records import StoryRecord
from storage.stories import assign_clusters, insert_stories
from storage.verdicts import record_verdicts
from tests.storage.factories import Entry
from warwatch.pipeline import with_case_facts

NOV = [datetime(2026, 11, day, 12, tzinfo=UTC) for day in (9, 20, 21, 22)]
STORIES = [
    Entry("12 Nepali men killed fighting in the Russian army", published_at=NOV[0], host="kathmandupost.com"),
    Entry("Kenyan recruiters jailed in Nairobi", published_at=NOV[1]),
    Entry("Football: a new season begins", published_at=NOV[2]),
    Entry("Nepali men killed in Russia's war, families say", published_at=NOV[3], host="bbc.com"),
]
FLAGGED = (True, True, False, True)


def _fill(database_url: str) -> list[StoryRecord]:
    """The stories, classified as the pipeline would (the flagged ones carry extracted case facts);
    the two Nepali stories are one cluster."""
    database = Database(database_url)
    with database.session() as session:
        stories = insert_stories(session, None, STORIES)
        assign_clusters(session, {stories[0].id: stories[0].id, stories[3].id: stories[0].id})
        verdicts = [Verdict(0.9 if alert else 0.1, alert, {}, "m", "1") for alert in FLAGGED]
        record_verdicts(session, with_case_facts(stories, verdicts))
    database.dispose()
    return stories


def _listed_ids(output: str) -> list[int]:
    """The id column of the table (wrapped rows continue on lines without an id)."""
    return [int(match.group(1)) for match in re.finditer(r"^\s*(\d+)\s+2026-", output, re.MULTILINE)]


def test_list_shows_the_newest_cases_first_and_filters_by_origin_country_date_and_limit(
    cli, database_url: str
) -> None:
    cli("db", "upgrade")
    nepal, kenya, _, nepal_again = _fill(database_url)
    every = cli("cases", "list").stdout
    assert _listed_ids(every) == [nepal_again.id, kenya.id, nepal.id]
    assert "Nepal → Russia's forces" in every and every.rstrip().endswith("3 cases")
    assert _listed_ids(cli("cases", "list", "--country", "Nepal").stdout) == [nepal_again.id, nepal.id]
    assert _listed_ids(cli("cases", "list", "--country", "ke").stdout) == [kenya.id]
    assert _listed_ids(cli("cases", "list", "--since", "2026-11-10", "--country", "NP").stdout) == [
        nepal_again.id
    ]
    assert _listed_ids(cli("cases", "list", "--limit", "1").stdout) == [nepal_again.id]
    assert cli("cases", "list", "--country", "Japan").stdout.strip() == "0 cases"


def test_show_prints_every_fact_with_its_evidence_url_cluster_and_outlets(cli, database_url: str) -> None:
    cli("db", "upgrade")
    nepal, *_ = _fill(database_url)
    lines = cli("cases", "show", str(nepal.id)).stdout.splitlines()
    fields = dict(line.strip().split(": ", 1) for line in lines[1:])
    assert lines[0] == f"#{nepal.id} {STORIES[0].title}"
    assert fields["Case"] == "🇳🇵 Nepal → Russia's forces · deaths or wounds · 12 people"
    assert (fields["From"], fields["Force"], fields["Event"], fields["People"]) == (
        "NP",
        "russia",
        "casualties",
        "12",
    )
    assert "NP “Nepali”" in fields["Evidence"] and "count “12 Nepali men" in fields["Evidence"]
    assert fields["URL"] == nepal.url and fields["Outlet"] == "kathmandupost.com · EN"
    assert fields["Cluster"] == f"#{nepal.id} · also told by bbc.com"


def test_bad_input_is_answered_on_one_line(cli, database_url: str) -> None:
    cli("db", "upgrade")
    _, _, football, _ = _fill(database_url)
    for args, message in [
        (("cases", "show", str(football.id)), f"story {football.id} has no case facts"),
        (("cases", "show", "999999"), "no story 999999"),
        (("cases", "list", "--country", "Atlantis"), "unknown country 'Atlantis'"),
    ]:
        result = cli(*args, code=2)
        assert result.stderr.strip().startswith(f"error: {message}"), result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert "Invalid value" in cli("cases", "show", "abc", code=2).stderr
    assert "Invalid value" in cli("cases", "show", str(2**64), code=2).stderr


def test_trends_count_flagged_clusters_per_week_by_country_or_destination(cli, database_url: str) -> None:
    cli("db", "upgrade")
    now = datetime.now(UTC)
    database = Database(database_url)
    with database.session() as session:
        entries = [
            Entry("12 Nepali men killed fighting in the Russian army", published_at=now),
            Entry("Nepali and Indian recruits return from Russia", published_at=now - timedelta(weeks=2)),
            Entry("Football: a new season begins", published_at=now),
        ]
        stories = insert_stories(session, None, entries)
        verdicts = [Verdict(0.9 if alert else 0.1, alert, {}, "m", "1") for alert in (True, True, False)]
        record_verdicts(session, with_case_facts(stories, verdicts))
    database.dispose()
    rows = _table_rows(cli("cases", "trends", "--weeks", "3").stdout)
    assert rows[0][1:] == [f"{week_start(now - timedelta(weeks=n)):%m-%d}" for n in (2, 1, 0)] + ["total"]
    assert rows[1:] == [["NP", "Nepal", "1", "0", "1", "2"], ["IN", "India", "1", "0", "0", "1"]]
    by_force = _table_rows(cli("cases", "trends", "--weeks", "2", "--by", "destination").stdout)
    assert by_force[1:] == [["russia", "0", "1", "1"]]  # the story two weeks back is outside


def test_trends_without_case_facts_or_with_a_bad_key_answer_on_one_line(cli) -> None:
    cli("db", "upgrade")
    assert cli("cases", "trends").stdout == "no flagged stories with case facts in the last 12 weeks\n"
    bad = cli("cases", "trends", "--by", "outlet", code=2)
    assert bad.stderr == "error: --by 'outlet': give country or destination\n"
    assert "Invalid value" in cli("cases", "trends", "--weeks", "0", code=2).stderr


def _table_rows(output: str) -> list[list[str]]:
    """The table's rows as words, without the closing note."""
    lines = output.splitlines()
    return [line.split() for line in lines if line.strip() and not line.startswith("weeks start")]


def test_spikes_name_the_countries_whose_week_jumps_above_their_baseline(cli, database_url: str) -> None:
    cli("db", "upgrade")
    assert cli("cases", "spikes").stdout.startswith("0 spikes in the week of")
    now = datetime.now(UTC)
    titles = [f"Nepali men recruited for the Russian army, report {n}" for n in range(3)]
    entries = [Entry(title, published_at=now) for title in titles]
    entries.append(Entry("Kenyan recruits in the Russian army", published_at=now))
    database = Database(database_url)
    with database.session() as session:
        stories = insert_stories(session, None, entries)
        assign_clusters(session, {story.id: story.id for story in stories})  # four separate events
        record_verdicts(session, with_case_facts(stories, [Verdict(0.9, True, {}, "m", "1")] * 4))
    database.dispose()
    lines = cli("cases", "spikes").stdout.splitlines()
    assert lines == [
        "NP Nepal: 3 this week against 0.00 a week before (p = 0.0e+00)",
        f"1 spikes in the week of {week_start(now):%Y-%m-%d} (UTC, so far)",
    ]
    assert cli("cases", "spikes", "--by", "destination").stdout.startswith("russia: 4 this week")
    assert cli("cases", "spikes", "--by", "Nepal", code=2).stderr.startswith("error: --by 'Nepal'")


def test_storyline_prints_a_cases_stories_and_answers_merged_or_unknown_ids_on_one_line(
    cli, database_url: str
) -> None:
    from cases.storylines import StorylineRule
    from storage.storylines import merge_storylines, storylines_of

    cli("db", "upgrade")
    now = datetime.now(UTC)
    entries = [
        Entry(
            "Nepal police arrest recruiter Ramesh Thapa over men sent to Russia",
            published_at=now - timedelta(weeks=3),
        ),
        Entry("Court sentences recruiter Ramesh Thapa for sending Nepali men to Russia", published_at=now),
        Entry("Kenyan recruiters jailed in Nairobi", published_at=now),
    ]
    database = Database(database_url)
    with database.session() as session:
        stories = insert_stories(session, None, entries)
        assign_clusters(session, {story.id: story.id for story in stories})
        verdicts = [Verdict(0.9, True, {}, "m", "1") for _ in stories]
        record_verdicts(session, with_case_facts(stories, verdicts), StorylineRule())
        lines = storylines_of(session, [story.id for story in stories])
    arrest, sentence, kenya = stories
    assert lines[arrest.id] == lines[sentence.id] != lines[kenya.id]
    output = cli("cases", "storyline", str(lines[arrest.id])).stdout.splitlines()
    assert output[0].startswith(f"storyline #{lines[arrest.id]} · 2 stories · open · ")
    assert output[0].endswith(f": {entries[0].title}")
    assert (
        output[1].startswith(f"  #{arrest.id} ")
        and "🇳🇵 Nepal → Russia's forces · arrests or trials" in output[1]
    )
    assert output[2].startswith(f"  #{sentence.id} ") and len(output) == 3
    with database.session() as session:
        merge_storylines(session, lines[arrest.id], [lines[kenya.id]])
    database.dispose()
    merged = cli("cases", "storyline", str(lines[kenya.id]), code=2).stderr
    assert merged == f"error: storyline {lines[kenya.id]} was merged into storyline {lines[arrest.id]}\n"
    assert cli("cases", "storyline", "999999", code=2).stderr == "error: no storyline 999999\n"
    assert "Invalid value" in cli("cases", "storyline", "0", code=2).stderr
