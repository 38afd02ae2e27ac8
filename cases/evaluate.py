"""How well extraction matches a labelled set: origin-country precision and recall, and accuracy of
destination, event and count, overall and by language."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cases.extract import DESTINATIONS, EVENTS, extract_case

_KEYS = ("id", "title", "summary", "lang", "origin_countries", "destination", "event", "count")


@dataclass(frozen=True, slots=True)
class LabelledCase:
    id: str
    title: str
    summary: str
    lang: str
    origin_countries: frozenset[str]
    destination: str
    event: str
    count: int | None


def load_cases(path: Path) -> list[LabelledCase]:
    """Read the labelled JSONL; a malformed line is refused naming its number."""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            missing = [key for key in _KEYS if key not in row]
            if missing:
                raise ValueError(f"missing {missing}")
            if row["destination"] not in DESTINATIONS or row["event"] not in EVENTS:
                raise ValueError(f"destination must be one of {DESTINATIONS}, event one of {EVENTS}")
            count = row["count"]
            if count is not None and not isinstance(count, int):
                raise ValueError("count must be an integer or null")
            cases.append(
                LabelledCase(
                    str(row["id"]), str(row["title"]), str(row["summary"]), str(row["lang"]),
                    frozenset(row["origin_countries"]), row["destination"], row["event"], count,
                )
            )  # fmt: skip
        except (ValueError, TypeError, AttributeError) as error:
            raise ValueError(f"{path}:{number}: {error}") from None
    return cases


def _scores(pairs: Iterable[tuple[LabelledCase, Any]]) -> dict[str, float | int]:
    n = tp = predicted = actual = destination = event = count = 0
    for case, facts in pairs:
        n += 1
        found = set(facts.origin_countries)
        tp += len(found & case.origin_countries)
        predicted += len(found)
        actual += len(case.origin_countries)
        destination += facts.destination == case.destination
        event += facts.event == case.event
        count += facts.count == case.count
    return {
        "n": n,
        "origin_precision": round(tp / predicted, 4) if predicted else 1.0,
        "origin_recall": round(tp / actual, 4) if actual else 1.0,
        "destination_accuracy": round(destination / n, 4) if n else 0.0,
        "event_accuracy": round(event / n, 4) if n else 0.0,
        "count_accuracy": round(count / n, 4) if n else 0.0,
    }


def evaluate_cases(cases: list[LabelledCase]) -> dict[str, Any]:
    """The headline scores, ``by_lang``, and the cases each field got wrong (ids), for error analysis."""
    pairs = [(case, extract_case(case.title, case.summary, case.lang)) for case in cases]
    by_lang: dict[str, list[tuple[LabelledCase, Any]]] = defaultdict(list)
    for case, facts in pairs:
        by_lang[case.lang].append((case, facts))
    report: dict[str, Any] = dict(_scores(pairs))
    report["by_lang"] = {lang: _scores(items) for lang, items in sorted(by_lang.items())}
    report["wrong"] = {
        "origin": [c.id for c, f in pairs if set(f.origin_countries) != c.origin_countries],
        "destination": [c.id for c, f in pairs if f.destination != c.destination],
        "event": [c.id for c, f in pairs if f.event != c.event],
    }
    return report
