"""Admin overrides: values admins change at run time (the /threshold), which override config.toml's."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from storage.models import RuntimeSetting

# The alert threshold admins set with /threshold; it overrides classifier.threshold of config.toml.
THRESHOLD_KEY = "classifier.threshold"


def get_runtime_setting(session: Session, key: str, default: Any = None) -> Any:
    row = session.get(RuntimeSetting, key)
    return default if row is None else row.value


def set_runtime_setting(session: Session, key: str, value: Any, *, updated_by: str | None = None) -> None:
    row = session.get(RuntimeSetting, key)
    if row is None:
        session.add(RuntimeSetting(key=key, value=value, updated_by=updated_by))
    else:
        row.value = value
        row.updated_by = updated_by


def alert_threshold(session: Session, default: float) -> float:
    """The alert threshold: an admin's, else ``default`` (config.toml's)."""
    return float(get_runtime_setting(session, THRESHOLD_KEY, default))
