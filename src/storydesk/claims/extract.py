"""Which sentences are claims: check-worthy statements a second source could confirm or refute.

Every asserted sentence of MIN_WORDS or more is a claim (questions, fragments and calls to click are
not): outlets share facts in sentences that name nobody ("He then grabs the man's wrist") and in
quotes ("I couldn't believe it when I saw it"), and those must be comparable too. A claim is
*checkable* when it counts something (a quantity), dates something (a time expression), quotes someone,
gives an attribute of a named thing (a title, a treaty's year) or tells an event of a known kind with a
named participant (a firing, a vote, a meeting): only checkable claims are ever reported as told by
one source, so that list holds facts a reader could check, not every sentence that names someone.
Each claim carries the facts (clause frames, nlp/frames.py) whose predicate lies inside it. Opinion is kept but marked, never silently dropped: every sentence of an opinion article, and
in any article a sentence whose main verb is prescriptive or whose frame is first-person judgement.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict

from ..model import Claim, Fact, Story, stable_id

MIN_WORDS = 6
MAX_WORDS = 80
_OPINION = re.compile(
    r"\b(should|must|ought to|needs? to|would be (an? )?(\w+ )?(mistake|error|blunder)|"
    r"I (think|believe|argue)|we (must|should|need)|in my view|it is (clear|time) that)\b",
    re.I,
)
_NOT_ASSERTION = re.compile(r"^\W*(click|subscribe|read|share|sign up|follow)\b", re.I)


def extract_claims(story: Story) -> list[Claim]:
    genre = {a.id: a.genre for a in story.articles}
    ents = _index((m.article, m.span, e.id) for e in story.entities for m in e.mentions)
    qty = _index((q.article, q.span, i) for i, q in enumerate(story.quantities))
    times = _index((t.article, t.span, t) for t in story.times)
    facts = _index((f.article, f.predicate_span, f.id) for f in story.facts)
    fact_of = {f.id: f for f in story.facts}
    quoted = _index((q.article, q.span, True) for q in story.quotes)
    claims: list[Claim] = []
    for sent in story.sentences:
        text = sent.text.strip()
        words = text.split()
        if not (MIN_WORDS <= len(words) <= MAX_WORDS) or text.endswith("?") or _NOT_ASSERTION.match(text):
            continue
        e_ids = sorted(set(_inside(ents, sent.article, sent.span)))
        q_ids = sorted(set(_inside(qty, sent.article, sent.span)))
        t_hits = [t for t in _inside(times, sent.article, sent.span) if t.date]
        in_quote = _overlaps(quoted, sent.article, sent.span)
        sent_facts = _inside(facts, sent.article, sent.span)
        claims.append(
            Claim(
                id=stable_id("claim", sent.article, str(sent.span[0]), str(sent.span[1])),
                article=sent.article,
                span=sent.span,
                text=text,
                entities=e_ids,
                quantities=q_ids,
                time=t_hits[0].date if t_hits else None,
                opinion=genre.get(sent.article) == "opinion" or bool(_OPINION.search(text)),
                facts=sent_facts,
                checkable=bool(q_ids or t_hits or in_quote) or any(_names_event(fact_of[f]) for f in sent_facts),
            )
        )
    return claims


def _index(items):  # noqa: ANN001, ANN202 - (article, span, payload) triples
    """Per-article facts sorted by start offset, for range lookups by sentence span."""
    by_article: dict[str, list] = defaultdict(list)
    for article, span, payload in items:
        by_article[article].append((span[0], span[1], payload))
    return {a: (sorted(v, key=lambda x: x[0]), [x[0] for x in sorted(v, key=lambda x: x[0])]) for a, v in by_article.items()}


def _names_event(fact: Fact) -> bool:
    """A named thing's attribute, or an event of a known kind (a firing, a vote, a meeting) with a
    named participant: specific enough for a second source to confirm or refute."""
    if fact.event_class == "attribute":
        return True
    return fact.event_class is not None and not fact.reporting and any(p.key.startswith("entity:") for p in fact.participants)


def _overlaps(index, article: str, span: tuple[int, int]) -> bool:  # noqa: ANN001
    """Whether any indexed span overlaps `span` (a quote that starts before the sentence and runs into it)."""
    if article not in index:
        return False
    items, starts = index[article]
    hi = bisect_right(starts, span[1])
    return any(end > span[0] for _start, end, _payload in items[max(0, hi - 50) : hi])


def _inside(index, article: str, span: tuple[int, int]) -> list:  # noqa: ANN001
    if article not in index:
        return []
    items, starts = index[article]
    lo, hi = bisect_left(starts, span[0]), bisect_right(starts, span[1])
    return [payload for start, end, payload in items[lo:hi] if end <= span[1]]
