"""Ranked full-text search over story titles and summaries.

User text is never spliced into SQL or into FTS query syntax: it is reduced to plain Unicode
words, each passed as a quoted FTS5 string (SQLite) or through ``plainto_tsquery`` (PostgreSQL),
always as a bound parameter. Operators such as ``NEAR``, ``*``, ``-`` or quotes are just words.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Float, RowMapping, TextClause, TextualSelect, bindparam, text
from sqlalchemy.orm import Session

from storage.ranking import MATCH_MARK, relevance_scores
from storage.types import UTCDateTime

MAX_QUERY_TERMS = 16
MAX_TERM_CHARS = 64
MAX_PAGE_SIZE = 100
HIGHLIGHT_START = "\ue000"  # private-use characters: rare in stories (bot.render.highlight copes if not)
HIGHLIGHT_END = "\ue001"
SNIPPET_WORDS = 24
RANK_CANDIDATES = 1000  # newest matches ranked per query
# PostgreSQL (see _search_postgres)
FIRST_WALK = 5000  # newest stories tested one by one first (2 000 and 10 000 measured no better)
WALK_MIN_DENSITY = 0.02  # from this share of stories matching, walking beats the GIN index
CANDIDATE_MARGIN = 2.0  # each further id range should hold this many times the candidates missing

_WORD = re.compile(r"[^\W_]+")  # as both tokenizers see words: "_" separates them


@dataclass(frozen=True, slots=True)
class SearchHit:
    story_id: int
    title: str
    url: str
    outlet: str | None
    language: str | None
    published_at: datetime
    snippet: str  # matched words wrapped in HIGHLIGHT_START / HIGHLIGHT_END
    rank: float  # higher is better, comparable only within one result list
    score: float | None  # latest classifier score, None if not classified yet


def query_terms(query: str) -> list[str]:
    """Plain words of a user query, case-folded, bounded in number and length."""
    words = _WORD.findall(query.casefold())
    return [word[:MAX_TERM_CHARS] for word in words[:MAX_QUERY_TERMS]]


def search(
    session: Session,
    query: str,
    limit: int = 10,
    offset: int = 0,
    since: datetime | None = None,
) -> list[SearchHit]:
    """Stories matching every word of ``query``, best first; an empty list for an empty query."""
    terms = query_terms(query)
    if not terms:
        return []
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    offset = max(0, offset)
    if session.get_bind().dialect.name == "postgresql":
        return _search_postgres(session, terms, limit, offset, since)
    return _search_sqlite(session, terms, limit, offset, since)


_LATEST_SCORE = "(SELECT c.score FROM classifications c WHERE c.story_id = s.id ORDER BY c.id DESC LIMIT 1)"
_COLUMNS = f"s.id, s.title, s.url, s.outlet, s.language, s.published_at, {_LATEST_SCORE} AS score"


def _search_sqlite(
    session: Session, terms: list[str], limit: int, offset: int, since: datetime | None
) -> list[SearchHit]:
    """Rank the newest RANK_CANDIDATES matches (see ``storage.ranking``), then snippet the page.

    Bounding the candidates keeps a query for a word in every third story as fast as a rare one,
    and the newest matches are the ones a news search is for.
    """
    match = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
    since_join = "JOIN stories s ON s.id = stories_fts.rowid AND s.published_at >= :since" if since else ""
    candidates_sql = text(
        f"""
        SELECT stories_fts.rowid,
               highlight(stories_fts, 0, '{MATCH_MARK}', ''), highlight(stories_fts, 1, '{MATCH_MARK}', '')
        FROM stories_fts {since_join}
        WHERE stories_fts MATCH :match ORDER BY stories_fts.rowid DESC LIMIT {RANK_CANDIDATES}
        """
    )
    params: dict[str, object] = {"match": match}
    if since:
        candidates_sql = candidates_sql.bindparams(bindparam("since", type_=UTCDateTime()))
        params["since"] = since
    scores = relevance_scores(session.execute(candidates_sql, params))
    page = sorted(scores, key=lambda story_id: (-scores[story_id], -story_id))[offset : offset + limit]
    if not page:
        return []
    page_sql = text(
        f"""
        SELECT {_COLUMNS},
               snippet(stories_fts, -1, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', {SNIPPET_WORDS})
                   AS snippet,
               0.0 AS rank
        FROM stories_fts JOIN stories s ON s.id = stories_fts.rowid
        WHERE stories_fts MATCH :match AND stories_fts.rowid IN :ids
        """
    ).bindparams(bindparam("ids", expanding=True))
    hits = {hit.story_id: hit for hit in _hits(session, page_sql, {"match": match, "ids": page})}
    return [replace(hits[story_id], rank=scores[story_id]) for story_id in page if story_id in hits]


def _search_postgres(
    session: Session,
    terms: list[str],
    limit: int,
    offset: int,
    since: datetime | None,
    first_walk: int = FIRST_WALK,
) -> list[SearchHit]:
    """Rank the newest RANK_CANDIDATES matches with ``ts_rank_cd``, as SQLite does with its own ranking.

    The candidates are gathered newest first, in consecutive id ranges going down from the newest
    story (``since`` is one more condition in each), every range searched in whichever of two ways
    is cheap for how densely the query has matched so far:

    * a *walk* reads the primary key backwards and tests each story, stopping at enough matches:
      about half a microsecond per story tested, on the newest pages, which are the ones in memory.
      The way for a query matching many stories (one in ten: a few thousand stories tested).
    * a *GIN* scan finds every match in the range at once, for ~0.1 µs per entry in the posting
      list of the query's rarest word over the *whole* table (15–20 ms for an AND of common words
      at a million stories, 40 ms and more for one very common word), plus a heap page read per
      match in the range. The way for a query matching few stories, which a walk would have to
      test by the hundred thousand.

    The first range is a walk over the newest ``first_walk`` stories. After each range the share of
    the stories so far that matched picks the next one: a walk while that share is at least
    WALK_MIN_DENSITY, else a GIN scan; over as many stories as should hold CANDIDATE_MARGIN times
    the candidates still missing (all the rest when nothing matched yet). Searching stops as soon
    as RANK_CANDIDATES are found. So a common query costs one short walk, a rare one a short walk
    and one GIN scan, and no query pays for the GIN posting lists of a common word.

    Each range is a statement whose plan is fixed by its shape (see _WALK and _GIN), so the planner
    never has to guess from statistics whether the words of an AND occur together.
    """
    params: dict[str, object] = {"query": " ".join(terms)}
    if since:
        params["since"] = since
    ranks: dict[int, float] = {}
    newest = session.scalar(_SETUP) or 0
    ceiling, span, walk = newest, first_walk, True
    while ceiling > 0 and len(ranks) < RANK_CANDIDATES:
        floor = max(0, ceiling - span)
        bound = {**params, "floor": floor, "ceiling": ceiling, "wanted": RANK_CANDIDATES - len(ranks)}
        ranks.update(
            (row.id, row.rank) for row in session.execute(_since(_WALK if walk else _GIN, since), bound)
        )
        ceiling = floor
        density = len(ranks) / (newest - ceiling)
        walk = density >= WALK_MIN_DENSITY
        missing = RANK_CANDIDATES - len(ranks)
        span = math.ceil(CANDIDATE_MARGIN * missing / density) if density else ceiling
    page = sorted(ranks, key=lambda story_id: (-ranks[story_id], -story_id))[offset : offset + limit]
    if not page:
        return []
    hits = {hit.story_id: hit for hit in _hits(session, _PAGE, {"query": params["query"], "ids": page})}
    return [replace(hits[story_id], rank=ranks[story_id]) for story_id in page if story_id in hits]


# Custom plans only: psycopg prepares a statement once it has run five times on a connection, and
# PostgreSQL then may switch to a generic plan, which cannot see the query text: plainto_tsquery()
# would run once per story tested, and the planner would guess the size of the id range. In a custom
# plan plainto_tsquery() of the bound text is folded into a constant. JIT is off: compiling costs tens
# of milliseconds and never pays back on statements this short. Both are SET LOCAL, that is for the
# rest of the caller's transaction (every caller runs a search in a unit of work of its own).
_SETUP = text(
    """
    SELECT (SELECT max(id) FROM stories),
           set_config('plan_cache_mode', 'force_custom_plan', true), set_config('jit', 'off', true)
    """
)
_TSQUERY = "plainto_tsquery('simple', :query)"
_RANGE = "s.id > :floor AND s.id <= :ceiling {since}"
# ts_match_vq() is the function behind @@; called by name it cannot be answered from the GIN index,
# so the plan is a backward scan of the primary key that stops after :wanted matches.
_WALK = f"""
    SELECT s.id, ts_rank_cd(s.search_vector, {_TSQUERY}) AS rank
    FROM stories s
    WHERE {_RANGE} AND ts_match_vq(s.search_vector, {_TSQUERY})
    ORDER BY s.id DESC
    LIMIT :wanted
"""
# MATERIALIZED keeps ORDER BY id LIMIT out of the match search: without it the planner may walk the
# primary key testing @@ on every story instead, which for a rare query means the whole range.
_GIN = f"""
    WITH matches AS MATERIALIZED (
        SELECT s.id FROM stories s WHERE s.search_vector @@ {_TSQUERY} AND {_RANGE}
    ),
    newest AS (SELECT id FROM matches ORDER BY id DESC LIMIT :wanted)
    SELECT s.id, ts_rank_cd(s.search_vector, {_TSQUERY}) AS rank
    FROM newest JOIN stories s ON s.id = newest.id
"""
# Snippets only for the page. Summaries are cut at ingestion (feeds.settings.max_summary_chars), so
# ts_headline() never parses more than a couple of thousand characters per story.
_PAGE = text(
    f"""
    SELECT {_COLUMNS},
           ts_headline('simple', s.title || ' — ' || s.summary, {_TSQUERY},
               'StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxWords={SNIPPET_WORDS},
                MinWords=8, ShortWord=1, MaxFragments=2, FragmentDelimiter=" … "') AS snippet,
           0.0 AS rank
    FROM stories s
    WHERE s.id = ANY(:ids)
    """
)


def _since(statement: str, since: datetime | None) -> TextClause:
    if not since:
        return text(statement.format(since=""))
    return text(statement.format(since="AND s.published_at >= :since")).bindparams(
        bindparam("since", type_=UTCDateTime())
    )


def _typed(statement: TextClause) -> TextualSelect:
    return statement.columns(published_at=UTCDateTime(), rank=Float(), score=Float())


def _hit(row: RowMapping) -> SearchHit:
    return SearchHit(
        story_id=row["id"],
        title=row["title"],
        url=row["url"],
        outlet=row["outlet"],
        language=row["language"],
        published_at=row["published_at"],
        snippet=row["snippet"] or "",
        rank=row["rank"],
        score=row["score"],
    )


def _hits(session: Session, statement: TextClause, params: dict[str, object]) -> list[SearchHit]:
    return [_hit(row) for row in session.execute(_typed(statement), params).mappings()]
