"""Property-based (Hypothesis) checks of the code that handles untrusted text: feed text cleaning
(``clean_text``, ``html_to_text``), URL canonicalisation (``clean_url``, ``canonicalise_url``), content
hashes, and search (``query_terms``, ``search`` on a real database of each kind holding one fixed
corpus). None of them may raise on any input; outputs stay within their bounds, carry no control or
invisible characters, are idempotent where they claim to be, and search returns exactly the stories
holding every word of the query."""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from feeds.normalise import MAX_URL_CHARS, canonicalise_url, clean_url, compute_content_hash, host_of
from feeds.text import field_to_text, html_to_text
from storage.db import Database
from storage.search import MAX_QUERY_TERMS, MAX_TERM_CHARS, query_terms, search
from storage.stories import insert_stories
from tests.storage.factories import Entry
from textkit.clean import clean_text

INVISIBLE = {0x200B, 0x2060, 0xFEFF, 0x00AD, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
FEW = settings(max_examples=150, deadline=None)
DB = settings(max_examples=60, deadline=None)

# Text with the characters that break naive cleaners: controls, bidi, zero-width, combining marks,
# markup, entities, private-use highlight markers and wide whitespace; mixed with anything at all.
_NASTY = st.sampled_from(
    [
        *"<>&;\"'/=#x \t\n\r\x00\x07\x1b\x7f\x85\xa0\u2028\u3000é",
        *["\u0301", "\u0308", "\u200b", "\u200d", "\u202e", "\u2066", "\ufeff", "\u00ad", "\ue000", "\ue001"],
        *["&amp;", "&lt;", "&#0;", "&#x202e;", "<b>", "</b>", "<script>", "<!--", "]]>", "<![CDATA["],
        *["ﬁ", "Ａ"],
    ]
)
nasty_text = st.one_of(st.text(), st.lists(_NASTY | st.text(max_size=3), max_size=60).map("".join))


def _check_clean(text: str, max_chars: int) -> None:
    assert len(text) <= max_chars
    assert not CONTROL.search(text), repr(text)
    assert not INVISIBLE & {ord(ch) for ch in text}, repr(text)
    assert text == text.strip() and "  " not in text
    assert not re.search(r"[^\S ]", text), repr(text)  # the only whitespace is a single space
    assert unicodedata.is_normalized("NFC", text), repr(text)


@FEW
@given(nasty_text, st.integers(1, 400))
@example("e\u200b\u0301", 10)  # a dropped character between a letter and its accent
@example("a" * 50 + " é", 51)
def test_clean_text_is_bounded_clean_and_idempotent(text: str, max_chars: int) -> None:
    cleaned = clean_text(text, max_chars=max_chars)
    _check_clean(cleaned, max_chars)
    assert clean_text(cleaned, max_chars=max_chars) == cleaned


@FEW
@given(nasty_text, st.integers(1, 400))
def test_html_to_text_is_total_bounded_and_clean(fragment: str, max_chars: int) -> None:
    text = html_to_text(fragment, max_chars=max_chars)
    _check_clean(text, max_chars)


@FEW
@given(nasty_text, st.sampled_from(["text/plain", "text/html", None]), st.integers(1, 400))
@example("<![CDATA[<![CDATA[a]]>]]>", "text/plain", 10)
def test_field_to_text_is_total_bounded_and_clean(value: str, kind: str | None, max_chars: int) -> None:
    _check_clean(field_to_text(value, content_type=kind, max_chars=max_chars), max_chars)


urls = st.one_of(
    st.text(),
    nasty_text.map(lambda tail: f"https://news.example/{tail}"),
    st.builds(
        lambda scheme, host, path, query: f"{scheme}://{host}{path}?{query}",
        st.sampled_from(["http", "https", "HTTP", "ftp"]),
        st.from_regex(
            r"(www\.|m\.|amp\.)?[a-zA-Z0-9-]{1,12}(\.[a-z]{2,5}){1,2}(:[0-9]{1,5})?", fullmatch=True
        ),
        st.from_regex(r"(/[a-zA-Z0-9%._~-]{0,8}){0,4}(/amp)?/?", fullmatch=True),
        st.from_regex(r"([a-z_]{1,8}=[a-zA-Z0-9%]{0,5}&?){0,4}", fullmatch=True),
    ),
)


@settings(max_examples=300, deadline=None)
@given(urls)
@example("https://x.example/a\x00b\x1bc")
@example("https://x\x00y.example/a")
@example("https://news.example/" + "a" * 3000)
@example("HTTP://0/\xa0/")  # a space that only trimming the result would expose
def test_canonicalise_url_is_total_idempotent_and_storable(url: str) -> None:
    once = canonicalise_url(url)
    assert canonicalise_url(once) == once
    if once is not None:
        assert once.startswith("https://") and host_of(once)
        assert len(once) <= MAX_URL_CHARS
        assert not CONTROL.search(once) and not re.search(r"\s", once), repr(once)


@FEW
@given(nasty_text)
def test_clean_url_is_idempotent_and_leaves_no_control_characters(url: str) -> None:
    cleaned = clean_url(url)
    assert clean_url(cleaned) == cleaned and not CONTROL.search(cleaned)


@FEW
@given(nasty_text, nasty_text)
def test_content_hash_is_total_and_stable(title: str, summary: str) -> None:
    assert compute_content_hash(title, summary) == compute_content_hash(title, summary)


@FEW
@given(nasty_text)
@example("word " * 100 + "y" * 500)
def test_query_terms_are_bounded_plain_words(query: str) -> None:
    terms = query_terms(query)
    assert len(terms) <= MAX_QUERY_TERMS
    assert all(1 <= len(term) <= MAX_TERM_CHARS and re.fullmatch(r"[^\W_]+", term) for term in terms)


# -- search over one fixed corpus per database ---------------------------------------------------

VOCABULARY = ["recruit", "wagner", "nepal", "front", "mercenary", "army", "jobs", "lured", "border", "near"]
NOISE = ['"', "'", "*", "-", "(", ")", ":", "^", "+", "\\", ";", "%", "NEAR(", " OR ", " AND ", "\x00", "_"]


def _corpus() -> list[Entry]:
    rng = random.Random(20261202)
    entries = []
    for index in range(40):
        title = " ".join(rng.sample(VOCABULARY, rng.randint(1, 4))).capitalize()
        summary = " ".join(rng.choices(VOCABULARY, k=rng.randint(0, 6)))
        entries.append(Entry(f"{title} {index}", summary, host=f"h{index}.example"))
    return entries


CORPUS = _corpus()


@pytest.fixture(scope="module")
def corpus(module_database: Database) -> Iterator[dict[int, Entry]]:
    with module_database.session() as session:
        stored = insert_stories(session, None, CORPUS)
    yield {story.id: entry for story, entry in zip(stored, CORPUS, strict=True)}


def _tokens(text: str) -> set[str]:
    """Words as the databases' tokenizers see them: letters and digits, "_" a separator."""
    return set(re.findall(r"[^\W_]+", text.casefold()))


vocabulary_queries = st.lists(st.sampled_from(VOCABULARY) | st.sampled_from(NOISE), max_size=8).map(" ".join)


@DB
@given(query=vocabulary_queries)
@example(query='"wagner" NEAR( -nepal*')
@example(query="recruit OR army")
def test_search_returns_exactly_the_stories_holding_every_word(
    module_database: Database, corpus: dict[int, Entry], query: str
) -> None:
    terms = set(query_terms(query))
    with module_database.session() as session:
        hits = search(session, query, limit=100)
    expected = {
        story_id
        for story_id, entry in corpus.items()
        if terms and terms <= _tokens(f"{entry.title} {entry.summary}")
    }
    assert {hit.story_id for hit in hits} == expected
    assert len(hits) == len({hit.story_id for hit in hits})


@DB
@given(query=nasty_text)
def test_search_never_raises_and_every_hit_holds_the_query_words(
    module_database: Database, corpus: dict[int, Entry], query: str
) -> None:
    with module_database.session() as session:
        hits = search(session, query, limit=20)
        assert len(search(session, "recruit", limit=100)) > 0  # the index is intact
    folded = unicodedata.normalize("NFKD", " ".join(query_terms(query)))
    words = _tokens("".join(ch for ch in folded if not unicodedata.combining(ch)))
    for hit in hits:
        entry = corpus[hit.story_id]
        assert words <= _tokens(f"{entry.title} {entry.summary}"), (query, hit.title)
