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

# Two values of one measure this many days apart are plausibly a change, not a contradiction.
CHANGE_DAYS = 90
# Relative difference always treated as equal (rounding in reporting: 28,500 vs 28,000 is not news).
ROUNDING = 0.02
# Stance-model decision floors (probabilities averaged over both directions of the pair); set on
# the FNC-1 validation split, not on a reported set.
DISAGREE_MIN = 0.45
AGREE_MIN = 0.5
UNRELATED_MIN = 0.6
# Cosine above which two sentences state the same fact unless something above says otherwise.
AGREE_COSINE = 0.82
SAME_EVENT_COSINE = 0.75

_NEGATION = re.compile(r"\b(not|no|never|none|neither|nor|n't|denied|denies|deny|refused|rejects?|rejected|false|untrue)\b|n't\b", re.I)


@dataclass(slots=True)
class Context:
    claims: list[Claim]
    quantities: list[Quantity]
    articles: dict[str, Article]
    places: list[set[str]]


def relate(ctx: Context, a: int, b: int, cosine: float, stance: np.ndarray | None) -> ClaimLink | None:
    ca, cb = ctx.claims[a], ctx.claims[b]
    ids = [ca.id, cb.id]
    link = _by_numbers(ctx, ca, cb, a, b, cosine) or _by_dates(ctx, ca, cb, cosine) or _by_negation(ca, cb, cosine)
    if link is None and stance is not None:
        link = _by_stance(stance, cosine)
    if link is None:
        return None
    kind, score, explanation = link
    if kind == "unrelated":
        return None
    if kind == "contradict" and (ca.opinion or cb.opinion):
        kind, explanation = "elaborates", f"an opinion and a statement disagree ({explanation})"
    return ClaimLink(kind=kind, claims=ids, score=round(float(score), 3), explanation=explanation)


def _comparable(ctx: Context, qa: Quantity, qb: Quantity, a: int, b: int) -> bool:
    if unit_class(qa.unit) != unit_class(qb.unit):
        return False
    pa, pb = ctx.places[a], ctx.places[b]
    if pa and pb:
        return bool(pa & pb) and not (pa - pb and pb - pa)
    words_a = set(re.findall(r"[a-z]+", (qa.subject or "").lower())) - {qa.unit.lower()}
    words_b = set(re.findall(r"[a-z]+", (qb.subject or "").lower())) - {qb.unit.lower()}
    return bool(words_a & words_b) or (not words_a and not words_b)


def _by_numbers(ctx: Context, ca: Claim, cb: Claim, a: int, b: int, cosine: float):  # noqa: ANN202
    for ia in ca.quantities:
        for ib in cb.quantities:
            qa, qb = ctx.quantities[ia], ctx.quantities[ib]
            if not _comparable(ctx, qa, qb, a, b):
                continue
            tol = max(qa.approx, qb.approx, ROUNDING)
            big = max(abs(qa.value), abs(qb.value)) or 1.0
            if abs(qa.value - qb.value) <= tol * big:
                return "agree", max(cosine, 0.8), f"both give {qa.text} / {qb.text}"
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


def _by_stance(p: np.ndarray, cosine: float):  # noqa: ANN202
    agree, disagree, discuss, unrelated = (float(x) for x in p)
    if disagree >= DISAGREE_MIN and disagree > agree:
        return "contradict", disagree, f"the stance model reads these as contradicting (p={disagree:.2f})"
    if cosine >= AGREE_COSINE or agree >= AGREE_MIN:
        return "agree", max(agree, cosine), f"same statement (similarity {cosine:.2f}, agree p={agree:.2f})"
    if unrelated >= UNRELATED_MIN:
        return "unrelated", unrelated, "different subjects"
    return "elaborates", max(discuss, cosine), f"same subject, different details (similarity {cosine:.2f})"


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
