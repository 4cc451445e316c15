"""Contradicted: claims other sources contradict, weighted by how many sources stand on each side.

Contradict links from the claims stage (numbers, dates, titles, negation) with each claim's direct
agree links that state its value as its supporters (not the claims stage's transitive groups, which
chain paraphrases into one giant group), and quotes that other sources attribute to someone else. A
claim is flagged when more independent sources stand against it than with it; strength = share of
sources on the other side x confidence in the kind of evidence. One source against one is settled by
the sources' records (the one at odds with more of the others loses); else it is "disputed", at TIE.
Sentences another source shares word for word with an edited detail are handled in edits.py and
skipped here, so one conflict is not counted twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..model import ClaimLink
from .context import Context, states, supports, tokens
from .diffs import NearPair, spelling_variants
from .hits import Hit

# Confidence in each kind of link evidence. The stance model's "disagree" is right on FNC-1 about a
# third of the time at the claims stage's threshold (bench/stance.py), so on its own it counts little.
CONFIDENCE = {"numbers": 0.6, "dates": 0.6, "attribute": 0.6, "polarity": 0.4, "stance": 0.15}
# Share counted against each side when one source stands against one.
TIE = 0.4
# One against one, settled by the sources' records: the loser counts as if two sources stood against
# it; the winner keeps this part of the tie's weight (the conflict is still shown, as a weak signal).
SETTLED = 2 / 3
SETTLED_WINNER = 0.5
# Hits of other signals that put an article at odds with the sources of their evidence.
AT_ODDS_KINDS = frozenset({"contradicted", "disputed", "inconsistent"})
DISPUTED = 0.35
# Confidence in a quote attributed to someone else: it rests on the speaker's name being recognised as
# a person, and news NER also tags organisations and nicknames as people.
ATTRIBUTION = 0.5
# Quotes: words needed to compare, and token similarity above which two quotes are the same words.
QUOTE_MIN_WORDS = 6
QUOTE_RATIO = 0.8
MAX_QUOTE_BUCKET = 50


@dataclass(slots=True)
class _Conflict:
    claim: str
    slot: str
    links: list[tuple[ClaimLink, str]]
    own: set[str]
    against: set[str]


def link_conflicts(ctx: Context, pairs: list[NearPair], prior: Sequence[Hit] = ()) -> list[Hit]:
    """One hit per contradicted claim, weighing every source against it on one slot together: a
    wrong title that two other outlets each give correctly is two sources against one, even when
    those two sentences were never linked to each other.

    A source backs a side only if its sentence states that side's value: an agree link between two
    sentences about the same statement says nothing about the figure or title one of them adds.
    One source against one is settled by the sources' records (see `_settle`), counting the
    conflicts found here and those in `prior` (edited copies, attributions, roles)."""
    edited = {(p.a.article, p.a.span, p.b.article, p.b.span) for p in pairs if p.chunks}
    edited |= {(b, bs, a, as_) for a, as_, b, bs in edited}
    support = _direct_support(ctx)
    conflicts: list[_Conflict] = []
    for cid in sorted(ctx.claims):
        mine = ctx.claims[cid]
        if mine.opinion:
            continue
        by_slot: dict[str, list[tuple[ClaimLink, str]]] = defaultdict(list)
        for link, other_id in ctx.links_of.get(cid, []):
            other = ctx.claims[other_id]
            if link.kind != "contradict" or other.opinion:
                continue
            if (mine.article, mine.span, other.article, other.span) in edited:
                continue
            by_slot[link.slot or link.basis or ""].append((link, other_id))
        for slot in sorted(by_slot):
            links = by_slot[slot]
            against: set[str] = set()
            backing: set[str] = set()
            for link, other_id in links:
                against |= {ctx.source[ctx.claims[other_id].article]} | _backers(ctx, support, other_id, _value(link, other_id))
                backing |= _backers(ctx, support, cid, _value(link, cid))
            # A source that contradicts this claim on this slot does not also support it (its other
            # sentence may share the claim's quote, not its detail).
            own = {ctx.source[mine.article]} | (backing - against)
            against -= own
            if against and len(against) >= len(own):
                conflicts.append(_Conflict(cid, slot, links, own, against))
    at_odds = _at_odds(conflicts)
    for h in prior:
        if h.kind not in AT_ODDS_KINDS:
            continue
        me = ctx.source.get(h.article, h.article)
        for r in h.related:
            if r.get("article") in ctx.articles and ctx.independent(h.article, r["article"]):
                at_odds[me].add(ctx.source[r["article"]])
                at_odds[ctx.source[r["article"]]].add(me)
    return _once_per_dispute(conflicts, [_hit(ctx, c, at_odds) for c in conflicts])


def _once_per_dispute(conflicts: list[_Conflict], hits: list[Hit]) -> list[Hit]:
    """A dispute nothing settles costs each side once: an article that gives its value in two
    sentences is not twice as suspect as the one that gives the other value once. The repeats stay
    listed (each sentence is still disputed) with no weight."""
    seen: set[tuple[str, str, frozenset[str]]] = set()
    order = sorted(range(len(hits)), key=lambda i: (-hits[i].strength, hits[i].article, hits[i].span or (0, 0)))
    for i in order:
        h, c = hits[i], conflicts[i]
        if h.kind != "disputed":
            continue
        key = (h.article, c.slot, frozenset(o for _l, o in c.links))
        if key in seen:
            h.strength = 0.0
        seen.add(key)
    return hits


def _hit(ctx: Context, c: _Conflict, at_odds: dict[str, set[str]]) -> Hit:
    mine = ctx.claims[c.claim]
    n_own, n_other = len(c.own), len(c.against)
    link, other_id = max(c.links, key=lambda lo: (lo[0].score, lo[1]))
    basis = link.basis if link.basis in CONFIDENCE else "stance"
    conf = CONFIDENCE[basis] * (min(1.0, link.score) if basis == "stance" else 1.0)
    note = ""
    if n_other > n_own:
        kind, share = "contradicted", n_other / (n_own + n_other)
    else:
        kind, share, note = _settle(ctx, c, at_odds)
    related = [ctx.evidence(ctx.claims[o].article, ctx.claims[o].span) for _l, o in sorted(c.links, key=lambda lo: lo[1])]
    return Hit(
        kind, mine.article, mine.span, conf * share,
        f"{link.explanation}; {n_other} source(s) on the other side, {n_own} on this one{note}",
        related, [c.claim, *sorted({o for _l, o in c.links})],
    )


def _settle(ctx: Context, c: _Conflict, at_odds: dict[str, set[str]]) -> tuple[str, float, str]:
    """As many sources on each side: the side whose source is at odds with more of the other sources
    on other facts loses. A rewrite that changed four facts of a three-source story disagrees with
    both other sources; each of them disagrees only with it. Otherwise the conflict is disputed."""
    me = ctx.source[ctx.claims[c.claim].article]
    mine, theirs = len(at_odds[me]), max(len(at_odds[s]) for s in c.against)
    if mine > theirs:
        return "contradicted", SETTLED, f"; this article disagrees with {mine} other sources on some fact, the other side with {theirs}"
    if mine < theirs:
        return "disputed", TIE * SETTLED_WINNER, ""
    return "disputed", TIE, ""


def _at_odds(conflicts: list[_Conflict]) -> dict[str, set[str]]:
    """For each source, the other sources it gives a different value from, on any fact."""
    out: dict[str, set[str]] = defaultdict(set)
    for c in conflicts:
        for s in c.own:
            out[s] |= c.against
        for s in c.against:
            out[s] |= c.own
    return out


def _value(link: ClaimLink, claim_id: str) -> str | None:
    """The value a contradiction link gives for one of its claims."""
    if len(link.values) != len(link.claims) or claim_id not in link.claims:
        return None
    return link.values[link.claims.index(claim_id)]


def _backers(ctx: Context, support: dict[str, dict[str, set[str]]], claim_id: str, value: str | None) -> set[str]:
    """Sources with a sentence that agrees with the claim and states its value as well."""
    return {src for src, others in support[claim_id].items()
            if value and any(states(ctx, ctx.claims[o], value) for o in others)}


def quote_conflicts(ctx: Context, pairs: list[NearPair]) -> list[Hit]:
    """The same words put in different mouths by different sources; the minority attribution is flagged."""
    edited = {(p.a.article, p.a.span) for p in pairs if p.chunks} | {(p.b.article, p.b.span) for p in pairs if p.chunks}
    quotes = [q for q in sorted(ctx.story.quotes, key=lambda q: (q.article, q.span))
              if q.article in ctx.articles and not q.anonymous and len(tokens(q.text)) >= QUOTE_MIN_WORDS]
    low = [[t.lower() for t in tokens(q.text)] for q in quotes]
    speaker = [_speaker_key(ctx, q) for q in quotes]
    # Candidates share a word trigram (an inverted index, not every pair of quotes).
    index: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for i, ws in enumerate(low):
        if speaker[i]:
            for k in range(len(ws) - 2):
                index[tuple(ws[k : k + 3])].add(i)
    candidates: dict[int, set[int]] = defaultdict(set)
    for members in index.values():
        if len(members) <= MAX_QUOTE_BUCKET:
            for i in members:
                candidates[i] |= members - {i}
    hits = []
    for i, q in enumerate(quotes):
        if not speaker[i]:
            continue
        same = [j for j in sorted(candidates[i]) if ctx.independent(q.article, quotes[j].article)
                and SequenceMatcher(None, low[i], low[j], autojunk=False).ratio() >= QUOTE_RATIO]
        backing = {ctx.source[quotes[j].article] for j in same if speaker[j] == speaker[i]}
        against = [j for j in same if speaker[j] != speaker[i] and not spelling_variants(q.speaker, quotes[j].speaker)]
        n_against = len({ctx.source[quotes[j].article] for j in against})
        sent = ctx.sentence_at(q.article, q.span[0])
        if not against or not sent or (q.article, sent.span) in edited or n_against < 1 + len(backing):
            continue
        j = min(against, key=lambda k: (quotes[k].article, quotes[k].span))
        other = ctx.sentence_at(quotes[j].article, quotes[j].span[0])
        kind, strength = ("disputed", DISPUTED) if n_against == 1 + len(backing) else (
            "contradicted", ATTRIBUTION * n_against / (n_against + 1 + len(backing)))
        hits.append(Hit(kind, q.article, sent.span, strength,
                        f"these words are attributed to {q.speaker} here, but to {quotes[j].speaker} by "
                        f"{n_against} other source(s) ({1 + len(backing)} with this attribution)",
                        [ctx.evidence(quotes[j].article, other.span if other else quotes[j].span)]))
    return hits


def _speaker_key(ctx: Context, q) -> str | None:  # noqa: ANN001 - Quote
    """A person the quote is put to; outlets and agencies that relay a quote are not its speaker."""
    ent = ctx.entities.get(q.speaker_entity or "")
    return ent.id if ent is not None and ent.type == "PERSON" else None


def _direct_support(ctx: Context) -> dict[str, dict[str, set[str]]]:
    """Per claim, the independent sources with a claim directly agreeing with it (not the transitive
    closure), and which of their claims those are."""
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for cid in ctx.claims:
        for link, other in ctx.links_of.get(cid, []):
            if supports(link) and ctx.independent(ctx.claims[cid].article, ctx.claims[other].article):
                out[cid][ctx.source[ctx.claims[other].article]].add(other)
    return out
