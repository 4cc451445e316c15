"""Corroboration: for each claim, the independent sources that agree with it.

Claims joined by agree links form groups (a copy's claim joins its original's, so support reaching a
copy reaches the original too); a claim's agreeing sources are the independent sources of its group
other than its own. Copies count once: an article that copies another (see syndication.py) stands
for its original, so a wire story printed by five sites is one source, and a claim whose only
support is its own copy is still single-source.
"""

from __future__ import annotations

from collections import defaultdict

from ..groups import UnionFind
from ..model import Claim, ClaimLink
from .syndication import source_of


def corroborate(claims: list[Claim], links: list[ClaimLink], copies: dict[str, str]) -> None:
    uf = UnionFind(c.id for c in claims)
    for link in links:
        if link.kind == "agree":
            uf.union(*link.claims)
    sources: dict[str, set[str]] = defaultdict(set)
    for claim in claims:
        sources[uf.find(claim.id)].add(source_of(claim.article, copies))
    for claim in claims:
        claim.agreeing_sources = sorted(sources[uf.find(claim.id)] - {source_of(claim.article, copies)})
        claim.single_source = not claim.agreeing_sources
