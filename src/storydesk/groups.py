"""Union-find over hashable keys: the one grouping structure the stages share (entity mentions,
syndicated copies, agreeing claims)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class UnionFind(Generic[K]):
    def __init__(self, keys: Iterable[K] = ()) -> None:
        self.parent: dict[K, K] = {k: k for k in keys}

    def find(self, key: K) -> K:
        parent = self.parent
        root = parent.setdefault(key, key)
        while parent[root] != root:
            parent[root] = parent[parent[root]]
            root = parent[root]
        return root

    def union(self, a: K, b: K) -> None:
        """The smaller root wins, so groups do not depend on the order unions are made in."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)  # type: ignore[operator]
            self.parent[hi] = lo

    def groups(self) -> dict[K, list[K]]:
        """Root -> members, members in insertion order."""
        out: dict[K, list[K]] = {}
        for key in self.parent:
            out.setdefault(self.find(key), []).append(key)
        return out
