"""From hits to a score, a rank and flags.

Each sentence counts once, by its strongest hit. Sentence hits (contradicted, edited, added,
inconsistent, anachronistic, unreported events) add weight x strength / sqrt(n), n = the article's
number of specific claims: a share, but one that does not let a long article hide a fabricated
paragraph among many true ones. Plain uncorroborated claims add SHARE_WEIGHT x strength / n, a true
share. Page signals add a small fixed penalty each. score = exp(-penalty), so 1 is an article
nothing speaks against, and the flags' weights add up to the penalty.

Hits below FLAG_MIN, and hits that never single out one article (SUMMARY_ONLY), are not flags of
their own: they still count, and one "weak_signals" flag per article lists them with their
sentences, so every point of penalty is explained. Ranks sort by score, then by article id, never
by input order; an article with fewer than MIN_JUDGED checkable claims and no flag is "not enough to
judge" (`judged` false) and ranks after the judged ones, whatever its score.
"""

from __future__ import annotations

import math
from collections import defaultdict

from ..model import Flag, Reliability
from .context import Context, specific
from .hits import Hit

# Calibrated on the 137 dev stories of bench/reliability.py, never on its test split: a grid over
# SHARE_WEIGHT {0, .25, .5, 1} x uncorroborated_event {.6, 1, 1.5, 2} x FLAG_MIN {.3, .4, .5, .6}.
# Top-1 is flat for SHARE_WEIGHT .25-.5 with event weight >= 1 (lower event weights lose stories
# where an invented meeting is the only trace); FLAG_MIN .4 keeps flag precision at .93 (.88 at .3)
# with the same top-1. Equal weights elsewhere: the strengths already carry the confidence.
WEIGHTS = {
    "contradicted": 1.0,
    "disputed": 1.0,
    "added_to_copy": 1.0,
    "inconsistent": 1.0,
    "anachronism": 1.0,
    "uncorroborated_event": 1.0,
}
# Plain uncorroborated claims count as a share of the article's specific claims: most claims in a small
# pile have no second source, so only an unusual share of them says something about the article.
SHARE_WEIGHT = {"uncorroborated": 0.5}
PAGE_WEIGHT = 0.1
# A sentence hit at or above this weighted strength is a flag of its own.
FLAG_MIN = 0.4
# Hits that never single a sentence out on their own: a conflict nothing settles ("disputed": one
# source against one with equal records) is evidence against neither side in particular, and a plain
# uncorroborated claim is the normal state of most claims in a small pile. They count, and are listed
# in the article's "weak_signals" flag. (Shown as flags on both sides, they raised the content-farm
# bench's flag recall 0.400 -> 0.475 but cut bench/reliability's flag precision 0.81 -> 0.62: on
# FNC-1 stories most such ties are two genuine reports of different figures.)
SUMMARY_ONLY = frozenset({"disputed", "uncorroborated"})
# Floor on the number of specific claims in the denominators: a three-claim article with one
# contradicted claim is not a third wrong.
MIN_CLAIMS = 6
# Fewer checkable (specific, factual) claims than this, and nothing flagged: "not enough to judge".
# Opinion claims are not checkable, so a column is judged on its factual claims only.
MIN_JUDGED = 3


def score_articles(ctx: Context, hits: list[Hit]) -> None:
    by_article: dict[str, list[Hit]] = defaultdict(list)
    for h in hits:
        if h.article in ctx.articles:
            by_article[h.article].append(h)
    scores: dict[str, float] = {}
    flags: dict[str, list[Flag]] = {}
    checkable: dict[str, int] = {}
    judged: dict[str, bool] = {}
    for art in ctx.ids:
        checkable[art] = sum(1 for c in ctx.claims_of.get(art, []) if specific(ctx, c))
        n_specific = max(MIN_CLAIMS, checkable[art])
        penalty, out = _article_flags(by_article[art], n_specific, ctx.articles[art].text)
        # Evidence against an article judges it however short it is; absence of evidence needs facts.
        judged[art] = checkable[art] >= MIN_JUDGED or any(f.span for f in out if f.kind != "weak_signals")
        if ctx.articles[art].genre == "opinion":
            out.append(Flag("opinion", "an opinion piece: its claims are marked as opinion and not checked as "
                            "facts; the genre itself is not held against it", art, None, [], [], 0.0))
        scores[art] = round(math.exp(-penalty), 4)
        flags[art] = out
    order = sorted(scores, key=lambda a: (not judged[a], -scores[a], a))
    for rank, art in enumerate(order, 1):
        ctx.articles[art].reliability = Reliability(score=scores[art], rank=rank, flags=flags[art], judged=judged[art],
                                                    checkable=checkable[art])


def _article_flags(hits: list[Hit], n_specific: int, text: str) -> tuple[float, list[Flag]]:
    best: dict[tuple[int, int], tuple[float, Hit]] = {}
    page: list[Hit] = []
    for h in sorted(hits, key=lambda h: (h.span or (-1, -1), h.kind, h.explanation)):
        if h.span is None:
            page.append(h)
            continue
        span = (h.span[0], h.span[1])
        w = _contribution(h, n_specific)
        if span not in best or w > best[span][0]:
            best[span] = (w, h)
    flags: list[Flag] = []
    weak: list[tuple[float, Hit]] = []
    penalty = 0.0
    for span in sorted(best):
        w, h = best[span]
        penalty += w
        if h.kind in WEIGHTS and h.kind not in SUMMARY_ONLY and round(WEIGHTS[h.kind] * h.strength, 6) >= FLAG_MIN:
            flags.append(Flag(h.kind, h.explanation, h.article, span, h.related, h.claims, round(w, 4)))
        else:
            weak.append((w, h))
    if weak:
        kinds = sorted({h.kind for _, h in weak})
        flags.append(Flag(
            "weak_signals", f"{len(weak)} sentence(s) with weak signs of doubt ({', '.join(kinds)}), "
            "each too weak to flag alone", weak[0][1].article, None,
            [{"article": h.article, "span": list(h.span), "text": text[h.span[0]:h.span[1]], "kind": h.kind,
              "why": h.explanation, "related": h.related} for _, h in weak if h.span],
            sorted({c for _, h in weak for c in h.claims}), round(sum(w for w, _ in weak), 4)))
    for h in page:
        penalty += PAGE_WEIGHT * h.strength
        flags.append(Flag(h.kind, h.explanation, h.article, None, h.related, h.claims, round(PAGE_WEIGHT * h.strength, 4)))
    return penalty, flags


def _contribution(h: Hit, n_specific: int) -> float:
    if h.kind in SHARE_WEIGHT:
        return SHARE_WEIGHT[h.kind] * h.strength / n_specific
    return WEIGHTS.get(h.kind, 1.0) * h.strength / math.sqrt(n_specific)
