"""Classifier configuration: the ``[classifier]`` table of config.toml.

Every field has a default and a description; the README's configuration reference
is generated from the descriptions, so they say what a value does and when to change it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from classifiers.default_keywords import default_keywords
from classifiers.types import KeywordSeed

DEFAULT_TOPIC_LABELS = [
    "foreign men recruited or lured abroad to fight as soldiers in another country's war",
    "mercenaries and foreign fighters recruited to fight in a war",
    "job seekers deceived with job offers and sent to fight at the front line",
    "recruiters arrested or sentenced for sending people to fight in a foreign army",
    "a country sends its troops to fight in another country's war",
    "foreign volunteers join an international legion to fight in a war",
    "a terrorist group recruits foreign fighters for jihad",
    "a private military company recruits mercenaries for wars in Africa",
]

DEFAULT_CONTRAST_LABELS = [
    "sex trafficking and sexual exploitation of women",
    "forced labour and modern slavery in farms, factories and hotels",
    "trafficked workers held in online scam compounds",
    "migrant smuggling: people smugglers and boat crossings",
    "workers recruited for civilian jobs such as construction or factory work abroad",
    "battlefield news: attacks, shelling and territory captured",
    "exchange of prisoners of war",
    "weapons aid, arms deals and fighter jet purchases",
    "a government mobilises and conscripts its own citizens into the army",
    "the army struggles to meet its recruitment targets and runs advertising campaigns",
    "sports league rules on foreign players",
    "overseas job and visa fraud",
    "economy, inflation, business and stock markets",
    "smartphones, technology and artificial intelligence",
    "sport results: football, cricket and tennis",
    "weather forecast, heat and rain warnings",
    "health, medicine and disease outbreaks",
    "science and space exploration",
    "films, celebrities and entertainment",
    "food, restaurants and tourism",
]


class FusionWeights(BaseModel):
    """How rule, zero-shot and head evidence add up (in log-odds) to the final score.

    The defaults are those ``python -m classifiers.train --fit-fusion 5`` fitted on out-of-fold
    evidence of the shipped corpus, but for ``zero_shot``: fitted near 0, it is kept at 0.1 so an
    admin's labels still count (docs/classifier.md has the figures and the command).
    """

    model_config = ConfigDict(extra="forbid")

    bias: float = Field(default=-0.7, description="Log-odds of a story with no evidence either way.")
    rules: float = Field(default=1.044, description="Multiplier on the summed keyword-rule weights.")
    rules_cap: float = Field(
        default=4.0,
        description="Summed rule weights are clipped to ±this, so keyword-stuffed text cannot win alone.",
    )
    zero_shot: float = Field(default=0.1, description="Multiplier on the logit of the zero-shot probability.")
    zero_shot_unsupported_lang: float = Field(
        default=0.0,
        description="Multiplier used instead of `zero_shot` when the model was not trained on the "
        "story's language.",
    )
    head: float = Field(
        default=2.493,
        description="Multiplier on the logit of the trained head's probability (the USE head; it also "
        "decides which stories the e5 head reads).",
    )
    refined_head: float = Field(
        default=4.59,
        description="Multiplier used instead of `head` when the e5 head read the story (its narrower "
        "kernel gives decision values on a smaller scale).",
    )


class ClassifierSettings(BaseModel):
    """Settings of the relevance classifier (rules + zero-shot model + optional feedback head)."""

    model_config = ConfigDict(extra="forbid")

    backend: Literal["embedding", "nli"] = Field(
        default="embedding",
        description="Zero-shot backend: `embedding` (fast sentence embeddings, offline) or `nli` "
        "(transformers zero-shot-classification pipeline; slower, needs a local NLI model).",
    )
    embedding_model: Literal["hybrid", "minilm", "use"] = Field(
        default="hybrid",
        description="`hybrid`: all-MiniLM-L6-v2 for English, multilingual USE for other languages; "
        "`minilm`: all-MiniLM-L6-v2 only (English-only model); `use`: multilingual USE only (fastest).",
    )
    refine_margin: float = Field(
        default=0.75,
        ge=0.0,
        description="`hybrid` only: an English story goes on to MiniLM only when its fused score with the "
        "cheap multilingual USE is within this many log-odds of the threshold; 0 = always run MiniLM.",
    )
    threshold: float = Field(
        default=0.5, ge=0.0, le=1.0, description="Alert when the fused score is at or above this value."
    )
    topic_labels: list[str] = Field(
        default_factory=lambda: list(DEFAULT_TOPIC_LABELS),
        min_length=1,
        description="Descriptions of what we want to find; a story scores high when it is closest to one "
        "of them.",
    )
    contrast_labels: list[str] = Field(
        default_factory=lambda: list(DEFAULT_CONTRAST_LABELS),
        min_length=1,
        description="Descriptions of near-miss and unrelated topics the topic labels compete against.",
    )
    hypothesis_template: str = Field(
        default="This news story is about {}.",
        description="Sentence each label is put into (`{}` = the label), for both backends.",
    )
    temperature: float = Field(
        default=0.03,
        gt=0.0,
        description="Softmax temperature over cosine similarities (embedding backend); lower = sharper.",
    )
    max_tokens: int = Field(
        default=128, ge=16, le=512, description="Tokens of title+summary the models read."
    )
    nli_model: str = Field(
        default="facebook/bart-large-mnli",
        description="NLI model for the `nli` backend: a local directory or a name already in the local "
        "Hugging Face cache (never downloaded).",
    )
    batch_size: int = Field(default=32, ge=1, le=1024, description="Stories per model forward pass.")
    threads: int = Field(
        default=0,
        ge=0,
        description="CPU threads for torch (MiniLM, NLI) and numpy (USE); 0 = all cores.",
    )
    head_base_corpus: bool = Field(
        default=True,
        description="Start the trained head from the labelled corpus shipped with the package "
        "(its vectors); feedback adds to it. Off: the head learns from feedback alone.",
    )
    head_feedback_weight: float = Field(
        default=2.0,
        gt=0.0,
        description="How many shipped-corpus items one admin judgement counts as in the head's training.",
    )
    head_refine: bool = Field(
        default=True,
        description="A second head on multilingual-e5-small vectors (about 100 languages) decides the "
        "stories the USE head leaves near the threshold; off: the USE head alone (faster, weaker outside "
        "USE's 16 languages).",
    )
    head_refine_margin: float = Field(
        default=1.5,
        ge=0.0,
        description="A story in one of USE's languages goes on to the e5 head when its fused score with "
        "the USE head is within this many log-odds of the threshold; 0 = every story the models read.",
    )
    head_refine_margin_unsupported_lang: float = Field(
        default=3.0,
        ge=0.0,
        description="The same margin for a story in a language USE was not trained on, wider because "
        "there the USE head's verdict is weaker (only one that puts it far from the threshold is kept); "
        "0 = every such story goes to e5.",
    )
    head_min_examples: int = Field(
        default=20,
        ge=1,
        description="Without the shipped corpus, the head joins the score only once feedback has at "
        "least this many labelled examples of each class.",
    )
    head_regularisation: float = Field(
        default=4.0,
        gt=0.0,
        description="Inverse regularisation strength C of the heads' RBF support-vector machine "
        "(4: 2, 4 and 8 were within 0.001 F1 for the e5 head under grouped cross-validation).",
    )
    head_refine_kernel_gamma: float = Field(
        default=6.0,
        gt=0.0,
        description="Width gamma of the e5 head's RBF kernel (the USE head keeps sklearn's \"scale\", 1.0 "
        "on its unit vectors). e5's vectors all lie close together; under grouped cross-validation on "
        "the corpus gamma 6 lifted the e5 head's AUC from 0.974 (gamma 1) to 0.983.",
    )
    fusion: FusionWeights = Field(
        default_factory=FusionWeights,
        description="Weights of the log-odds fusion of rules, zero-shot and head.",
    )
    keywords: list[KeywordSeed] = Field(
        default_factory=default_keywords,
        description="Default keyword rules, seeded into the database on first run; admins tune them at "
        "run time.",
    )
