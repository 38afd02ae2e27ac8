"""Admin overrides: a value set at run time replaces config.toml's until it is changed again."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.db import Database
from storage.models import RuntimeSetting
from storage.overrides import THRESHOLD_KEY, alert_threshold, get_runtime_setting, set_runtime_setting


def test_a_stored_threshold_overrides_whatever_threshold_is_configured(database: Database) -> None:
    with database.session() as session:
        assert alert_threshold(session, 0.5) == 0.5
        assert alert_threshold(session, 0.8) == 0.8  # nothing stored: config.toml's, whatever it is
        set_runtime_setting(session, THRESHOLD_KEY, 0.65, updated_by="telegram:7")
    with database.session() as session:
        assert alert_threshold(session, 0.5) == alert_threshold(session, 0.8) == 0.65


def test_a_stored_zero_or_false_is_a_value_not_a_missing_setting(database: Database) -> None:
    with database.session() as session:
        set_runtime_setting(session, THRESHOLD_KEY, 0)
        set_runtime_setting(session, "sources.seeded", False)
    with database.session() as session:
        threshold = alert_threshold(session, 0.5)
        assert threshold == 0.0 and isinstance(threshold, float)
        assert get_runtime_setting(session, "sources.seeded", default=True) is False
        assert get_runtime_setting(session, "never.set", default="fallback") == "fallback"


def test_setting_a_key_again_replaces_its_value_and_author_in_the_same_row(database: Database) -> None:
    with database.session() as session:
        set_runtime_setting(session, "packs", {"enabled": ["ru", "np"]}, updated_by="cli")
    with database.session() as session:
        set_runtime_setting(session, "packs", {"enabled": ["ke"]}, updated_by="telegram:7")
    with database.session() as session:
        assert get_runtime_setting(session, "packs") == {"enabled": ["ke"]}
        row = session.get_one(RuntimeSetting, "packs")
        assert row.updated_by == "telegram:7"
        assert session.scalar(select(func.count()).select_from(RuntimeSetting)) == 1
