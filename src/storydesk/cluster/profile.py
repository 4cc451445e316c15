"""A story's running profile and the score between an article (or a story) and a story.

Why three signals averaged: each alone confuses the two similar events of a kind in its own way.
The embedding knows the kind of event but not which one; rare words and names know which one but
miss paraphrase. A story is kept as sums (embedding sum, term-weight sums, name counts), so adding
an article or merging two stories is O(size of one profile) and the result does not depend on the
order the members came in.

Name weights come from general English frequency (`features.rarity`): "Springfield" weighs more than
"police". Numbers and dates get a fixed middle weight: a matching year says little, but together
with a place it tells two quakes apart.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from storydesk.cluster.features import ArticleFeatures, rarity

NUMBER_WEIGHT = 3.0


@lru_cache(maxsize=200_000)
def name_weight(name: str) -> float:
    """1 + the mean rarity of the name's words (at most 10). A name with no words is not a name:
    features never make one, but a clusterer restored from features recorded by an older run may
    still hold one, and it must weigh nothing special rather than divide by zero."""
    if name.startswith(("year:", "num:", "month:")):
        return NUMBER_WEIGHT
    words = name.split()
    if not words:
        return 1.0
    return 1.0 + min(9.0, sum(rarity(w) for w in words) / len(words))


@dataclass(slots=True)
class Profile:
    """Sums over a story's members; `first` is the id of its earliest article (the story id)."""

    first: str
    members: list[str] = field(default_factory=list)
    vec: np.ndarray | None = None
    terms: Counter = field(default_factory=Counter)
    names: Counter = field(default_factory=Counter)
    days: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, feats: ArticleFeatures) -> "Profile":
        p = cls(first=feats.id)
        p.add(feats)
        return p

    def add(self, feats: ArticleFeatures) -> None:
        self.members.append(feats.id)
        v = np.asarray(feats.vector, dtype=np.float32)
        self.vec = v.copy() if self.vec is None else self.vec + v
        self.terms.update(feats.terms)
        self.names.update(feats.names)
        day = day_number(feats.published)
        if day is not None:
            self.days.append(day)

    def absorb(self, other: "Profile") -> None:
        self.members.extend(other.members)
        if other.vec is not None:
            self.vec = other.vec.copy() if self.vec is None else self.vec + other.vec
        self.terms.update(other.terms)
        self.names.update(other.names)
        self.days.extend(other.days)

    @property
    def size(self) -> int:
        return len(self.members)


def prune(counter: Counter, cap: int) -> None:
    """Keep a profile's `cap` heaviest entries once it holds twice as many: bounded work per score."""
    if len(counter) > 2 * cap:
        keep = counter.most_common(cap)
        counter.clear()
        counter.update(dict(keep))


def day_number(iso: str | None) -> int | None:
    """Days since 1970 of an ISO date (its first 10 characters), None when absent or unreadable."""
    if not iso:
        return None
    from datetime import date

    try:
        return date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return None


def _cos_sparse(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(x * b.get(k, 0.0) for k, x in a.items())
    if dot <= 0:
        return 0.0
    na = math.sqrt(sum(x * x for x in a.values()))
    nb = math.sqrt(sum(x * x for x in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def _name_vec(names: Counter, size: int) -> dict[str, float]:
    return {n: name_weight(n) * c / size for n, c in names.items()}


@dataclass(slots=True)
class Weights:
    embedding: float = 1.0
    terms: float = 1.0
    names: float = 1.0
    time_scale_days: float = 7.0  # how fast the score falls with the gap between dates, when both have one
    time_penalty: float = 0.3  # the most the time gap can take off the score


def similarity(a: Profile, b: Profile, w: Weights) -> float:
    """Weighted mean of embedding, key-term and name cosines between two profiles, minus a time gap
    penalty when both sides carry dates (none when either has none: ECB+-like data has no dates)."""
    va, vb = a.vec, b.vec
    assert va is not None and vb is not None  # every profile holds at least one embedded article
    emb = float(va @ vb) / (float(np.linalg.norm(va)) * float(np.linalg.norm(vb)) + 1e-12)
    terms = _cos_sparse(a.terms, b.terms)
    names = _cos_sparse(_name_vec(a.names, a.size), _name_vec(b.names, b.size))
    total = w.embedding + w.terms + w.names
    score = (w.embedding * emb + w.terms * terms + w.names * names) / total
    if a.days and b.days and w.time_penalty > 0:
        gap = abs(sorted(a.days)[len(a.days) // 2] - sorted(b.days)[len(b.days) // 2])
        score -= w.time_penalty * (1.0 - math.exp(-gap / w.time_scale_days))
    return score
