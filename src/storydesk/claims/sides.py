"""One discrepancy, one link: the pairwise contradictions about one detail joined into sides.

relate.py judges two claims at a time, so "48 pages" in two articles against "47 pages" in a third
comes out as two links (each 48 against the 47), and a third outlet that states the same 48 in a
sentence relate.py agreed with, but never compared with the 47, is in neither. A reader wants one
discrepancy with its sides: "48 pages in A and B vs 47 pages in C".

Contradictions on the same slot are joined when they share a claim that gives the same value in
both; the claims are then split in two sides by the links (each link's claims on opposite sides).
A group that does not split cleanly (three values, a claim on both sides, an article on both sides)
stays as its pairwise links. A side then takes in a claim of another article that agrees with one
of its claims (an agree link) and prints the side's value. Changes over time stay pairwise: each
side there carries its own date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from ..groups import UnionFind
from ..labels import source_name
from ..model import Article, Claim, ClaimLink, Fact
from .corroborate import agree_neighbours


def join_sides(links: list[ClaimLink], claims: list[Claim], articles: dict[str, Article]) -> list[ClaimLink]:
    """The links with each group of contradictions about one detail replaced by one link."""
    by_id = {c.id: c for c in claims}
    pairwise = [i for i, l in enumerate(links) if l.kind == "contradict" and l.slot and len(l.claims) == 2 == len(l.values)]
    groups = UnionFind(pairwise)
    first_at: dict[tuple[str, str, str], int] = {}
    for i in pairwise:
        for cid, value in zip(links[i].claims, links[i].values):
            key = (links[i].slot or "", cid, _norm(value))
            groups.union(i, first_at.setdefault(key, i))
    members: dict[int, list[int]] = defaultdict(list)
    for i in pairwise:
        members[groups.find(i)].append(i)
    agree = agree_neighbours(links)
    joinable = set(pairwise)
    out = [l for i, l in enumerate(links) if i not in joinable]
    for group in members.values():
        joined = _join([links[i] for i in group], by_id, articles, agree)
        out.extend([joined] if joined else [links[i] for i in group])
    return out


def _join(group: list[ClaimLink], by_id: dict[str, Claim], articles: dict[str, Article],
          agree: dict[str, set[str]]) -> ClaimLink | None:
    side: dict[str, int] = {}
    value: dict[str, str] = {}
    pending = list(group)
    while pending:  # two-colour the claims: each link's two claims on opposite sides
        progressed = False
        for link in list(pending):
            a, b = link.claims
            if a not in side and b not in side and side:
                continue
            side.setdefault(a, 0 if b not in side else 1 - side[b])
            side.setdefault(b, 1 - side[a])
            if side[a] == side[b]:
                return None
            for cid, v in zip(link.claims, link.values):
                if _norm(value.setdefault(cid, v)) != _norm(v):
                    return None
            pending.remove(link)
            progressed = True
        if not progressed:
            return None
    side_values = [{_norm(value[c]) for c in side if side[c] == s} for s in (0, 1)]
    if any(len(vs) != 1 for vs in side_values):
        return None
    arts = [{by_id[c].article for c in side if side[c] == s and c in by_id} for s in (0, 1)]
    for s in (0, 1):  # an agreeing sentence that prints the side's value stands on that side
        shown = next(value[c] for c in sorted(side) if side[c] == s)
        for cid in sorted(c for c in side if side[c] == s):
            for other in sorted(agree.get(cid, ())):
                claim = by_id.get(other)
                if claim is None or other in side or claim.article in arts[1 - s] or not prints(claim, shown):
                    continue
                side[other], value[other] = s, shown
                arts[s].add(claim.article)
    if arts[0] & arts[1] or len(side) < 3:
        return None  # an article on both sides is no discrepancy between sources; a lone pair stays as it was
    order = sorted(side, key=lambda c: (-len(arts[side[c]]), side[c], by_id[c].article if c in by_id else "", c))
    flip = side[order[0]]
    strongest = max(group, key=lambda l: (l.score, l.claims))
    link = ClaimLink(
        kind="contradict", claims=order, score=strongest.score, explanation="", similarity=strongest.similarity,
        basis=strongest.basis, slot=strongest.slot, values=[value[c] for c in order],
        facts=sorted({f for l in group for f in l.facts}), sides=[side[c] ^ flip for c in order],
    )
    link.explanation = _explain(strongest, link, by_id, articles)
    return link


def _explain(strongest: ClaimLink, link: ClaimLink, by_id: dict[str, Claim], articles: dict[str, Article]) -> str:
    shown = []
    for s in (0, 1):
        cids = [c for c, cs in zip(link.claims, link.sides) if cs == s]
        names = sorted({_name(articles, by_id[c].article) for c in cids if c in by_id})
        shown.append(f"{link.values[link.claims.index(cids[0])]} in {' and '.join(names)}")
    head, sep, tail = strongest.explanation.partition(": ")
    if sep and not any(v in head for v in strongest.values):
        return f"{head}: {shown[0]} vs {shown[1]}"
    return f"{shown[0]} vs {shown[1]}: {tail}" if sep else f"{shown[0]} vs {shown[1]}"


def _name(articles: dict[str, Article], article_id: str) -> str:
    art = articles.get(article_id)
    return f"'{source_name(art)}'" if art is not None else "one article"


def prints(claim: Claim, value: str, facts: Mapping[str, Fact] | None = None) -> bool:
    """The claim gives a link's value (`ClaimLink.values`, "47,000 troops (2016-11-16)" read without
    its date): printed in its sentence, or its date; with `facts` (by id), also a date one of its
    facts carries. The brief's written sentences cite only spans that print their value."""
    v = value.split(" (")[0].strip("'\"")
    return bool(v) and (v in claim.text or claim.time == v or facts is not None and any(
        facts[f].time == v for f in claim.facts if f in facts))


def _norm(value: str) -> str:
    return " ".join(value.strip("'\"").lower().split())
