"""Canonical URLs, guids and content hashes (their properties on any input: tests/security)."""

from __future__ import annotations

import pytest

from feeds.normalise import canonicalise_url, choose_guid, compute_content_hash


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTP://WWW.Example.COM:80/news/story/?utm_source=rss&b=2&a=1&fbclid=x#frag",
            "https://example.com/news/story?a=1&b=2",
        ),
        (
            "https://example.com/news/story?gclid=1&mc_cid=2&ref=twitter&utm_campaign=z",
            "https://example.com/news/story",
        ),
        ("https://m.example.com/news/story/amp", "https://example.com/news/story"),
        ("https://amp.example.com/news/story.amp?amp=1", "https://example.com/news/story"),
        (
            "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/news/story",
            "https://example.com/news/story",
        ),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com", "https://example.com/"),
        ("https://bbc.co.uk/news?id=5", "https://bbc.co.uk/news?id=5"),
        ("https://m.co/x", "https://m.co/x"),  # a two-label host keeps its "m."
    ],
)
def test_canonical_urls(url: str, expected: str) -> None:
    assert canonicalise_url(url) == expected


@pytest.mark.parametrize(
    "url", [None, "", "javascript:alert(1)", "mailto:x@y", "http://", "http://[::1]/", "not a url"]
)
def test_non_article_urls_have_no_canonical_form(url: str | None) -> None:
    assert canonicalise_url(url) is None


def test_same_story_with_different_tracking_has_one_key() -> None:
    a = "https://www.news.example/world/recruits-123/?utm_source=feedA&utm_medium=rss"
    b = "http://news.example/world/recruits-123?fbclid=IwAR0&utm_source=feedB#comments"
    assert canonicalise_url(a) == canonicalise_url(b)


def test_content_hash_ignores_case_width_and_spacing() -> None:
    assert compute_content_hash("Nepal  Recruits", "Men sent\nto  war") == compute_content_hash(
        "nepal recruits", "MEN SENT TO WAR"
    )
    assert compute_content_hash("Ｎｅｐａｌ", "") == compute_content_hash("nepal", "")
    assert compute_content_hash("a", "b c") != compute_content_hash("a b", "c")


def test_guid_fallback_chain() -> None:
    assert choose_guid(" id-1 ", "https://x.example/a", "h") == "id-1"
    assert choose_guid("", "https://x.example/a", "h") == "https://x.example/a"
    assert choose_guid(None, None, "h") == "sha256:h"
