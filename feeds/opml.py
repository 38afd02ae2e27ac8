"""OPML import (via listparser, never letting it fetch) and OPML 2.0 export."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape as escape_xml
from xml.sax.saxutils import quoteattr

import listparser

from feeds.safety import UnsafeURLError, check_feed_url
from textkit.clean import clean_text

_TITLE_CHARS = 300  # as long as a feed's own title may be (and its stored name)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """A feed listed in an OPML file."""

    url: str
    title: str | None


@dataclass(frozen=True, slots=True)
class OpmlDocument:
    """Feeds found (nested outlines included) and the problems that were skipped."""

    feeds: tuple[OpmlFeed, ...]
    problems: tuple[str, ...]
    is_opml: bool = True  # False for garbage, an empty file, HTML…: nothing to import, say so


def parse_opml(document: bytes, *, allow_private: bool = False) -> OpmlDocument:
    """Parse an OPML document; bad or unsafe URLs are reported, never fatal.

    Only bytes are accepted: listparser fetches a ``str`` that looks like a URL.
    """
    result = listparser.parse(bytes(document))
    errors: list[str] = []
    if not result.get("version"):
        return OpmlDocument(feeds=(), problems=(), is_opml=False)
    if result.get("bozo") and not result.feeds:
        errors.append(f"not a readable OPML file: {result.get('bozo_exception')}")
    feeds: list[OpmlFeed] = []
    seen: set[str] = set()
    for item in result.feeds:
        raw_url = str(item.get("url") or "").strip()
        try:
            url = check_feed_url(raw_url, allow_private=allow_private)
        except UnsafeURLError as exc:
            errors.append(f"{raw_url or '(empty URL)'}: {exc}")
            continue
        if url in seen:
            errors.append(f"{url}: listed twice, imported once")
            continue
        seen.add(url)
        title = clean_text(str(item.get("title") or ""), max_chars=_TITLE_CHARS) or None
        feeds.append(OpmlFeed(url=url, title=title if title != raw_url else None))
    return OpmlDocument(feeds=tuple(feeds), problems=tuple(errors))


def write_opml(
    feeds: Iterable[OpmlFeed], *, title: str = "warwatch feeds", now: datetime | None = None
) -> str:
    """An OPML 2.0 document listing ``feeds`` as RSS outlines, properly escaped."""
    created = format_datetime(now or datetime.now(UTC), usegmt=True)
    outlines = []
    for feed in feeds:
        label = quoteattr(_xml_text(feed.title or feed.url))
        outlines.append(
            f'    <outline type="rss" text={label} title={label} xmlUrl={quoteattr(_xml_text(feed.url))}/>'
        )
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<opml version="2.0">',
            "  <head>",
            f"    <title>{escape_xml(_xml_text(title))}</title>",
            f"    <dateCreated>{created}</dateCreated>",
            "  </head>",
            "  <body>",
            *outlines,
            "  </body>",
            "</opml>",
            "",
        ]
    )


def _xml_text(text: str) -> str:
    """Drop characters XML 1.0 cannot carry at all, even escaped."""
    return _XML_INVALID.sub("", text)
