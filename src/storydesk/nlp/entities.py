"""Named entities resolved across the articles of one story.

Every later stage (quotes, claims, agreement between sources) asks "is this the same actor?", so the
names a pile of articles uses for one actor ("Prime Minister Jane Roe", "Ms Roe", "Roe's",
"Jane Roe") must become one `Entity`, while two people who only share a surname stay apart.
spaCy's small model finds the mentions; this module cleans them (`mention_rules`) and merges them
(`entity_merge`). Demonyms and capitals used for a government stay entities of their own and are linked
to their country by `entity_relations`, because "Ottawa said" is a claim by Canada's government but
"Ottawa" is not "Canada" in a sentence about the city.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from itertools import accumulate
from typing import TYPE_CHECKING

from storydesk.model import Article, Entity, Mention, stable_id
from storydesk.nlp.countries import CAPITAL_OF, DEMONYM_OF, country_name, metonym
from storydesk.nlp.entity_merge import cluster_mentions
from storydesk.nlp.mention_rules import PERSON, RawMention, collect_mentions, is_acronym

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["resolve_entities", "entity_relations", "DEMONYM_OF", "CAPITAL_OF"]

# Label preference when a cluster's mentions were labelled differently by the tagger (ties only).
_LABEL_ORDER = ("PERSON", "GPE", "ORG", "NORP", "LOC", "FAC", "EVENT", "LAW", "PRODUCT")


def resolve_entities(articles: list[Article], docs: dict[str, "Doc"]) -> list[Entity]:
    """All entities of the story, most-mentioned first; ids are stable_id(type, canonical name)."""
    order = {art.id: n for n, art in enumerate(articles)}
    raws = collect_mentions(articles, docs)
    entities: dict[str, Entity] = {}
    for group in cluster_mentions(raws):
        ent = _entity(group, order)
        if ent.id in entities:  # two clusters that settle on the same name are one actor
            _absorb(entities[ent.id], ent)
        else:
            entities[ent.id] = ent
    result = list(entities.values())
    _add_string_mentions(result, [a for a in articles if a.id in docs], order)
    _attach_relations(result)
    result.sort(key=lambda e: (-len(e.mentions), e.name))
    return result


def entity_relations(entities: list[Entity]) -> list[dict[str, str]]:
    """Metonymy links, e.g. {"entity": <Ottawa>, "relation": "capital-of", "target": <Canada>}.

    Only links to a country that the story itself mentions, so no report cites an entity without
    evidence.
    """
    countries: dict[str, Entity] = {}
    for ent in entities:
        name = country_name(ent.name)
        if ent.type == "GPE" and name:
            countries.setdefault(name, ent)
    out = []
    for ent in entities:
        hit = metonym(ent.name)
        if hit and hit[0] in countries and countries[hit[0]] is not ent:
            out.append({"entity": ent.id, "relation": hit[1], "target": countries[hit[0]].id})
    return out


def _attach_relations(entities: list[Entity]) -> None:
    """Fill `Entity.related` once the model has that field; until then callers use entity_relations."""
    by_id = {e.id: e for e in entities}
    for rel in entity_relations(entities):
        ent = by_id[rel["entity"]]
        if hasattr(ent, "related"):
            ent.related.append({"entity": rel["target"], "relation": rel["relation"]})


def _entity(group: list[RawMention], order: dict[str, int]) -> Entity:
    labels = Counter(r.label for r in group)
    country = next((c for r in group if (c := country_name(r.surface))), None)
    if country:
        etype, name = "GPE", country
    else:
        etype = max(labels, key=lambda lab: (labels[lab], -_LABEL_ORDER.index(lab)))
        name = _canonical(group, etype)
    mentions = sorted({(r.article, r.start, r.end) for r in group}, key=lambda m: (order[m[0]], m[1]))
    aliases = sorted({r.surface for r in group} - {name})
    return Entity(
        id=stable_id(etype, name),
        name=name,
        type=etype,
        aliases=aliases,
        mentions=[Mention(article=a, span=(s, e)) for a, s, e in mentions],
    )


def _canonical(group: list[RawMention], etype: str) -> str:
    """The fullest form for people, the most used expansion (not the acronym) for everything else."""
    counts = Counter(r.surface for r in group)
    first: dict[str, int] = {}
    for n, r in enumerate(group):
        first.setdefault(r.surface, n)
    forms = [s for s in counts if not is_acronym(s)] or list(counts)
    if etype == PERSON:  # the most used full name: one odd long form must not rename the person
        return max(forms, key=lambda s: (len(_words(s)) > 1, counts[s], len(_words(s)), -first[s]))
    return max(forms, key=lambda s: (counts[s], len(s), -first[s]))


def _words(surface: str) -> list[str]:
    return re.split(r"[\s-]+", surface)


def _absorb(into: Entity, other: Entity) -> None:
    seen = {(m.article, tuple(m.span)) for m in into.mentions}
    into.mentions.extend(m for m in other.mentions if (m.article, tuple(m.span)) not in seen)
    into.aliases = sorted(set(into.aliases) | set(other.aliases))


def _add_string_mentions(entities: list[Entity], articles: list[Article], order: dict[str, int]) -> None:
    """Occurrences the tagger missed ("Mr Roe" untagged, an acronym in a headline-style sentence).

    Only surface forms that belong to exactly one entity are searched, so a bare surname shared by
    two people never gains mentions this way.
    """
    owner: dict[str, Entity | None] = {}
    for ent in entities:
        for form in {ent.name, *ent.aliases}:
            if len(form) >= 2 and form[0].isupper():
                owner[form] = ent if owner.get(form, ent) is ent else None
    forms = sorted((f for f, e in owner.items() if e is not None), key=len, reverse=True)
    if not forms:
        return
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, forms)) + r")(?![\w-])")
    covered: dict[str, list[tuple[int, int]]] = {}
    for ent in entities:
        for m in ent.mentions:
            covered.setdefault(m.article, []).append((m.span[0], m.span[1]))
    for art in articles:
        spans = sorted(covered.get(art.id, []))
        span_starts = [s for s, _ in spans]
        reach = list(accumulate((e for _, e in spans), max))  # furthest end among spans so far
        for hit in pattern.finditer(art.text):
            start, end = hit.span()
            i = bisect_left(span_starts, end)  # spans that start before this hit ends
            if i and reach[i - 1] > start:
                continue
            owned = owner[hit.group()]
            assert owned is not None
            owned.mentions.append(Mention(article=art.id, span=(start, end)))
    for ent in entities:
        ent.mentions.sort(key=lambda m: (order.get(m.article, 0), m.span[0]))


def mentions_by_article(entities: list[Entity]) -> dict[str, list[tuple[tuple[int, int], Entity]]]:
    """Article id -> (span, entity) of every mention in it, in the entities' order: what the per-article
    layers (frames, attributes, dating) read, grouped once per story instead of scanning every
    entity's mentions for each article."""
    out: dict[str, list[tuple[tuple[int, int], Entity]]] = {}
    for ent in entities:
        for m in ent.mentions:
            out.setdefault(m.article, []).append(((m.span[0], m.span[1]), ent))
    return out
