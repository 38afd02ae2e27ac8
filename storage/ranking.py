"""Relevance ranking over a bounded candidate set, computed here instead of by FTS5's ``bm25()``.

``bm25()`` first counts every match of every query term in the whole index (for IDF): 10–35 ms per
query at a million stories before any ranking is done, growing with the table. Instead, FTS5 marks
the matched words of the newest candidates (``highlight()`` needs no index-wide statistics) and we
score them here with BM25's saturation and length normalisation, title matches counting double.
Every candidate contains every query term (the query is an AND), so IDF would only shift weight
between terms; it is left out, and a query's cost stays bounded however large the table grows.
"""

from __future__ import annotations

from collections.abc import Iterable

K1 = 1.2
B = 0.75
TITLE_WEIGHT = 2.0
SUMMARY_WEIGHT = 1.0
MATCH_MARK = "\x01"  # highlight() puts this before every matched word


def relevance_scores(candidates: Iterable[tuple[int, str, str]]) -> dict[int, float]:
    """Score (id, marked title, marked summary) rows; higher is more relevant."""
    rows = [
        (
            story_id,
            TITLE_WEIGHT * title.count(MATCH_MARK) + SUMMARY_WEIGHT * summary.count(MATCH_MARK),
            TITLE_WEIGHT * len(title.split()) + SUMMARY_WEIGHT * len(summary.split()),
        )
        for story_id, title, summary in candidates
    ]
    if not rows:
        return {}
    average_length = sum(length for _, _, length in rows) / len(rows) or 1.0
    return {
        story_id: frequency * (K1 + 1) / (frequency + K1 * (1 - B + B * length / average_length))
        for story_id, frequency, length in rows
    }
