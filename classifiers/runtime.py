"""Process-wide setup the model backends need: offline hub access and CPU threads."""

from __future__ import annotations

import os


def use_offline_models(threads: int = 0) -> None:
    """Forbid hub downloads and size torch's thread pool; call before loading a model.

    The env variables must be set before huggingface_hub is imported, hence here,
    in the code path that loads models, rather than at import time.
    """
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    import torch

    wanted = threads or os.cpu_count() or 1
    if torch.get_num_threads() != wanted:
        torch.set_num_threads(wanted)
