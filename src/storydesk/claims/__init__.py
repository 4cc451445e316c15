"""Cross-source claims: extract, align across articles, relate, corroborate.

Stage order: syndication (copies count once), claim extraction from the language layer's sentences
(each claim with the facts, clause frames, it states), embedding-based candidate pairs
(sub-quadratic above a few thousand claims), relation of each candidate pair slot by slot (the same
words, numbers, frames with their dates and polarity, content, similarity: relate.py), the
pairwise contradictions about one detail joined into one link with two sides (sides.py), and
corroboration per claim.
"""

from __future__ import annotations

from ..model import Story


def run_claims(story: Story) -> Story:
    from .align import align_claims, keyed_pairs
    from .compare import ClaimFacts
    from .corroborate import corroborate
    from .embed import embed
    from .extract import extract_claims
    from .places import PlaceIndex
    from .relate import Context, relate
    from .sides import join_sides
    from .syndication import find_copies

    copies = find_copies(story.articles)
    for art in story.articles:
        art.copy_of = copies.get(art.id)
    # Sorted by content-derived keys, so links and scores never depend on the order files were given.
    claims = sorted(extract_claims(story), key=lambda c: (c.article, c.span))
    # Pairs are only ever made across articles: a one-article story (most of a crawl's stories)
    # needs no embeddings at all.
    pairs = []
    facts = ClaimFacts(claims, story.facts, story.times, story.quantities, story.quotes)
    if len({c.article for c in claims}) > 1:
        vectors = embed([c.text for c in claims])
        pairs = align_claims(claims, vectors, story.quantities)
        pairs += keyed_pairs(claims, facts, vectors, {(p.a, p.b) for p in pairs})
    places = PlaceIndex(story.entities)
    ctx = Context(claims=claims, quantities=story.quantities, articles={a.id: a for a in story.articles}, places=places, facts=facts,
                  names={e.id: e.name for e in story.entities})
    links = []
    for pair in pairs:
        link = relate(ctx, pair.a, pair.b, pair.cosine)
        if link:
            links.append(link)
    links = join_sides(links, claims, ctx.articles)
    corroborate(claims, links, copies)
    story.claims = claims
    story.links = sorted(links, key=lambda l: (l.kind, -l.score, l.claims))
    return story
