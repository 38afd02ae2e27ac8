from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.db import Database
from storage.outbox import record_verdicts
from storage.search import HIGHLIGHT_END, HIGHLIGHT_START, query_terms, search
from storage.stories import insert_stories
from tests.storage.factories import Entry, FakeVerdict

STORIES = [
    Entry(
        "Nepali men recruited to fight for Russia",
        "Families say the men were lured with job offers.",
        published_at=datetime(2026, 5, 1, tzinfo=UTC),
    ),
    Entry(
        "Weather report",
        "Sunny with a chance of recruiters recruited for Russia in the summary only.",
        published_at=datetime(2026, 6, 1, tzinfo=UTC),
    ),
    Entry(
        "Наёмники из Непала",
        "Вербовщики отправляли мужчин на фронт.",
        language="ru",
        published_at=datetime(2026, 7, 1, tzinfo=UTC),
    ),
    Entry(
        "Kenyan recruits stranded",
        "Kenya says 200 citizens were recruited; some died at the front.",
        published_at=datetime(2026, 8, 1, tzinfo=UTC),
    ),
    Entry(
        "مرتزقة سوريون في ليبيا",
        "تجنيد مقاتلين سوريين للقتال في ليبيا",
        language="ar",
        published_at=datetime(2026, 9, 1, tzinfo=UTC),
    ),
]

HOSTILE = [
    '"',
    '""',
    "'",
    "*",
    "-",
    "- recruited",
    "NEAR(a b)",
    "recruited NEAR russia",
    "a AND OR NOT b",
    "title:nepali",
    "^nepali",
    "(((",
    ")",
    "{}",
    "recruited*",
    "'; DROP TABLE stories; --",
    "\x00",
    "\u202e\u200b",
    "🪖🇳🇵",
    "x" * 1000,
    "junk " * 200,
    "\\",
    "%",
    "_",
    "?:",
    "\ufffd",
]


@pytest.fixture
def filled(database: Database) -> Database:
    with database.session() as session:
        stories = insert_stories(session, None, STORIES)
        record_verdicts(session, [(stories[0].id, FakeVerdict(0.91, alert=False))])
    return database


def test_title_match_ranks_above_summary_match(filled: Database) -> None:
    with filled.session() as session:
        hits = search(session, "recruited Russia")
    assert [hit.title for hit in hits[:2]] == [STORIES[0].title, STORIES[1].title]
    assert hits[0].score == 0.91 and hits[1].score is None
    assert HIGHLIGHT_START in hits[0].snippet and HIGHLIGHT_END in hits[0].snippet
    assert hits[0].rank >= hits[1].rank


def test_all_words_must_match_and_case_and_accents_do_not_matter(filled: Database) -> None:
    with filled.session() as session:
        assert [h.title for h in search(session, "KENYAN front")] == [STORIES[3].title]
        assert search(session, "kenyan nepali") == []
        assert [h.title for h in search(session, "НАЁМНИКИ")] == [STORIES[2].title]
        assert [h.title for h in search(session, "ليبيا")] == [STORIES[4].title]


def test_since_and_paging(filled: Database) -> None:
    with filled.session() as session:
        all_hits = search(session, "recruited")
        assert len(all_hits) == 3
        assert [h.title for h in search(session, "recruited", since=datetime(2026, 5, 15, tzinfo=UTC))] == [
            h.title for h in all_hits if h.published_at >= datetime(2026, 5, 15, tzinfo=UTC)
        ]
        pages = [search(session, "recruited", limit=1, offset=i) for i in range(4)]
    assert [p[0].story_id for p in pages[:3]] == [h.story_id for h in all_hits]
    assert pages[3] == []


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_return_a_list_not_an_error(filled: Database, query: str) -> None:
    with filled.session() as session:
        hits = search(session, query)
        assert isinstance(hits, list)
        assert search(session, "nepali")  # the table is intact afterwards


def test_operator_words_are_plain_words(filled: Database) -> None:
    with filled.session() as session:
        assert search(session, "recruited NEAR russia") == []  # 'near' is a word no story contains
        assert [h.title for h in search(session, "-nepali")] == [STORIES[0].title]


def test_query_terms_are_bounded() -> None:
    terms = query_terms("word " * 100 + "y" * 500)
    assert len(terms) <= 16 and all(len(term) <= 64 for term in terms)
    assert query_terms("") == [] and query_terms("*** ---") == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=300))
def test_any_text_is_a_safe_query(filled: Database, query: str) -> None:
    with filled.session() as session:
        assert isinstance(search(session, query, limit=5), list)


@pytest.mark.postgres
def test_postgres_searches_the_newest_stories_first_and_falls_back_to_all(postgres_schema_url: str) -> None:
    """Searching a recent id window first must give exactly the whole table's answer."""
    from storage.migrate import upgrade
    from storage.search import RANK_CANDIDATES, _search_postgres

    database = Database(postgres_schema_url)
    upgrade(database)
    many = RANK_CANDIDATES + 100
    common = [
        Entry(f"Recruiters story {i}", "recruited abroad" + " again" * (i % 7), host=f"h{i}.example")
        for i in range(many)
    ]
    with database.session() as session:
        insert_stories(session, None, [Entry("Rare word zorbquil", "only once"), *common])
    try:
        # a window holding enough candidates answers alone; one holding too few falls back to all
        for terms, window in ((["recruited"], RANK_CANDIDATES + 50), (["zorbquil"], 5)):
            for offset in (0, 10):
                with database.session() as session:
                    whole = _search_postgres(session, terms, 10, offset, None, recent_ids=10 * many)
                    windowed = _search_postgres(session, terms, 10, offset, None, recent_ids=window)
                assert [h.story_id for h in windowed] == [h.story_id for h in whole]
                assert whole or offset
    finally:
        database.dispose()
