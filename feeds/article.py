"""Optional full-text fetch of an article page (``fetch_full_text``, off by default).

Uses the same Fetcher limits and SSRF guard as feeds; the page's
``<link rel="canonical">`` refines the story's canonical URL. The page is read before the
story is stored, so a story is stored once, final.
"""

from __future__ import annotations

import asyncio
import codecs
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from urllib.parse import urljoin

import httpx
import trafilatura

from feeds.fetch import Fetcher
from feeds.normalise import canonicalise_url
from feeds.safety import UrlGuard
from feeds.settings import PollerSettings
from feeds.types import FeedEntry, FetchResult
from textkit.clean import clean_text

HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


@dataclass(frozen=True, slots=True)
class Article:
    """An article page: its text (None when extraction failed) and canonical URL."""

    result: FetchResult
    text: str | None
    canonical_url: str | None


class _CanonicalFinder(HTMLParser):
    """Reads ``<head>`` until it finds ``<link rel=canonical href=...>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.href: str | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done or tag != "link":
            return
        values = {name: value or "" for name, value in attrs}
        if "canonical" in values.get("rel", "").lower().split() and values.get("href"):
            self.href = values["href"]
            self.done = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.done = True


def find_canonical_link(html: str, base_url: str) -> str | None:
    """The canonical URL a page declares, normalised, or None."""
    finder = _CanonicalFinder()
    for start in range(0, len(html), 8192):
        finder.feed(html[start : start + 8192])
        if finder.done:
            break
    if not finder.href:
        return None
    absolute = urljoin(base_url, finder.href.strip())
    return canonicalise_url(absolute) if absolute.lower().startswith(("http://", "https://")) else None


async def fetch_article(
    client: httpx.AsyncClient,
    url: str,
    settings: PollerSettings,
    *,
    fetcher: Fetcher | None = None,
    guard: UrlGuard | None = None,
) -> Article:
    """Fetch a story page and extract its main text with trafilatura; never raises.

    Pass the cycle's ``fetcher`` to share its concurrency limits.
    """
    fetcher = fetcher or Fetcher(client, settings, guard=guard)
    result = await fetcher.fetch(url, accept=HTML_ACCEPT)
    fallback = canonicalise_url(url)
    if not result.ok or result.body is None:
        return Article(result=result, text=None, canonical_url=fallback)
    html = result.body.decode(_charset(result.content_type), errors="replace")
    text, canonical = await asyncio.to_thread(_extract, html, result.final_url)
    return Article(result=result, text=text, canonical_url=canonical or canonicalise_url(result.final_url))


def with_article(entry: FeedEntry, article: Article, *, max_chars: int) -> FeedEntry:
    """The entry as it will be stored: the page's canonical URL (so the same article reached
    through another address is recognised as stored), and its text when longer than the feed's."""
    text = clean_text(article.text, max_chars=max_chars) if article.text else ""
    return replace(
        entry,
        canonical_url=article.canonical_url or entry.canonical_url,
        summary=text if len(text) > len(entry.summary) else entry.summary,
    )


def _extract(html: str, url: str) -> tuple[str | None, str | None]:
    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False)
    return text, find_canonical_link(html, url)


def _charset(content_type: str | None) -> str:
    for parameter in (content_type or "").split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            candidate = value.strip().strip('"')
            try:
                return codecs.lookup(candidate).name
            except LookupError:
                break
    return "utf-8"
