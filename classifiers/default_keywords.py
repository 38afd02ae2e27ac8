"""Default keyword rules, seeded into the database on first run: one vocabulary file per language.

``classifiers/vocabulary/<lang>.toml`` holds a language's rules, written from general
domain knowledge (never from phrases of any evaluation item): words for mercenaries,
foreign fighters, foreign legions and being recruited, lured, tricked or trafficked
into a war, and negative weights for the near-miss topics (sex trafficking, people
smuggling, scam compounds, prisoner swaps, arms deals…). Weights are log-odds points:
2 = the word alone nearly settles it, 1–1.5 = strong when near war vocabulary,
negative = evidence against. Where PyStemmer has a Snowball stemmer for the language,
rule words are stems and match every inflection; elsewhere the trailing ``*`` does.

A file may define named lists of alternatives as top-level strings (``war = "war|army|…"``)
and use them in ``near`` as ``@war``, so each language states its war vocabulary once.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from typing import Any

from classifiers.types import KeywordSeed

_VOCABULARY_PACKAGE = "classifiers.vocabulary"


def _expand(near: str | None, lists: dict[str, str], where: str) -> str | None:
    if near is None:
        return None
    alternatives = []
    for part in near.split("|"):
        name = part.strip()
        if name.startswith("@"):
            if name[1:] not in lists:
                raise ValueError(f"{where}: near names an unknown list {name!r}")
            alternatives.extend(lists[name[1:]].split("|"))
        else:
            alternatives.append(part)
    return "|".join(dict.fromkeys(alternatives))


def _seeds(document: dict[str, Any], where: str) -> list[KeywordSeed]:
    lang = document["lang"]
    lists = {key: value for key, value in document.items() if isinstance(value, str) and key != "lang"}
    seeds = []
    for rule in document["rules"]:
        near = _expand(rule.get("near"), lists, f"{where}: {rule.get('term')!r}")
        seeds.append(KeywordSeed(**{**rule, "near": near, "lang": lang}))
    return seeds


@cache
def _vocabulary() -> tuple[KeywordSeed, ...]:
    seeds: list[KeywordSeed] = []
    for entry in sorted(files(_VOCABULARY_PACKAGE).iterdir(), key=lambda path: path.name):
        if entry.name.endswith(".toml"):
            seeds += _seeds(tomllib.loads(entry.read_text(encoding="utf-8")), entry.name)
    return tuple(seeds)


def vocabulary_languages() -> list[str]:
    """The languages the shipped vocabulary covers."""
    return sorted({seed.lang for seed in _vocabulary() if seed.lang})


def default_keywords() -> list[KeywordSeed]:
    """The shipped rule set as config seeds."""
    return list(_vocabulary())
