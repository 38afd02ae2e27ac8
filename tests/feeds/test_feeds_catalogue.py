"""The shipped source catalogue and the query feeds built from keyword rules."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass
from importlib.resources import files
from urllib.parse import parse_qs, urlsplit

import pytest

from classifiers.default_keywords import default_keywords
from feeds.catalogue import CatalogueError, SourceKind, parse_pack, shipped_packs
from feeds.fetch import ConcurrencyLimits
from feeds.query_feeds import GDELT_LANGUAGES, QUERY_PACK, query_feeds, query_terms
from feeds.schedule import polite_share


def test_the_shipped_catalogue_is_large_varied_and_well_formed() -> None:
    packs = shipped_packs()
    feeds = [feed for pack in packs.values() for feed in pack.feeds]
    assert len(feeds) >= 150 and len({feed.lang for feed in feeds}) >= 20
    assert len({feed.url for feed in feeds}) == len(feeds)  # a URL belongs to one pack
    for feed in feeds:
        parts = urlsplit(feed.url)
        assert parts.scheme in ("http", "https") and parts.hostname, feed.url
        assert feed.name and feed.lang and feed.pack in packs and feed.kind is SourceKind.FEED
        assert not feed.verified or feed.seen.startswith("https://"), feed.url  # verified: says where
    for entry in files("feeds.packs").iterdir():
        if entry.name.endswith(".toml"):
            assert parse_pack(entry.read_text(encoding="utf-8"), entry.name).name == entry.name[:-5]


HEAD = 'name = "p"\ntitle = "P"\n[[feeds]]\n'


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (f'{HEAD}url = "ftp://x.example/rss"\nname = "X"\nlang = "en"', "http"),
        (f'{HEAD}url = "https://x.example/rss"\nname = "X"\nlang = "English"', "ISO"),
        (f'{HEAD}url = "https://x.example/rss"\nname = ""\nlang = "en"', "name"),
        ('name = "p q"\ntitle = "P"', "letters"),
        ('name = "p"\ntitle = "P"', "no feeds"),
        ("name = ", "not TOML"),
    ],
)
def test_a_bad_pack_file_is_refused_naming_the_entry(text: str, problem: str) -> None:
    with pytest.raises(CatalogueError, match=problem):
        parse_pack(text, "bad.toml")


@dataclass
class Rule:
    term: str
    weight: float
    lang: str | None = None
    exclude: bool = False
    near: str | None = None


RULES = [
    Rule("recruited to fight", 2.0, "en"),
    Rule("mercenary", 2.0, "en"),
    Rule("recruit", 1.0, "en", near="army"),  # needs a proximity condition: no search term
    Rule("mercenar*", 2.0, "en"),  # a wildcard a search engine would take literally
    Rule("sex trafficking", -2.0, "en"),
    Rule("human trafficking", 2.0, "en", exclude=True),
    Rule("наемник", 2.0, "ru"),
    Rule("mamluki", 2.0, "sw"),  # no Google News edition for Swahili: GDELT covers it
]


def test_query_terms_are_the_strong_standalone_positive_rules() -> None:
    assert query_terms(RULES) == {
        "en": ["mercenary", "recruited to fight"],
        "ru": ["наемник"],
        "sw": ["mamluki"],
    }


def test_gdelt_searches_english_translations_per_language_and_google_news_native_words() -> None:
    feeds = {(urlsplit(feed.url).hostname, feed.lang): feed for feed in query_feeds(RULES)}
    assert all(feed.pack == QUERY_PACK and feed.kind is SourceKind.QUERY for feed in feeds.values())
    gdelt = parse_qs(urlsplit(feeds["api.gdeltproject.org", "ru"].url).query)
    assert gdelt["query"] == ['(mercenary OR "recruited to fight") sourcelang:russian']
    assert (gdelt["format"], gdelt["mode"]) == (["rss"], ["artlist"])
    google = parse_qs(urlsplit(feeds["news.google.com", "ru"].url).query)
    assert google == {"q": ["наемник when:2d"], "hl": ["ru"], "gl": ["RU"], "ceid": ["RU:ru"]}
    assert ("api.gdeltproject.org", "sw") in feeds and ("news.google.com", "sw") not in feeds
    assert {lang for host, lang in feeds if host == "api.gdeltproject.org"} == set(GDELT_LANGUAGES)


def test_the_shipped_vocabulary_yields_query_feeds_in_at_least_twenty_languages() -> None:
    feeds = query_feeds(default_keywords())
    google = {feed.lang for feed in feeds if "news.google.com" in feed.url}
    assert len({feed.lang for feed in feeds}) >= 20 and len(google) >= 15
    assert len({feed.url for feed in feeds}) == len(feeds)


async def test_a_polite_host_gets_one_request_at_a_time_with_a_pause_between() -> None:
    limits = ConcurrencyLimits(global_limit=10, per_host_limit=4, polite_hosts={"search.example": 0.3})
    starts: dict[str, list[float]] = {"search.example": [], "outlet.example": []}

    async def request(host: str) -> None:
        async with limits.slot(host):
            starts[host].append(time.monotonic())
            await asyncio.sleep(0.05)

    await asyncio.gather(*(request(host) for host in starts for _ in range(3)))
    polite, other = sorted(starts["search.example"]), sorted(starts["outlet.example"])
    assert all(b - a >= 0.29 for a, b in itertools.pairwise(polite))
    assert other[-1] - other[0] < 0.05  # an ordinary host's requests run side by side


@dataclass
class Due:
    url: str


def test_a_cycle_takes_only_a_few_feeds_of_each_polite_host() -> None:
    feeds = [Due(f"https://api.gdeltproject.org/api/v2/doc/doc?query={i}") for i in range(5)]
    feeds += [Due("https://outlet.example/rss"), Due("https://news.google.com/rss/search?q=x")]
    polite = {"api.gdeltproject.org": 5.0, "news.google.com": 2.0}
    share = polite_share(feeds, polite, per_host=2)
    assert [feed.url for feed in share] == [feeds[0].url, feeds[1].url, feeds[5].url, feeds[6].url]
