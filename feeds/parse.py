"""Feed bytes → ParsedFeed, with feedparser doing the XML and encoding work.

feedparser never fetches here: it gets a BytesIO (a bytes or str argument that
happens to be a local path or URL would be opened by feedparser itself).
"""

from __future__ import annotations

import calendar
import codecs
import io
import time
from datetime import UTC, datetime
from typing import Any

import feedparser

from feeds.normalise import (
    MAX_URL_CHARS,
    canonicalise_url,
    choose_guid,
    clean_url,
    compute_content_hash,
    host_of,
)
from feeds.settings import PollerSettings
from feeds.text import field_to_text
from feeds.timing import CLEAN, DEDUP, LANGUAGE, PARSE, Laps
from feeds.types import FeedEntry, ParsedFeed
from textkit.clean import clean_text
from textkit.language import LanguageDetector

# UTF-32 before UTF-16: the UTF-32 LE mark begins with the UTF-16 LE one.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32le"),
    (codecs.BOM_UTF32_BE, "utf-32be"),
    (codecs.BOM_UTF16_LE, "utf-16le"),
    (codecs.BOM_UTF16_BE, "utf-16be"),
)
# What feedparser flags in a document it parsed well: a guessed encoding, a non-XML media type.
_HARMLESS_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
_DATE_FIELDS = ("published_parsed", "updated_parsed", "created_parsed")
_FEED_TITLE_CHARS = 300
_GUID_CHARS = 1000
# Language identification cost grows with length; a title and a few sentences decide it.
_LANGUAGE_SAMPLE_CHARS = 200


class FeedParseError(ValueError):
    """The document yielded no entries and was malformed."""


def parse_feed(
    body: bytes,
    *,
    url: str,
    content_type: str | None,
    fetched_at: datetime,
    settings: PollerSettings,
    detector: LanguageDetector,
) -> ParsedFeed:
    """Parse a fetched feed; bozo feeds with entries are kept, with the error noted."""
    laps = Laps()
    document = read_document(body, url=url, content_type=content_type)
    laps.lap(PARSE)
    bozo = document.get("bozo_exception") if document.get("bozo") else None
    bozo_error = str(bozo) if bozo is not None else None
    broken = bozo is not None and not isinstance(bozo, _HARMLESS_BOZO)
    if not document.entries and (broken or not document.get("version")):
        raise FeedParseError(bozo_error or "not an RSS, Atom or RDF document")
    entries = tuple(
        _build_entry(raw, fetched_at=fetched_at, settings=settings, detector=detector, laps=laps)
        for raw in document.entries
    )
    channel = document.feed
    parsed = ParsedFeed(
        title=_field_text(channel, "title", max_chars=_FEED_TITLE_CHARS) or None,
        site_url=site if (site := _web_link(channel.get("link"))) and len(site) <= MAX_URL_CHARS else None,
        ttl_minutes=_parse_ttl(channel.get("ttl")),
        entries=entries,
        bozo_error=bozo_error,
    )
    laps.lap(CLEAN)
    laps.commit()
    return parsed


def read_document(body: bytes, *, url: str, content_type: str | None) -> Any:
    """feedparser's reading of a feed document, as ``parse_feed`` asks for it."""
    # Without a content type feedparser flags every document; application/xml (unlike
    # text/xml) lets the XML declaration choose the encoding, as RFC 7303 says. Links of entries
    # are resolved either way; URIs inside summaries need not be, as summaries become plain text
    # (and feedparser parses 11 % faster without).
    headers = {"content-location": url, "content-type": _trusted_content_type(body, content_type)}
    return feedparser.parse(
        io.BytesIO(body), response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )


def _trusted_content_type(body: bytes, content_type: str | None) -> str:
    """The content type to give feedparser: a byte-order mark names the encoding whatever charset
    the server claims (as the WHATWG encoding rules say); feedparser itself would trust the header."""
    declared = content_type or "application/xml"
    for mark, encoding in _BYTE_ORDER_MARKS:
        if body.startswith(mark):
            return f"{declared.split(';', 1)[0].strip() or 'application/xml'}; charset={encoding}"
    return declared


def _build_entry(
    raw: Any, *, fetched_at: datetime, settings: PollerSettings, detector: LanguageDetector, laps: Laps
) -> FeedEntry:
    title = _field_text(raw, "title", max_chars=settings.max_title_chars)
    summary = _summary_text(raw, max_chars=settings.max_summary_chars)
    link = _web_link(raw.get("link"))
    canonical = canonicalise_url(link)
    outlet_name, outlet_url = _original_source(raw)
    if outlet_name:  # an aggregator's "Headline - Outlet", and a summary that only repeats them
        title = title.removesuffix(f" - {outlet_name}").rstrip()
        if summary.removeprefix(title).strip() in ("", outlet_name):
            summary = ""
    entry_id = clean_text(raw.get("id") or "", max_chars=_GUID_CHARS)
    published_at = _entry_date(raw, fetched_at)
    host = host_of(canonicalise_url(outlet_url)) if outlet_url else host_of(canonical)
    laps.lap(CLEAN)
    content_hash = compute_content_hash(title, summary)
    laps.lap(DEDUP)
    language = detector.detect(f"{title}. {summary[:_LANGUAGE_SAMPLE_CHARS]}")
    laps.lap(LANGUAGE)
    return FeedEntry(
        guid=choose_guid(entry_id, canonical, content_hash),
        url=link,
        canonical_url=canonical,
        title=title,
        summary=summary,
        language=language,
        published_at=published_at,
        fetched_at=fetched_at,
        content_hash=content_hash,
        host=host,
    )


def _original_source(raw: Any) -> tuple[str, str | None]:
    """The outlet an aggregator's item comes from: RSS ``<source url="…">Name</source>`` (Google
    News puts the outlet there and its own redirect in ``<link>``), so the story names the outlet."""
    source = raw.get("source") or {}
    return clean_text(str(source.get("title") or ""), max_chars=200), _web_link(source.get("href"))


def _field_text(element: Any, name: str, *, max_chars: int) -> str:
    """A text construct as plain text, read as the content type feedparser gives it in ``*_detail``."""
    detail = element.get(f"{name}_detail") or {}
    return field_to_text(element.get(name), content_type=detail.get("type"), max_chars=max_chars)


def _summary_text(raw: Any, *, max_chars: int) -> str:
    """The summary, else the first content element; feedparser copies that into ``summary`` without
    a ``summary_detail``, so its type is the content's."""
    if raw.get("summary") and raw.get("summary_detail"):
        return _field_text(raw, "summary", max_chars=max_chars)
    first = (raw.get("content") or [{}])[0]
    value = raw.get("summary") or first.get("value")
    return field_to_text(value, content_type=first.get("type"), max_chars=max_chars)


def _web_link(value: object) -> str | None:
    """An http(s) link, cleaned as a browser would send it; None for anything else."""
    link = clean_url(str(value or ""))
    return link if link.lower().startswith(("http://", "https://")) else None


def _entry_date(raw: Any, fetched_at: datetime) -> datetime:
    """First date feedparser understood, in UTC; never after the fetch time."""
    for name in _DATE_FIELDS:
        parsed: time.struct_time | None = raw.get(name)
        if parsed is None:
            continue
        try:
            moment = datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
        except (OverflowError, ValueError, OSError):
            continue
        return min(moment, fetched_at)
    return fetched_at


def _parse_ttl(value: object) -> int | None:
    try:
        minutes = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return minutes if minutes > 0 else None
