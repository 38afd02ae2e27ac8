"""Reduce feed fields to clean, single-line plain text.

Titles and summaries end up in Telegram messages and classifier input. A field is parsed
as HTML unless the feed marks it as text (``type="text"``; for RSS, feedparser calls text
that looks like HTML, such as double-escaped markup, HTML) and it holds no closing tag:
tags go, script/style content goes, entities are decoded. Either way the text is then cleaned
by ``textkit.clean.clean_text``: no invisible or bidi-override characters, single spaces, NFC, capped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from textkit.clean import clean_text

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
