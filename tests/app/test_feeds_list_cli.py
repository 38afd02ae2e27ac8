"""`warwatch feeds list` keeps feeds apart at any terminal width: no URL is cut."""

from __future__ import annotations

import pytest

PREFIX = "https://news.example/syndication/international/world-news/section/region"
URLS = [f"{PREFIX}/europe/rss.xml?format=full", f"{PREFIX}/asia/rss.xml?format=full"]


@pytest.mark.parametrize("columns", ["80", "250"])
def test_feeds_with_a_long_shared_prefix_stay_distinguishable(
    cli, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    cli("feeds", "add", URLS[0], "--name", "[b]Kyiv[/b] Post")  # a name is text, not rich markup
    cli("feeds", "add", URLS[1])
    monkeypatch.setenv("COLUMNS", columns)
    listing = cli("feeds", "list").stdout
    assert all(url in listing for url in URLS), listing
    assert "next poll" in listing and "2 feeds" in listing and "[b]Kyiv[/b] Post" in listing
    if columns == "80":
        assert max(len(line) for line in listing.splitlines() if "://" not in line) <= 80
