"""Reliability per article: a score, a rank and flags with the sentences behind them.

Runs after the claims stage and reads what it and the language layer left on the Story: claims,
links, entities, the time expressions, sentences, and each article's metadata. Signals, one module each:

- conflicts.py: claims other sources contradict, weighted by the sources on each side, including
  sentences another source shares word for word but with an edited detail (diffs.py);
- uncorroborated.py: specific claims on ground the others cover that none supports, and sentences
  one near-copy adds to a shared report;
- consistency.py: an article that disagrees with itself (headline vs body, two roles for one person)
  or gives a role other sources dispute (roles.py);
- anachronism.py: events told as past that had not happened by the article's date;
- page.py: no byline, page furniture, a site that is not a known news outlet.

Opinion is not a signal: opinion claims are skipped by the fact checks and the article gets a flag
of weight 0 saying so. score.py combines the hits. Nothing depends on input order or file names.
"""

from __future__ import annotations

from ..model import Story


def assess_reliability(story: Story) -> Story:
    """Fill `reliability` (score in [0, 1], 1 = trustworthy; rank 1 = most reliable; flags) on every
    analysable article. Articles without text keep `reliability = None`."""
    from .anachronism import anachronisms
    from .conflicts import link_conflicts, quote_conflicts
    from .consistency import inconsistencies
    from .context import build_context, join_sources
    from .diffs import additions, near_copies, near_pairs
    from .edits import edited_conflicts
    from .page import page_signals
    from .score import score_articles
    from .uncorroborated import added_to_copy, uncorroborated

    ctx = build_context(story)
    if not ctx.articles:
        return story
    pairs = near_pairs(ctx)
    copies = near_copies(ctx, pairs)
    join_sources(ctx, copies)
    added = added_to_copy(ctx, additions(ctx, pairs, near_copies(ctx, pairs, both=True)), pairs)
    inserted = [(sent, h.related[0]["article"]) for h in added
                if h.strength >= 1.0 and h.span and (sent := ctx.sentence_at(h.article, h.span[0])) is not None]
    hits = added + edited_conflicts(ctx, pairs, inserted)
    hits += quote_conflicts(ctx, pairs)
    hits += inconsistencies(ctx)
    hits += link_conflicts(ctx, pairs, hits)  # after the others: a source's record settles one-against-one
    hits += uncorroborated(ctx, pairs)
    hits += anachronisms(ctx)
    for art in ctx.ids:
        hits += page_signals(ctx.articles[art])
    score_articles(ctx, hits)
    return story
