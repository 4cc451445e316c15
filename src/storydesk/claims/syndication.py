"""Near-duplicate and syndicated articles, so copies of one report count as one source.

Jaccard of word 5-shingles: computed exactly for every pair in a pile of up to EXACT_LIMIT articles,
and above that estimated by MinHash with an LSH index (datasketch), sub-quadratic, so a pile of a
million articles is grouped without comparing every pair. Articles whose Jaccard similarity passes
COPY_JACCARD are copies; groups are closed transitively and named after their
earliest-published member, the presumed original (ties by article id, never by input order).
"""

from __future__ import annotations

import re

from ..groups import UnionFind
from ..model import Article

# Jaccard of 5-shingles above which two articles are the same report (wire copy, light edit).
# Calibrated by hand on rewritten-vs-copied pairs: copies with a new headline and a trimmed last
# paragraph stay above 0.6; independent reports of one event share almost no 5-shingles (< 0.1).
COPY_JACCARD = 0.6
NUM_PERM = 128
SHINGLE = 5
# Up to this many articles every pair is compared exactly; above it, MinHash LSH.
EXACT_LIMIT = 300


def _shingles(text: str) -> set[bytes]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(max(1, len(words) - SHINGLE + 1))}


def find_copies(articles: list[Article]) -> dict[str, str]:
    """article id -> id of the original it copies (articles that copy nothing are absent)."""
    with_text = [a for a in articles if a.text]
    uf = _exact_pairs(with_text) if len(with_text) <= EXACT_LIMIT else _lsh_pairs(with_text)
    order = {a.id: (a.published or "9999", a.id) for a in articles}
    copies: dict[str, str] = {}
    for members in uf.groups().values():
        if len(members) < 2:
            continue
        original = min(members, key=lambda m: order[m])
        copies.update({m: original for m in members if m != original})
    return copies


def _exact_pairs(articles: list[Article]) -> UnionFind[str]:
    """Every pair's true Jaccard: for a pile of a few hundred articles this is faster than loading
    the LSH index (whose import alone costs about a second) and is exact rather than estimated."""
    shingles = {a.id: _shingles(a.text) for a in articles}
    ids = sorted(shingles)
    uf = UnionFind(ids)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            sa, sb = shingles[a], shingles[b]
            if min(len(sa), len(sb)) >= COPY_JACCARD * max(len(sa), len(sb)) and \
                    len(sa & sb) >= COPY_JACCARD * len(sa | sb):
                uf.union(a, b)
    return uf


def _lsh_pairs(articles: list[Article]) -> UnionFind[str]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=COPY_JACCARD, num_perm=NUM_PERM)
    hashes: dict[str, MinHash] = {}
    for art in articles:
        mh = MinHash(num_perm=NUM_PERM)
        mh.update_batch(list(_shingles(art.text)))
        hashes[art.id] = mh
        lsh.insert(art.id, mh)
    uf = UnionFind(hashes)
    for aid, mh in hashes.items():
        for other in lsh.query(mh):
            if other != aid and mh.jaccard(hashes[other]) >= COPY_JACCARD:
                uf.union(aid, other)
    return uf


def source_of(article_id: str, copies: dict[str, str]) -> str:
    """The independent source an article stands for: itself, or the original it copies."""
    return copies.get(article_id, article_id)
