"""Citation styles, and the rules for edits and removals."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from archive.cite import CitationStyle, apa_author, cite
from archive.compare import compare_texts, removal_reason


@dataclass(frozen=True)
class Item:
    story_id: int = 42
    title: str = "Nepali men lured to Russia's front"
    outlet: str | None = "Kathmandu Ledger"
    author: str | None = "Jane Q Roe"
    published_at: datetime | None = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    url: str = "https://ledger.example/story"
    retrieved_at: datetime = datetime(2026, 11, 3, 9, 30, 5, tzinfo=UTC)
    status_code: int | None = 200
    body_sha256: str = "ab" * 32
    warc_sha256: str = "cd" * 32
    page_state: str = "live"


def test_apa_names_author_date_title_site_retrieval_and_hash() -> None:
    assert cite(Item(), CitationStyle.APA) == (
        "Roe, J. Q. (2026, November 2). Nepali men lured to Russia's front. Kathmandu Ledger. "
        "Retrieved November 3, 2026, from https://ledger.example/story "
        f"Archived copy: SHA-256 {'ab' * 32} (WARC {'cd' * 32})."
    )


def test_apa_without_author_or_date_puts_the_title_first() -> None:
    text = cite(Item(author=None, published_at=None, page_state="removed"), CitationStyle.APA)
    assert text.startswith("Nepali men lured to Russia's front. (n.d.). Kathmandu Ledger. Retrieved")
    assert text.endswith("The page has since been removed.")


def test_plain_and_json() -> None:
    plain = cite(Item(page_state="edited"), CitationStyle.PLAIN)
    assert plain.startswith(
        "“Nepali men lured to Russia's front”, by Jane Q Roe. Kathmandu Ledger, published 2026-11-02."
    )
    assert "(retrieved 2026-11-03 09:30:05 UTC)" in plain and plain.endswith("has since been edited.")
    fields = json.loads(cite(Item(), CitationStyle.JSON))
    assert fields["sha256"] == "ab" * 32 and fields["retrieved"] == "2026-11-03T09:30:05+00:00"
    assert fields["story_id"] == 42 and fields["http_status"] == 200


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("Jane Q Roe", "Roe, J. Q."),
        ("Reuters", "Reuters."),
        ("Roe, Jane", "Roe, Jane."),
        ("Jane Roe and Ram Thapa", "Roe, J., & Thapa, R."),
        ("Jane Roe; Ram Thapa; Li Wei", "Roe, J., Thapa, R., & Wei, L."),
    ],
)
def test_apa_author_names(author: str, expected: str) -> None:
    assert apa_author(author) == expected


def test_words_not_spacing_count_as_changes() -> None:
    assert compare_texts("Twelve men  were sent.", "twelve men were sent").changed_words == 0
    change = compare_texts(
        "Twelve men were sent.\nFamilies waited.", "Forty men were sent.\nFamilies waited."
    )
    assert change.changed_words == 1
    assert "-Twelve men were sent." in change.diff and "+Forty men were sent." in change.diff
    assert compare_texts("a b c", None).changed_words == 3


@pytest.mark.parametrize(
    ("status", "final", "reason"),
    [
        (200, "https://ledger.example/story", None),
        (200, "https://ledger.example/story?utm=1", None),
        (404, "https://ledger.example/story", "HTTP 404"),
        (410, "https://ledger.example/story", "HTTP 410"),
        (200, "https://elsewhere.example/", "redirected to another host (elsewhere.example)"),
        (200, "https://ledger.example/", "redirected to the site's front page"),
        (500, "https://ledger.example/story", None),
    ],
)
def test_removal_rules(status: int, final: str, reason: str | None) -> None:
    assert removal_reason("https://ledger.example/story", status, final) == reason
