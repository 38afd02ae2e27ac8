"""The training corpus shipped with the package, as sentence vectors: the head's starting point.

The corpus texts live in ``data/corpus/`` of the repository; the package carries only their
vectors and labels (``classifiers/data/base_corpus*.npz``, one file per encoder the heads read),
so a fresh install has a trained head before anyone votes, and feedback adds to it rather than
starting again. ``python -m classifiers.train`` rebuilds the files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from classifiers.labelled import LabelledStory

# One file per encoder the heads read; the names are the encoders' ``name``.
BASE_CORPUS_FILES = {
    "USE-multilingual-v3": "base_corpus.npz",
    "multilingual-e5-small": "base_corpus_e5.npz",
}


@dataclass(frozen=True)
class BaseVectors:
    """Vectors and labels of the shipped corpus; ``version`` names its exact content."""

    vectors: np.ndarray
    labels: np.ndarray
    encoder_name: str
    version: str

    @property
    def n_relevant(self) -> int:
        return int(self.labels.sum())

    @property
    def n_irrelevant(self) -> int:
        return int(len(self.labels) - self.labels.sum())


def corpus_version(items: Sequence[LabelledStory], encoder_name: str) -> str:
    """A digest of the texts, labels and encoder: equal corpora give equal versions, whatever the order."""
    rows = sorted(json.dumps([i.story.text, i.story.lang, i.relevant], ensure_ascii=False) for i in items)
    digest = hashlib.sha256(json.dumps([rows, encoder_name]).encode()).hexdigest()[:12]
    return f"corpus-n{len(items)}-{digest}"


def save_base_vectors(
    path: Path, vectors: np.ndarray, items: Sequence[LabelledStory], encoder_name: str
) -> str:
    """Write the vectors (as float16, half the size of float32) and the labels."""
    import numpy as np

    version = corpus_version(items, encoder_name)
    meta = json.dumps({"encoder": encoder_name, "version": version})
    np.savez_compressed(
        path,
        vectors=vectors.astype(np.float16),
        labels=np.array([item.relevant for item in items], dtype=np.uint8),
        meta=np.array(meta),
    )
    return version


def read_base_vectors(path: Path) -> BaseVectors:
    import numpy as np

    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        vectors = data["vectors"].astype(np.float32)
        labels = data["labels"].astype(bool)
    if len(vectors) != len(labels):
        raise ValueError(f"{path}: {len(vectors)} vectors but {len(labels)} labels")
    return BaseVectors(vectors, labels, meta["encoder"], meta["version"])


@cache
def shipped_base_vectors(encoder_name: str = "USE-multilingual-v3") -> BaseVectors | None:
    """The package's corpus vectors for ``encoder_name``; ``None`` in a checkout that has not built them."""
    resource = files("classifiers") / "data" / BASE_CORPUS_FILES[encoder_name]
    if not resource.is_file():
        return None
    return read_base_vectors(Path(str(resource)))
