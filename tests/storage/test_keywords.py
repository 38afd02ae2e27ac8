from __future__ import annotations

from dataclasses import dataclass

from storage.audit import recent_audit, record_audit
from storage.db import Database
from storage.keywords import add_rule, list_rules, remove_rules, seed_rules
from storage.overrides import get_runtime_setting, set_runtime_setting


@dataclass
class Spec:
    term: str
    weight: float = 1.0
    lang: str | None = None
    exclude: bool = False
    near: str | None = None
    window: int | None = None


def test_seeding_happens_once_even_after_admins_empty_the_table(database: Database) -> None:
    with database.session() as session:
        assert seed_rules(session, [Spec("mercenary"), Spec("наемник", lang="ru")]) == 2
        assert seed_rules(session, [Spec("other")]) == 0
        assert remove_rules(session, "mercenary") == 1
        assert remove_rules(session, "наемник") == 1
        assert seed_rules(session, [Spec("again")]) == 0
        assert list_rules(session) == []


def test_add_updates_the_rule_with_the_same_term_language_and_kind(database: Database) -> None:
    with database.session() as session:
        first = add_rule(session, Spec("Recruit*", weight=1.0))
        again = add_rule(session, Spec("Recruit*", weight=2.5, near="russia|army", window=5))
        excluded = add_rule(session, Spec("Recruit*", exclude=True))
        assert again.id == first.id and again.weight == 2.5 and again.window == 5
        assert excluded.id != first.id
        assert remove_rules(session, "recruit*") == 2  # case-insensitive


def test_runtime_settings_and_audit_log(database: Database) -> None:
    with database.session() as session:
        assert get_runtime_setting(session, "classifier.threshold", 0.5) == 0.5
        set_runtime_setting(session, "classifier.threshold", 0.7, updated_by="42")
        set_runtime_setting(session, "classifier.threshold", 0.6, updated_by="42")
        record_audit(session, "42", "threshold_set", old=0.7, new=0.6)
    with database.session() as session:
        assert get_runtime_setting(session, "classifier.threshold") == 0.6
        [entry] = recent_audit(session)
        assert (entry.actor, entry.action, entry.details) == ("42", "threshold_set", {"old": 0.7, "new": 0.6})


def test_the_database_stores_every_rule_the_classifier_accepts() -> None:
    from classifiers.rules import MAX_NEAR_CHARS, MAX_TERM_CHARS
    from storage.models import KeywordRule

    columns = KeywordRule.__table__.c
    assert (columns.term.type.length, columns.near.type.length) == (MAX_TERM_CHARS, MAX_NEAR_CHARS)
