"""How two aligned claims relate: agree, contradict, changed_over_time, elaborates, or nothing.

Decided slot by slot on what the two claims have in common (compare.py), strongest evidence first:

0. An attribute of one named thing given differently: a person's title that cannot be the same
   office ("Deputy Director" / "Executive Assistant Director"), a hyphenated count ("30-day" /
   "60-day suspension"), a treaty's year: a contradiction of slot role, number or date (a change
   over time for titles and counts told CHANGE_DAYS or more apart), however unlike the sentences.
1. Numbers of the same measure (same kind of unit, same place or subject, in clauses that tell the
   same fact or in near-paraphrase sentences): equal within the writers' admitted tolerance is
   agreement; different is a contradiction of slot `number`, or a change over time when the two
   statements are dated CHANGE_DAYS or more apart. A number both sentences give is agreement on
   that measure even if each gives another number as well ("six arrests Wednesday, compared to 47
   the previous night" and "47 arrests overnight").
2. The same frame (same predicate or event class, a common named participant) dated at one
   precision to different days, months or years: a contradiction of slot `date` (the date of that
   clause, never the sentence's first date: "said Monday that he was fired Friday" dates the firing
   Friday; and not when one sentence names both dates, where the parse may have hung a day on the
   wrong verb).
3. The same words (a shared run of a quotation or wire sentence): agreement, whatever a model makes
   of the rest. An identical quote in two articles is never a contradiction: what differs between
   two such sentences was caught above only if it is a number, a date or an attribute.
4. The same frame again: one clause negated and the other not, with the same participants, is a
   contradiction of slot `event`; otherwise, when the clauses also share enough of their content,
   agreement.
5. Near-paraphrase sentences (embedding cosine >= AGREE_COSINE) with no conflicting slot: agreement.
6. Same subject, different details: elaborates (used by the timeline, never shown as a verdict).

Opinion never contradicts fact: a clash involving an opinion claim is "elaborates". The stance model
is not asked here: on two single sentences it read an identical quote as a contradiction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..labels import counted, source_name
from ..model import Article, Claim, ClaimLink, Fact, Quantity
from .align import unit_class
from .compare import ClaimFacts
from .places import PLACE_NOUNS, PlaceIndex

# Two values of one measure this many days apart are plausibly a change, not a contradiction.
CHANGE_DAYS = 90
_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.,])\d+(?:\.\d+)?(?![\w,])")
# Relative difference always treated as equal (rounding in reporting: 12,500 vs 12,300 is not news).
ROUNDING = 0.02
# Two values of one unit further apart than this factor are two measures, not one misreported (a
# change over time, told apart by the dates, may grow further).
MAX_RATIO = 3.0
# Counts below this ("two missiles", "three times") only compare within near-identical sentences.
SMALL_COUNT = 10
# Sentence cosine at which two numbers of one kind are compared although the clauses' frames do not
# match (the frame parse misses many paraphrases of "the army keeps 12,000 troops in the north").
NUMBER_COSINE = 0.55
# Equal numbers of one kind agree where the place cannot be matched, if the sentences are this close.
LINKED_AGREE_COSINE = 0.5
# A frame match agrees when the clauses' weighted content overlap reaches FRAME_OVERLAP and the
# sentences are not unrelated (FRAME_COSINE); it contradicts (date, polarity) only above
# CONFLICT_COSINE, where the two sentences are plainly about the same thing.
FRAME_OVERLAP = 0.3
FRAME_COSINE = 0.4
CONFLICT_COSINE = 0.55
# Two sentences sharing this much of their weighted content and this close in meaning state one fact.
CONTENT_OVERLAP = 0.5
CONTENT_COSINE = 0.6
# Near paraphrases: same statement unless a slot conflicts.
AGREE_COSINE = 0.8
# Below this, two aligned sentences share a subject but not a statement.
ELABORATES_COSINE = 0.62


@dataclass(slots=True)
class Context:
    claims: list[Claim]
    quantities: list[Quantity]
    articles: dict[str, Article]
    places: PlaceIndex
    facts: ClaimFacts
    names: dict[str, str] = field(default_factory=dict)  # entity id -> name, for explanations


@dataclass(slots=True)
class _Verdict:
    kind: str
    score: float
    explanation: str
    basis: str
    slot: str | None = None
    values: tuple[str, str] | None = None
    facts: tuple[str, ...] = ()


def relate(ctx: Context, a: int, b: int, cosine: float) -> ClaimLink | None:
    ca, cb = ctx.claims[a], ctx.claims[b]
    verdict = (
        _by_attributes(ctx, ca, cb, a, b, cosine)
        or _by_numbers(ctx, ca, cb, a, b, cosine)
        or _by_frame_dates(ctx, a, b, cosine)
        or _by_words(ctx, a, b, cosine)
        or _by_frames(ctx, a, b, cosine)
        or _by_content(ctx, a, b, cosine)
        or _by_similarity(cosine)
    )
    if verdict is None:
        return None
    if verdict.kind == "contradict" and (ca.opinion or cb.opinion):
        verdict.kind, verdict.explanation = "elaborates", f"an opinion and a statement disagree ({verdict.explanation})"
    return ClaimLink(
        kind=verdict.kind, claims=[ca.id, cb.id], score=round(float(verdict.score), 3), explanation=verdict.explanation,
        similarity=round(float(cosine), 3), basis=verdict.basis, slot=verdict.slot,
        values=list(verdict.values) if verdict.values else [], facts=list(verdict.facts),
    )


def _by_attributes(ctx: Context, ca: Claim, cb: Claim, a: int, b: int, cosine: float) -> _Verdict | None:
    conflicts = ctx.facts.attribute_conflicts(a, b)
    if not conflicts:
        return None
    fa, fb = conflicts[0]
    slot = {"title": "role", "count": "number", "year": "date"}.get(fa.predicate, "other")
    va, vb = _show_value(ctx, fa), _show_value(ctx, fb)
    what = {"title": f"the title of {fa.participants[0].text}", "count": f"the {counted(fa.participants[0].text)}",
            "year": f"the year of the {fa.participants[0].text.lower()}"}.get(fa.predicate, fa.predicate)
    gap = _days_apart(ctx.articles[ca.article].published, ctx.articles[cb.article].published)
    if gap is not None and gap >= CHANGE_DAYS and fa.predicate != "year":
        return _Verdict("changed_over_time", max(cosine, 0.5), f"{what[:1].upper() + what[1:]}: {va} in {_label(ctx, ca)} vs {vb} in "
                        f"{_label(ctx, cb)}, stated {gap} days apart", "attribute", slot, (va, vb), (fa.id, fb.id))
    return _Verdict("contradict", max(cosine, 0.6), f"{what[:1].upper() + what[1:]}: {va} in {_label(ctx, ca)} vs {vb} in {_label(ctx, cb)}",
                    "attribute", slot, (va, vb), (fa.id, fb.id))


def _show_value(ctx: Context, fact: Fact) -> str:
    """The attribute as its article wrote it."""
    art = ctx.articles.get(fact.article)
    if art is None:
        return fact.value or ""
    # "Clinton's chief of staff": the name is not part of the title, nor the "'s" it leaves behind
    return "'" + re.sub(r"^['’]s\s+", "", art.text[fact.predicate_span[0]:fact.predicate_span[1]]) + "'"


def _by_words(ctx: Context, a: int, b: int, cosine: float) -> _Verdict | None:
    if ctx.facts.verbatim(a, b):
        return _Verdict("agree", max(cosine, 0.9), "both print the same words", "quote")
    run = ctx.facts.same_quote(a, b, cosine)
    if run is not None:
        return _Verdict("agree", max(cosine, 0.7), f"both quote the words '{run}'", "quote")
    return None


def _by_numbers(ctx: Context, ca: Claim, cb: Claim, a: int, b: int, cosine: float) -> _Verdict | None:
    framed = {q for fp in ctx.facts.frame_pairs(a, b) for q in (*fp.a.quantities, *fp.b.quantities)}
    conflict = None
    for ia in ca.quantities:
        for ib in cb.quantities:
            qa, qb = ctx.quantities[ia], ctx.quantities[ib]
            if unit_class(qa.unit) != unit_class(qb.unit):
                continue
            if max(abs(qa.value), abs(qb.value)) < SMALL_COUNT and cosine < ELABORATES_COSINE:
                continue  # "two countries" in two sentences says nothing about one fact
            toll = ctx.facts.casualties[a].get(ia)
            # the dead (or injured) of the story are one measure, however each sentence words it
            comparable: str | None = "toll" if toll is not None and toll == ctx.facts.casualties[b].get(ib) \
                else _comparable(ctx, qa, qb, a, b)
            if _equal(qa, qb) and (comparable or cosine >= LINKED_AGREE_COSINE):
                return _Verdict("agree", max(cosine, 0.8), f"both give {qa.text} / {qb.text}", "numbers", "number", (qa.text, qb.text))
            framed_pair = ia in framed and ib in framed
            same_fact = comparable in ("place", "toll") or framed_pair or (comparable == "subject" and cosine >= NUMBER_COSINE)
            if comparable == "unknown":
                same_fact = framed_pair
            if comparable and same_fact and not _shares_value(ctx, ca, cb):
                spread = abs(qa.value - qb.value) / (max(abs(qa.value), abs(qb.value)) or 1.0)
                if conflict is None or spread < conflict[2]:
                    conflict = (qa, qb, spread)  # the closest pair: the same measure misreported
    if conflict is None:
        return None
    qa, qb, _gap = conflict
    da, db = _number_date(ctx, a, qa), _number_date(ctx, b, qb)
    gap = _days_apart(da, db)
    if _reported_only(ctx, a, qa) != _reported_only(ctx, b, qb):
        # "said Monday that it had received 55,000 pages" dates the saying, not the receipt, which may
        # be the December delivery the other side counts: no evidence of a change between them.
        gap = None
    what = f"{qa.text} in {_label(ctx, ca)} vs {qb.text} in {_label(ctx, cb)}"
    if gap is not None and (gap >= CHANGE_DAYS or gap >= 1 and _moving(ctx, (ca, qa, da), (cb, qb, db))):
        return _Verdict("changed_over_time", cosine, f"{what}: stated {gap} day{'s' if gap != 1 else ''} apart ({da} and {db})", "numbers", "number",
                        (f"{qa.text} ({da})", f"{qb.text} ({db})"))
    if max(abs(qa.value), abs(qb.value)) > MAX_RATIO * max(min(abs(qa.value), abs(qb.value)), 1e-9):
        return None  # a misreported figure is of the same order; $600 and $250,000 are two measures
    return _Verdict("contradict", cosine, f"{what}: different values for the same measure", "numbers", "number", (qa.text, qb.text))


def _by_frame_dates(ctx: Context, a: int, b: int, cosine: float) -> _Verdict | None:
    """One event (same predicate, a common named participant) dated differently: decided before the
    shared words, since a copied sentence with its day changed is exactly what a spun copy does."""
    ca, cb = ctx.claims[a], ctx.claims[b]
    for fp in ctx.facts.frame_pairs(a, b):
        fa, fb = fp.a, fp.b
        if cosine < CONFLICT_COSINE and not (fp.own and not (fa.modal or fb.modal or fa.negated or fb.negated)):
            continue  # unlike sentences tell one event only through the clauses' own named participant
        both_dates = fb.time in ctx.facts.dates[a] or fa.time in ctx.facts.dates[b]
        if fa.time and fb.time and _dated_apart(fa, fb) and not both_dates and any(k.startswith("entity:") for k in fp.shared):
            return _Verdict("contradict", cosine,
                            f"The date of {_event(fa, _shared_names(ctx, fp.shared))}: {fa.time} in {_label(ctx, ca)} vs "
                            f"{fb.time} in {_label(ctx, cb)}",
                            "dates", "date", (fa.time, fb.time), (fa.id, fb.id))
    return None


def _by_frames(ctx: Context, a: int, b: int, cosine: float) -> _Verdict | None:
    pairs = ctx.facts.frame_pairs(a, b)
    if not pairs:
        return None
    ca, cb = ctx.claims[a], ctx.claims[b]
    if cosine >= CONFLICT_COSINE:
        for fp in pairs:
            fa, fb = fp.a, fp.b
            if fa.negated != fb.negated and not (fa.modal or fb.modal) and _same_participants(fa, fb):
                neg = "not " if fa.negated else ""
                other = "not " if fb.negated else ""
                return _Verdict("contradict", cosine,
                                f"Whether {_event(fa)} happened: {neg or 'yes '}in {_label(ctx, ca)} vs {other or 'yes '}in {_label(ctx, cb)}",
                                "polarity", "event", ("negated" if fa.negated else "asserted", "negated" if fb.negated else "asserted"),
                                (fa.id, fb.id))
    if cosine < FRAME_COSINE:
        return None
    for fp in pairs:
        if fp.a.negated != fp.b.negated or not _dates_compatible(fp.a, fp.b):
            continue
        if ctx.facts.overlap(a, b) >= FRAME_OVERLAP:
            return _Verdict("agree", max(cosine, 0.7), f"both say {_event(fp.a)} (similarity {cosine:.2f})", "frame",
                            facts=(fp.a.id, fp.b.id))
    return None


def _by_content(ctx: Context, a: int, b: int, cosine: float) -> _Verdict | None:
    if cosine >= CONTENT_COSINE and ctx.facts.overlap(a, b) >= CONTENT_OVERLAP and not _conflicting_dates(ctx, a, b):
        return _Verdict("agree", cosine, f"same statement (similarity {cosine:.2f}, shared content)", "content")
    return None


def _by_similarity(cosine: float) -> _Verdict | None:
    if cosine >= AGREE_COSINE:
        return _Verdict("agree", cosine, f"same statement (similarity {cosine:.2f})", "similarity")
    if cosine >= ELABORATES_COSINE:
        return _Verdict("elaborates", cosine, f"same subject, different details (similarity {cosine:.2f})", "similarity")
    return None


def _conflicting_dates(ctx: Context, a: int, b: int) -> bool:
    return any(_dated_apart(fp.a, fp.b) for fp in ctx.facts.frame_pairs(a, b))


def _dated_apart(fa: Fact, fb: Fact) -> bool:
    """Both clauses dated at the same precision (day, month or year), and to different ones."""
    return bool(fa.time and fb.time and "/" not in fa.time + fb.time and fa.time_precision == fb.time_precision
                and fa.time_precision in ("day", "month", "year") and len(fa.time) == len(fb.time) and fa.time != fb.time)


def _dates_compatible(fa: Fact, fb: Fact) -> bool:
    """No date on one side, or dates that agree at the coarser precision of the two."""
    if not fa.time or not fb.time:
        return True
    n = min(len(fa.time.split("/")[0]), len(fb.time.split("/")[0]))
    return fa.time[:n] == fb.time[:n]


def _same_participants(fa: Fact, fb: Fact) -> bool:
    """The clauses name the same doers and done-to: every entity of one is in the other."""
    ka = {p.key for p in fa.participants if p.role in ("agent", "patient", "recipient", "partner")}
    kb = {p.key for p in fb.participants if p.role in ("agent", "patient", "recipient", "partner")}
    return bool(ka) and ka == kb


def _event(fact: Fact, shared: list[str] | None = None) -> str:
    """"'fire' (Varga)": the predicate and its named doers and done-to, for an explanation; a clause
    with none ("an interview published Sunday") is named by the entities both sentences share."""
    names = [p.text for p in fact.participants if p.role in ("agent", "patient") and p.key.startswith("entity:")][:2]
    names = names or (shared or [])[:2]
    return f"'{fact.predicate}'" + (f" ({', '.join(names)})" if names else "")


def _shared_names(ctx: Context, keys: list[str]) -> list[str]:
    return [ctx.names[k.split(":", 1)[1]] for k in keys if k.startswith("entity:") and k.split(":", 1)[1] in ctx.names]


def _label(ctx: Context, claim: Claim) -> str:
    """How a reader knows the article: its outlet, else its title or opening words (labels.article_name)."""
    art = ctx.articles.get(claim.article)
    if art is None:
        return "one article"
    return f"'{source_name(art)}'"


def _equal(qa: Quantity, qb: Quantity) -> bool:
    tol = max(qa.approx, qb.approx, ROUNDING)
    big = max(abs(qa.value), abs(qb.value)) or 1.0
    return abs(qa.value - qb.value) <= tol * big


def _shares_value(ctx: Context, ca: Claim, cb: Claim) -> bool:
    """Some number is given by both sentences (then the others are other measures): a quantity of
    one kind equal on both sides, or a quantity of one side written as a bare number in the other
    ("47 arrests overnight" and "six arrests Wednesday, compared to 47 the previous night")."""
    qa = [ctx.quantities[i] for i in ca.quantities]
    qb = [ctx.quantities[i] for i in cb.quantities]
    if any(unit_class(x.unit) == unit_class(y.unit) and _equal(x, y) for x in qa for y in qb):
        return True
    bare_a, bare_b = _bare_numbers(ca.text), _bare_numbers(cb.text)
    return any(x.value in bare_b for x in qa) or any(y.value in bare_a for y in qb)


def _bare_numbers(text: str) -> set[float]:
    return {float(m.replace(",", "")) for m in _NUMBER.findall(text)}


def _comparable(ctx: Context, qa: Quantity, qb: Quantity, a: int, b: int) -> str | None:
    """Same kind of number about the same place ("place": one measure, however the sentences are
    worded) or, with no place on either side, about the same subject ("subject": one measure only if
    the sentences are close); "unknown" when neither says what it counts (one measure only if the
    very clauses that hold the numbers tell the same fact); None when they measure different things."""
    if unit_class(qa.unit) != unit_class(qb.unit):
        return None
    # Where a count of people or things applies is a place ("troops in the north"); an amount of
    # money or a share is not located by the places its sentence names ("$600 ... in San Diego").
    counted = qa.unit.islower() and qa.unit.isalpha()
    ca, cb = ctx.claims[a], ctx.claims[b]
    pa, own_a = ctx.places.locus(qa, ca) if counted else (set(), False)
    pb, own_b = ctx.places.locus(qb, cb) if counted else (set(), False)
    if pa and pb:
        return "place" if pa & pb else None
    # A place on one side only: the number's own named place ("troops in Japan") makes it another
    # measure than a count with none; a place the sentence merely names elsewhere does not, nor a bare
    # "in the town", which points back at the story's place.
    if (pa and own_a and pa - PLACE_NOUNS) or (pb and own_b and pb - PLACE_NOUNS):
        return None
    words_a = set(re.findall(r"[a-z]+", (qa.subject or "").lower())) - {qa.unit.lower()}
    words_b = set(re.findall(r"[a-z]+", (qb.subject or "").lower())) - {qb.unit.lower()}
    if not words_a and not words_b:
        return "unknown"
    if not words_a or not words_b:
        return "subject"  # one side does not say what it counts: one measure only if the sentences are close
    return "subject" if words_a & words_b else None


# Words that give a figure as provisional ("at least 14 killed") or as the latest of a series ("the
# toll rose to 19"): a different figure a day later is the count moving on, not a misreport.
_PROVISIONAL = re.compile(r"^(?:at least|more than|over|upwards of|in excess of)\b", re.IGNORECASE)
_MOVED = re.compile(r"\b(?:rose|risen|rising|climbed|climbing|increased|jumped|grew|fell|dropped|declined|now stands?|"
                    r"had reached|has reached|reached)\s+(?:to\s+|at\s+)?$", re.IGNORECASE)


def _moving(ctx: Context, *sides: tuple[Claim, Quantity, str | None]) -> bool:
    """Two figures of one measure, each (claim, quantity, date), stated at least a day apart: one of
    them said to have moved ("rose to 19"), or the earlier one a lower bound that the later one
    exceeds ("at least 14", then 19)."""
    for claim, q, _d in sides:
        art = ctx.articles.get(claim.article)
        before = art.text[max(0, q.span[0] - 40):q.span[0]] if art is not None else ""
        if _MOVED.search(before):
            return True
    early, late = sorted(sides, key=lambda side: side[2] or "")
    return bool(_PROVISIONAL.match(early[1].text)) and late[1].value > early[1].value


def _reported_only(ctx: Context, i: int, q: Quantity) -> bool:
    """The number's own clause has no date and the claim's date is that of a reporting or publishing
    verb ("said Monday that ...", "reported Monday receiving ..."): the value is dated only by when
    it was reported."""
    claim = ctx.claims[i]
    own = _own_fact(ctx, i, q)
    if own is not None and own.time:
        return False
    return bool(claim.time) and any((f.reporting or f.event_class == "publish") and f.time == claim.time and f is not own
                                    for f in ctx.facts.facts[i])


def _own_fact(ctx: Context, i: int, q: Quantity) -> Fact | None:
    """The clause of claim `i` that holds the figure."""
    return next((f for f in ctx.facts.facts[i] for k in f.quantities if ctx.quantities[k] is q), None)


def _number_date(ctx: Context, i: int, q: Quantity) -> str | None:
    """When a figure held: the date of its own clause ("rose to 19 on Wednesday"), else the claim's."""
    own = _own_fact(ctx, i, q)
    if own is not None and own.time and len(own.time) >= 7 and "/" not in own.time:
        return own.time
    return _when(ctx, ctx.claims[i])


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
