"""What every reliability signal reads, indexed once: sentences, claims, links, sources, tokens.

Everything here is keyed and sorted by content-derived ids (article ids are text hashes, claim ids
hash their article and span), never by input order, so shuffling or renaming the input files cannot
change a score. Independent sources are groups of articles that copy one another (the claims stage's
syndication groups, joined with near-copies found here sentence by sentence); a group is named by its
smallest article id, not by whichever member came first.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from ..claims.stance import NEGATION, STOPWORDS
from ..groups import UnionFind
from ..model import Article, Claim, ClaimLink, Entity, Fact, Sentence, Span, Story
from ..nlp.numwords import SMALL

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[A-Za-z]+(?:'[A-Za-z]+)*")
_ISO = re.compile(r"\d{4}(?:-\d{2}){0,2}")
_DIGITS = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
# Embedding cosine at which two claims state the same thing (the claims stage's own AGREE_COSINE).
SUPPORT_COSINE = 0.8
# Entity types that make a claim specific: a named person, organisation or place.
NAMED = ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "EVENT")


def tokens(text: str) -> list[str]:
    """Words and numbers; typographic apostrophes read as plain ones, so "Kim’s" is "Kim's"."""
    return _TOKEN.findall(text.replace("’", "'"))


def content_words(text: str) -> set[str]:
    return {t.lower() for t in tokens(text) if t.lower() not in STOPWORDS and len(t) > 2}


def is_negation(tok: str) -> bool:
    low = tok.lower().replace("’", "'")
    return low in NEGATION or low.endswith("n't")


@dataclass(slots=True)
class Context:
    story: Story
    articles: dict[str, Article]
    sentences: dict[str, list[Sentence]]
    claims: dict[str, Claim]
    claims_of: dict[str, list[Claim]]
    links_of: dict[str, list[tuple[ClaimLink, str]]]
    entities: dict[str, Entity]
    mentioned_in: dict[str, set[str]]  # entity id -> articles mentioning it
    source: dict[str, str] = field(default_factory=dict)
    starts: dict[str, list[int]] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return sorted(self.articles)

    def sentence_at(self, article: str, pos: int) -> Sentence | None:
        """The sentence holding character `pos` of an article."""
        sents = self.sentences.get(article, [])
        if article not in self.starts:
            self.starts[article] = [s.span[0] for s in sents]
        i = bisect_right(self.starts[article], pos) - 1
        return sents[i] if i >= 0 and sents[i].span[0] <= pos < max(sents[i].span[1], pos + 1) else None

    def evidence(self, article: str, span: Span, text: str | None = None) -> dict:
        art = self.articles[article]
        return {"article": article, "span": [span[0], span[1]], "text": text if text is not None else art.text[span[0] : span[1]]}

    def sources_of(self, articles: set[str]) -> set[str]:
        return {self.source.get(a, a) for a in articles}

    def independent(self, a: str, b: str) -> bool:
        return self.source.get(a, a) != self.source.get(b, b)


def build_context(story: Story) -> Context:
    articles = {a.id: a for a in story.articles if a.text and a.analysable and not _fatal(a)}
    sentences: dict[str, list[Sentence]] = defaultdict(list)
    for s in story.sentences:
        if s.article in articles:
            sentences[s.article].append(s)
    for sents in sentences.values():
        sents.sort(key=lambda s: s.span)
    claims = {c.id: c for c in story.claims if c.article in articles}
    claims_of: dict[str, list[Claim]] = defaultdict(list)
    for c in sorted(claims.values(), key=lambda c: (c.article, c.span)):
        claims_of[c.article].append(c)
    links_of: dict[str, list[tuple[ClaimLink, str]]] = defaultdict(list)
    for link in sorted(story.links, key=lambda l: (l.kind, sorted(l.claims))):
        for a, b in link.pairs():
            if a in claims and b in claims:
                links_of[a].append((link, b))
                links_of[b].append((link, a))
    mentioned: dict[str, set[str]] = defaultdict(set)
    for e in story.entities:
        for m in e.mentions:
            if m.article in articles:
                mentioned[e.id].add(m.article)
    ctx = Context(story, articles, dict(sentences), claims, dict(claims_of), dict(links_of),
                  {e.id: e for e in story.entities}, dict(mentioned))
    ctx.source = _source_groups(story, articles)
    ctx.facts = {f.id: f for f in story.facts}
    return ctx


def join_sources(ctx: Context, pairs: list[tuple[str, str]]) -> None:
    """Merge source groups (near-copies found later); each group keeps its smallest article id."""
    groups = UnionFind(ctx.ids)
    for art, src in ctx.source.items():
        groups.union(art, src)
    for a, b in pairs:
        groups.union(a, b)
    ctx.source = {a: groups.find(a) for a in ctx.ids}


def _source_groups(story: Story, articles: dict[str, Article]) -> dict[str, str]:
    groups = UnionFind(sorted(articles))
    for art in articles.values():
        if art.copy_of and art.copy_of in articles:
            groups.union(art.id, art.copy_of)
    return {a: groups.find(a) for a in articles}


def _fatal(art: Article) -> bool:
    return not art.text.strip()


def supports(link: ClaimLink) -> bool:
    """An agree link strong enough to count as support: decided on the same words, numbers, a
    matching frame or shared content, or, when it rests on sentence similarity alone, a similarity
    of SUPPORT_COSINE or more."""
    if link.kind != "agree":
        return False
    if link.basis in ("quote", "numbers", "frame", "content"):
        return True
    return (link.similarity if link.similarity is not None else link.score) >= SUPPORT_COSINE


def states(ctx: Context, claim: Claim, value: str) -> bool:
    """Whether a claim gives this value of a contradiction link (`ClaimLink.values`): the date on one
    of its facts, the number in its text, or every word of the title or count as written. A
    polarity is not a value a second sentence "states": an agree link already shares it."""
    v = value.strip("'\"")
    if v in ("negated", "asserted"):
        return True
    if _ISO.fullmatch(v):
        return claim.time == v or any(ctx.facts[f].time == v for f in claim.facts if f in ctx.facts)
    wanted = _numbers_in(v)
    if wanted:
        return bool(wanted & _numbers_in(claim.text))
    words = content_words(v)
    return bool(words) and words <= content_words(claim.text)


def _numbers_in(text: str) -> set[float]:
    out = {float(m.replace(",", "")) for m in _DIGITS.findall(text)}
    return out | {float(n) for w in re.findall(r"[a-z]+", text.lower()) if w not in ("a", "an") and (n := SMALL.get(w))}


def specific(ctx: Context, claim: Claim) -> bool:
    """A claim a second source could check: it names someone, counts something or dates something."""
    if claim.opinion:
        return False
    named = any(ctx.entities[e].type in NAMED for e in claim.entities if e in ctx.entities)
    return named or bool(claim.quantities) or bool(claim.time)
