"""Uncorroborated where others cover the same ground.

A specific claim (a named person, a meeting, a date, a number) is suspicious when the other sources
talk about the same people and places yet none of them supports it: an invented meeting between two
real players of a story is exactly that. A claim on ground nobody else covers is not held against an
article (an exclusive is not a fabrication). Strength grows with how much of the claim's ground the
others cover and with how checkable it is (an event between named people, a date, a number).

Within a near-copy pair the test is sharper: a sentence one copy adds to an otherwise shared report,
which no other source supports, is flagged as an addition.
"""

from __future__ import annotations

import re

from ..model import Claim, Sentence
from .anachronism import FUTURE
from .context import NAMED, Context, content_words, specific, supports, tokens
from .diffs import NearPair
from .hits import Hit

# Events that other reporters would have seen and reported had they happened.
EVENT = re.compile(
    r"\b(met (?:with )?[A-Z]|met privately|meets with|(?:a |an |the )?meeting (?:with|between)|held (?:a |an )?(?:\w+ )?"
    r"(?:meeting|talks|discussions?|call)|talks with|for talks|visited|summit with|phoned|phone call with|"
    r"(?:spoke|spoken|talked) (?:with|to) (?:[A-Z]|(?:the|his|her|their) \w+ by (?:tele)?phone)|by (?:tele)?phone|"
    r"dined with|travel(?:l)?ed to|sat down with|convened (?:a|an|the|his|her|its|their) )",
)
_TERMINAL = re.compile(r"[.!?][\"'”’)]*\s*$")
# Share of a claim's named entities that other sources must mention for its ground to count as covered.
COVERED_SHARE = 0.5
# Other sources' sentences shown next to an uncorroborated event.
MAX_RELATED = 3
# An addition at the very end of a copy is most often the copy's trimmed-off tail, not an insertion.
TAIL_DISCOUNT = 0.5


def uncorroborated(ctx: Context, pairs: list[NearPair]) -> list[Hit]:
    supported = _supported(ctx, pairs)
    hits = []
    for art in ctx.ids:
        for claim in ctx.claims_of.get(art, []):
            if not specific(ctx, claim) or claim.id in supported:
                continue
            strength, why, event = _strength(ctx, claim)
            if strength > 0:
                hits.append(Hit("uncorroborated_event" if event else "uncorroborated", art, claim.span, strength, why,
                                _nearest_elsewhere(ctx, claim) if event else [], [claim.id]))
    return hits


def added_to_copy(ctx: Context, additions: list[tuple[Sentence, str]], pairs: list[NearPair]) -> list[Hit]:
    supported = _supported(ctx, pairs)
    hits = []
    for sent, other in sorted(additions, key=lambda x: (x[0].article, x[0].span, x[1])):
        claims = [c for c in ctx.claims_of.get(sent.article, []) if c.span == sent.span]
        if any(c.id in supported or c.opinion for c in claims) or not _TERMINAL.search(sent.text):
            continue  # supported, opinion, or not a sentence (an embedded post's byline, a caption)
        last = ctx.sentences[sent.article][-1].span == sent.span
        strength = (TAIL_DISCOUNT if last else 1.0) * (1.0 if claims and specific(ctx, claims[0]) else 0.5)
        hits.append(Hit(
            "added_to_copy", sent.article, sent.span, strength,
            "this sentence is missing from another article that otherwise carries this report sentence by "
            "sentence, and no other source supports it",
            [_context_of(ctx, other, sent)], [c.id for c in claims],
        ))
    return hits


def _strength(ctx: Context, claim: Claim) -> tuple[float, str, bool]:
    named = [e for e in claim.entities if e in ctx.entities and ctx.entities[e].type in NAMED]
    people = [e for e in named if ctx.entities[e].type == "PERSON"]
    if not named:
        return 0.0, "", False
    elsewhere = [e for e in named if any(ctx.independent(claim.article, a) for a in ctx.mentioned_in.get(e, ()))]
    covered = len(elsewhere) / len(named)
    if covered < COVERED_SHARE:
        return 0.0, "", False
    m = EVENT.search(claim.text)
    # Told as past: no "will", "plans to", "is due to" before the event ("... until the inquiry ends"
    # after it does not make the call a plan).
    event = m is not None and len(people) >= 1 and len(named) >= 2 and not FUTURE.search(claim.text[: m.start()])
    names = ", ".join(ctx.entities[e].name for e in sorted(elsewhere, key=lambda e: ctx.entities[e].name)[:4])
    if event:
        dated = 0.5 + 0.5 * bool(claim.time or _weekday(claim.text))
        return covered * dated, (
            f"an event between named parties that no other source reports, although they cover the same people "
            f"and places ({names})"), True
    checkable = 0.5 + 0.25 * bool(claim.time or _weekday(claim.text)) + 0.25 * bool(claim.quantities)
    return covered * checkable, (
        f"a specific claim that no other source supports, although other sources cover the same ground ({names})"), False


def _supported(ctx: Context, pairs: list[NearPair]) -> set[str]:
    """Claims a sentence of another source supports: a strong agree link, or the same sentence. A
    sentence that matches another except for an edited detail does not support it."""
    edited = {(p.a.article, p.a.span, p.b.article, p.b.span) for p in pairs if p.chunks}
    edited |= {(b, bs, a, as_) for a, as_, b, bs in edited}
    out = set()
    for cid, claim in ctx.claims.items():
        for link, other_id in ctx.links_of.get(cid, []):
            other = ctx.claims[other_id]
            if (supports(link) and ctx.independent(claim.article, other.article)
                    and (claim.article, claim.span, other.article, other.span) not in edited):
                out.add(cid)
    for p in pairs:
        if p.chunks or not ctx.independent(p.a.article, p.b.article):
            continue
        for s in (p.a, p.b):
            out |= {c.id for c in ctx.claims_of.get(s.article, []) if c.span == s.span}
    return out


def _nearest_elsewhere(ctx: Context, claim: Claim) -> list[dict]:
    """Per other source, its sentence closest to the claim: what it says on this ground instead."""
    words = content_words(claim.text)
    out = []
    for art in ctx.ids:
        if not ctx.independent(art, claim.article) or art == claim.article:
            continue
        best = max(ctx.sentences.get(art, []), key=lambda s: (len(content_words(s.text) & words), -s.span[0]), default=None)
        if best is not None and len(content_words(best.text) & words) >= 2:
            out.append((len(content_words(best.text) & words), ctx.evidence(art, best.span)))
    return [e for _, e in sorted(out, key=lambda x: (-x[0], x[1]["article"]))[:MAX_RELATED]]


def _weekday(text: str) -> bool:
    return any(t in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday") for t in tokens(text))


def _context_of(ctx: Context, other: str, sent: Sentence) -> dict:
    """The counterpart's sentence where the addition would have been (its nearest shared neighbour)."""
    sents = ctx.sentences.get(other, [])
    if not sents:
        return {"article": other, "span": None, "text": ""}
    mine = ctx.sentences[sent.article]
    i = next(k for k, s in enumerate(mine) if s.span == sent.span)
    before = mine[i - 1].text if i else ""
    best = max(sents, key=lambda s: (_overlap(s.text, before), -s.span[0]))
    return ctx.evidence(other, best.span)


def _overlap(a: str, b: str) -> int:
    return len(set(tokens(a.lower())) & set(tokens(b.lower())))
