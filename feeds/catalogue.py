"""The source catalogue shipped with warwatch: reviewed feeds in packs, one TOML file per pack.

A newsroom does not know which of the world's feeds carry stories about men recruited for a war
abroad; the packs are that knowledge (wires and world desks, the war's parties, the countries
recruits come from, conflict and rights desks). ``feeds/packs/<pack>.toml`` holds a pack's name,
title and feeds, each with its language, country, and where its address was seen (``verified``
when a stored public page showed that exact address). Query feeds (``feeds.query_feeds``) are
built at run time from the keyword rules and join the catalogue as the ``queries`` pack.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib.resources import files
from typing import Any
from urllib.parse import urlsplit

_PACKS_PACKAGE = "feeds.packs"


class SourceKind(StrEnum):
    FEED = "feed"  # an outlet's own RSS/Atom feed
    QUERY = "query"  # a search feed of an aggregator (GDELT, Google News) built from the vocabulary


@dataclass(frozen=True, slots=True)
class CatalogueFeed:
    """One source of the catalogue; ``pack`` names the pack that brings it."""

    url: str
    name: str
    lang: str
    country: str
    pack: str
    kind: SourceKind = SourceKind.FEED
    seen: str = ""
    verified: bool = False


@dataclass(frozen=True, slots=True)
class Pack:
    name: str
    title: str
    feeds: tuple[CatalogueFeed, ...]


class CatalogueError(ValueError):
    """A pack file that does not describe feeds properly (a packaging bug, caught by the tests)."""


def _feed(entry: dict[str, Any], pack: str, where: str) -> CatalogueFeed:
    url = str(entry.get("url", ""))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CatalogueError(f"{where}: not an http(s) feed address: {url!r}")
    lang = str(entry.get("lang", ""))
    if not (2 <= len(lang) <= 3 and lang.isalpha() and lang.islower()):
        raise CatalogueError(f"{where}: {url}: language must be an ISO 639-1 code, got {lang!r}")
    name = str(entry.get("name", "")).strip()
    if not name:
        raise CatalogueError(f"{where}: {url}: a feed needs a name")
    return CatalogueFeed(
        url=url,
        name=name,
        lang=lang,
        country=str(entry.get("country", "")).upper(),
        pack=pack,
        seen=str(entry.get("seen", "")),
        verified=bool(entry.get("verified", False)),
    )


def parse_pack(text: str, where: str) -> Pack:
    """One pack file's contents; raises `CatalogueError` naming the file and entry at fault."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(f"{where}: not TOML: {error}") from error
    name, title = str(document.get("name", "")), str(document.get("title", ""))
    if not name or not name.replace("-", "").isalnum() or not title:
        raise CatalogueError(f"{where}: a pack needs a name (letters, digits, '-') and a title")
    feeds = tuple(_feed(entry, name, where) for entry in document.get("feeds", []))
    if not feeds:
        raise CatalogueError(f"{where}: pack {name!r} has no feeds")
    return Pack(name, title, feeds)


@cache
def shipped_packs() -> dict[str, Pack]:
    """Every pack shipped in ``feeds/packs/``, by name; a URL belongs to one pack only."""
    packs: dict[str, Pack] = {}
    owners: dict[str, str] = {}
    for entry in sorted(files(_PACKS_PACKAGE).iterdir(), key=lambda path: path.name):
        if not entry.name.endswith(".toml"):
            continue
        pack = parse_pack(entry.read_text(encoding="utf-8"), entry.name)
        if pack.name in packs:
            raise CatalogueError(f"{entry.name}: a second pack named {pack.name!r}")
        for feed in pack.feeds:
            if feed.url in owners:
                raise CatalogueError(f"{entry.name}: {feed.url} is already in pack {owners[feed.url]!r}")
            owners[feed.url] = pack.name
        packs[pack.name] = pack
    return packs
