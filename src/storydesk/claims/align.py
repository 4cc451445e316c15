"""Which claims in different articles speak about the same thing.

Candidates come from the sentence embeddings (all-MiniLM-L6-v2): below EXACT_LIMIT claims every
cross-article pair is scored exactly (one matrix product, cheap); above it, random-hyperplane LSH
(several tables of BITS-bit signatures) proposes pairs that share a bucket, so work grows with the
number of near neighbours, not with the square of the number of claims. A pair is a candidate when
its cosine passes CANDIDATE_COSINE, or the lower QUANTITY_COSINE when both give a number of the same
kind; relate.py then decides on the pair's slots (words, numbers, frames), most candidates to nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ..model import Claim, Quantity

# Candidate pairs for relate.py, which decides on their slots: outlets' paraphrases of one fact
# sit from about 0.45 (relate's lowest bar), so candidates start a little below it.
CANDIDATE_COSINE = 0.4
# Two claims giving a number of the same kind (troops, %, USD) are compared by value even when
# worded very differently; this floor only keeps out pairs about plainly different things.
QUANTITY_COSINE = 0.2
EXACT_LIMIT = 4000
TABLES = 8
BITS = 12
MAX_BUCKET = 2000
SEED = 13


@dataclass(slots=True)
class Pair:
    a: int
    b: int
    cosine: float


_UNIT_CLASS = {
    "troops": "personnel", "soldiers": "personnel", "personnel": "personnel", "service members": "personnel",
    "servicemen": "personnel", "forces": "personnel", "military personnel": "personnel",
    "people": "people", "persons": "people", "residents": "people", "citizens": "people",
}


def unit_class(unit: str) -> str:
    """Units that count the same kind of thing compare with each other (troops vs soldiers)."""
    return _UNIT_CLASS.get(unit.lower(), unit.lower())


def align_claims(claims: list[Claim], vectors: np.ndarray, quantities: list[Quantity]) -> list[Pair]:
    """Aligned pairs (index into `claims`), each once, a < b, from different articles."""
    units = [{unit_class(quantities[q].unit) for q in c.quantities} for c in claims]
    pairs = []
    for a, b, cos in _candidates(claims, vectors, units):
        same_unit = bool(units[a] & units[b])
        if cos >= CANDIDATE_COSINE or (same_unit and cos >= QUANTITY_COSINE):
            pairs.append(Pair(a, b, cos))
    return pairs


def keyed_pairs(claims: list[Claim], facts, vectors: np.ndarray, seen: set[tuple[int, int]]) -> list[Pair]:  # noqa: ANN001 - compare.ClaimFacts
    """Pairs of claims that state something about the same named thing, however unlike the
    sentences: an attribute of it (a person's title, a treaty's year), a dated event it takes part
    in ("published Saturday" and "published Sunday" of one newspaper's interview), the story's
    toll of dead or injured, or words both print inside quotation marks. Blocked by those keys, so never every pair."""
    from .compare import attribute_key, event_keys

    by_key: dict[str, list[int]] = defaultdict(list)
    for i, (attrs, events) in enumerate(zip(facts.attributes, facts.facts)):
        keys = {attribute_key(f) for f in attrs} | {k for f in events for k in event_keys(f, claims[i].entities)}
        keys |= {f"measure:{kind}" for kind in facts.casualties[i].values()}
        keys |= {f"quote:{run}" for run in facts.quoted[i]}
        for key in keys:
            by_key[key].append(i)
    out, found = [], set(seen)
    for members in by_key.values():
        for x, a in enumerate(members[:MAX_BUCKET]):
            for b in members[x + 1 : MAX_BUCKET]:
                pair = (min(a, b), max(a, b))
                if claims[a].article != claims[b].article and pair not in found:
                    found.add(pair)
                    out.append(Pair(pair[0], pair[1], float(vectors[a] @ vectors[b])))
    return out


def _candidates(claims: list[Claim], vectors: np.ndarray, units: list[set[str]]) -> Iterator[tuple[int, int, float]]:
    n = len(claims)
    _, article_ids = np.unique(np.array([c.article for c in claims], dtype=object).astype(str), return_inverse=True)
    if n <= EXACT_LIMIT:
        sims = vectors @ vectors.T
        a_idx, b_idx = np.nonzero(np.triu(sims >= QUANTITY_COSINE, k=1))
        keep = article_ids[a_idx] != article_ids[b_idx]
        for a, b in zip(a_idx[keep].tolist(), b_idx[keep].tolist()):
            yield a, b, float(sims[a, b])
        return
    # Semantic buckets keep pairs that could align on wording; unit buckets also keep the loosely
    # worded pairs whose numbers may still be compared (the lower QUANTITY_COSINE floor).
    buckets = [(b, CANDIDATE_COSINE) for codes in _lsh_codes(vectors) for b in _buckets(codes)]
    by_unit: dict[str, list[int]] = defaultdict(list)
    for k, us in enumerate(units):
        for u in us:
            by_unit[u].append(k)
    buckets += [(np.array(m[:MAX_BUCKET]), QUANTITY_COSINE) for m in by_unit.values() if len(m) > 1]
    found_a, found_b, found_cos = [], [], []
    from threadpoolctl import threadpool_limits

    # Thousands of small products: BLAS threads cost more to wake than the arithmetic takes.
    with threadpool_limits(1):
        for idx, floor in buckets:
            sims = vectors[idx] @ vectors[idx].T
            i, j = np.nonzero(np.triu(sims >= floor, k=1))
            same = article_ids[idx[i]] == article_ids[idx[j]]
            i, j = i[~same], j[~same]
            found_a.append(idx[i])
            found_b.append(idx[j])
            found_cos.append(sims[i, j])
    if not found_a:
        return
    a_all, b_all, cos_all = np.concatenate(found_a), np.concatenate(found_b), np.concatenate(found_cos)
    lo, hi = np.minimum(a_all, b_all), np.maximum(a_all, b_all)
    _, first = np.unique(lo.astype(np.int64) * n + hi, return_index=True)
    yield from zip(lo[first].tolist(), hi[first].tolist(), cos_all[first].tolist())


def _lsh_codes(vectors: np.ndarray) -> Iterator[np.ndarray]:
    """One BITS-bit random-hyperplane signature per claim and table; near vectors share codes."""
    rng = np.random.default_rng(SEED)
    weights = 1 << np.arange(BITS)
    for _ in range(TABLES):
        planes = rng.standard_normal((vectors.shape[1], BITS)).astype(np.float32)
        yield ((vectors @ planes) > 0).astype(np.int64) @ weights


def _buckets(codes: np.ndarray) -> list[np.ndarray]:
    """Members of each shared code (capped at MAX_BUCKET), found by one sort instead of a dict."""
    order = np.argsort(codes, kind="stable")
    ordered = codes[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], len(codes)]
    return [order[s : min(e, s + MAX_BUCKET)] for s, e in zip(starts, ends) if e - s > 1]
