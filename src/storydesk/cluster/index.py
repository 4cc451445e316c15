"""Blocking: which stories a new article is compared with, so clustering stays sub-quadratic.

Why an inverted index on rare keys rather than a scan of all centroids: a story about a specific
event almost always shares a name or a rare word with its next report, and looking up an article's
most distinctive keys costs a few dictionary reads. Posting lists keep only the most recent stories
(a key as common as a country name then stays cheap), and the candidates are cut to those sharing
the most key weight, so each article is scored against a bounded number of stories whatever the
size of the stream.

Near-duplicates go through MinHash banding instead: a copy with a changed headline shares most word
5-grams with its original, and a band hit plus a signature comparison finds it in constant time.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np


class KeyIndex:
    """key -> ids of the stories that used it, most recent last, at most `posting_cap` per key."""

    def __init__(self, posting_cap: int = 256) -> None:
        self.posting_cap = posting_cap
        self.postings: dict[str, list[str]] = defaultdict(list)

    def add(self, story: str, keys: list[str]) -> None:
        for key in keys:
            plist = self.postings[key]
            if plist and plist[-1] == story:
                continue
            if story in plist[-8:]:  # recently there already: skip the rewrite
                continue
            plist.append(story)
            if len(plist) > self.posting_cap:
                del plist[: len(plist) - self.posting_cap]

    def candidates(self, weighted_keys: list[tuple[str, float]], resolve, limit: int) -> list[str]:
        """Stories sharing the most key weight with the query, best first (ties by id)."""
        score: dict[str, float] = defaultdict(float)
        for key, weight in weighted_keys:
            seen: set[str] = set()
            for story in self.postings.get(key, ()):
                sid = resolve(story)
                if sid not in seen:
                    seen.add(sid)
                    score[sid] += weight
        ranked = sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))
        return [sid for sid, _ in ranked[:limit]]


class DuplicateIndex:
    """MinHash banding over article signatures; `find` returns the most similar earlier article.

    32 bands of 2 rows (of 64 values): a pair at Jaccard 0.5 shares a band with probability 0.9999,
    and the few chance hits at low Jaccard cost one signature comparison each."""

    def __init__(self, bands: int = 32) -> None:
        self.bands = bands
        self.table: dict[bytes, list[str]] = defaultdict(list)
        self.signatures: dict[str, np.ndarray] = {}

    def _keys(self, sig: np.ndarray) -> list[bytes]:
        rows = len(sig) // self.bands
        return [bytes([b]) + sig[b * rows : (b + 1) * rows].tobytes() for b in range(self.bands)]

    def find(self, sig: np.ndarray | None, min_jaccard: float) -> str | None:
        if sig is None:
            return None
        best, best_j = None, min_jaccard
        seen: set[str] = set()
        for key in self._keys(sig):
            for other in self.table.get(key, ()):
                if other in seen:
                    continue
                seen.add(other)
                j = float(np.mean(self.signatures[other] == sig))
                if j > best_j or (j == best_j and best is not None and other < best):
                    best, best_j = other, j
        return best

    def add(self, article: str, sig: np.ndarray | None) -> None:
        if sig is None:
            return
        self.signatures[article] = sig
        for key in self._keys(sig):
            bucket = self.table[key]
            if len(bucket) < 64:  # a boilerplate-only band must not grow without bound
                bucket.append(article)
