"""Stance between two texts: does the second agree with, contradict, discuss, or ignore the first?

StoryDesk asks this of claim pairs (two sentences from two articles about the same thing); the model
was trained on FNC-1 headline/body pairs, with each body reduced to its few sentences closest to the
headline, so what it learns is sentence-level stance rather than whole-article topicality.

Two stages of gradient-boosted trees read one feature row per pair: stage 1 tells related from
unrelated (embedding cosines of the claim to the text's nearest sentences, word and bigram overlap,
TF-IDF cosines), stage 2 shares P(related) out between agree, disagree and discuss (those, plus
negation, refuting and hedging cues and whether they sit beside a shared word, cosines to prototype
agreeing / refuting / discussing sentences mined from the training bodies, and the product of the
claim's and the best sentence's vectors). train/stance.py fits them with scikit-learn.

Inference is plain numpy over arrays in `storydesk/data/stance.npz` (`trees.TreeEnsemble`): no
pickled sklearn or torch objects, so the weights load on any numpy, cannot execute code, and stay
small. The feature code lives here, not in the training script, so training and inference cannot
drift apart; the tables it reads (IDF, prototypes) ship in the same file.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from storydesk.claims.embed import embed
from storydesk.claims.trees import TreeEnsemble

STANCE_LABELS = ("agree", "disagree", "discuss", "unrelated")
WEIGHTS_FILE = "stance.npz"
# Bumped whenever `pair_features` changes, so stale weights fail loudly instead of mis-predicting.
FEATURE_VERSION = 4
# Sentences of the second text that represent it: the claim's 3 nearest by cosine. Validation
# FNC score / macro-F1 (train/stance.py, without negation pairs): k=1 0.877 / 0.724,
# k=3 0.896 / 0.755, k=5 0.888 / 0.737.
TOP_K = 3
# A token "near" an overlapping token lies within this many tokens of it.
NEAR_WINDOW = 4
# Slots of the hashed IDF table (collisions among a news vocabulary of ~30k words are rare enough
# not to matter to a cosine).
IDF_BUCKETS = 1 << 15
# Classes the prototype sentences are mined for, and how many nearest prototypes are averaged.
PROTOTYPE_CLASSES = ("agree", "disagree", "discuss")
PROTOTYPE_NEIGHBOURS = 5

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


@lru_cache(maxsize=1 << 16)
def _sentence_tokens(text: str) -> tuple[str, ...]:
    """`tokens`, remembered: a body's sentences are tokenised once, not once per claim."""
    return tuple(tokens(text))


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
    b = [t for s in best for t in _sentence_tokens(s)]
    a = [t for s in sentences for t in _sentence_tokens(s)]
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


@lru_cache(maxsize=1 << 17)
def idf_bucket(token: str) -> int:
    """The IDF table's slot for a token: a stable hash, so the table is one small array, not a
    vocabulary of strings."""
    return zlib.crc32(token.encode("utf-8")) & (IDF_BUCKETS - 1)


@dataclass(frozen=True, slots=True)
class FeatureTables:
    """What the features read besides the two texts, mined from the training data and shipped with
    the trees: inverse document frequencies by token bucket, and prototype sentence vectors (rows of
    `prototypes`, each of class `prototype_class`: 0 agree, 1 disagree, 2 discuss)."""

    idf: np.ndarray
    prototypes: np.ndarray
    prototype_class: np.ndarray


def _tfidf(toks: Sequence[str], idf: np.ndarray) -> dict[int, float]:
    vec: dict[int, float] = {}
    for t in toks:
        if t not in STOPWORDS:
            b = idf_bucket(t)
            vec[b] = vec.get(b, 0.0) + float(idf[b])
    return vec


def _cosine(a: dict[int, float], b: dict[int, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(w * b.get(k, 0.0) for k, w in a.items())
    na = sum(w * w for w in a.values()) ** 0.5
    nb = sum(w * w for w in b.values()) ** 0.5
    return dot / (na * nb)


def _weighted_cover(claim: set[str], other: set[str], idf: np.ndarray) -> float:
    """The claim's content words found in the other text, each weighed by its IDF."""
    total = sum(float(idf[idf_bucket(t)]) for t in claim)
    return sum(float(idf[idf_bucket(t)]) for t in claim & other) / total if total else 0.0


def table_features(
    claim: str, best: Sequence[str], sentences: Sequence[str], idf: np.ndarray
) -> list[float]:
    """TF-IDF cosines and IDF-weighted word overlap (rare shared words say "same story" far more
    than common ones), plus cue words anywhere in the text that sit beside a shared word."""
    h = tokens(claim)
    b = [t for s in best for t in _sentence_tokens(s)]
    a = [t for s in sentences for t in _sentence_tokens(s)]
    hv = _tfidf(h, idf)
    hc = _content(h)
    shared_a = hc & _content(a)
    return [
        _cosine(hv, _tfidf(b, idf)),
        _cosine(hv, _tfidf(a, idf)),
        _weighted_cover(hc, _content(b), idf),
        _weighted_cover(hc, shared_a, idf),
        len(_bigrams(h) & _bigrams(a)) / max(len(h) - 1, 1),
        _near_overlap(a, shared_a, REFUTING),
        _near_overlap(a, shared_a, NEGATION),
        _near_overlap(a, shared_a, HEDGING),
    ]


def prototype_features(
    top_vecs: np.ndarray, sent_vecs: np.ndarray, tables: FeatureTables
) -> list[float]:
    """How much the text's sentences read like typical agreeing, refuting and discussing sentences
    of news bodies (the prototypes): per class, the best cosine of the claim's nearest sentences,
    of any sentence, and the nearest sentence's mean cosine to its PROTOTYPE_NEIGHBOURS closest."""
    out: list[float] = []
    if len(tables.prototypes) == 0:
        return [0.0] * (3 * len(PROTOTYPE_CLASSES))
    top = top_vecs @ tables.prototypes.T
    every = sent_vecs @ tables.prototypes.T
    for c in range(len(PROTOTYPE_CLASSES)):
        cols = tables.prototype_class == c
        if not cols.any():
            out += [0.0, 0.0, 0.0]
            continue
        first = np.sort(top[0, cols])[::-1][:PROTOTYPE_NEIGHBOURS]
        out += [float(top[:, cols].max()), float(every[:, cols].max()), float(first.mean())]
    return out


def pair_features(
    claim: str,
    claim_vec: np.ndarray,
    sentences: Sequence[str],
    sent_vecs: np.ndarray,
    tables: FeatureTables | None = None,
) -> np.ndarray:
    """One feature row for a (claim, text) pair, the text given as its sentences and their vectors.

    The text is reduced to its TOP_K sentences nearest to the claim, so a whole body and a single
    sentence go through the same path; a lone sentence simply is its own top-1. `tables` defaults
    to the ones shipped with the weights (training passes its own).
    """
    if tables is None:
        tables = shipped_tables()
    if len(sentences) == 0:
        sentences, sent_vecs = [""], np.zeros((1, claim_vec.shape[0]), dtype=np.float32)
    cos = sent_vecs @ claim_vec
    order = np.argsort(-cos, kind="stable")[:TOP_K]
    top = cos[order]
    padded = np.concatenate([top, np.full(TOP_K - len(top), top[-1])])
    best_vec = sent_vecs[order[0]]
    best = [sentences[i] for i in order]
    dense = [
        *(float(v) for v in padded),
        float(top.mean()),
        float(cos.mean()),
        float((cos > 0.5).mean()),
        float((cos > 0.3).mean()),
        float(cos[0]),
        float(cos[: TOP_K].max()),
        float(np.log1p(len(sentences))),
    ]
    feats = (
        dense
        + lexical_features(claim, best, sentences)
        + table_features(claim, best, sentences, tables.idf)
        + prototype_features(sent_vecs[order], sent_vecs, tables)
    )
    return np.concatenate(
        [np.asarray(feats, dtype=np.float32), claim_vec * best_vec]
    ).astype(np.float32)


def featurize(pairs: Sequence[tuple[str, str]], tables: FeatureTables | None = None) -> np.ndarray:
    """Feature rows for many pairs, embedding each distinct text once in one batched call."""
    split = [split_sentences(text) for _, text in pairs]
    unique = list(dict.fromkeys([c for c, _ in pairs] + [s for ss in split for s in ss]))
    index = {t: i for i, t in enumerate(unique)}
    vecs = embed(unique)
    rows = [
        pair_features(
            c, vecs[index[c]], ss, vecs[[index[s] for s in ss]] if ss else vecs[:0], tables
        )
        for (c, _), ss in zip(pairs, split)
    ]
    return np.stack(rows)


@dataclass(frozen=True, slots=True)
class StanceModel:
    """Two boosted-tree stages and the tables their features read, all as arrays."""

    related: TreeEnsemble
    stance: TreeEnsemble
    tables: FeatureTables

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
        tables = FeatureTables(
            arrays["idf"].astype(np.float32),
            arrays["prototypes"].astype(np.float32),
            arrays["prototype_class"].astype(np.int32),
        )
        return cls(
            TreeEnsemble.from_arrays(arrays, "related_"),
            TreeEnsemble.from_arrays(arrays, "stance_"),
            tables,
        )

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Everything `load` reads back, for np.savez."""
        return {
            **self.related.to_arrays("related_"),
            **self.stance.to_arrays("stance_"),
            "idf": self.tables.idf.astype(np.float16),
            "prototypes": self.tables.prototypes.astype(np.float16),
            "prototype_class": self.tables.prototype_class.astype(np.int8),
            "feature_version": np.asarray(FEATURE_VERSION),
            "labels": np.asarray(STANCE_LABELS),
        }

    def predict_features(self, x: np.ndarray) -> np.ndarray:
        """Probabilities (n, 4) in STANCE_LABELS order from feature rows: P(unrelated) from the
        first stage, and P(related) shared out by the second stage's agree/disagree/discuss."""
        if len(x) == 0:
            return np.zeros((0, len(STANCE_LABELS)), dtype=np.float32)
        related = self.related.proba(x)[:, 1:2]
        return np.hstack([related * self.stance.proba(x), 1.0 - related]).astype(np.float32)

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Probabilities (n, 4) in STANCE_LABELS order for (claim, sentence-or-body) pairs.

        The second item may be one sentence or a whole article; it is split into sentences and
        represented by those nearest to the claim.
        """
        if len(pairs) == 0:
            return np.zeros((0, len(STANCE_LABELS)), dtype=np.float32)
        return self.predict_features(featurize(pairs, self.tables))


@lru_cache(maxsize=1)
def shipped_tables() -> FeatureTables:
    """The feature tables of the shipped weights, loaded once."""
    return StanceModel.load().tables
