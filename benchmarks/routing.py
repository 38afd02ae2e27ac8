"""Which stories should the slow e5 head read? Quality per routing margin, on out-of-fold evidence.

    .venv/bin/python benchmarks/routing.py

For the corpus items (``data/corpus/``, without any dev-set item) it computes once the rule sums,
the zero-shot scores and the logits of a USE head and an e5 head, each trained without the item's
fold (folds grouped by source domain, as ``warwatch eval --cv``), then replays the default fusion
for each pair of margins: a story the models read goes to e5 when its fused score with the USE
head lies within ``head_refine_margin`` log-odds of the threshold (USE's languages) or within
``head_refine_margin_unsupported_lang`` (other languages; 0 = always). It prints the share of
those stories e5 reads (its cost) and precision, recall, F1 and the hard negatives flagged; then,
at the default margins, the same for other fusion biases (the operating point).
Run it from an empty directory (the rules are the shipped vocabulary).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from classifiers.crossval import grouped_folds
from classifiers.fusion import decision_logit
from classifiers.language import USE_LANGUAGES, rule_languages
from classifiers.rules import compile_rules
from classifiers.settings import ClassifierSettings
from classifiers.train import fusion_features, out_of_fold_head_logits, unique_items

ROOT = Path(__file__).resolve().parents[1]
DEV_SET = ROOT.parent / "shared" / "data" / "dev_news.jsonl"
MARGINS = [0.5, 1.0, 1.5, 2.0]
UNSUPPORTED_MARGINS = [3.0, 4.0, 0.0]
BIASES = [-0.25, -0.444, -0.55, -0.7, -0.9]


def main() -> None:
    settings = ClassifierSettings()
    items = unique_items(sorted((ROOT / "data" / "corpus").glob("*.jsonl")), [DEV_SET])
    e5 = np.load(ROOT / "classifiers" / "data" / "base_corpus_e5.npz")["vectors"].astype(np.float32)
    use = np.load(ROOT / "classifiers" / "data" / "base_corpus.npz")["vectors"].astype(np.float32)
    folds = grouped_folds(items, 5)
    features = fusion_features(items, e5, "multilingual-e5-small", settings, folds)
    use_logits = out_of_fold_head_logits(items, use, "USE-multilingual-v3", settings, folds)
    weights = settings.fusion
    shared = weights.bias + weights.rules * features[:, 0]
    shared += weights.zero_shot * features[:, 1] + weights.zero_shot_unsupported_lang * features[:, 2]
    with_use = shared + weights.head * use_logits - decision_logit(settings.threshold)
    with_e5 = shared + weights.refined_head * features[:, 3] - decision_logit(settings.threshold)
    labels = np.array([item.relevant for item in items])
    hard = np.array([item.kind == "hard_negative" for item in items])
    rules = compile_rules(settings.keywords)
    excluded = np.array([rules.match(i.story.text, rule_languages(i.story)).excluded for i in items])
    known = np.isin([item.story.lang for item in items], list(USE_LANGUAGES))
    print(f"items: {len(items)}  folds: 5, grouped by source domain")
    print("| margin | unsupported-language margin | e5 reads | precision | recall | F1 | hard neg. flagged |")
    print("| --- | --- | --- | --- | --- | --- | --- |")

    def scored(margin: float, unsupported: float, shift: float = 0.0) -> str:
        limit = np.where(known, margin, unsupported if unsupported else np.inf)
        to_e5 = (np.abs(with_use + shift) < limit) & ~excluded  # as the cascade routes at that bias
        alerts = (np.where(to_e5, with_e5, with_use) + shift >= 0) & ~excluded
        true_positives = (alerts & labels).sum()
        precision, recall = true_positives / alerts.sum(), true_positives / labels.sum()
        f1 = 2 * precision * recall / (precision + recall)
        return f"{to_e5.mean():.0%} | {precision:.3f} | {recall:.3f} | {f1:.3f} | {alerts[hard].mean():.1%} |"

    for margin in MARGINS:
        for unsupported in UNSUPPORTED_MARGINS:
            print(f"| {margin} | {unsupported or 'always'} | {scored(margin, unsupported)}")
    print("\n| fusion bias | e5 reads | precision | recall | F1 | hard neg. flagged |")
    print("| --- | --- | --- | --- | --- | --- |")
    margins = settings.head_refine_margin, settings.head_refine_margin_unsupported_lang
    for bias in BIASES:
        print(f"| {bias} | {scored(*margins, bias - weights.bias)}")


if __name__ == "__main__":
    main()
