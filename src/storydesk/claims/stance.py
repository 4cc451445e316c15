"""Stance between two texts: does the second agree with, contradict, discuss, or ignore the first?

StoryDesk asks this of claim pairs (two sentences from two articles about the same thing); the model
was trained on FNC-1 headline/body pairs, with each body reduced to its few sentences closest to the
headline, so what it learns is sentence-level stance rather than whole-article topicality.

Inference is plain numpy over arrays in `storydesk/data/stance.npz`: no pickled sklearn or torch
objects, so the weights load on any numpy, cannot execute code, and stay a few hundred kB. The
feature code lives here, not in the training script, so training and inference cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np

from storydesk.claims.embed import embed

STANCE_LABELS = ("agree", "disagree", "discuss", "unrelated")
WEIGHTS_FILE = "stance.npz"
# Bumped whenever `pair_features` changes, so stale weights fail loudly instead of mis-predicting.
FEATURE_VERSION = 3
# Sentences of the second text that represent it: the claim's 3 nearest by cosine. Validation
# FNC score / macro-F1 (train/stance.py, without negation pairs): k=1 0.877 / 0.724,
# k=3 0.896 / 0.755, k=5 0.888 / 0.737.
TOP_K = 3
# A token "near" an overlapping token lies within this many tokens of it.
NEAR_WINDOW = 4

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_BOUNDARY = re.compile(r"([.!?]+[\"'\u201d\u2019)\]]*)\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Sen|Rep|Gov|Gen|Jr|Sr|No|vs|U\.S|U\.K)\.|\b[A-Z]\.)$"
)

STOPWORDS = frozenset(
    "a an the and or but of to in on at by for with from as is are was were be been being it its "
    "this that these those he she they we you i his her their our your him them us me my has have "
    "had do does did will would shall should can could may might must so than then there here "
    "which who whom whose what when where why how all any some such into out up down over about "
    "after before also just more most other only own same too very s t said says".split()
)
NEGATION = frozenset(
    "not no never none nobody nothing neither nor without cannot can't won't don't doesn't didn't "
    "isn't aren't wasn't weren't hasn't haven't hadn't couldn't shouldn't wouldn't".split()
)
REFUTING = frozenset(
    "fake fraud hoax false deny denies denied denial debunk debunks debunked refute refutes refuted "
    "refuting despite nope doubt doubts bogus retract retracts retracted untrue myth satire "
    "misleading incorrect wrong rumour rumor dismiss dismissed dismisses baseless photoshopped "
    "staged fabricated".split()
)
HEDGING = frozenset(
    "reportedly allegedly alleged claims claim claimed report reports reported purportedly "
    "apparently according rumoured rumored unconfirmed unverified possibly perhaps likely "
    "suggests suggest speculation sources source believed appears appear seems".split()
)


def split_sentences(text: str) -> list[str]:
    """Cut text into sentences with a regex: good enough to pick a body's relevant sentences, and
    it needs no spaCy model, so the stance model works wherever numpy does."""
    out: list[str] = []
    for block in re.split(r"\n\s*", text):
        pending = ""
        for piece in _BOUNDARY.sub("\\1\n", block.strip()).split("\n"):
            pending = f"{pending} {piece}".strip() if pending else piece.strip()
            if not _ABBREV.search(pending):
                out.append(pending)
                pending = ""
        if pending:
            out.append(pending)
    return [s for s in out if re.search(r"[A-Za-z]{2}", s)]


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("\u2019", "'"))


def _content(toks: Sequence[str]) -> set[str]:
    return {t for t in toks if t not in STOPWORDS}


def _bigrams(toks: Sequence[str]) -> set[tuple[str, str]]:
    return set(zip(toks, toks[1:]))


def _near_overlap(toks: Sequence[str], shared: set[str], cues: frozenset[str]) -> float:
    """1 when a cue word sits within NEAR_WINDOW tokens of a word both texts share: a denial of the
    shared fact, not one about something else in the text."""
    shared_pos = [i for i, t in enumerate(toks) if t in shared]
    for i, t in enumerate(toks):
        if t in cues and any(abs(i - j) <= NEAR_WINDOW for j in shared_pos):
            return 1.0
    return 0.0


def _count(toks: Sequence[str], cues: frozenset[str]) -> int:
    return sum(t in cues for t in toks)


def lexical_features(claim: str, best: Sequence[str], sentences: Sequence[str]) -> list[float]:
    """Hand features that embeddings miss: cosine barely moves when "not" is inserted, so negation,
    refuting and hedging cues and number mismatches are counted explicitly, on the claim, on the
    selected sentences and on the whole second text."""
    h = tokens(claim)
    b = [t for s in best for t in tokens(s)]
    a = [t for s in sentences for t in tokens(s)]
    hc, bc, ac = _content(h), _content(b), _content(a)
    shared = hc & bc
    hb, bb = _bigrams(h), _bigrams(b)
    h_num = set(_NUMBER.findall(claim))
    b_num = set(_NUMBER.findall(" ".join(best)))
    a_num = set(_NUMBER.findall(" ".join(sentences)))
    neg_h, neg_b = _count(h, NEGATION), _count(b, NEGATION)
    ref_h, ref_b = _count(h, REFUTING), _count(b, REFUTING)
    hed_h, hed_b = _count(h, HEDGING), _count(b, HEDGING)
    nb = max(len(b), 1)
    na = max(len(a), 1)
    feats = [
        len(shared) / max(len(hc | bc), 1),
        len(shared) / max(len(hc), 1),
        len(hc & ac) / max(len(hc), 1),
        len(hb & bb) / max(len(hb), 1),
        float(neg_h > 0),
        float(neg_b > 0),
        float((neg_h > 0) != (neg_b > 0)),
        min(neg_b, 5) / 5,
        float(ref_h > 0),
        float(ref_b > 0),
        float((ref_h > 0) != (ref_b > 0)),
        min(ref_b, 5) / 5,
        _count(a, REFUTING) / na * 10,
        _count(a, NEGATION) / na * 10,
        float(hed_h > 0),
        float(hed_b > 0),
        hed_b / nb * 10,
        _count(a, HEDGING) / na * 10,
        _near_overlap(b, shared, NEGATION),
        _near_overlap(b, shared, REFUTING),
        _near_overlap(b, shared, HEDGING),
        float(bool(h_num)),
        float(bool(h_num - b_num)) if h_num else 0.0,
        float(bool(h_num - a_num)) if h_num else 0.0,
        float(bool(h_num & b_num)),
        float("?" in claim),
        float("?" in " ".join(best)),
        float(bool(re.search(r"[\"\u201c\u201d']", claim))),
    ]
    return feats


def pair_features(
    claim: str, claim_vec: np.ndarray, sentences: Sequence[str], sent_vecs: np.ndarray
) -> np.ndarray:
    """One feature row for a (claim, text) pair, the text given as its sentences and their vectors.

    The text is reduced to its TOP_K sentences nearest to the claim, so a whole body and a single
    sentence go through the same path; a lone sentence simply is its own top-1.
    """
    if len(sentences) == 0:
        sentences, sent_vecs = [""], np.zeros((1, claim_vec.shape[0]), dtype=np.float32)
    cos = sent_vecs @ claim_vec
    order = np.argsort(-cos, kind="stable")[:TOP_K]
    top = cos[order]
    best_vec = sent_vecs[order[0]]
    mean_vec = sent_vecs[order].mean(axis=0)
    mean_vec = mean_vec / max(float(np.linalg.norm(mean_vec)), 1e-8)
    best = [sentences[i] for i in order]
    dense = [
        float(top[0]),
        float(top.mean()),
        float(cos.mean()),
        float((cos > 0.5).mean()),
        float(cos[0]),
    ]
    lex = lexical_features(claim, best, sentences)
    return np.concatenate(
        [
            np.asarray(dense + lex, dtype=np.float32),
            np.abs(claim_vec - best_vec),
            claim_vec * best_vec,
            claim_vec * mean_vec,
        ]
    ).astype(np.float32)


def featurize(pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """Feature rows for many pairs, embedding each distinct text once in one batched call."""
    split = [split_sentences(text) for _, text in pairs]
    unique = list(dict.fromkeys([c for c, _ in pairs] + [s for ss in split for s in ss]))
    index = {t: i for i, t in enumerate(unique)}
    vecs = embed(unique)
    rows = [
        pair_features(c, vecs[index[c]], ss, vecs[[index[s] for s in ss]] if ss else vecs[:0])
        for (c, _), ss in zip(pairs, split)
    ]
    return np.stack(rows)


@dataclass(frozen=True, slots=True)
class StanceModel:
    """A standardiser and a small MLP, as arrays; `layers` alternate weight and bias."""

    mean: np.ndarray
    scale: np.ndarray
    layers: tuple[np.ndarray, ...]

    @classmethod
    def load(cls) -> "StanceModel":
        path = resources.files("storydesk") / "data" / WEIGHTS_FILE
        if not path.is_file():
            raise FileNotFoundError(
                f"Stance model weights not found at {path}. Train them with `make train` "
                "(python train/stance.py), which reads FNC-1 from ../shared/data/fnc1."
            )
        with path.open("rb") as fh, np.load(fh, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        version = int(arrays["feature_version"])
        if version != FEATURE_VERSION:
            raise RuntimeError(
                f"{WEIGHTS_FILE} was trained for feature version {version}, the code computes "
                f"version {FEATURE_VERSION}; retrain with `make train`."
            )
        n_layers = int(arrays["n_layers"])
        layers = tuple(arrays[f"{kind}{i}"] for i in range(n_layers) for kind in ("W", "b"))
        return cls(arrays["mean"], arrays["scale"], layers)

    def predict_features(self, x: np.ndarray) -> np.ndarray:
        h = (x - self.mean) / self.scale
        n = len(self.layers) // 2
        for i in range(n):
            h = h @ self.layers[2 * i] + self.layers[2 * i + 1]
            if i < n - 1:
                h = np.maximum(h, 0.0)
        h = h - h.max(axis=1, keepdims=True)
        p = np.exp(h)
        return (p / p.sum(axis=1, keepdims=True)).astype(np.float32)

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Probabilities (n, 4) in STANCE_LABELS order for (claim, sentence-or-body) pairs.

        The second item may be one sentence or a whole article; it is split into sentences and
        represented by those nearest to the claim.
        """
        if len(pairs) == 0:
            return np.zeros((0, len(STANCE_LABELS)), dtype=np.float32)
        return self.predict_features(featurize(pairs))
