"""SQL and full-text-query injection through search: quotes, FTS5 operators (NEAR, *, -, OR, column
filters), SQL comments and statements, NUL, backslashes, huge queries and odd Unicode (RTL, zero-width,
combining marks, lone surrogates) go to ``storage.search.search`` on SQLite and PostgreSQL and to the
bot's /search over the fake Bot API. Nothing errors, the tables stay intact, and every hit really
contains every word of the query."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, text

from storage.db import Database
from storage.search import MAX_QUERY_TERMS, MAX_TERM_CHARS, query_terms, search
from storage.stories import insert_stories
from tests.bot.harness import USER_ID, BotHarness, flag_story
from tests.security.conftest import ask_all
from tests.storage.factories import Entry

CORPUS = [
    Entry("Nepali men recruited to fight for Russia", "Families say the men were lured with job offers."),
    Entry("Weather report", "Sunny, with recruiters recruited for Russia in the summary only."),
    Entry("Наёмники из Непала", "Вербовщики отправляли мужчин на фронт.", language="ru"),
    Entry("مرتزقة سوريون في ليبيا", "تجنيد مقاتلين سوريين للقتال في ليبيا", language="ar"),
    Entry("Kenyan recruits stranded near the front", "Kenya says 200 citizens were recruited; some died."),
    Entry("Quote \"marks\" and 'apostrophes' OR NEAR(words) * - ^", "title:recruited; DROP TABLE stories;--"),
    Entry("Café owners détained", "Accents: naïve coöperation, ﬁnance ligature, ｆｕｌｌ width."),
]

HOSTILE = [
    '"',
    '""',
    '"recruited',
    "'",
    "''",
    "`",
    "*",
    "-",
    "- recruited",
    "-recruited",
    "recruited*",
    "*recruited",
    "^recruited",
    "NEAR(",
    "NEAR(recruited russia)",
    "recruited NEAR russia",
    "NEAR/2",
    "recruited OR weather",
    "recruited AND NOT russia",
    "a AND OR NOT b",
    "title:recruited",
    "summary : recruited",
    "{title summary}: recruited",
    "stories_fts",
    "rank",
    "bm25(stories_fts)",
    "(((",
    ")",
    ") OR (",
    "{}",
    "[]",
    "';DROP TABLE stories;--",
    "'; DROP TABLE stories; --",
    '"); DROP TABLE stories; --',
    "1' OR '1'='1",
    "recruited' UNION SELECT sqlite_version() --",
    "recruited/**/OR/**/1=1",
    "$1",
    ":match",
    "?",
    "%",
    "_",
    "%recruited%",
    "\\",
    "\\\\",
    "recruited\\",
    "\\'",
    "\x00",
    "recruited\x00",
    "recr\x00uited",
    "\x1b[31m",
    "\u202erecruited",
    "\u202e\u200b",
    "re\u200bcruited",
    "re\u200dcruited",
    "\ufeffrecruited",
    "recrui\u0301ted",
    "e\u0301" * 50,
    "\u0301\u0302\u0303",
    "\ud800recruited",
    "\udfff",
    "\ufffd",
    "\ue000recruited\ue001",
    "🪖🇳🇵",
    "ﬁnance",
    "ｆｕｌｌ",
    "CAFÉ",
    "x" * 1000,
    "x" * 100_000,
    "junk " * 200,
    "recruited " * 10_000,
    "?:",
    "..",
    "&lt;b&gt;",
    "<b>recruited</b>",
]


@pytest.fixture(scope="module")
def corpus(module_database: Database) -> Iterator[Database]:
    with module_database.session() as session:
        insert_stories(session, None, CORPUS)
    yield module_database


def _words(value: str) -> set[str]:
    return set(re.findall(r"\w+", _fold(value)))


def _fold(value: str) -> str:
    """Case, width and accents folded, as both databases' tokenizers do (near enough for a check)."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _table_state(database: Database) -> tuple[set[str], int]:
    with database.session() as session:
        tables = set(inspect(session.get_bind()).get_table_names())
        return tables, int(session.scalar(text("SELECT count(*) FROM stories")) or 0)


@pytest.mark.parametrize("query", HOSTILE, ids=lambda q: repr(q[:24]))
def test_hostile_queries_return_only_real_matches_and_leave_the_tables_alone(
    corpus: Database, query: str
) -> None:
    before = _table_state(corpus)
    with corpus.session() as session:
        hits = search(session, query, limit=100)
    for hit in hits:
        story = next(entry for entry in CORPUS if entry.title == hit.title)
        assert {_fold(term) for term in query_terms(query)} <= _words(f"{story.title} {story.summary}"), hit
    assert _table_state(corpus) == before == (before[0], len(CORPUS))
    with corpus.session() as session:
        assert len(search(session, "recruited")) == 4  # and the index still answers


def test_operator_words_are_plain_words(corpus: Database) -> None:
    with corpus.session() as session:
        assert search(session, "recruited NEAR russia") == []  # 'near' is a word only story 5 has
        assert [h.title for h in search(session, "near recruits")] == [CORPUS[4].title]
        assert {h.title for h in search(session, "-nepali")} == {CORPUS[0].title}  # '-' is no NOT
        assert {h.title for h in search(session, "recruited OR weather")} == set()  # OR is a word too
        assert [h.title for h in search(session, "DROP TABLE stories")] == [CORPUS[5].title]
        assert [h.title for h in search(session, "'apostrophes' \"marks\"")] == [CORPUS[5].title]


def test_query_terms_are_bounded() -> None:
    terms = query_terms("word " * 100 + "y" * 500)
    assert len(terms) == MAX_QUERY_TERMS and all(len(term) <= MAX_TERM_CHARS for term in terms)
    assert query_terms("") == [] and query_terms("*** --- \"'") == []
    assert query_terms("\x00\u200b\u202e") == []
    assert query_terms("foreign_fighters _ __") == ["foreign", "fighters"]  # "_" splits, as in the indexes


def test_search_parameters_are_clamped(corpus: Database) -> None:
    with corpus.session() as session:
        assert len(search(session, "recruited", limit=10**9)) == 4
        assert len(search(session, "recruited", limit=-5)) == 1
        assert search(session, "recruited", offset=-10) == search(session, "recruited")
        assert search(session, "recruited", offset=10**12) == []
        assert search(session, "recruited", since=datetime(9999, 1, 1, tzinfo=UTC)) == []


async def test_the_search_command_survives_hostile_queries(bot: BotHarness) -> None:
    """Each query gets one short reply (valid Telegram HTML: the fixture checks every message)."""
    flag_story(bot.database, "Recruiters <b>jailed</b> in Kathmandu", summary="They recruited men & boys")
    [usage] = await bot.ask("/search")
    assert "Usage" in usage
    # Telegram's text is UTF-8, so it never carries lone surrogates; everything else can arrive.
    queries = [q for q in HOSTILE if q.strip() and len(q) < 4000 and "\ud800" not in q and q != "\udfff"]
    for query, reply in zip(queries, await ask_all(bot, [f"/search {q}" for q in queries]), strict=True):
        assert reply.startswith(("🔎 No stories match", "🔎 Results")), (query, reply)
    [huge] = await bot.ask("/search " + "absent " * 600)
    assert "No stories match" in huge and len(huge) < 4096
    [html] = await bot.ask('/search <b>jailed</b> "); DROP TABLE stories; --')
    assert "&lt;b&gt;jailed" in html
    [found] = await bot.ask("/search 🪖 jailed Kathmandu")
    assert "Results 1–1" in found and "&lt;b&gt;jailed&lt;/b&gt;" in found
    with bot.database.session() as session:
        assert session.scalar(text("SELECT count(*) FROM stories")) == 1
    [more] = await bot.ask(f"/search {'x' * 64}")  # still answering afterwards
    assert "No stories match" in more
    assert bot.server.sent(USER_ID)
