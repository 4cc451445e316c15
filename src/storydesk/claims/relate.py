"""How two aligned claims relate: agree, contradict, changed_over_time, elaborates or unrelated.

Numbers are compared first and by value, because a stance model reads "28,500 troops" and "30,000
troops" as agreeing paraphrases: two quantities of the same kind about the same place are the same
measure; equal within the wider approximation tolerance is agreement; different values are a
contradiction when the two statements are dated close together and a change over time when their
dates (the claim's own resolved time, else its article's publication date) lie CHANGE_DAYS or more
apart. Then dates of the same event, then negation, and last the trained stance model for the
textual cases. Opinion never contradicts fact: a clash involving an opinion claim is "elaborates".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np

from ..model import Article, Claim, ClaimLink, Quantity
from .align import unit_class
from .places import PlaceIndex

# Two values of one measure this many days apart are plausibly a change, not a contradiction.
CHANGE_DAYS = 90
# Relative difference always treated as equal (rounding in reporting: 28,500 vs 28,000 is not news).
ROUNDING = 0.02
# Counts below this ("two missiles", "three times") only compare within near-identical sentences.
SMALL_COUNT = 10
# Equal numbers of one kind agree even where the place cannot be matched, if the sentences are close.
LINKED_AGREE_COSINE = 0.5
# Stance-model decision floors (probabilities averaged over both directions of the pair); set on
# the FNC-1 validation split, not on a reported set.
DISAGREE_MIN = 0.45
UNRELATED_MIN = 0.6
# A stance model trained on headline -> body pairs (FNC-1) is a weak judge of two single sentences:
# read on the shipped example, it calls most same-topic pairs "agree" and many "disagree". So it
# only decides between sentences that already describe the same event (SAME_EVENT_COSINE), and
# agreement also needs the sentences to be near paraphrases (AGREE_COSINE) unless the model is
# confident (STRONG_AGREE with MODEL_AGREE_COSINE).
AGREE_COSINE = 0.82
MODEL_AGREE_COSINE = 0.72
STRONG_AGREE = 0.8
SAME_EVENT_COSINE = 0.75
# Below this, two aligned sentences share a subject but not a statement.
ELABORATES_COSINE = 0.62

_NEGATION = re.compile(r"\b(not|no|never|none|neither|nor|n't|denied|denies|deny|refused|rejects?|rejected|false|untrue)\b|n't\b", re.I)


@dataclass(slots=True)
class Context:
    claims: list[Claim]
    quantities: list[Quantity]
    articles: dict[str, Article]
    places: PlaceIndex


def relate(ctx: Context, a: int, b: int, cosine: float, stance: np.ndarray | None) -> ClaimLink | None:
    ca, cb = ctx.claims[a], ctx.claims[b]
    ids = [ca.id, cb.id]
    link = _by_numbers(ctx, ca, cb, a, b, cosine) or _by_dates(ctx, ca, cb, cosine) or _by_negation(ca, cb, cosine)
    if link is None:
        link = _by_stance(stance, cosine)
    if link is None:
        return None
    kind, score, explanation = link
    if kind == "contradict" and (ca.opinion or cb.opinion):
        kind, explanation = "elaborates", f"an opinion and a statement disagree ({explanation})"
    return ClaimLink(kind=kind, claims=ids, score=round(float(score), 3), explanation=explanation)


def _comparable(ctx: Context, qa: Quantity, qb: Quantity, a: int, b: int) -> bool:
    """Same kind of number about the same place (or, with no place on either side, the same subject)."""
    if unit_class(qa.unit) != unit_class(qb.unit):
        return False
    pa, pb = ctx.places.locus(qa, ctx.claims[a]), ctx.places.locus(qb, ctx.claims[b])
    if pa or pb:
        return bool(pa & pb)
    words_a = set(re.findall(r"[a-z]+", (qa.subject or "").lower())) - {qa.unit.lower()}
    words_b = set(re.findall(r"[a-z]+", (qb.subject or "").lower())) - {qb.unit.lower()}
    return bool(words_a & words_b) or (not words_a and not words_b)


def _by_numbers(ctx: Context, ca: Claim, cb: Claim, a: int, b: int, cosine: float):  # noqa: ANN202
    for ia in ca.quantities:
        for ib in cb.quantities:
            qa, qb = ctx.quantities[ia], ctx.quantities[ib]
            if unit_class(qa.unit) != unit_class(qb.unit):
                continue
            if max(abs(qa.value), abs(qb.value)) < SMALL_COUNT and cosine < ELABORATES_COSINE:
                continue  # "two countries" in two sentences says nothing about one fact
            comparable = _comparable(ctx, qa, qb, a, b)
            tol = max(qa.approx, qb.approx, ROUNDING)
            big = max(abs(qa.value), abs(qb.value)) or 1.0
            if abs(qa.value - qb.value) <= tol * big and (comparable or cosine >= LINKED_AGREE_COSINE):
                return "agree", max(cosine, 0.8), f"both give {qa.text} / {qb.text}"
            if not comparable:
                continue
            da, db = _when(ctx, ca), _when(ctx, cb)
            gap = _days_apart(da, db)
            what = f"{qa.text} in the {da or 'undated'} article vs {qb.text} in the {db or 'undated'} article"
            if gap is not None and gap >= CHANGE_DAYS:
                return "changed_over_time", cosine, f"{what}: different dates, {gap} days apart"
            return "contradict", cosine, f"{what}: different values for the same measure"
    return None


def _by_dates(ctx: Context, ca: Claim, cb: Claim, cosine: float):  # noqa: ANN202
    if cosine < SAME_EVENT_COSINE or not ca.time or not cb.time:
        return None
    if len(ca.time) == len(cb.time) == 10 and ca.time != cb.time and set(ca.entities) & set(cb.entities):
        return "contradict", cosine, f"the same event dated {ca.time} in one article and {cb.time} in the other"
    return None


def _by_negation(ca: Claim, cb: Claim, cosine: float):  # noqa: ANN202
    if cosine < SAME_EVENT_COSINE:
        return None
    na, nb = bool(_NEGATION.search(ca.text)), bool(_NEGATION.search(cb.text))
    if na != nb:
        neg = ca if na else cb
        return "contradict", cosine, f"one account negates what the other asserts ('{_NEGATION.search(neg.text).group(0)}')"
    return None


def _by_stance(p: np.ndarray | None, cosine: float):  # noqa: ANN202
    agree, disagree, discuss, unrelated = (float(x) for x in p) if p is not None else (0.0, 0.0, 0.0, 0.0)
    if cosine >= SAME_EVENT_COSINE and disagree >= DISAGREE_MIN and disagree > agree:
        return "contradict", disagree, f"the same event, but the stance model reads the accounts as contradicting (p={disagree:.2f})"
    if cosine >= AGREE_COSINE or (cosine >= MODEL_AGREE_COSINE and agree >= STRONG_AGREE):
        return "agree", max(agree, cosine), f"same statement (similarity {cosine:.2f}, agree p={agree:.2f})"
    if cosine >= ELABORATES_COSINE and unrelated < UNRELATED_MIN:
        return "elaborates", max(discuss, cosine), f"same subject, different details (similarity {cosine:.2f})"
    return None


def _when(ctx: Context, claim: Claim) -> str | None:
    if claim.time and len(claim.time) >= 7 and "/" not in claim.time:
        return claim.time
    return ctx.articles[claim.article].published


def _days_apart(a: str | None, b: str | None) -> int | None:
    da, db = _to_date(a), _to_date(b)
    return abs((da - db).days) if da and db else None


def _to_date(value: str | None) -> date | None:
    """An ISO day, month or year as its first day (a month or year is compared from its start)."""
    if not value:
        return None
    padded = {4: "-01-01", 7: "-01"}.get(len(value), "")
    try:
        return date.fromisoformat((value + padded)[:10])
    except ValueError:
        return None
