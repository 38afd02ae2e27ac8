from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.db import Database
from storage.search import HIGHLIGHT_END, HIGHLIGHT_START, search
from storage.stories import insert_stories
from storage.verdicts import record_verdicts
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


# "common" is in every story, "seventh" in every seventh, "old" only in the oldest 80, "fresh" in the
# newest 10 and every twentieth before (so the newest overstate how often it matches), "rare" in one.
# Published a day apart, so `since` cuts the id range too.
STAGED = [
    Entry(
        f"Story {i} common"
        + (" seventh" if i % 7 == 0 else "")
        + (" old" if i < 80 else "")
        + (" fresh" if i >= 290 or i % 20 == 0 else ""),
        "summary" + " filler" * (i % 5) + (" rare" if i == 123 else ""),
        host=f"h{i}.example",
        published_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=i),
    )
    for i in range(300)
]
REFERENCE = """
    SELECT id, ts_rank_cd(search_vector, plainto_tsquery('simple', :query)) AS rank FROM stories
    WHERE search_vector @@ plainto_tsquery('simple', :query) AND published_at >= :since
    ORDER BY id DESC LIMIT :candidates
"""


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("first_walk", "walk_min_density"),
    [
        (1000, 0.02),  # one walk over everything
        (5, 0.02),  # short walks while the query matches densely, then GIN scans
        (5, 2.0),  # GIN scans only, each over a range sized from the matches so far
        (5, 0.0),  # walks only
    ],
)
def test_postgres_staged_search_gives_the_whole_tables_answer(
    postgres_schema_url: str, monkeypatch: pytest.MonkeyPatch, first_walk: int, walk_min_density: float
) -> None:
    """However the id ranges are searched, the candidates are the newest matches of the whole table."""
    from sqlalchemy import text

    import storage.search
    from storage.migrate import upgrade

    candidates = 40
    monkeypatch.setattr(storage.search, "RANK_CANDIDATES", candidates)
    monkeypatch.setattr(storage.search, "WALK_MIN_DENSITY", walk_min_density)
    database = Database(postgres_schema_url)
    upgrade(database)
    with database.session() as session:
        insert_stories(session, None, STAGED)
    try:
        for query in (
            "common",
            "seventh",
            "common seventh",
            "old",
            "fresh",
            "rare",
            "old rare",
            "common nowhere",
        ):
            for since in (None, datetime(2026, 6, 1, tzinfo=UTC)):
                with database.session() as session:
                    rows = session.execute(
                        text(REFERENCE),
                        {
                            "query": query,
                            "since": since or datetime.min.replace(tzinfo=UTC),
                            "candidates": candidates,
                        },
                    )
                    ranks = {row.id: row.rank for row in rows}
                    best = sorted(ranks, key=lambda story_id: (-ranks[story_id], -story_id))
                    for offset in (0, 10, 35):
                        hits = storage.search._search_postgres(
                            session, query.split(), 10, offset, since, first_walk=first_walk
                        )
                        assert [h.story_id for h in hits] == best[offset : offset + 10], (
                            query,
                            since,
                            offset,
                        )
                        assert [h.rank for h in hits] == pytest.approx([ranks[h.story_id] for h in hits])
                        assert all(HIGHLIGHT_START in h.snippet for h in hits)
    finally:
        database.dispose()
