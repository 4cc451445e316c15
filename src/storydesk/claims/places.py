"""Where a number applies: the place a quantity is about, so only numbers about one place compare.

"28,500 troops in South Korea" and "47,000 troops based on Japanese soil" are the same kind of
number about different places; sentence similarity cannot tell (both are about US troops in Asia),
the place can. The locus of a quantity is read from its subject phrase after the unit ("in South
Korea", "on Japanese soil", "on the peninsula"); a place or demonym written before the unit ("US
troops", "American troops") names the owner, not the location. Failing that, the claim's other
places stand in, the owner excluded, but only against another sentence's places: a sentence that
happens to name a city ("a tower in Moscow") does not make its count of officials a different
measure from a count in a sentence that names no place. Demonyms and capitals stand for their country ("Tokyo said").
"""

from __future__ import annotations

import re

from ..model import Claim, Entity, Quantity

_PREP = r"(?:in|on|at|inside|across|throughout|near|(?:stationed|based|deployed) (?:in|on|at)|(?:north|south|east|west) of)"
_LOC_PHRASE = re.compile(rf"\b{_PREP}\s+(?:the\s+)?([\w\s'’-]+)", re.I)
# A location phrase right after the number: "troops on the peninsula", "troops based on Japanese soil".
_TAIL = re.compile(rf"^\W*(?:[\w-]+\s+){{0,2}}?{_PREP}\s+(?:the\s+|a\s+)?((?:[\w'’-]+\s*){{1,4}})", re.I)
# Common nouns that name where something is ("troops on the peninsula"); any other noun after "in"
# ("officials involved in the investigation") says what the number is about, not where.
PLACE_NOUNS = frozenset(
    "peninsula region area border borders coast island islands city town village country state province "
    "district county capital north south east west northeast northwest southeast southwest mainland base "
    "bases zone front frontier sea strait gulf bay valley continent homeland abroad camp camps port "
    "territory territories countryside suburbs suburb neighborhood neighbourhood streets street square "
    "prison prisons hospital hospitals school schools airport".split()
)
_STOP = frozenset("the a an of and soil territory country region".split())


class PlaceIndex:
    def __init__(self, entities: list[Entity]) -> None:
        self.place_of: dict[str, str] = {}
        self.names: list[tuple[re.Pattern[str], str]] = []
        for e in entities:
            country = next((r["entity"] for r in e.related if r.get("relation") in ("demonym-of", "capital-of")), None)
            target = country or (e.id if e.type in ("GPE", "LOC") else None)
            if not target:
                continue
            self.place_of[e.id] = target
            for name in {e.name, *e.aliases}:
                if len(name) > 1:
                    self.names.append((re.compile(rf"\b{re.escape(name)}\b"), target))

    def claim_places(self, claim: Claim) -> set[str]:
        return {self.place_of[e] for e in claim.entities if e in self.place_of}

    def _named(self, text: str) -> list[tuple[int, str]]:
        return sorted((m.start(), target) for pat, target in self.names for m in pat.finditer(text))

    def locus(self, q: Quantity, claim: Claim) -> tuple[set[str], bool]:
        """Places (entity ids, or a bare location noun such as "peninsula") the quantity applies to,
        and whether they are its own (named by the number's phrase) rather than the sentence's other
        places, which stand in when the phrase names none."""
        own, owners = self._own_locus(q, claim)
        return (own, True) if own else (self.claim_places(claim) - owners, False)

    def _own_locus(self, q: Quantity, claim: Claim) -> tuple[set[str], set[str]]:
        """The places the number's own phrase names, and the owners written before its unit."""
        subject = q.subject or ""
        unit_at = subject.lower().find(q.unit.lower()) if q.unit else -1
        named = self._named(subject)
        owners = {t for pos, t in named if unit_at >= 0 and pos < unit_at}
        after = {t for pos, t in named if unit_at < 0 or pos > unit_at}
        if after:
            return after, owners
        rel = q.span[1] - claim.span[0]
        tail = _TAIL.match(claim.text[rel : rel + 120]) if 0 <= rel <= len(claim.text) else None
        if tail:
            obj = tail.group(1)
            head_end = len(" ".join(obj.split()[:2]))
            heads = {t for pos, t in self._named(obj) if pos < head_end}
            if heads:
                return heads, owners
            words = [w for w in re.findall(r"[a-z]+", obj.lower()) if w not in _STOP]
            if words and words[0] in PLACE_NOUNS:
                return {words[0]}, owners
        m = _LOC_PHRASE.search(subject[max(unit_at, 0):])
        if m:
            words = [w for w in re.findall(r"[a-z]+", m.group(1).lower()) if w not in _STOP]
            if words and words[-1] in PLACE_NOUNS:
                return {words[-1]}, owners
        return set(), owners
