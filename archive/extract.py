"""The text of an archived page (trafilatura) and the digest that says whether it changed."""

from __future__ import annotations

import hashlib
import re

import structlog
import trafilatura

from archive.types import PageText
from textkit.clean import clean_text, drop_invisible

log = structlog.get_logger(__name__)
MAX_FIELD_CHARS = 500  # author, title, site name: metadata, not text
_WORD = re.compile(r"\w+", re.UNICODE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # keeps line breaks and tabs


def extract_page(body: bytes, url: str) -> PageText:
    """The main text and metadata of an HTML page; a page trafilatura cannot read gives no text.

    trafilatura reads the bytes itself (it honours the page's declared charset and guesses one
    otherwise); hostile markup makes it return nothing or raise, never stops the archive.
    """
    try:
        document = trafilatura.bare_extraction(
            body, url=url, with_metadata=True, include_comments=False, include_tables=False
        )
    except Exception as error:  # lxml and trafilatura raise many kinds on broken input
        log.warning("archive_extract_failed", url=url, error=f"{type(error).__name__}: {error}"[:300])
        return PageText(text=None)
    if document is None or isinstance(document, dict):
        return PageText(text=None)
    text = _CONTROL.sub("", drop_invisible(document.text)).strip() if isinstance(document.text, str) else ""
    return PageText(
        text=text or None,
        title=_field(document.title, MAX_FIELD_CHARS),
        author=_field(document.author, MAX_FIELD_CHARS),
        published=_field(document.date, 10),
        site_name=_field(document.sitename, MAX_FIELD_CHARS),
    )


def _field(value: object, limit: int) -> str | None:
    """A metadata value cleaned to one line (it is shown in citations)."""
    return (clean_text(value, max_chars=limit) or None) if isinstance(value, str) else None


def words(text: str | None) -> list[str]:
    """The words of a text, case folded: what a material change is counted in (spacing, case and
    punctuation changes are not edits)."""
    return [word.casefold() for word in _WORD.findall(text or "")]


def text_digest(text: str | None) -> str | None:
    """SHA-256 of the text's words: equal digests, same words in the same order."""
    if text is None:
        return None
    return hashlib.sha256(" ".join(words(text)).encode()).hexdigest()
