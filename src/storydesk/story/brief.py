"""The brief: 5-12 sentences from the articles that tell the story, each with checked citations.

Selection is greedy, one sentence at a time, for what a reader of a short summary needs:
- coverage of the corroborated claims first: a sentence is worth the corroborated claims it mentions
  (itself and the claims that directly agree with it, whose spans become its further citations), so
  one sentence told by four sources beats four single-source ones;
- the main contradictions and changes over time: the strongest contradict / changed_over_time links
  bring both of their sentences, so the brief shows the disagreement rather than taking a side;
- centrality (mean similarity to the other articles' claims) to fill the brief to MIN_SENTENCES and
  to break ties, with reliable articles preferred, and of two wordings of one fact the one that more
  independent sources' spans support (so the brief shows the corroboration in its citations);
- no repetition: a sentence too close to one already chosen (REDUNDANT_COSINE) is skipped.
Opinion claims, and sentences that lean on the one before ("He said..."), are never candidates.
Sentences are compressed by deletion only (text.compress). The brief leads with the central fact (the
sentence the most independent sources support), then tells the rest in the order of the story (by
the date of what they report, else their article's publication date, then by article and position),
and ends with where the sources differ.

A discrepancy brings one sentence per side (of several outlets giving one value, the most central
wording), each where its story puts it, and the brief ends with one written sentence per discrepancy
("Sources differ on a figure: ... vs ..."), naming and citing every outlet on each side; its check is
exact (each value is in the sentence it cites), not the checker's.

Every citation goes through the checker (citations.py) before the sentence is chosen: citations that
fail are removed, and a sentence left without one is never shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..claims.corroborate import agree_neighbours
from ..claims.sides import prints
from ..claims.syndication import source_of
from ..labels import source_name
from ..model import BriefSentence, Claim, ClaimLink, Evidence, Story
from .citations import CitationChecker
from .text import compress, standalone

MIN_SENTENCES = 5
# An article named inside a written sentence: its outlet, or its name cut to about this length.
NAME_CHARS = 40
MAX_SENTENCES = 12
REDUNDANT_COSINE = 0.8
# How many contradictions and changes over time the brief shows at most (each brings two sentences).
MAX_CONTRADICTIONS = 2
MAX_CHANGES = 1
MIN_WORDS, MAX_WORDS = 6, 50
# Weights of the greedy score; coverage dominates (the first criterion), centrality breaks
# ties and fills the brief to its minimum length.
COVER_WEIGHT = 1.0
CENTRAL_WEIGHT = 0.5
RELIABILITY_WEIGHT = 0.2
# Each further independent source whose span supports the sentence: of two wordings of one fact,
# the one more sources back is shown.
SOURCE_WEIGHT = 0.3
# A news article puts what matters most first (the inverted pyramid: the "lead-3" baseline of news
# summarisation is hard to beat), so a sentence among its article's first LEDE_CLAIMS claims gains
# as much as centrality can give. Set by that convention, not fitted to a bench.
LEDE_WEIGHT = 0.5
LEDE_CLAIMS = 3


@dataclass(slots=True)
class _Candidate:
    claim: Claim
    text: str
    citations: list[Evidence] = field(default_factory=list)
    covers: set[str] = field(default_factory=set)
    central: float = 0.0
    row: int = 0
    lede: bool = False


def build_brief(story: Story, embed_fn=None) -> list[BriefSentence]:  # noqa: ANN001
    """`embed_fn(texts)` gives unit sentence vectors (MiniLM unless the caller passes a cache)."""
    claims = [c for c in story.claims if not c.opinion and MIN_WORDS <= len(c.text.split()) <= MAX_WORDS]
    if not claims:
        return []
    if embed_fn is None:
        from ..claims.embed import embed as embed_fn
    checker = CitationChecker(story, embed_fn)
    by_id = {c.id: c for c in story.claims}
    arts = {a.id: a for a in story.articles}
    copies = {a.id: a.copy_of for a in story.articles if a.copy_of}
    agree = agree_neighbours(story.links)
    corroborated = {c.id for c in story.claims if c.agreeing_sources and not c.opinion}

    first: dict[str, list[str]] = {}
    for c in sorted(story.claims, key=lambda c: (c.article, c.span)):
        first.setdefault(c.article, []).append(c.id)
    ledes = {cid for ids in first.values() for cid in ids[:LEDE_CLAIMS]}
    cands = [_Candidate(c, compress(c.text), lede=c.id in ledes) for c in claims]
    cands = [k for k in cands if standalone(k.text) and len(k.text.split()) >= MIN_WORDS]
    if not cands:
        return []
    # One batch for every text the checker may ask about (sentences and the spans they may cite).
    embed_fn([k.text for k in cands] + [c.text for c in story.claims])
    vectors = np.asarray(embed_fn([k.claim.text for k in cands]), dtype=np.float32)
    _centrality(cands, vectors)
    pool = _Pool(cands, by_id, agree, copies, corroborated, checker)
    chosen = _select(story, pool, vectors, arts)
    order = {a.id: (a.published or "9999", a.id) for a in story.articles}
    chosen.sort(key=lambda k: (_when(k.claim, arts), order[k.claim.article], k.claim.span))
    chosen = _story_order(chosen)
    out = [BriefSentence(text=k.text, citations=k.citations) for k in chosen]
    return _with_differences(story, chosen, out, arts)


def _story_order(chosen: list[_Candidate]) -> list[_Candidate]:
    """The central fact first (the sentence the most independent sources' spans support, then the
    most corroborated claims it covers), then what happened in story order. A sentence that gives one
    side of a discrepancy stays where its story puts it (it may be the central fact itself: "In a
    48-page indictment ... are charged"); the written sentence on where sources differ comes last."""
    if chosen:
        lead = max(chosen, key=lambda k: (len(k.citations), len(k.covers), k.central, -k.row))
        chosen = [lead] + [k for k in chosen if k is not lead]
    return chosen


# How a difference is named in the brief, by the slot of its link.
_SLOT_NAMES = {"number": "a figure", "date": "a date", "role": "a title", "event": "whether it happened"}


def _with_differences(story: Story, chosen: list[_Candidate], out: list[BriefSentence], arts) -> list[BriefSentence]:  # noqa: ANN001
    """For each contradiction or change the brief shows both sides of, one sentence at the end that
    says so ("Sources differ on a figure: 47,000 troops (A) vs 50,000 troops (B)."), citing every
    side's spans. It is written, not extracted, so its check is exact: each side's value is printed
    in (or, for a date, is a date of) the sentence it cites."""
    at = {k.claim.id: i for i, k in enumerate(chosen)}
    facts = {f.id: f for f in story.facts}
    by_id = {c.id: c for c in story.claims}
    extra: list[BriefSentence] = []
    told_links: list[set[str]] = []
    for link in sorted(story.links, key=lambda l: (-l.score, l.claims)):
        if link.kind not in ("contradict", "changed_over_time") or len(link.values) != len(link.claims):
            continue
        if not any(a in at and b in at for a, b in link.pairs()):
            continue
        side_of = link.side_list()
        told = [(by_id[cid], v, side_of[i]) for i, (cid, v) in enumerate(zip(link.claims, link.values)) if cid in by_id]
        if not all(prints(c, v, facts) for c, v, _s in told if c.id in at):
            continue
        # every article on a side that prints the side's value is named and cited, not only the chosen one
        told = [(c, v, s) for c, v, s in told if prints(c, v, facts)]
        sides = [(c, v) for c, v, _s in told]
        what = _SLOT_NAMES.get(link.slot or "", "a detail")
        if link.kind == "contradict":
            shown = []
            for s in (0, 1):
                mine = [(c, v) for c, v, cs in told if cs == s]
                names = ", ".join(dict.fromkeys(_article_name(arts[c.article]) for c, _v in mine))
                shown.append(f"{mine[0][1]} ({names})")
            text = f"Sources differ on {what}: {shown[0]} vs {shown[1]}."
        elif len(sides) != 2:
            continue
        else:  # values read "47,000 troops (2016-11-16)": told oldest first
            sides.sort(key=lambda cv: cv[1].rsplit("(", 1)[-1])
            shown = [f"{v.rsplit(' (', 1)[0]} ({_article_name(arts[c.article])}, {v.rsplit('(', 1)[-1].rstrip(')')})"
                     for c, v in sides]
            text = f"{what[:1].upper() + what[1:]} that changed over time: {shown[0]}, then {shown[1]}."
        if any(set(link.claims) & shown for shown in told_links):
            continue  # one written sentence per discrepancy
        told_links.append(set(link.claims))
        extra.append(BriefSentence(text=text, citations=[Evidence(c.article, c.span) for c, _v in sides], kind="difference"))
    return out + extra


def _article_name(art) -> str:  # noqa: ANN001
    """The outlet, else the article's name cut short: a brief sentence is not the place for a headline."""
    name = source_name(art)
    return name if len(name) <= NAME_CHARS else name[:NAME_CHARS].rsplit(" ", 1)[0] + "…"


class _Pool:
    """Candidates whose citations are checked lazily, when one is about to be chosen: the checker
    runs the stance model, so it is asked about a few dozen sentences, not every claim."""

    def __init__(self, cands, by_id, agree, copies, corroborated, checker: CitationChecker) -> None:  # noqa: ANN001
        self.cands = cands
        self.by_id, self.agree, self.copies, self.corroborated = by_id, agree, copies, corroborated
        self.checker = checker
        self.checked: set[int] = set()
        self.by_claim = {k.claim.id: k for k in cands}
        for k in cands:  # optimistic until checked: every proposed citation holds
            k.citations = [Evidence(c.article, c.span) for c in self._proposed(k)]
            k.covers = self._covers(k)

    def _proposed(self, k: _Candidate) -> list[Claim]:
        """Own span first, then one agreeing span per other independent source."""
        out = [k.claim]
        seen = {source_of(k.claim.article, self.copies)}
        for other in sorted(self.agree[k.claim.id]):
            c = self.by_id[other]
            src = source_of(c.article, self.copies)
            if src not in seen:
                seen.add(src)
                out.append(c)
        return out

    def _covers(self, k: _Candidate) -> set[str]:
        cited = self._cited_ids(k)
        return {cid for cid in self.corroborated if cid in cited or self.agree[cid] & cited}

    def _cited_ids(self, k: _Candidate) -> set[str]:
        at = {(c.article, tuple(c.span)): c.id for c in self._proposed(k)}
        return {at[(e.article, tuple(e.span))] for e in k.citations}

    def check(self, ks: list[_Candidate]) -> None:
        todo = [k for k in ks if k.row not in self.checked]
        wanted = [(k, c) for k in todo for c in self._proposed(k)]
        verdicts = self.checker.check([(k.text, c.text) for k, c in wanted])
        for k in todo:
            self.checked.add(k.row)
            k.citations = []
        for (k, c), verdict in zip(wanted, verdicts):
            if verdict.ok:
                k.citations.append(Evidence(c.article, c.span))
        for k in todo:  # the sentence's own article must hold it; another source alone is not its origin
            if not k.citations or k.citations[0].article != k.claim.article:
                k.citations = []
            k.covers = self._covers(k)


def _centrality(cands: list[_Candidate], vectors: np.ndarray) -> None:
    sims = vectors @ vectors.T
    articles = np.array([k.claim.article for k in cands], dtype=object)
    for i, k in enumerate(cands):
        k.row = i
        other = articles != k.claim.article
        k.central = float(sims[i, other].mean()) if other.any() else 0.0


def _select(story: Story, pool: _Pool, vectors: np.ndarray, arts) -> list[_Candidate]:  # noqa: ANN001
    chosen: list[_Candidate] = []
    covered: set[str] = set()

    # `chosen` only grows, so each candidate is compared only with the sentences chosen since its
    # last check, and one found too close to a chosen sentence stays out (exact, and linear overall).
    redundant: set[int] = set()
    checked_upto: dict[int, int] = {}

    def fits(k: _Candidate) -> bool:
        if not k.citations or k.row in redundant or any(c is k for c in chosen):
            return False
        for c in chosen[checked_upto.get(k.row, 0):]:
            if float(vectors[k.row] @ vectors[c.row]) >= REDUNDANT_COSINE:
                redundant.add(k.row)
                return False
        checked_upto[k.row] = len(chosen)
        return True

    # The strongest disagreements and changes: both sides, or neither.
    for kind, limit in (("contradict", MAX_CONTRADICTIONS), ("changed_over_time", MAX_CHANGES)):
        links = sorted((l for l in story.links if l.kind == kind), key=lambda l: (-l.score, l.claims))
        taken = 0
        for link in links:
            pair = _one_per_side(link, pool)
            if taken >= limit or pair is None or len(chosen) + 2 > MAX_SENTENCES:
                continue
            if not all(fits(k) for k in pair) or float(vectors[pair[0].row] @ vectors[pair[1].row]) >= 0.999:
                continue
            pool.check(pair)
            if all(fits(k) for k in pair):
                chosen += pair
                covered |= pair[0].covers | pair[1].covers
                taken += 1
    while len(chosen) < MAX_SENTENCES:
        best, best_score = None, -1.0
        for k in pool.cands:
            if not fits(k):
                continue
            gain = len(k.covers - covered)
            if gain == 0 and len(chosen) >= MIN_SENTENCES:
                continue
            rel = arts[k.claim.article].reliability
            score = (COVER_WEIGHT * gain + CENTRAL_WEIGHT * k.central + RELIABILITY_WEIGHT * (rel.score if rel else 1.0)
                     + SOURCE_WEIGHT * (len(k.citations) - 1) + LEDE_WEIGHT * k.lede)
            if score > best_score:
                best, best_score = k, score
        if best is None:
            break
        if best.row not in pool.checked:
            pool.check([best])  # its score may drop: choose again with the checked citations
            continue
        chosen.append(best)
        covered |= best.covers
    return chosen


def _one_per_side(link: ClaimLink, pool: _Pool) -> list[_Candidate] | None:
    """The sentence that shows each side of a discrepancy: of several outlets giving one value, the
    most central wording (the written difference sentence names them all)."""
    side_of = link.side_list()
    out = []
    for side in sorted(set(side_of)):
        found = [k for cid, s in zip(link.claims, side_of) if s == side and (k := pool.by_claim.get(cid)) is not None]
        if not found:
            return None  # a side no candidate sentence shows: both sides, or neither
        out.append(max(found, key=lambda k: (k.central, -k.row)))
    return out


def _when(claim: Claim, arts) -> str:  # noqa: ANN001
    """The story-order key: the claim's date, else its article's. A date known only to the month or
    year sorts after that period's days ("March 2024" after "12 March 2024"), not before them."""
    if claim.time:
        start = claim.time.split("/")[0]
        return start + {4: "-13-32", 7: "-32"}.get(len(start), "")
    return arts[claim.article].published or "9999"
