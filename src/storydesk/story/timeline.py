"""The story's timeline: dated events, one entry per real-world event however many sources tell it.

An event is a dated clause of a claim: each fact (nlp/frames.py) with a time expression of its own is
an event dated by that expression as the language layer resolved it against the article's
publication date, so "said Monday that he was fired Friday" holds two events; a claim none of whose
clauses carries the date falls back to the sentence's most precise time expression. Periods are not
events: a decade, or a range that spans more than one year ("the past six years"), dates nothing. A range inside one month or one year ("last week") is read at
that coarser precision, so the timeline never claims a day it does not know. An expression that
could not be resolved (a relative date in an undated article) leaves its event undated: listed
after the dated ones, never guessed.

Two sentences from different sources are one event when their dates agree at the coarser of the two
precisions and the sentences say the same thing: the claims stage linked them (agree or elaborates),
or their embeddings are close and they name a common entity. Merging is agglomerative, best pair
first, and refuses any merge that would put two incompatible dates in one entry (a year-level "2018"
must not chain "2018-03-01" to "2018-11-20"). An entry is disputed when sources contradict it (a
claim of it is in a contradict link) or when every source that tells it is judged unreliable on that
very sentence (the reliability stage flagged it: contradicted, invented, edited); an article's low
overall score, or its missing date, does not make its events disputed.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from dataclasses import dataclass, field

import numpy as np

from ..groups import UnionFind
from ..model import Article, Claim, Event, Evidence, Fact, Span, Story, TimelineEntry
from .text import EntityIndex, compress

# Cosine at which two dated sentences sharing an entity describe one event; the claims stage aligns
# paraphrases of one fact from 0.5 with a shared anchor, an event match asks a little more.
MERGE_COSINE = 0.6
# Cosine at which two dated sentences are one event without a shared entity.
MERGE_COSINE_ALONE = 0.8
SENTENCE_FLAGS = frozenset({"contradicted", "disputed", "added_to_copy", "inconsistent", "anachronism", "uncorroborated_event"})
PRECISION_RANK = {"day": 3, "month": 2, "year": 1}
# A range shorter than this is one event of a few days (a two-day summit), not a period ("last week").
SHORT_EVENT_DAYS = 3
MAX_EVENT_CHARS = 240


@dataclass(slots=True)
class _Candidate:
    article: str
    span: Span
    text: str
    date: str | None
    precision: str | None
    entities: list[str] = field(default_factory=list)
    claim: str | None = None


def normalise(value: str | None, precision: str | None) -> tuple[str | None, str | None, bool]:
    """(date, precision, is_event): an event of a few days ("Feb 27-28") is dated by its first day,
    a longer range ("last week") becomes its common month or year; a period is no event."""
    if not value:
        return None, None, True
    if precision == "decade":
        return None, None, False
    if "/" not in value:
        return value, precision if precision in PRECISION_RANK else _precision_of(value), True
    start, end = value.split("/", 1)
    if len(start) == len(end) == 10 and _days_between(start, end) < SHORT_EVENT_DAYS:
        return start, "day", True
    if start[:7] == end[:7] and len(start) >= 7:
        return start[:7], "month", True
    if start[:4] == end[:4]:
        return start[:4], "year", True
    return None, None, False


def _days_between(start: str, end: str) -> int:
    try:
        return (date.fromisoformat(end) - date.fromisoformat(start)).days
    except ValueError:
        return SHORT_EVENT_DAYS


def _precision_of(value: str) -> str:
    return {10: "day", 7: "month"}.get(len(value), "year")


def compatible(a: str | None, b: str | None) -> bool:
    """Equal at the coarser precision of the two ("2018-06" holds "2018-06-11")."""
    if not a or not b:
        return a == b
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def build_timeline(story: Story, vectors_of=None) -> list[TimelineEntry]:  # noqa: ANN001
    """`vectors_of(texts)` embeds sentences (the MiniLM model unless a caller passes its own cache)."""
    cands = _candidates(story)
    if not cands:
        return []
    if vectors_of is None:
        from ..claims.embed import embed as vectors_of
    vecs = np.asarray(vectors_of([c.text for c in cands]), dtype=np.float32)
    groups = _merge(story, cands, vecs)
    arts = {a.id: a for a in story.articles}
    contradicted = {cid for link in story.links if link.kind == "contradict" for cid in link.claims}
    entries = [_entry(story, arts, [cands[i] for i in members], contradicted) for members in groups]
    order = {a.id: (a.published or "9999", a.id) for a in story.articles}
    return sorted(entries, key=lambda e: (e.date is None, _sort_date(e.date), -PRECISION_RANK.get(e.precision or "", 0),
                                          order[e.evidence[0].article], e.evidence[0].span))


def _sort_date(value: str | None) -> str:
    return value or "9999"


def _candidates(story: Story) -> list[_Candidate]:
    """One candidate per dated event of each claim: every date a clause of it gives its own event
    (facts, nlp/frames.py), else the sentence's most precise date. A time belongs to the claim whose
    span holds it (looked up by overlap, never by equal spans: a paragraph's last sentence keeps its
    trailing newline in one layer and not in the other)."""
    index = EntityIndex(story)
    facts = {f.id: f for f in story.facts}
    spans: dict[str, list[tuple[int, int, Claim]]] = {}
    for c in story.claims:
        spans.setdefault(c.article, []).append((c.span[0], c.span[1], c))
    for group in spans.values():
        group.sort(key=lambda x: x[0])
    starts = {a: [x[0] for x in items] for a, items in spans.items()}
    times_of: dict[str, list[Event]] = {}
    claim_of: dict[str, Claim] = {}
    for t in story.times:
        items = spans.get(t.article)
        if not items:
            continue
        k = bisect_right(starts[t.article], t.span[0]) - 1
        if k < 0 or t.span[0] >= items[k][1]:
            continue
        claim = items[k][2]
        claim_of[claim.id] = claim
        times_of.setdefault(claim.id, []).append(t)
    out = []
    for cid in sorted(times_of, key=lambda c: (claim_of[c].article, claim_of[c].span)):
        claim = claim_of[cid]
        if claim.opinion:
            continue  # a judgement, not an event
        dated = _fact_dates([facts[f] for f in claim.facts if f in facts]) or _best_date(times_of[cid])
        ents = index.inside(claim.article, claim.span)
        for value, precision in dated:
            out.append(_Candidate(claim.article, claim.span, claim.text, value, precision, ents, claim.id))
    return out


def _fact_dates(facts: list[Fact]) -> list[tuple[str, str]]:
    """The distinct dates the claim's clauses give their own events; a coarser date that a finer
    one refines ("2018" beside "2018-08-10") is the same event told less exactly."""
    found: dict[str, str] = {}
    for f in facts:
        value, precision, is_event = normalise(f.time, f.time_precision)
        if is_event and value:
            found[value] = precision or _precision_of(value)
    return [(v, p) for v, p in sorted(found.items()) if not any(o != v and o.startswith(v) for o in found)]


def _best_date(times: list[Event]) -> list[tuple[str | None, str | None]]:
    """The sentence's most precise date; (None, None) for an event whose time could not be resolved
    (listed undated, never guessed)."""
    best: tuple[int, str | None, str | None] | None = None
    for t in times:
        value, precision, is_event = normalise(t.date, t.precision)
        if not is_event:
            continue
        rank = PRECISION_RANK.get(precision or "", 0) if value else -1
        if best is None or rank > best[0]:
            best = (rank, value, precision)
    return [(best[1], best[2])] if best else []


def _merge(story: Story, cands: list[_Candidate], vecs: np.ndarray) -> list[list[int]]:
    at = {c.claim: i for i, c in enumerate(cands) if c.claim}
    linked = set()
    for link in story.links:
        if link.kind in ("agree", "elaborates") and all(cid in at for cid in link.claims):
            a, b = sorted(at[cid] for cid in link.claims)
            linked.add((a, b))
    sims = vecs @ vecs.T
    pairs = []
    for i in range(len(cands)):
        for j in range(i + 1, len(cands)):
            ci, cj = cands[i], cands[j]
            if ci.article == cj.article or not compatible(ci.date, cj.date):
                continue
            shared = bool(set(ci.entities) & set(cj.entities))
            cos = float(sims[i, j])
            if (i, j) in linked or (shared and cos >= MERGE_COSINE) or cos >= MERGE_COSINE_ALONE:
                pairs.append((-cos, i, j))
    uf = UnionFind(range(len(cands)))
    members = {i: [i] for i in range(len(cands))}
    for _, i, j in sorted(pairs):
        ri, rj = uf.find(i), uf.find(j)
        if ri == rj:
            continue
        group = members[ri] + members[rj]
        if len({cands[k].article for k in group}) < len(group):
            continue  # one article tells an event once; two of its sentences are two events
        if not all(compatible(cands[a].date, cands[b].date) for a in members[ri] for b in members[rj]):
            continue
        uf.union(i, j)
        root = uf.find(i)
        members[root] = group
    return [sorted(members[r]) for r in sorted({uf.find(i) for i in range(len(cands))})]


def _entry(story: Story, arts: dict[str, Article], group: list[_Candidate], contradicted: set[str]) -> TimelineEntry:
    finest = max(group, key=lambda c: (PRECISION_RANK.get(c.precision or "", 0), c.date or ""))
    lead = max(group, key=lambda c: (_reliability(arts[c.article]), -len(c.text), c.article))
    counts: dict[str, int] = {}
    for c in group:
        for e in c.entities:
            counts[e] = counts.get(e, 0) + 1
    text = compress(lead.text)
    if len(text) > MAX_EVENT_CHARS:
        text = text[: MAX_EVENT_CHARS - 1].rsplit(" ", 1)[0] + "\u2026"
    ordered = sorted(group, key=lambda c: (c.article, c.span))
    return TimelineEntry(
        date=finest.date,
        precision=finest.precision,
        event=text,
        entities=sorted(counts, key=lambda e: (-counts[e], e)),
        sources=sorted({c.article for c in group}),
        evidence=[Evidence(c.article, c.span) for c in ordered],
        disputed=any(c.claim in contradicted for c in group) or all(_flagged(arts[c.article], c.span) for c in group),
    )


def _reliability(art: Article) -> float:
    return art.reliability.score if art.reliability else 1.0


def _flagged(art: Article, span: Span) -> bool:
    """The reliability stage flagged this very sentence of the article."""
    rel = art.reliability
    if rel is None:
        return False
    return any(f.span and f.kind in SENTENCE_FLAGS and f.span[0] < span[1] and span[0] < f.span[1] for f in rel.flags)
