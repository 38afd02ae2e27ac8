"""Keyword rules that admins tune at run time; seeded from config.toml on first start."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import KeywordRule
from storage.overrides import get_runtime_setting, set_runtime_setting
from storage.records import KeywordRecord


class KeywordSpec(Protocol):
    term: str
    weight: float
    lang: str | None
    exclude: bool
    near: str | None
    window: int | None


def _record(rule: KeywordRule) -> KeywordRecord:
    return KeywordRecord(rule.id, rule.term, rule.weight, rule.lang, rule.exclude, rule.near, rule.window)


def list_rules(session: Session) -> list[KeywordRecord]:
    return [_record(rule) for rule in session.scalars(select(KeywordRule).order_by(KeywordRule.id))]


def find_rules(session: Session, term: str, lang: str | None = None) -> list[KeywordRule]:
    statement = select(KeywordRule).where(func.lower(KeywordRule.term) == term.casefold())
    if lang is not None:
        statement = statement.where(KeywordRule.lang == lang)
    return list(session.scalars(statement))


def add_rule(session: Session, spec: KeywordSpec, *, created_by: str | None = None) -> KeywordRecord:
    """Add a rule, or update the weight and options of the rule with the same term, language and kind."""
    existing = [
        rule
        for rule in find_rules(session, spec.term)
        if rule.lang == spec.lang and rule.exclude == spec.exclude
    ]
    rule = existing[0] if existing else KeywordRule(term=spec.term, created_by=created_by)
    rule.weight = spec.weight
    rule.lang = spec.lang
    rule.exclude = spec.exclude
    rule.near = spec.near
    rule.window = spec.window
    session.add(rule)
    session.flush()
    return _record(rule)


def remove_rules(session: Session, term: str, lang: str | None = None) -> int:
    """Remove every rule with this term (in this language, if given); returns how many."""
    rules = find_rules(session, term, lang)
    for rule in rules:
        session.delete(rule)
    return len(rules)


SEEDED_KEY = "keywords.seeded"


def seed_rules(session: Session, specs: Iterable[KeywordSpec]) -> int:
    """Copy the configured default rules into the database once; later, admins' edits rule."""
    if get_runtime_setting(session, SEEDED_KEY) or session.scalar(select(func.count(KeywordRule.id))):
        return 0
    set_runtime_setting(session, SEEDED_KEY, True, updated_by="config")
    count = 0
    for spec in specs:
        add_rule(session, spec, created_by="config")
        count += 1
    return count
