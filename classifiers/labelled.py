"""Labelled stories: feedback for the head and JSONL files for evaluation and training."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from classifiers.types import StoryText


@dataclass(frozen=True, slots=True)
class LabelledStory:
    """A story with a human judgement; ``kind``, ``id`` and ``url`` are optional bookkeeping."""

    story: StoryText
    relevant: bool
    kind: str | None = None
    id: str | None = None
    url: str | None = None


def _optional_text(row: dict[str, Any], key: str) -> str | None:
    value = row.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{key!r} must be a string, got {type(value).__name__}")
    return value


def _story_of(row: dict[str, Any]) -> StoryText:
    title = _optional_text(row, "title")
    if not title:
        raise ValueError("missing 'title' (a non-empty string)")
    return StoryText(
        title=title, summary=_optional_text(row, "summary") or "", lang=_optional_text(row, "lang")
    )


def _parse_row(line: str) -> LabelledStory | None:
    """One JSONL row as a story, ``None`` for an "ambiguous" row; ``ValueError`` says what is wrong."""
    row = json.loads(line)
    if not isinstance(row, dict):
        raise ValueError(f"each line must be a JSON object, got {type(row).__name__}")
    if "label" not in row:
        raise ValueError("missing 'label' (1, 0 or 'ambiguous')")
    label = row["label"]
    if label == "ambiguous":
        return None
    if label not in (0, 1) or isinstance(label, float):
        raise ValueError(f"label must be 1, 0 or 'ambiguous', got {label!r}")
    story = _story_of(row)
    return LabelledStory(
        story=story,
        relevant=bool(label),
        kind=_optional_text(row, "kind"),
        id=_optional_text(row, "id"),
        url=_optional_text(row, "url"),
    )


def load_labelled(path: str | Path) -> list[LabelledStory]:
    """Read JSONL rows: title, summary, label (1/0; "ambiguous" rows skipped), optional kind, lang, id, url.

    A bad row raises ``ValueError`` naming the file and line, so a caller can print one line.
    """
    items: list[LabelledStory] = []
    with Path(path).open("rb") as handle:
        for line_number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8-sig")  # a byte-order mark may open the file
                if line.strip() and (item := _parse_row(line)) is not None:
                    items.append(item)
            except UnicodeDecodeError as error:
                raise ValueError(f"{path}:{line_number}: not UTF-8 text ({error.reason})") from None
            except ValueError as error:
                raise ValueError(f"{path}:{line_number}: {error}") from None
    return items


def read_stories(lines: Iterable[bytes], source: str) -> Iterator[StoryText]:
    """Stories to score, one per line: a JSON object (title, summary, lang) or a plain-text title.

    Blank lines are skipped; a bad line raises ``ValueError`` naming ``source`` and the line.
    """
    for line_number, raw in enumerate(lines, start=1):
        try:
            line = raw.decode("utf-8-sig").strip()
            if not line:
                continue
            if line.startswith("{"):
                row = json.loads(line)
                if not isinstance(row, dict):
                    raise ValueError(f"each JSON line must be an object, got {type(row).__name__}")
                yield _story_of(row)
            else:
                yield StoryText(title=line, summary="")
        except UnicodeDecodeError as error:
            raise ValueError(f"{source}:{line_number}: not UTF-8 text ({error.reason})") from None
        except ValueError as error:
            raise ValueError(f"{source}:{line_number}: {error}") from None
