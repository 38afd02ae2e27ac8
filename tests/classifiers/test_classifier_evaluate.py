"""evaluate(): metrics on a small JSONL written here, its JSON shape and the table for humans."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from rich.console import Console

from classifiers import evaluate as evaluate_module
from classifiers.evaluate import evaluate, load_labelled, report_table, select_part
from classifiers.types import StoryText, Verdict

ROWS = [
    {"id": "p1", "title": "mercenary A", "summary": "", "lang": "en", "label": 1, "kind": "positive"},
    {"id": "p2", "title": "mercenario B", "summary": "", "lang": "es", "label": 1, "kind": "positive"},
    {"id": "p3", "title": "quiet C", "summary": "", "lang": "es", "label": 1, "kind": "positive"},
    {
        "id": "h1",
        "title": "mercenary-like D",
        "summary": "",
        "lang": "en",
        "label": 0,
        "kind": "hard_negative",
    },
    {"id": "h2", "title": "smugglers E", "summary": "", "lang": "fr", "label": 0, "kind": "hard_negative"},
    {"id": "e1", "title": "weather F", "summary": "", "lang": "en", "label": 0, "kind": "easy_negative"},
    {
        "id": "a1",
        "title": "mercenary G",
        "summary": "",
        "lang": "en",
        "label": "ambiguous",
        "kind": "ambiguous",
    },
]


class KeywordClassifier:
    """Alerts when the title starts with 'mercenar': p1, p2 and h1 (a false alert); misses p3."""

    def classify_batch(self, texts: Sequence[StoryText]) -> list[Verdict]:
        return [Verdict(1.0, s.title.startswith("mercenar"), {}, "kw", "v1") for s in texts]


@pytest.fixture
def labelled_file(tmp_path):
    path = tmp_path / "labelled.jsonl"
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in ROWS), encoding="utf-8")
    return path


def test_metrics_per_kind_and_language(labelled_file):
    report = evaluate(KeywordClassifier(), load_labelled(labelled_file))
    assert report.n == 6  # the ambiguous row is skipped
    assert report.precision == pytest.approx(2 / 3)
    assert report.recall == pytest.approx(2 / 3)
    assert report.f1 == pytest.approx(2 / 3)
    assert report.by_kind == {
        "easy_negative": {"n": 1, "flagged_rate": 0.0},
        "hard_negative": {"n": 2, "flagged_rate": 0.5},
        "positive": {"n": 3, "flagged_rate": 0.6667},
    }
    assert report.by_lang == {"en": {"n": 1, "recall": 1.0}, "es": {"n": 2, "recall": 0.5}}
    assert report.non_english_recall == pytest.approx(0.5)
    assert report.missed == ["p3"] and report.false_alerts == ["h1"]
    assert report.stories_per_second > 0


def test_json_has_the_contract_keys(labelled_file):
    payload = evaluate(KeywordClassifier(), load_labelled(labelled_file)).to_json()
    assert {"precision", "recall", "f1", "stories_per_second", "by_kind", "by_lang"} <= set(payload)
    assert payload["by_kind"]["hard_negative"] == {"n": 2, "flagged_rate": 0.5}
    json.dumps(payload)


def test_table_renders_for_humans(labelled_file):
    console = Console(record=True, width=120)
    console.print(report_table(evaluate(KeywordClassifier(), load_labelled(labelled_file))))
    text = console.export_text()
    assert "precision" in text and "hard_negative" in text and "0.500" in text


def test_nothing_to_evaluate_is_an_error():
    with pytest.raises(ValueError, match="nothing to evaluate"):
        evaluate(KeywordClassifier(), [])


def test_parts_split_the_items_stably_and_completely(labelled_file):
    items = load_labelled(labelled_file)
    halves = [select_part(items, "1/2"), select_part(items, "2/2")]
    assert sorted(i.id for half in halves for i in half) == sorted(i.id for i in items)
    assert select_part(list(reversed(items)), "1/2") == list(reversed(halves[0]))
    with pytest.raises(ValueError, match="K/N"):
        select_part(items, "3/2")


def test_module_entry_prints_json(labelled_file, monkeypatch, capsys):
    import structlog

    monkeypatch.setattr(structlog, "configure", lambda **_: None)  # main() must not reconfigure the suite
    monkeypatch.setattr("classifiers.factory.default_classifier", lambda settings: KeywordClassifier())
    evaluate_module.main([str(labelled_file), "--json"])
    assert json.loads(capsys.readouterr().out)["f1"] == pytest.approx(0.6667)


DEV_SET = Path(__file__).resolve().parents[3] / "shared" / "data" / "dev_news.jsonl"


@pytest.mark.slow
@pytest.mark.skipif(not DEV_SET.exists(), reason="../shared/data/dev_news.jsonl is not beside the project")
def test_the_default_cascade_meets_the_dev_set_targets():
    """The issue's quality targets, out of the box (no feedback): a regression here is a product bug."""
    from classifiers.factory import default_classifier
    from classifiers.settings import ClassifierSettings

    report = evaluate(default_classifier(ClassifierSettings()), load_labelled(DEV_SET))
    assert report.f1 >= 0.90
    assert report.by_kind["hard_negative"]["flagged_rate"] <= 0.10
    assert report.by_kind["easy_negative"]["flagged_rate"] <= 0.01
    assert report.non_english_recall >= 0.75


def test_the_seed_story_of_the_issue_scores_at_least_0_8():
    """The story that started the project, in its own words, out of the box."""
    from classifiers.factory import default_classifier
    from classifiers.settings import ClassifierSettings

    seed = StoryText(
        title="Iraqi man jailed for life for trafficking people to fight for Russia",
        summary="A court sentenced a man who sent Iraqis to fight in Russia's war in Ukraine.",
        lang="en",
    )
    [verdict] = default_classifier(ClassifierSettings()).classify_batch([seed])
    assert verdict.alert and verdict.score >= 0.8, verdict.reasons


def test_bad_input_gets_a_verdict_quickly():
    """Empty, 1 MB, binary junk, mixed scripts and zero-width tricks: a verdict each, in seconds."""
    import time

    from classifiers.factory import default_classifier
    from classifiers.settings import ClassifierSettings

    classifier = default_classifier(ClassifierSettings())
    hidden = "Ken\u200byan men re\u00adcruited to fight for Rus\u2060sia"
    clean = "Kenyan men recruited to fight for Russia"
    texts = [
        StoryText(title="", summary="", lang=None),
        StoryText(title="Weather", summary="sunny and warm " * 70_000, lang="en"),  # ~1 MB
        StoryText(title=bytes(range(256)).decode("utf-8", "replace"), summary="\x00\x01", lang=None),
        StoryText(title="Наёмники 雇佣兵 mercenarios مرتزقة", summary="", lang=None),
        StoryText(title=hidden, summary="", lang="en"),
        StoryText(title=clean, summary="", lang="en"),
    ]
    started = time.perf_counter()
    verdicts = classifier.classify_batch(texts)
    assert time.perf_counter() - started < 20  # the 1 MB summary alone took 20 s before USE input was cut
    assert len(verdicts) == len(texts) and all(0.0 <= v.score <= 1.0 for v in verdicts)
    assert not verdicts[0].alert and not verdicts[1].alert
    assert verdicts[4].score == verdicts[5].score and verdicts[5].alert  # invisible characters change nothing


def test_bootstrap_intervals_hold_the_figure_and_narrow_with_more_data():
    from classifiers.evaluate import bootstrap_intervals

    small = load_labelled_rows(ROWS[:6])
    alerts = [True, True, False, True, False, False]
    intervals = bootstrap_intervals(small, alerts)
    lo, hi = intervals["recall"]
    assert lo <= 2 / 3 <= hi and hi - lo > 0.3
    assert bootstrap_intervals(small, alerts) == intervals  # fixed seed: reproducible
    big = bootstrap_intervals(small * 40, alerts * 40)
    assert big["recall"][1] - big["recall"][0] < (hi - lo) / 3
    assert {"precision", "f1", "non_english_recall", "hard_negative_flagged_rate"} <= set(intervals)


def test_json_and_table_carry_the_intervals(labelled_file):
    report = evaluate(KeywordClassifier(), load_labelled(labelled_file))
    payload = report.to_json()
    assert set(payload["intervals_95"]["f1"]) and payload["cv_folds"] is None
    assert payload["by_lang_negatives"]["en"] == {"n": 2, "flagged_rate": 0.5}
    console = Console(record=True, width=140)
    console.print(report_table(report))
    assert "95 % interval" in console.export_text()


def load_labelled_rows(rows: list[dict]) -> list:
    from classifiers.labelled import LabelledStory

    return [
        LabelledStory(StoryText(r["title"], r["summary"], r["lang"]), r["label"] == 1, r["kind"], r["id"])
        for r in rows
    ]
