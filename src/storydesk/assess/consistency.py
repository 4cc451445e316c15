"""Internal inconsistency: an article that disagrees with itself, and roles other sources dispute.

Within one article: one person given two roles that cannot both hold (the headline calls them a
deputy, the body the secretary), or a number in the headline that the body gives differently. Across
sources: a person's role here clashes with the role at least ROLE_QUORUM independent sources agree on.
"""

from __future__ import annotations

import re
from collections import defaultdict

from .context import Context, tokens
from .hits import Hit
from .roles import Role, clash, role_after, role_before

# Independent sources that must agree on a role before a clashing role elsewhere is flagged.
ROLE_QUORUM = 2
INTERNAL = 1.0
CROSS = 0.6
_NUM_UNIT = re.compile(r"\b(\d[\d,.]*)\s+([a-z]{3,})\b")


def inconsistencies(ctx: Context) -> list[Hit]:
    roles = _roles(ctx)
    every: dict[str, list[Role]] = defaultdict(list)
    for (_, ent), found in roles.items():
        every[ent] += [r for _, r in found]
    hits: list[Hit] = []
    for (art, ent), found in sorted(roles.items(), key=lambda kv: kv[0]):
        name = ctx.entities[ent].name
        for i, (span_a, ra) in enumerate(found):
            for span_b, rb in found[i + 1 :]:
                if not clash(ra, rb):
                    continue
                # The role fewer mentions (here and in other sources) bear out is the odd one.
                sa = sum(not clash(ra, r) for r in every[ent])
                sb = sum(not clash(rb, r) for r in every[ent])
                if span_a is not None and (span_b is None or sa < sb):
                    hits.append(_internal(ctx, art, name, span_a, ra, span_b, rb, 1.0))
                elif span_b is not None and (span_a is None or sb < sa):
                    hits.append(_internal(ctx, art, name, span_b, rb, span_a, ra, 1.0))
                else:
                    hits.append(_internal(ctx, art, name, span_a, ra, span_b, rb, 0.5))
                    hits.append(_internal(ctx, art, name, span_b, rb, span_a, ra, 0.5))
    hits += _cross_source(ctx, roles)
    hits += _headline_numbers(ctx)
    return _dedupe(hits)


def _roles(ctx: Context) -> dict[tuple[str, str], list[tuple[tuple[int, int] | None, Role]]]:
    """(article, person entity) -> roles given, with the sentence span (None for the headline)."""
    out: dict[tuple[str, str], list] = defaultdict(list)
    for ent in sorted(ctx.entities.values(), key=lambda e: e.id):
        if ent.type != "PERSON":
            continue
        for m in sorted(ent.mentions, key=lambda m: (m.article, m.span)):
            if m.article not in ctx.articles:
                continue
            text = ctx.articles[m.article].text
            sent = ctx.sentence_at(m.article, m.span[0])
            lo = sent.span[0] if sent else max(0, m.span[0] - 70)
            hi = sent.span[1] if sent else m.span[1] + 90
            role = role_before(text[lo : m.span[0]]) or role_after(text[m.span[1] : hi])
            if role:
                out[(m.article, ent.id)].append((sent.span if sent else m.span, role))
        for art_id, art in ctx.articles.items():
            title = art.title or ""
            if not title or art.text.startswith(title.strip()):
                continue
            for name in sorted({ent.name, *ent.aliases}, key=len, reverse=True):
                at = title.find(name)
                if at >= 0 and len(name) > 3:
                    role = role_before(title[:at]) or role_after(title[at + len(name) :])
                    if role:
                        out[(art_id, ent.id)].append((None, role))
                    break
    return out


def _internal(ctx: Context, art: str, name: str, span, role: Role, other_span, other: Role, strength: float) -> Hit:  # noqa: ANN001
    where = "the headline" if other_span is None else "another sentence of this article"
    related = [ctx.evidence(art, other_span)] if other_span else [
        {"article": art, "span": None, "text": ctx.articles[art].title or ""}]
    return Hit("inconsistent", art, span, INTERNAL * strength,
               f"{name} is called '{role.text}' here but '{other.text}' in {where}: one person, two roles that cannot both hold",
               related)


def _cross_source(ctx: Context, roles: dict) -> list[Hit]:  # noqa: ANN001
    by_entity: dict[str, list[tuple[str, tuple[int, int] | None, Role]]] = defaultdict(list)
    for (art, ent), found in roles.items():
        for span, role in found:
            by_entity[ent].append((art, span, role))
    hits = []
    for ent, found in sorted(by_entity.items()):
        for art, span, role in found:
            if span is None:
                continue
            against = [(a, s, r) for a, s, r in found if ctx.independent(a, art) and clash(role, r)]
            backing = {ctx.source[a] for a, s, r in found if ctx.independent(a, art) and not clash(role, r)}
            sources = {ctx.source[a] for a, _, _ in against}
            if len(sources) >= ROLE_QUORUM and len(sources) > len(backing):
                a, s, r = min(against, key=lambda x: (x[0], x[1] or (0, 0)))
                hits.append(Hit(
                    "inconsistent", art, span, CROSS,
                    f"{ctx.entities[ent].name} is called '{role.text}' here, but '{r.text}' by {len(sources)} other sources",
                    [ctx.evidence(a, s) if s else {"article": a, "span": None, "text": ctx.articles[a].title or ""}],
                ))
    return hits


def _headline_numbers(ctx: Context) -> list[Hit]:
    hits = []
    for art_id in ctx.ids:
        art = ctx.articles[art_id]
        title = art.title or ""
        if not title or art.text.startswith(title.strip()):
            continue
        for num, unit in _NUM_UNIT.findall(title.lower()):
            value = num.replace(",", "").rstrip(".")
            body = art.text.lower()
            if re.search(rf"(?<![\d,.]){re.escape(num)}(?![\d,])", body) or value in body.replace(",", ""):
                continue
            other = re.search(rf"\b(\d[\d,.]*)\s+{re.escape(unit)}\b", body)
            if other and other.group(1).replace(",", "") != value:
                sent = ctx.sentence_at(art_id, other.start())
                if sent:
                    hits.append(Hit("inconsistent", art_id, sent.span, INTERNAL,
                                    f"the headline says '{num} {unit}', the body '{other.group(0)}'",
                                    [{"article": art_id, "span": None, "text": title}]))
    return hits


def _dedupe(hits: list[Hit]) -> list[Hit]:
    seen, out = set(), []
    for h in hits:
        key = (h.article, h.span, h.explanation)
        if key not in seen and tokens(h.explanation):
            seen.add(key)
            out.append(h)
    return out
