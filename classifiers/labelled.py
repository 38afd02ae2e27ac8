"""Labelled stories: feedback for the head and JSONL files for evaluation."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from classifiers.types import StoryText


@dataclass(frozen=True, slots=True)
class LabelledStory:
    """A story with a human judgement; ``kind`` and ``id`` are optional bookkeeping."""

    story: StoryText
    relevant: bool
    kind: str | None = None
    id: str | None = None


def load_labelled(path: str | Path) -> list[LabelledStory]:
    """Read JSONL rows: title, summary, label (1/0; "ambiguous" rows skipped), optional kind, lang, id."""
    items: list[LabelledStory] = []
    with Path(path).open(encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                label = row["label"]
                if label == "ambiguous":
                    continue
                if label not in (0, 1, True, False):
                    raise ValueError(f"label must be 1, 0 or 'ambiguous', got {label!r}")
                story = StoryText(
                    title=str(row["title"]), summary=str(row.get("summary") or ""), lang=row.get("lang")
                )
            except (KeyError, ValueError) as error:
                raise ValueError(f"{path}:{line_number}: {error}") from error
            items.append(
                LabelledStory(story=story, relevant=bool(label), kind=row.get("kind"), id=row.get("id"))
            )
    return items
