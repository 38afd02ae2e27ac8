"""Citations of an archived page, ready to paste into a report: plain, APA-like, or JSON."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class CitationStyle(StrEnum):
    PLAIN = "plain"
    APA = "apa"
    JSON = "json"


class Citable(Protocol):
    """What a citation names (``storage.archive.Citation`` fits); None where it is not known."""

    @property
    def story_id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def outlet(self) -> str | None: ...
    @property
    def author(self) -> str | None: ...
    @property
    def published_at(self) -> datetime | None: ...
    @property
    def url(self) -> str: ...
    @property
    def retrieved_at(self) -> datetime: ...
    @property
    def status_code(self) -> int | None: ...
    @property
    def body_sha256(self) -> str: ...
    @property
    def warc_sha256(self) -> str: ...
    @property
    def page_state(self) -> str: ...  # live, edited or removed, as the last check found it


def cite(item: Citable, style: CitationStyle) -> str:
    if style is CitationStyle.JSON:
        return json.dumps(_fields(item), ensure_ascii=False, indent=2)
    if style is CitationStyle.APA:
        return _apa(item)
    return _plain(item)


def _fields(item: Citable) -> dict[str, object]:
    return {
        "story_id": item.story_id,
        "title": item.title,
        "outlet": item.outlet,
        "author": item.author,
        "published": item.published_at.isoformat() if item.published_at else None,
        "url": item.url,
        "retrieved": item.retrieved_at.isoformat(),
        "http_status": item.status_code,
        "sha256": item.body_sha256,
        "warc_sha256": item.warc_sha256,
        "page_state": item.page_state,
    }


def _evidence(item: Citable) -> str:
    state = "" if item.page_state == "live" else f" The page has since been {item.page_state}."
    return f"Archived copy: SHA-256 {item.body_sha256} (WARC {item.warc_sha256}).{state}"


def _plain(item: Citable) -> str:
    parts = [f"“{item.title}”"]
    if item.author:
        parts.append(f"by {item.author}")
    source = item.outlet or "unknown outlet"
    when = f", published {item.published_at:%Y-%m-%d}" if item.published_at else ""
    return (
        f"{', '.join(parts)}. {source}{when}. {item.url} "
        f"(retrieved {item.retrieved_at:%Y-%m-%d %H:%M:%S} UTC). {_evidence(item)}"
    )


def _apa(item: Citable) -> str:
    """APA 7 for a news web page: Author. (Year, Month Day). Title. Site. Retrieved …, from URL."""
    date = f"({_long_date(item.published_at, with_year_first=True)})" if item.published_at else "(n.d.)"
    retrieved = f"Retrieved {_long_date(item.retrieved_at)}, from {item.url}"
    site = f" {item.outlet}." if item.outlet else ""
    if item.author:
        head = f"{apa_author(item.author)} {date}. {item.title}.{site}"
    else:
        head = f"{item.title}. {date}.{site}"
    return f"{head} {retrieved} {_evidence(item)}"


def _long_date(moment: datetime, *, with_year_first: bool = False) -> str:
    month_day = f"{moment:%B} {moment.day}"
    return f"{moment.year}, {month_day}" if with_year_first else f"{month_day}, {moment.year}"


def apa_author(author: str) -> str:
    """ "Jane Q. Roe" as "Roe, J. Q."; several names (";" or " and ") joined with "&"; a single word
    or a name already inverted is kept as it is (organisations, pen names)."""
    names = [name.strip() for name in author.replace(" and ", ";").split(";") if name.strip()]
    inverted = [_invert(name) for name in names]
    if len(inverted) == 1:
        return inverted[0]
    return ", ".join(inverted[:-1]) + ", & " + inverted[-1]


def _invert(name: str) -> str:
    words = name.split()
    if "," in name or len(words) < 2:
        return name if name.endswith(".") else f"{name}."
    initials = " ".join(f"{word[0]}." for word in words[:-1])
    return f"{words[-1]}, {initials}"
