"""Which cleaned mentions name the same actor, across all the articles of a story.

People are merged on the set of their name words, so word order, hyphens and spacing do not matter
("Park Seo Yeon" / "Park Seo-yeon"). A partial name ("Ms Roe", "Roe's") goes to the fuller name it is part
of in the same article: the nearest preceding one when the article names two people who share it,
because news re-introduces the person it is about to quote. Partial names in an article with no full
form go to the story's dominant full form, or stay apart when no form dominates. Everything else merges
on its normalised spelling, acronyms with their declared or initial-matching expansions.

Two full names that differ only by a form of the same given name ("Mike Roe" / "Michael Roe", see
given_names) are one person, unless some article names both: an article that does is telling two
people apart (a father and a son).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from storydesk.groups import UnionFind
from storydesk.nlp.countries import country_name, metonym
from storydesk.nlp.given_names import full_forms
from storydesk.nlp.mention_rules import PERSON, RawMention, initials, is_acronym

# A full name takes a story-wide partial name only if it has at least this many times the mentions of
# the runner-up full name sharing the partial name (2: clearly the story's main bearer of the name).
DOMINANCE = 2.0
_LOOKALIKE_LABELS = frozenset({"ORG", "PRODUCT", "NORP", "GPE", "LOC", "FAC"})


def cluster_mentions(raws: list[RawMention]) -> list[list[RawMention]]:
    """Groups of mentions, each one actor, in order of first appearance."""
    _relabel_person_lookalikes(raws)
    uf: UnionFind[int] = UnionFind(range(len(raws)))
    first: dict[object, int] = {}
    for i, r in enumerate(raws):
        uf.union(i, first.setdefault((r.article, r.start, r.end), i))
        if r.label != PERSON and not r.same_as:
            uf.union(i, first.setdefault(_spelling_key(r.surface), i))
    _merge_people(raws, uf)
    _merge_given_name_variants(raws, uf)
    _merge_acronyms(raws, uf)
    groups: dict[int, list[RawMention]] = defaultdict(list)
    for i, r in enumerate(raws):
        groups[uf.find(i)].append(r)
    return [groups[k] for k in sorted(groups)]


def _spelling_key(surface: str) -> str:
    country = country_name(surface)
    if country:
        return "country:" + country
    flat = re.sub(r"[\s\-‐–]+", " ", surface.replace("’", "'").replace(".", "")).strip().lower()
    return "name:" + flat


def _relabel_person_lookalikes(raws: list[RawMention]) -> None:
    """A surname the tagger called ORG ("Roe described ...") when the same article has "Jane Roe"."""
    people: dict[str, list[frozenset[str]]] = defaultdict(list)
    for r in raws:
        if r.label == PERSON and r.tokens:
            people[r.article].append(r.tokens)
    for r in raws:
        if (
            r.label in _LOOKALIKE_LABELS
            and not r.same_as
            and 0 < len(r.tokens) <= 3
            and not (country_name(r.surface) or metonym(r.surface) or is_acronym(r.surface))
            and any(r.tokens <= full for full in people.get(r.article, ()))
        ):
            r.label = PERSON


def _merge_people(raws: list[RawMention], uf: UnionFind[int]) -> None:
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(raws):
        if r.label == PERSON and r.tokens:
            by_article[r.article].append(i)
    full_forms: Counter[frozenset[str]] = Counter()
    for idxs in by_article.values():
        keys = {raws[i].tokens for i in idxs}
        full_forms.update(raws[i].tokens for i in idxs if not any(raws[i].tokens < k for k in keys))
    anchor: dict[frozenset[str], int] = {}
    for idxs in by_article.values():
        for i, key in _article_targets(raws, sorted(idxs, key=lambda i: raws[i].start), full_forms):
            uf.union(i, anchor.setdefault(key, i))


def _article_targets(
    raws: list[RawMention], idxs: list[int], full_forms: Counter[frozenset[str]]
) -> list[tuple[int, frozenset[str]]]:
    """Each person mention of one article (in text order) with the full-name key it refers to.

    A partial name refers back to the most recently mentioned person whose name contains it; with no
    such person before it, to the story's dominant bearer of the name, and failing that to the first
    fuller name that follows in the article.
    """
    last_seen: dict[frozenset[str], int] = {}
    out = []
    for i in idxs:
        key, pos = raws[i].tokens, raws[i].start
        earlier = [k for k in last_seen if key < k]
        if earlier:
            target = max(earlier, key=lambda k: last_seen[k])
        else:
            target = _story_form(key, full_forms)
            if target == key:
                later = [raws[j] for j in idxs if raws[j].start > pos and key < raws[j].tokens]
                if later:
                    target = _story_form(later[0].tokens, full_forms)
        last_seen[target] = pos
        out.append((i, target))
    return out


def _story_form(key: frozenset[str], counts: Counter[frozenset[str]]) -> frozenset[str]:
    wider = [k for k in counts if key < k]
    wider = [k for k in wider if not any(k < other for other in wider)]
    if not wider:
        return key
    ranked = sorted(wider, key=lambda k: -counts[k])
    if len(ranked) == 1 or counts[ranked[0]] >= DOMINANCE * counts[ranked[1]]:
        return ranked[0]
    return key


def _merge_given_name_variants(raws: list[RawMention], uf: UnionFind[int]) -> None:
    """Union full names of two or more words that differ in one word, a form of the same given name;
    middle initials are not words of the name here ("Bob Roe" / "Robert P. Roe")."""
    first: dict[frozenset[str], int] = {}
    articles: dict[frozenset[str], set[str]] = defaultdict(set)
    for i, r in enumerate(raws):
        key = frozenset(w for w in r.tokens if len(w.strip(".")) > 1)
        if r.label == PERSON and len(key) >= 2:
            first.setdefault(key, i)
            articles[key].add(r.article)
    slots: dict[tuple[frozenset[str], str], list[frozenset[str]]] = defaultdict(list)
    for key in first:
        for word in key:
            for full in full_forms(word):
                slots[(key - {word}, full)].append(key)
    for keys in slots.values():
        keys = sorted(set(keys), key=lambda k: first[k])
        for other in keys[1:]:
            if not articles[keys[0]] & articles[other]:
                uf.union(first[other], first[keys[0]])


def _merge_acronyms(raws: list[RawMention], uf: UnionFind[int]) -> None:
    at = {(r.article, r.start, r.end): i for i, r in enumerate(raws)}
    declared: dict[str, int] = {}
    for i, r in enumerate(raws):
        if r.same_as and (r.article, *r.same_as) in at:
            uf.union(i, at[(r.article, *r.same_as)])
            declared.setdefault(r.surface, i)
    expansions: dict[str, set[int]] = defaultdict(set)
    for i, r in enumerate(raws):
        if r.label != PERSON and not is_acronym(r.surface) and len(r.surface.split()) > 1:
            for form in {initials(r.surface), initials(r.surface, True)}:
                expansions[form].add(i)
    for i, r in enumerate(raws):
        if r.same_as or r.label == PERSON or not is_acronym(r.surface) or country_name(r.surface):
            continue
        acr = r.surface.replace(".", "")
        if acr in declared:
            uf.union(i, declared[acr])
            continue
        roots = {uf.find(j) for j in expansions.get(acr, ())}
        if len(roots) == 1:
            uf.union(i, roots.pop())
