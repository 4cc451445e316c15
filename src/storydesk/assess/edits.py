"""Edited sentences: a sentence another source shares word for word except for a specific detail.

Which of the two versions is the altered one is decided by votes: every other independent source
whose sentences on the same ground carry one version and not the other, and, for numbers, each
article's own remaining text (a page that changed "40 people" to "60 people" in one sentence often
still says "the 40 victims" further down; names and dates are left out of this, since a name swapped
for another person of the story, or a weekday of another event, is found elsewhere in the text anyway). Strength is the share of
evidence on the other side. A detail the votes cannot settle goes against the copy that the rest of the evidence
(details it settles, sentences one copy alone adds) shows to be the edited one; failing that, it is
"disputed" on both sides: a reader sees the conflict, and neither article is singled out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from difflib import SequenceMatcher

from ..model import Sentence
from .context import Context, content_words, is_negation, tokens
from .diffs import LOOSE_RATIO, Chunk, NearPair, dates_in, numbers_in
from .hits import Hit

# Content words a sentence of a third source must share with an edited pair to be on the same ground.
SAME_GROUND_WORDS = 3
# Strength of a detail nothing settles, put on the copy other evidence shows to be the edited one;
# and of a detail between equally supported versions ("disputed", on both sides).
PRESUMED = 0.6
# How many more settled edits or additions one copy must show before its unsettled details are presumed edited too.
PRESUME_MARGIN = 1
# Whole numbers below this are too common for their presence elsewhere in the same text to count as a vote.
SMALL_NUMBER = 13
# Share of the pair's shared content words a third source's sentence must repeat to vote on a negation.
POLARITY_SHARE = 0.6
DISPUTED = 0.35


def edited_conflicts(ctx: Context, pairs: list[NearPair], additions: list[tuple[Sentence, str]]) -> list[Hit]:
    voted = []
    edits: Counter[tuple[str, str]] = Counter()  # (edited article, other article) -> pieces of evidence
    for p in pairs:
        if not p.chunks:
            continue
        va = vb = 0
        for chunk in p.chunks:
            a, b = _votes(ctx, p.a, p.b, chunk)
            va, vb = va + a, vb + b
        voted.append((p, va, vb))
        if va != vb:
            edits[(p.b.article, p.a.article) if va > vb else (p.a.article, p.b.article)] += 1
    for sent, source in additions:
        edits[(sent.article, source)] += 1
    hits = []
    for p, va, vb in voted:
        what = "; ".join(f"{c.kind}: '{c.mine}' here, '{c.theirs}' there" for c in p.chunks)
        back = "; ".join(f"{c.kind}: '{c.theirs}' here, '{c.mine}' there" for c in p.chunks)
        if va != vb:
            mine, other, v_mine, v_other, text = (p.a, p.b, va, vb, what) if vb > va else (p.b, p.a, vb, va, back)
            hits.append(_hit(ctx, mine, other, text, p.ratio, (1 + v_other) / (2 + v_mine + v_other),
                             f"{v_other} piece(s) of evidence back the other version, {v_mine} back this one"))
            continue
        ea, eb = edits[(p.a.article, p.b.article)], edits[(p.b.article, p.a.article)]
        if abs(ea - eb) >= PRESUME_MARGIN:
            mine, other, text, n = (p.a, p.b, what, ea) if ea > eb else (p.b, p.a, back, eb)
            hits.append(_hit(ctx, mine, other, text, p.ratio, PRESUMED,
                             f"nothing settles this detail, but this article differs from the other in {n} other "
                             "place(s) where the evidence goes against it, so the other version is presumed original"))
            continue
        for mine, other, text in ((p.a, p.b, what), (p.b, p.a, back)):
            hits.append(_hit(ctx, mine, other, text, p.ratio, DISPUTED, "nothing decides which version is right", "disputed"))
    return hits


def _hit(ctx: Context, mine: Sentence, other: Sentence, what: str, ratio: float, strength: float,
         why: str, kind: str = "contradicted") -> Hit:
    same = "the same report as" if not ctx.independent(mine.article, other.article) else "a sentence shared with"
    return Hit(kind, mine.article, mine.span, min(1.0, strength),
               f"{what}: this sentence is {same} another article, word for word ({ratio:.0%}) except for these "
               f"details; {why}",
               [ctx.evidence(other.article, other.span)], claim_ids(ctx, mine) + claim_ids(ctx, other))


def _votes(ctx: Context, a: Sentence, b: Sentence, chunk: Chunk) -> tuple[int, int]:
    """Evidence for a's version and for b's version of one differing detail."""
    if chunk.kind == "negation":
        return _polarity_votes(ctx, a, b)
    key_a, key_b = _keys(chunk.kind, chunk.mine), _keys(chunk.kind, chunk.theirs)
    if not key_a or not key_b:
        return 0, 0
    va = vb = 0
    # Each article's own remaining text: does it elsewhere give the other version's number or date?
    # Not for names: a name swapped for another person of the same story is found elsewhere too.
    # Nor for dates (one article dates several events) or small numbers ("2" turns up anywhere).
    if chunk.kind == "number" and not _small(key_a | key_b):
        if _says(_rest(ctx, b), key_a, chunk.kind) and not _says(_rest(ctx, b), key_b, chunk.kind):
            va += 1
        if _says(_rest(ctx, a), key_b, chunk.kind) and not _says(_rest(ctx, a), key_a, chunk.kind):
            vb += 1
    common = content_words(a.text) & content_words(b.text)
    close = (a.text, b.text) if chunk.kind == "name" else None
    for texts in _third_ground(ctx, a, b, common, close=close):
        has_a = any(_says(t, key_a, chunk.kind) for t in texts)
        has_b = any(_says(t, key_b, chunk.kind) for t in texts)
        va += has_a and not has_b
        vb += has_b and not has_a
    return va, vb


def _polarity_votes(ctx: Context, a: Sentence, b: Sentence) -> tuple[int, int]:
    """Third sources that make the same statement, worded alike, with or without the negation."""
    neg_a = any(is_negation(t) for t in tokens(a.text))
    common = content_words(a.text) & content_words(b.text)
    va = vb = 0
    for texts in _third_ground(ctx, a, b, common, need=max(SAME_GROUND_WORDS, round(POLARITY_SHARE * len(common)))):
        polarities = {any(is_negation(t) for t in tokens(t_)) for t_ in texts}
        if len(polarities) == 1:
            va += polarities == {neg_a}
            vb += polarities != {neg_a}
    return va, vb


def _third_ground(ctx: Context, a: Sentence, b: Sentence, common: set[str], need: int = SAME_GROUND_WORDS,
                  close: tuple[str, str] | None = None) -> list[list[str]]:
    """Per independent third source: its sentences on the same ground as the pair (with `close`, only
    sentences worded like one of the two: who did something is only comparable in the same statement)."""
    excluded = {ctx.source[a.article], ctx.source[b.article]}
    by_source: dict[str, list[str]] = defaultdict(list)
    for art in ctx.ids:
        if ctx.source[art] in excluded:
            continue
        for s in ctx.sentences.get(art, []):
            if len(content_words(s.text) & common) >= need and (close is None or _worded_like(s.text, close)):
                by_source[ctx.source[art]].append(s.text)
    return [by_source[k] for k in sorted(by_source)]


def _worded_like(text: str, pair: tuple[str, str]) -> bool:
    low = [t.lower() for t in tokens(text)]
    return any(SequenceMatcher(None, low, [t.lower() for t in tokens(p)], autojunk=False).ratio() >= LOOSE_RATIO for p in pair)


def _small(keys: set[str]) -> bool:
    return all(k.isdigit() and int(k) < SMALL_NUMBER for k in keys)


def _rest(ctx: Context, s: Sentence) -> str:
    text = ctx.articles[s.article].text
    return text[: s.span[0]] + " " + text[s.span[1] :]


def _keys(kind: str, words: str) -> set[str]:
    ws = tokens(words)
    if kind == "number":
        return {w for w in numbers_in(ws) if not (w.isdigit() and int(w) < 13)} or numbers_in(ws)
    if kind == "date":
        return dates_in(ws)
    caps = [w.removesuffix("'s").removesuffix("’s") for w in ws if w[:1].isupper()]
    return {caps[-1]} if caps else {w.lower() for w in ws}


def _says(text: str, keys: set[str], kind: str) -> bool:
    ws = tokens(text)
    if kind == "number":
        return bool(keys & numbers_in(ws))
    if kind == "date":
        return bool(keys & dates_in(ws))
    found = {w.removesuffix("'s").removesuffix("’s") for w in ws} | {w.lower() for w in ws}
    return bool(keys & found)


def claim_ids(ctx: Context, s: Sentence) -> list[str]:
    return [c.id for c in ctx.claims_of.get(s.article, []) if c.span == s.span]
