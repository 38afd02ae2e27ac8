"""The configuration reference, generated from the settings models' own help texts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from warwatch.config import Settings

CONVENTIONAL_ENV = {
    "telegram.token": "TELEGRAM_BOT_TOKEN",
    "telegram.api_base_url": "TELEGRAM_API_BASE_URL",
    "telegram.admins": "WARWATCH_ADMINS",
}


def _default(model: type[BaseModel], name: str) -> str:
    field = model.model_fields[name]
    if field.default is not PydanticUndefined:
        value = field.default
    elif field.default_factory is not None:
        value = field.default_factory()  # type: ignore[call-arg]
    else:
        return "(required)"
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    if isinstance(value, list) and value and isinstance(value[0], BaseModel):
        return f"{len(value)} entries (`warwatch keywords list`)"
    if value is None:
        return "(empty)"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else f"{text[:57]}…"


def setting_keys(
    model: type[BaseModel] = Settings, prefix: str = ""
) -> Iterator[tuple[str, type[BaseModel]]]:
    """Every leaf setting as ``section.key`` with the model that holds it."""
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel) and not prefix:
            yield from setting_keys(annotation, f"{name}.")
        else:
            yield f"{prefix}{name}", model


def settings_reference() -> str:
    lines = ["| key | default | environment | meaning |", "| --- | --- | --- | --- |"]
    for key, model in setting_keys():
        name = key.rsplit(".", 1)[-1]
        description = (model.model_fields[name].description or "").replace("|", "\\|")
        env = "WARWATCH_" + key.upper().replace(".", "__")
        if key in CONVENTIONAL_ENV:
            env += f", {CONVENTIONAL_ENV[key]}"
        default = _default(model, name).replace("|", "\\|")
        lines.append(f"| `{key}` | `{default}` | `{env}` | {description} |")
    return "\n".join(lines) + "\n"


START_MARKER = "<!-- config-reference:start -->\n"
END_MARKER = "<!-- config-reference:end -->"


def update_reference(path: Path) -> None:
    """Replace the text between the reference markers of ``path`` with the current reference.

    Raises ValueError, saying which marker to add, when the file lacks them: nothing is written then.
    """
    text = path.read_text(encoding="utf-8")
    start, end = text.find(START_MARKER), text.find(END_MARKER)
    if start < 0 or end < start:
        raise ValueError(
            f"{path} has no {START_MARKER.strip()} line followed by {END_MARKER}: "
            "add both where the reference belongs"
        )
    start += len(START_MARKER)
    path.write_text(text[:start] + settings_reference() + text[end:], encoding="utf-8")
