"""NLI backend on a tiny randomly initialised BERT NLI model saved to disk (no hub access)."""

from __future__ import annotations

import math

import pytest

from classifiers.backends.labels import LabelSet
from classifiers.backends.nli import NliBackend, odds_share
from classifiers.factory import build_classifier
from classifiers.settings import ClassifierSettings, FusionWeights
from classifiers.types import StoryText

LABELS = LabelSet(
    topic=("mercenaries recruited to fight", "foreign fighters"),
    contrast=("migrant smuggling", "stock markets", "weather"),
    template="This news story is about {}.",
)
STORIES = [
    StoryText("Mercenaries recruited to fight abroad", "Men were sent to the front.", "en"),
    StoryText("Stock markets rally", "Shares closed higher on Friday.", "en"),
]


@pytest.fixture(scope="module")
def tiny_nli_model(tmp_path_factory) -> str:
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    words = sorted(
        {
            w.strip(".,").lower()
            for text in [*LABELS.all, LABELS.template, *(s.text for s in STORIES)]
            for w in text.split()
        }
    )
    directory = tmp_path_factory.mktemp("tiny-nli")
    vocab = directory / "vocab.txt"
    vocab.write_text(
        "\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", *words]) + "\n", encoding="utf-8"
    )
    tokenizer = BertTokenizer(vocab_file=str(vocab), model_max_length=64)
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
        num_labels=3,
        id2label={0: "contradiction", 1: "neutral", 2: "entailment"},
        label2id={"contradiction": 0, "neutral": 1, "entailment": 2},
    )
    BertForSequenceClassification(config).save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return str(directory)


def test_odds_share_weighs_topic_against_contrast():
    assert odds_share([0.5], [0.5]) == pytest.approx(0.5)
    assert odds_share([0.9], [0.1, 0.1]) == pytest.approx(9 / (9 + 1 / 9 + 1 / 9))
    assert odds_share([0.01], [0.99]) < 0.001


def test_nli_backend_loads_a_local_model_and_scores_every_label(tiny_nli_model):
    backend = NliBackend(tiny_nli_model, LABELS, batch_size=4, threads=1)
    scores = backend.scores(STORIES)
    assert len(scores) == 2
    for score in scores:
        assert 0.0 <= score.probability <= 1.0 and math.isfinite(score.margin)
        assert score.best_label in LABELS.topic and score.best_contrast_label in LABELS.contrast
        assert score.model == f"nli({tiny_nli_model})"
    assert backend.scores(STORIES) == scores  # deterministic
    assert backend.scores([]) == []


def test_the_factory_builds_an_nli_cascade(tiny_nli_model, make_rule):
    settings = ClassifierSettings(
        backend="nli",
        nli_model=tiny_nli_model,
        topic_labels=list(LABELS.topic),
        contrast_labels=list(LABELS.contrast),
        batch_size=4,
        # Round weights under which the model can still move a story with one rule hit: the fitted
        # defaults change whenever the corpus grows.
        fusion=FusionWeights(bias=-1.0, rules=1.0, zero_shot=0.4, zero_shot_unsupported_lang=0.0, head=1.0),
    )
    verdicts = build_classifier(settings, [make_rule("mercenar*", weight=2.0)]).classify_batch(STORIES)
    assert [v.model_name for v in verdicts] == [f"cascade[rules+nli({tiny_nli_model})]"] * 2
    assert verdicts[0].reasons["rules"]["hits"][0]["term"] == "mercenar*"
    assert verdicts[0].reasons["zero_shot"]["model"].startswith("nli(")
