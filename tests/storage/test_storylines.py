"""Storylines in the database: stories of one case weeks apart join one, another case with the same
countries does not, two storylines a story links merge, and stories leave when no longer flagged.
The join rule is the real one (``cases.storylines``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cases import extract_case
from cases.storylines import StorylineRule
from storage.cases import flagged_cases
from storage.db import Database
from storage.follows import follow_storyline
from storage.models import Storyline
from storage.states import StorylineState
from storage.stories import assign_clusters, insert_stories
from storage.storylines import mark_dormant, storyline_detail, storyline_records, storylines_of
from storage.verdicts import record_verdicts
from tests.storage.factories import Entry, FakeVerdict, add_subscriber

# twelve weeks ago: the rule's window (8 weeks) ends before now, so dormancy is seen too
START = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(weeks=12)
ARREST = Entry(
    "Nepal police arrest recruiter Ramesh Thapa for sending men to the Russian army",
    "Police in Kathmandu said Thapa took money from 40 families in Dhading and sent their sons to Russia.",
    published_at=START,
)
CHARGE = Entry(
    "Recruiter Ramesh Thapa charged with human trafficking over Nepalis sent to Russia",
    "Prosecutors in Kathmandu charged Ramesh Thapa with trafficking 40 Nepali men to the Russian army.",
    published_at=START + timedelta(weeks=3),
)
SENTENCE = Entry(
    "Court sentences Ramesh Thapa to 12 years for sending Nepali men to fight for Russia",
    "The Kathmandu District Court found the recruiter guilty of human trafficking.",
    published_at=START + timedelta(weeks=7),
)
UNRELATED = Entry(
    "12 Nepali men killed fighting in the Russian army, families say",
    "Families in Nepal say their sons, recruited with promises of jobs, died on the front line.",
    published_at=START + timedelta(weeks=7, days=1),
)
RULE = StorylineRule()


def flagged(entry: Entry) -> FakeVerdict:
    """A positive verdict carrying the story's extracted case facts, as the pipeline records it."""
    facts = extract_case(entry.title, entry.summary, entry.language)
    return FakeVerdict(0.9, alert=True, reasons={"summary": "test", "case": facts.to_dict()})


def record(database: Database, entry: Entry, verdict: FakeVerdict | None = None) -> int:
    """Store one story in a cluster of its own and record its verdict with the storyline rule."""
    with database.session() as session:
        [story] = insert_stories(session, None, [entry])
        assign_clusters(session, {story.id: story.id})
        record_verdicts(session, [(story.id, verdict or flagged(entry))], RULE)
    return story.id


def storyline(database: Database, story_id: int) -> int | None:
    with database.session() as session:
        return storylines_of(session, [story_id]).get(story_id)


def test_an_arrest_charge_and_sentence_weeks_apart_make_one_storyline(database: Database) -> None:
    arrest, charge, sentence, unrelated = (record(database, e) for e in (ARREST, CHARGE, SENTENCE, UNRELATED))
    line = storyline(database, arrest)
    assert line is not None and storyline(database, charge) == storyline(database, sentence) == line
    assert storyline(database, unrelated) not in {None, line}
    with database.session() as session:
        detail = storyline_detail(session, line)
        assert detail is not None
        record_ = detail.storyline
        assert (record_.title, record_.stories, record_.state) == (ARREST.title, 3, StorylineState.OPEN)
        assert (record_.first_story_at, record_.last_story_at) == (ARREST.published_at, SENTENCE.published_at)
        assert [entry.story.id for entry in detail.entries] == [arrest, charge, sentence]
        assert detail.entries[0].card.startswith("🇳🇵 Nepal → Russia's forces · arrests or trials")
        rows = {item.story.id: item.as_row() for item in flagged_cases(session)}
        assert rows[sentence]["storyline"] == line and rows[unrelated]["storyline"] != line
        assert rows[arrest]["recruiters"] == "Ramesh Thapa"
        assert storyline_detail(session, 10**9) is None


def test_a_story_past_the_window_starts_its_own_storyline_and_old_ones_go_dormant(database: Database) -> None:
    arrest = record(database, ARREST)
    late = record(database, Entry(CHARGE.title, CHARGE.summary, published_at=START + timedelta(weeks=9)))
    old_line, new_line = storyline(database, arrest), storyline(database, late)
    assert old_line is not None and new_line is not None and old_line != new_line
    with database.session() as session:
        states = {
            line: record_.state for line, record_ in storyline_records(session, [old_line, new_line]).items()
        }
        assert states == {old_line: StorylineState.DORMANT, new_line: StorylineState.OPEN}
        assert mark_dormant(session, RULE.window, datetime.now(UTC) + timedelta(weeks=6)) == 1
        assert storyline_records(session, [new_line])[new_line].state is StorylineState.DORMANT


def test_a_story_linking_two_storylines_merges_them_into_the_older(database: Database) -> None:
    thapa = record(database, ARREST)
    agency = record(
        database,
        Entry(
            "Nepali men sent to Russia by the agency Global Manpower, say their families",
            "Global Manpower took 3 lakh rupees from each family in Gorkha.",
            published_at=START + timedelta(days=2),
        ),
    )
    first, second = storyline(database, thapa), storyline(database, agency)
    assert first is not None and second is not None and first < second
    with database.session() as session:
        add_subscriber(session, 7)
        follow_storyline(session, 7, second)
    both = record(
        database,
        Entry(
            "Ramesh Thapa ran Global Manpower, which sent Nepali men to Russia, court hears",
            "",
            published_at=START + timedelta(weeks=2),
        ),
    )
    assert storyline(database, both) == storyline(database, agency) == storyline(database, thapa) == first
    with database.session() as session:
        records = storyline_records(session, [first, second])
        assert records[second].state is StorylineState.MERGED and records[second].merged_into == first
        assert (records[first].stories, records[second].stories) == (3, 0)
        assert follow_storyline(session, 7, first).outcome == "already"  # the follower moved along


def test_a_story_keeps_its_storyline_when_reclassified_and_leaves_it_when_cleared(database: Database) -> None:
    arrest = record(database, ARREST)
    line = storyline(database, arrest)
    with database.session() as session:
        record_verdicts(session, [(arrest, flagged(ARREST))], RULE)
        assert storylines_of(session, [arrest]) == {arrest: line}
        record_verdicts(session, [(arrest, FakeVerdict(0.1, alert=False))], RULE)
        assert storylines_of(session, [arrest]) == {}
        assert session.get(Storyline, line) is None  # it held only that story: a false alarm, gone


def test_without_a_rule_no_story_is_placed(database: Database) -> None:
    with database.session() as session:
        [story] = insert_stories(session, None, [ARREST])
        record_verdicts(session, [(story.id, flagged(ARREST))])
        assert storylines_of(session, [story.id]) == {}
