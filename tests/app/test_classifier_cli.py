"""`warwatch classify`, `eval`, `feedback` and `reclassify` against real models and a real database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from storage.db import Database
from storage.stories import insert_stories
from storage.subscribers import set_console_subscriber
from tests.storage.factories import Entry

POSITIVE = "Nepali men lured with job offers and sent to fight for Russia in Ukraine"
RUSSIAN_BAKERY = "Пекарня открылась в Казани"
NEGATIVE = "Central bank keeps interest rates unchanged as inflation eases"

pytestmark = pytest.mark.slow


@pytest.fixture
def cli(make_cli):
    """A feedback head that joins after two examples of each class."""
    return make_cli("[classifier]\nhead_min_examples = 2\n")


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


LABELLED = [
    {"id": "p1", "title": POSITIVE, "summary": "", "lang": "en", "label": 1, "kind": "positive"},
    {
        "id": "p2",
        "title": "Колумбийские наемники воюют в Судане",
        "summary": "Вербовщики обещали работу охранниками.",
        "lang": "ru",
        "label": 1,
        "kind": "positive",
    },
    {
        "id": "h1",
        "title": "Police free women trafficked for sexual exploitation",
        "summary": "",
        "lang": "en",
        "label": 0,
        "kind": "hard_negative",
    },
    {"id": "e1", "title": NEGATIVE, "summary": "", "lang": "en", "label": 0, "kind": "easy_negative"},
    {"id": "a1", "title": "Gurkhas in the British army", "summary": "", "label": "ambiguous"},
]


def test_classify_explains_an_alert_and_a_quiet_story(cli) -> None:
    alert = json.loads(cli("classify", POSITIVE, "--json").stdout)
    quiet = json.loads(cli("classify", NEGATIVE, "--json").stdout)
    assert alert["alert"] is True and alert["score"] >= 0.5
    assert alert["reasons"]["rules"]["hits"], "keyword evidence is reported"
    assert "keywords" in alert["reasons"]["summary"]
    assert quiet["alert"] is False and quiet["score"] < 0.5
    assert quiet["reasons"]["zero_shot"]["best_contrast_label"]
    human = cli("classify", f"{POSITIVE}\nRecruiters promised jobs as security guards.").stdout
    assert human.startswith("ALERT") and "why: keywords" in human


def test_classify_refuses_empty_text(cli) -> None:
    assert "nothing to classify" in cli("classify", "  \n ", code=2).output


def test_eval_reports_every_figure_and_skips_ambiguous_rows(cli, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "labelled.jsonl", LABELLED)
    report = json.loads(cli("eval", str(path), "--json").stdout)
    assert report["n"] == 4
    assert {"precision", "recall", "f1", "stories_per_second", "by_kind", "by_lang"} <= set(report)
    assert report["by_kind"]["positive"] == {"n": 2, "flagged_rate": 1.0}
    assert report["by_kind"]["easy_negative"] == {"n": 1, "flagged_rate": 0.0}
    assert report["by_lang"]["ru"] == {"n": 1, "recall": 1.0}
    assert report["f1"] == 1.0
    table = cli("eval", str(path)).output
    assert "flagged rate by kind" in table and "hard_negative" in table


def test_eval_names_the_bad_line(cli, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", [LABELLED[0], {"title": "x", "label": "maybe"}])
    assert "bad.jsonl:2" in cli("eval", str(path), code=2).output


def test_feedback_import_trains_the_head_that_joins_the_score(cli, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "feedback.jsonl", LABELLED)
    first = cli("feedback", "import", str(path)).output
    assert "imported 4 labelled stories (0 already known)" in first
    assert "2 relevant, 2 not relevant; head active" in first
    assert "imported 0 labelled stories (4 already known)" in cli("feedback", "import", str(path)).output
    verdict = json.loads(cli("classify", POSITIVE, "--json").stdout)
    assert "+head" in verdict["model_name"]
    assert verdict["reasons"]["head"]["active"] is True
    assert 0.0 <= verdict["reasons"]["head"]["probability"] <= 1.0


def test_reclassify_redoes_only_what_a_change_affects_and_never_repeats_an_alert(
    cli, database_url: str
) -> None:
    database = Database(database_url)
    cli("db", "upgrade")
    with database.session() as session:
        set_console_subscriber(session, active=True)
        insert_stories(session, None, [Entry(POSITIVE), Entry(NEGATIVE)])
    database.dispose()
    first = cli("reclassify", "--since", "2026-01-01").output
    assert "reclassified 2 stories" in first and "1 flagged, 1 new alerts queued" in first
    assert "reclassified 0 stories" in cli("reclassify", "--since", "2026-01-01").output
    again = cli("reclassify", "--since", "2026-01-01", "--all").output
    assert "reclassified 2 stories" in again and "0 new alerts queued" in again
    cli("keywords", "add", "interest rates", "--weight", "-1")
    assert "reclassified 2 stories" in cli("reclassify", "--since", "2026-01-01").output
    assert "reclassified 0 stories" in cli("reclassify", "--since", "2027-01-01").output


@pytest.mark.parametrize("line", ['["a", 1]', '"a string"', "null", "{broken"])
def test_eval_and_feedback_import_refuse_rows_that_are_not_objects_in_one_line(cli, tmp_path, line) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps(LABELLED[0]) + "\n" + line + "\n", encoding="utf-8")
    for command in (["eval", str(path)], ["feedback", "import", str(path)]):
        output = cli(*command, code=2).output
        assert output.startswith("error: ") and "rows.jsonl:2:" in output
        assert "Traceback" not in output and len(output.strip().splitlines()) == 1


def test_eval_cv_scores_every_item_with_a_head_that_never_saw_its_domain(cli, tmp_path: Path) -> None:
    rows = [
        {**row, "url": f"https://outlet{n % 3}.example/{n}"}
        for n, row in enumerate(LABELLED[:4] * 3)
        if row["label"] != "ambiguous"
    ]
    rows = [{**row, "title": f"{row['title']} ({n})"} for n, row in enumerate(rows)]
    path = write_jsonl(tmp_path / "corpus.jsonl", rows)
    report = json.loads(cli("eval", str(path), "--cv", "3", "--json").stdout)
    assert report["cv_folds"] == 3 and report["n"] == 12
    assert sum(kind["n"] for kind in report["by_kind"].values()) == 12
    low, high = report["intervals_95"]["recall"]
    assert low <= report["recall"] <= high
    assert "3-fold cross-validation over 12 stories" in cli("eval", str(path), "--cv", "3").output
    assert "only 3 source domains" in cli("eval", str(path), "--cv", "4", code=2).output


def test_classify_file_scores_plain_and_json_lines_in_one_process(cli, tmp_path: Path) -> None:
    stories = tmp_path / "stories.txt"
    stories.write_text(
        f"{POSITIVE}\n\n{json.dumps({'title': NEGATIVE, 'lang': 'en'})}\n{RUSSIAN_BAKERY}\n",
        encoding="utf-8",
    )
    lines = cli("classify", "--file", str(stories)).stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["ALERT", "-", "-"]
    assert lines[0].endswith(POSITIVE) and lines[2].endswith(RUSSIAN_BAKERY)
    rows = [
        json.loads(line) for line in cli("classify", "--file", str(stories), "--json").stdout.splitlines()
    ]
    assert [(row["title"], row["alert"]) for row in rows] == [
        (POSITIVE, True),
        (NEGATIVE, False),
        (RUSSIAN_BAKERY, False),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'ok title\n{"summary": "no title"}\n', "stories.txt:2: missing 'title'"),
        (b'ok title\n{"title": [1]}\n', "stories.txt:2: 'title' must be a string"),
        (b"ok title\n\xff\xfe junk\n", "stories.txt:2: not UTF-8 text"),
    ],
)
def test_classify_file_names_the_bad_line(cli, tmp_path: Path, content: bytes, message: str) -> None:
    stories = tmp_path / "stories.txt"
    stories.write_bytes(content)
    result = cli("classify", "--file", str(stories), code=2)
    assert message in result.output and "Traceback" not in result.output


def test_classify_needs_a_text_or_a_file_not_both(cli, tmp_path: Path) -> None:
    assert "give a text, or --file" in cli("classify", code=2).output
    assert "not both" in cli("classify", POSITIVE, "--file", str(tmp_path), code=2).output
    assert "cannot read it" in cli("classify", "--file", str(tmp_path / "missing.txt"), code=2).output


def test_classify_of_a_russian_story_loads_no_english_model(tmp_path: Path) -> None:
    """The hybrid backend's MiniLM (torch) serves English only: a Russian story must not pay ~4 s for it."""
    code = (
        "import sys\nfrom warwatch.cli import app\n"
        f"sys.argv = ['warwatch', '--config', {str(tmp_path / 'c.toml')!r}, 'classify', {RUSSIAN_BAKERY!r}]\n"
        "try:\n    app()\nexcept SystemExit as stop:\n    assert not stop.code, stop.code\n"
        "assert 'torch' not in sys.modules, 'MiniLM loaded for a Russian story'\n"
    )
    (tmp_path / "c.toml").write_text(f'[database]\nurl = "sqlite:///{tmp_path / "w.db"}"\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "no alert" in result.stdout
