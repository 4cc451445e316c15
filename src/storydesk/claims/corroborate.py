"""Corroboration: for each claim, the independent sources that agree with it.

A claim's agreeing sources are the independent sources of the claims it is directly linked to by
agree links; agreement is not chained (A agrees with B and B with C does not make C support A,
which on a real pile grows one group over half the story). The one exception is a copy: a copy's
claim and its original's are one claim, so support reaching a copy reaches the original too. Copies count once: an article that copies another (see syndication.py) stands
for its original, so a wire story printed by five sites is one source, and a claim whose only
support is its own copy is still single-source.
"""

from __future__ import annotations

from collections import defaultdict

from ..groups import UnionFind
from ..model import Claim, ClaimLink
from .syndication import source_of


def agree_neighbours(links: list[ClaimLink]) -> dict[str, set[str]]:
    """Claim id -> the claims it is directly linked to by an agree link (not chained)."""
    agree: dict[str, set[str]] = defaultdict(set)
    for link in links:
        if link.kind == "agree":
            a, b = link.claims
            agree[a].add(b)
            agree[b].add(a)
    return agree


def corroborate(claims: list[Claim], links: list[ClaimLink], copies: dict[str, str]) -> None:
    source = {c.id: source_of(c.article, copies) for c in claims}
    agree = [link.claims for link in links if link.kind == "agree"]
    same = UnionFind(c.id for c in claims)
    for a, b in agree:
        if source[a] == source[b]:
            same.union(a, b)
    support: dict[str, set[str]] = defaultdict(set)
    for a, b in agree:
        support[same.find(a)].add(source[b])
        support[same.find(b)].add(source[a])
    for claim in claims:
        claim.agreeing_sources = sorted(support[same.find(claim.id)] - {source[claim.id]})
        # only a specific, checkable fact is news when one source alone tells it
        claim.single_source = not claim.agreeing_sources and claim.checkable
