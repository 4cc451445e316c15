"""The title or role a text gives a named person, and whether two such roles can both be true.

A role is read from the words right before a mention ("Finance Minister Ana Ruiz", "the
company's chief executive, Jane Doe") or right after it ("Jane Doe, the company's chief executive").
Two roles clash when their head words differ (secretary vs deputy; spokesman vs director) or when
one carries a rank modifier the other lacks (vice president vs president). Vague heads ("official",
"leader") and past roles ("former", "ex-") clash with nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RANKS = frozenset({"deputy", "vice", "assistant", "under", "junior", "associate"})
SYNONYMS = {
    "spokeswoman": "spokesman", "spokesperson": "spokesman", "chairwoman": "chairman", "chair": "chairman",
    "ceo": "chief executive", "premier": "prime minister", "advisor": "adviser", "congresswoman": "congressman",
    "lawmaker": "congressman", "representative": "congressman",
}
HEADS = frozenset({
    "president", "prime minister", "minister", "secretary", "chancellor", "king", "queen", "prince", "princess",
    "chairman", "governor", "senator", "congressman", "mayor", "ambassador", "spokesman", "director", "chief executive",
    "commander", "general", "admiral", "envoy", "judge", "justice", "attorney general", "pope", "sheriff", "professor",
    "coach", "captain", "founder", "editor", "adviser", "aide", "economist", "analyst", "actor", "actress", "singer",
    "rapper", "manager", "officer", "colonel", "lieutenant", "sergeant", "detective", "inspector", "superintendent",
    "bishop", "cardinal", "imam", "rabbi", "mp", "speaker", "treasurer", "comptroller", "auditor", "prosecutor",
    "lawyer", "attorney", "doctor", "surgeon", "nurse", "scientist", "researcher", "astronaut", "pilot", "chef",
    "emperor", "dictator", "commissioner", "counsel", "diplomat", "governor-general",
})
# Rank words that name a post on their own ("the deputy said").
BARE_RANKS = frozenset({"deputy"})
MILITARY = frozenset({"general", "admiral", "colonel", "lieutenant", "sergeant", "captain", "commander", "major"})
VAGUE = frozenset({"leader", "official", "chief", "head", "member", "figure", "expert", "source", "person"})
PAST = frozenset({"former", "ex", "then", "late", "retired", "outgoing", "incoming", "future", "onetime", "one-time"})
ROLE_WORDS = frozenset({w for h in HEADS for w in h.split()} | RANKS | set(SYNONYMS) | {"executive"})

_WORD = r"[A-Za-z][\w.'’-]*"
_HEAD_ALT = "|".join(sorted((re.escape(h) for h in HEADS | set(SYNONYMS) | VAGUE | {"deputy"}), key=len, reverse=True))
_MODS = r"(?:(?:former|ex-|acting|interim|then|late|retired|outgoing|incoming|deputy|vice|assistant|under|junior|associate|senior|chief)\s+)*"
_OF = rf"(?:\s+(?:of|for)\s+(?:the\s+)?{_WORD}(?:\s+{_WORD})?)?"
BEFORE = re.compile(rf"(?:^|[\s(])(?P<role>{_MODS}(?:{_HEAD_ALT}){_OF})\s*,?\s*$", re.I)
# A role word followed by "'s" names the employer, not the person ("Jo Roe, the counsel's spokesman").
AFTER = re.compile(rf"^\s*,\s*(?:the|a|an|who is|now)?\s*(?:{_WORD}(?:'s|’s)?\s+){{0,3}}?(?P<role>{_MODS}(?:{_HEAD_ALT}){_OF})\b(?!['’]s\b)", re.I)
_OF_OBJECT = re.compile(r"\s(?:of|for)\s+(?:the\s+)?(?P<object>.+)$", re.I)


@dataclass(frozen=True, slots=True)
class Role:
    text: str
    head: str
    ranks: frozenset[str]
    past: bool


def role_before(text: str) -> Role | None:
    """The role written before a name. In "a spokesman for the special counsel, Jo Roe" the name
    stands beside the office after "for", so when that object is itself a role, it is the name's."""
    tail = text[-70:]
    m = BEFORE.search(tail)
    if not m:
        return None
    role = m.group("role")
    of = _OF_OBJECT.search(role)
    if of and tail[m.end("role"):].lstrip().startswith(","):
        inner = parse_role(of.group("object"))
        if inner is not None:
            return inner
    return parse_role(role)


def role_after(text: str) -> Role | None:
    m = AFTER.match(text[:90])
    return parse_role(m.group("role")) if m else None


def parse_role(phrase: str) -> Role | None:
    words = [w.lower().rstrip(",.") for w in re.sub(r"\b(ex|then|former)-", r"\1 ", phrase, flags=re.I).split()]
    core = [w for w in words if w not in RANKS and w not in PAST and w not in ("acting", "interim", "senior")]
    text = " ".join(core)
    head = None
    for h in sorted(HEADS | set(SYNONYMS) | VAGUE, key=len, reverse=True):
        if re.search(rf"\b{re.escape(h)}\b", text):
            head = SYNONYMS.get(h, h)
            break
    if head is None:
        bare = [w for w in words if w in BARE_RANKS]
        if not bare:
            return None
        head = bare[-1]  # "US deputy Jane Roe": a deputy, of whom the phrase does not say
    return Role(phrase.strip(" ,"), head, frozenset(w for w in words if w in RANKS), bool(set(words) & PAST))


def clash(a: Role, b: Role) -> bool:
    """Can one person not hold both roles at once?"""
    if a.past or b.past or a.head in VAGUE or b.head in VAGUE:
        return False
    if (a.head in MILITARY) != (b.head in MILITARY):
        return False  # a rank and an office go together (an admiral who is press secretary)
    for x, y in ((a, b), (b, a)):
        if x.head in BARE_RANKS:
            return not (y.head == x.head or x.head in y.ranks)
    if a.head != b.head:
        return not _compatible_heads(a.head, b.head)
    return a.ranks != b.ranks


def _compatible_heads(x: str, y: str) -> bool:
    # A military rank and a command, or a politician's office and a party post, go together.
    pairs = {frozenset({"general", "commander"}), frozenset({"admiral", "commander"}), frozenset({"mp", "minister"}),
             frozenset({"congressman", "senator"}), frozenset({"attorney", "lawyer"}), frozenset({"prosecutor", "attorney"}),
             frozenset({"founder", "chief executive"}), frozenset({"founder", "chairman"}), frozenset({"chairman", "chief executive"}),
             frozenset({"president", "chairman"}), frozenset({"officer", "detective"}), frozenset({"officer", "inspector"}),
             frozenset({"officer", "sergeant"}), frozenset({"officer", "commander"}), frozenset({"director", "founder"})}
    return frozenset({x, y}) in pairs or x in y or y in x
