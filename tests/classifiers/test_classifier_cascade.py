"""The cascade: cheap rules first, models only where they matter, explainable and versioned verdicts."""

from __future__ import annotations

import json
import math

import pytest

from classifiers.cascade import CascadeClassifier
from classifiers.fusion import logit
from classifiers.head import train_head
from classifiers.rules import compile_rules
from classifiers.settings import ClassifierSettings, FusionWeights
from classifiers.types import StoryText

# The mechanics are tested with fixed, round weights, not the fitted defaults, which change
# whenever the corpus grows.
SETTINGS = ClassifierSettings(
    fusion=FusionWeights(bias=-1.0, rules=1.0, zero_shot=0.4, zero_shot_unsupported_lang=0.0, head=1.0)
)


@pytest.fixture
def rules(make_rule):
    return compile_rules(
        [
            make_rule("mercenar*", weight=2.0),
            make_rule("smuggl*", weight=-1.0),
            make_rule("foreign player*", exclude=True),
        ]
    )


def story(title: str, lang: str | None = "en") -> StoryText:
    return StoryText(title=title, summary="", lang=lang)


def test_verdicts_come_back_in_order_with_one_model_batch(rules, fake_backend):
    classifier = CascadeClassifier(SETTINGS, rules, fake_backend)
    texts = [story("topic mercenaries"), story("weather"), story("mercenaries"), story("smugglers")]
    verdicts = classifier.classify_batch(texts)
    assert [v.alert for v in verdicts] == [True, False, True, False]
    assert len(fake_backend.calls) == 1


def test_exclusions_veto_without_running_the_model(rules, fake_backend):
    verdict = CascadeClassifier(SETTINGS, rules, fake_backend).classify_batch(
        [story("topic mercenaries foreign players")]
    )[0]
    assert (verdict.alert, verdict.score) == (False, 0.0)
    assert "excluded" in verdict.reasons["decision"]
    assert fake_backend.calls == [[]]


def test_rules_alone_decide_when_the_model_could_not_flip_the_outcome(make_rule, fake_backend):
    strong = compile_rules([make_rule("mercenary", weight=4.0)])
    verdict = CascadeClassifier(SETTINGS, strong, fake_backend).classify_batch([story("mercenary weather")])[
        0
    ]
    assert verdict.alert
    assert fake_backend.calls == [[]]
    assert "skipped" in verdict.reasons["zero_shot"]


def test_reasons_are_json_and_explain_the_score(rules, fake_backend):
    verdict = CascadeClassifier(SETTINGS, rules, fake_backend).classify_batch(
        [story("topic: Mercenaries hired")]
    )[0]
    reasons = json.loads(json.dumps(verdict.reasons))
    assert reasons["rules"]["hits"][0]["spans"][0]["text"] == "mercenaries"
    assert reasons["zero_shot"]["best_label"] == "topic label"
    fusion = reasons["fusion"]
    assert fusion["logit"] == pytest.approx(
        fusion["bias"] + fusion["rules_term"] + fusion["zero_shot_term"], abs=1e-3
    )
    assert verdict.score == pytest.approx(1 / (1 + math.exp(-fusion["logit"])), abs=1e-4)
    assert fusion["threshold"] == SETTINGS.threshold
    assert reasons["decision"].startswith("alert: score")


def test_the_threshold_decides(rules, fake_backend):
    texts = [story("topic news")]  # score = sigmoid(-1 + 0.4 * logit(0.9)) ≈ 0.43
    assert not CascadeClassifier(SETTINGS, rules, fake_backend).classify_batch(texts)[0].alert
    lenient = SETTINGS.model_copy(update={"threshold": 0.4})
    assert CascadeClassifier(lenient, rules, fake_backend).classify_batch(texts)[0].alert


def test_an_active_head_joins_the_score_and_an_inactive_one_does_not(
    rules, fake_backend, encode, make_examples
):
    active = train_head(make_examples(5, 5), encode, "bow", min_per_class=5)
    inactive = train_head(make_examples(5, 1), encode, "bow", min_per_class=5)
    text = [story("mercenaries recruited abroad")]
    with_head = CascadeClassifier(SETTINGS, rules, fake_backend, head=active, head_encode=encode)
    without = CascadeClassifier(SETTINGS, rules, fake_backend, head=inactive, head_encode=encode)
    assert "head_term" in with_head.classify_batch(text)[0].reasons["fusion"]
    assert "head" not in without.classify_batch(text)[0].reasons
    assert with_head.model_name.endswith("+head]") and not without.model_name.endswith("+head]")
    with pytest.raises(ValueError, match="head_encode"):
        CascadeClassifier(SETTINGS, rules, fake_backend, head=active)


def test_version_changes_with_anything_that_changes_verdicts(
    rules, make_rule, fake_backend, encode, make_examples
):
    def version(settings=SETTINGS, ruleset=rules, head=None):
        return CascadeClassifier(settings, ruleset, fake_backend, head=head, head_encode=encode).model_version

    base = version()
    assert version() == base
    assert version(SETTINGS.model_copy(update={"batch_size": 7, "threads": 1})) == base
    assert version(SETTINGS.model_copy(update={"threshold": 0.6})) != base
    assert version(SETTINGS.model_copy(update={"topic_labels": ["mercenaries"]})) != base
    assert version(SETTINGS.model_copy(update={"embedding_model": "use"})) != base
    assert version(ruleset=compile_rules([make_rule("mercenar*", weight=2.5)])) != base
    assert version(head=train_head(make_examples(5, 5), encode, "bow", 5)) != base
    assert version(head=train_head(make_examples(5, 1), encode, "bow", 5)) == base  # inactive: no effect


class RefiningHead:
    """A two-stage head whose refining encoder records the texts it reads."""

    def __init__(self, encode, make_examples) -> None:
        self.read: list[str] = []
        self._encode = encode
        cheap = train_head(make_examples(5, 5), encode, "bow", min_per_class=5)
        refiner = train_head(make_examples(5, 5), encode, "refining-bow", min_per_class=5)
        self.head = cheap.with_refiner(refiner)

    def refine_encode(self, texts):
        self.read.extend(texts)
        return self._encode(texts)

    def read_by(self, classifier: CascadeClassifier, texts: list[StoryText]) -> list[str]:
        """Which head decided each story."""
        return [v.reasons["head"]["read_by"] for v in classifier.classify_batch(texts)]


@pytest.fixture
def refining(encode, make_examples) -> RefiningHead:
    return RefiningHead(encode, make_examples)


def test_the_refining_head_reads_only_stories_near_the_threshold(rules, fake_backend, encode, refining):
    texts = [story("mercenaries recruited abroad"), story("stock market rally")]

    def classifier(margin: float) -> CascadeClassifier:
        settings = SETTINGS.model_copy(update={"head_refine_margin": margin})
        return CascadeClassifier(
            settings, rules, fake_backend, refining.head, encode, refine_encode=refining.refine_encode
        )

    # 0: every story the models read
    assert refining.read_by(classifier(0.0), texts) == ["refining-bow"] * 2
    assert refining.read == [t.text for t in texts]
    for verdict in classifier(0.0).classify_batch(texts):  # the e5 head's logit has its own weight
        head = verdict.reasons["head"]["probability"]
        expected = SETTINGS.fusion.refined_head * logit(head)
        assert verdict.reasons["fusion"]["head_term"] == pytest.approx(expected, abs=2e-3)
    refining.read.clear()
    assert refining.read_by(classifier(1e-6), texts) == ["bow", "bow"] and refining.read == []


def test_a_story_in_a_language_the_first_head_never_saw_has_a_margin_of_its_own(
    rules, fake_backend, encode, refining
):
    """A head's verdict on a language its encoder never saw is weaker: such a story has its own margin."""
    texts = [story("stock market rally", lang="en"), story("stock market rally", lang="sw")]

    def classifier(unsupported_margin: float) -> CascadeClassifier:
        update = {"head_refine_margin": 1e-6, "head_refine_margin_unsupported_lang": unsupported_margin}
        return CascadeClassifier(
            SETTINGS.model_copy(update=update),
            rules,
            fake_backend,
            refining.head,
            encode,
            refine_encode=refining.refine_encode,
            head_languages=frozenset({"en"}),
        )

    assert refining.read_by(classifier(0.0), texts) == ["bow", "refining-bow"]
    assert refining.read == [texts[1].text]
    refining.read.clear()
    # a margin too narrow for either story: the first head settles both
    assert refining.read_by(classifier(1e-6), texts) == ["bow", "bow"] and refining.read == []


def test_the_why_line_names_a_word_once_however_many_rules_match_it(make_rule, fake_backend):
    overlapping = compile_rules([make_rule("mercenar*", weight=0.5), make_rule("mercenari*", weight=0.5)])
    verdict = CascadeClassifier(SETTINGS, overlapping, fake_backend).classify_batch(
        [story("Mercenaries film")]
    )[0]
    assert verdict.reasons["rules"]["score"] == 0.5  # one word counts once
    assert "“mercenaries”" in verdict.reasons["summary"]
    assert "mercenar*" not in verdict.reasons["summary"]
