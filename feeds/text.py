"""Reduce feed fields to clean, single-line plain text.

Titles and summaries end up in Telegram messages and classifier input. A field is parsed
as HTML unless the feed marks it as text (``type="text"``; for RSS, feedparser calls text
that looks like HTML, such as double-escaped markup, HTML) and it holds no closing tag:
tags go, script/style content goes, entities are decoded. Either way invisible and
bidi-override characters are dropped, whitespace is collapsed and the result is NFC and capped.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg", "math"})
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
        "figure",
        "figcaption",
        "hr",
        "pre",
        "table",
    }
)
# Zero-width space, word joiner, BOM, soft hyphen, and bidi embeddings/overrides/isolates
# (a spoofing vector in alerts). ZWJ/ZWNJ stay: emoji sequences and Persian/Indic need them.
_DROPPED_CHARS = dict.fromkeys(
    [0x200B, 0x2060, 0xFEFF, 0x00AD, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
_WHITESPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc
_ELLIPSIS = "…"
_PLAIN_TEXT = "text/plain"  # feedparser's content type of a text field
_CLOSING_TAG = re.compile(r"</[A-Za-z][^<>]*>")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)


class _TextExtractor(HTMLParser):
    """Collects text nodes outside skipped elements, with spaces at block boundaries."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skip_depth += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)


def field_to_text(value: str | None, *, content_type: str | None, max_chars: int) -> str:
    """Plain text of a feed field of the type feedparser reports: a text field keeps ``x<y and y>z``
    as it is, unless it holds a closing tag (feeds do put HTML in fields declared, or in RSS guessed,
    to be text, and ``</b>`` is markup enough); anything else is HTML."""
    # A CDATA section that survived XML parsing was escaped around: its text is the field's.
    value = _CDATA.sub(r"\1", value or "")
    if content_type == _PLAIN_TEXT and not _CLOSING_TAG.search(value):
        return clean_text(value, max_chars=max_chars)
    return html_to_text(value, max_chars=max_chars)


def html_to_text(fragment: str | None, *, max_chars: int) -> str:
    """Plain text of an HTML fragment, cleaned and cut to ``max_chars`` (with an ellipsis)."""
    if not fragment:
        return ""
    if "<" in fragment or "&" in fragment:
        extractor = _TextExtractor()
        extractor.feed(fragment)
        extractor.close()
        fragment = "".join(extractor.parts)
    return clean_text(fragment, max_chars=max_chars)


def clean_text(text: str, *, max_chars: int) -> str:
    """NFC, no control or invisible characters, single spaces, at most ``max_chars``."""
    # Drop first: a dropped character between a letter and its accent would leave the pair uncomposed.
    text = unicodedata.normalize("NFC", text.translate(_DROPPED_CHARS))
    text = _WHITESPACE.sub(" ", _CONTROL.sub(" ", text)).strip()
    return truncate(text, max_chars)


def truncate(text: str, max_chars: int) -> str:
    """Cut at a word boundary when one is near, marking the cut with an ellipsis."""
    if len(text) <= max_chars:
        return text
    cut = text[: max(0, max_chars - 1)]
    space = cut.rfind(" ")
    if space >= max_chars * 0.8:
        cut = cut[:space]
    return cut.rstrip() + _ELLIPSIS
