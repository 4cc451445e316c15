"""What two claims of different articles have in common, slot by slot: the evidence relate.py decides on.

Three kinds of sameness, each of which a reader would accept as "the same fact":
- the same words: a run of VERBATIM_WORDS or more words in both (a quote both outlets print, a wire
  sentence), compared after folding case, quote marks and punctuation;
- the same frame: two clauses with the same predicate (lemma or event class, reporting verbs
  excluded: "X said" is not yet a fact), a common participant (the same resolved entity, or the
  same head word for a thing the entity layer does not name) and no clash of named doers or
  done-to ("Lund met Okafor" and "Reyes met Okafor" are two meetings);
- the same content: the share of their content words, weighted by how rare each word is in the
  story (inverse document frequency over the story's claims), so that two sentences sharing
  "60-day suspension" and "demotion" weigh more than two sharing "president" and "said".
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import Claim, Event, Fact, Quantity, Quote
from .stance import STOPWORDS

CORE_ROLES = ("agent", "patient")
# A shared run this long, with this many content words, is a quotation or a copied sentence, not a
# coincidence of wording.
VERBATIM_WORDS = 6
VERBATIM_CONTENT = 3
# Verbs too general to say two clauses tell one event ("has", "made", "took").
LIGHT_VERBS = frozenset("be have do make take get go come give put see become seem include use keep let want need".split())
_WORD = re.compile(r"[a-z0-9]+")
# A quotation: between double marks, or between single marks that are not apostrophes.
_QUOTED_DOUBLE = re.compile(r"\"([^\"]{3,}?)\"")
_QUOTED_SINGLE = re.compile(r"(?<![\w])'([^']{3,}?)'(?![\w])")
# Quoted runs: this many words or more are one quotation in both sentences; a shorter run of two
# content words counts in sentences at least this close in meaning.
QUOTED_WORDS = 5
QUOTED_PAIR_COSINE = 0.5
# A quoted phrase, not a quoted statement: two words of a long quotation ("special counsel") are
# only words, two words an outlet singles out in quotation marks ("politically motivated") are the
# phrase it reports.
QUOTED_PHRASE = 4
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


@dataclass(slots=True)
class FactPair:
    a: Fact
    b: Fact
    shared: list[str]
    # the shared participants are the clauses' own, not only named in both sentences; two clauses
    # with no participants at all ("an interview published Sunday") count as their sentences' own
    own: bool = True


class ClaimFacts:
    """Per-claim facts, word shingles and weighted content words, built once per story."""

    def __init__(self, claims: list[Claim], facts: list[Fact], times: Sequence[Event] = (),
                 quantities: Sequence[Quantity] = (), quotes: Sequence[Quote] = ()) -> None:
        by_id = {f.id: f for f in facts}
        dated: dict[str, list[Event]] = {}
        for t in times:
            if t.date:
                dated.setdefault(t.article, []).append(t)
        self.dates = [{t.date for t in dated.get(c.article, []) if c.span[0] <= t.span[0] < c.span[1]} for c in claims]
        facts_of = [[by_id[i] for i in c.facts if i in by_id] for c in claims]
        self.facts = [[f for f in fs if f.event_class != "attribute"] for fs in facts_of]
        self.attributes = [[f for f in fs if f.event_class == "attribute"] for fs in facts_of]
        self.casualties = [casualty_kinds(fs, quantities, c) if quantities else {} for fs, c in zip(self.facts, claims)]
        self.entities = [set(c.entities) for c in claims]
        self._last: tuple[tuple[int, int], list[FactPair]] | None = None
        self.words = [_folded_words(c.text) for c in claims]
        self.grams = [_grams(w) for w in self.words]
        # A claim cut from the middle of a quotation holds none of its marks: the quotations the
        # language stage found say which of its words are quoted.
        quotes_of: dict[str, list[Quote]] = {}
        for q in quotes:
            if q.kind == "direct":  # a reported statement is the outlet's words, not the speaker's
                quotes_of.setdefault(q.article, []).append(q)
        self.quoted = [quoted_runs(c.text, [q.text[max(0, c.span[0] - q.span[0]):max(0, c.span[1] - q.span[0])]
                                            for q in quotes_of.get(c.article, []) if q.span[0] < c.span[1] and c.span[0] < q.span[1]])
                       for c in claims]
        self.content = [{w for f in fs for w in f.words} for fs in self.facts]
        df = Counter(w for ws in self.content for w in ws)
        n = max(len(claims), 1)
        self.idf = {w: math.log((1 + n) / (1 + d)) + 1.0 for w, d in df.items()}

    def verbatim(self, a: int, b: int) -> bool:
        return bool(self.grams[a] & self.grams[b])

    def same_quote(self, a: int, b: int, cosine: float) -> str | None:
        """Words both sentences print inside quotation marks: a run of QUOTED_WORDS words ("make
        it as good as"), or, in sentences this close, two content words of a quoted phrase
        ("amazing opportunity", "back door"). Returns the run, or None."""
        shared = self.quoted[a] & self.quoted[b]
        long = [run for run in shared if len(run.split()) >= QUOTED_WORDS]
        if long:
            return max(long, key=len)
        if shared and cosine >= QUOTED_PAIR_COSINE:
            return max(shared, key=len)
        return None

    def overlap(self, a: int, b: int) -> float:
        """Weighted share of content words in common: shared weight over the smaller side's weight."""
        wa, wb = self.content[a], self.content[b]
        if not wa or not wb:
            return 0.0
        weight = lambda ws: sum(self.idf.get(w, 1.0) for w in ws)  # noqa: E731
        return weight(wa & wb) / min(weight(wa), weight(wb))

    def frame_pairs(self, a: int, b: int) -> list[FactPair]:
        """Clauses of the two claims that tell the same event about a common participant: one of
        the clauses' own, or failing that a named entity both sentences mention ("his client was
        fired" in a sentence naming him, "Varga was fired" in the other). The last pair's
        answer is kept: relate.py asks once per slot of the pair it is deciding."""
        if self._last is not None and self._last[0] == (a, b):
            return self._last[1]
        out = []
        around = {f"entity:{e}" for e in self.entities[a] & self.entities[b]}
        for fa in self.facts[a]:
            if fa.reporting:
                continue
            # A clause with no participants of its own ("a program launched in 2007") is about what
            # its sentence names, as in event_keys.
            keys_a = {p.key for p in fa.participants} or {f"entity:{e}" for e in self.entities[a]}
            for fb in self.facts[b]:
                if fb.reporting or not same_predicate(fa, fb) or role_clash(fa, fb):
                    continue
                keys_b = {p.key for p in fb.participants} or {f"entity:{e}" for e in self.entities[b]}
                own = sorted(keys_a & keys_b) if fa.participants or fb.participants else []
                shared = own or sorted(around)
                if shared:
                    out.append(FactPair(fa, fb, shared, bool(own) or not (fa.participants or fb.participants)))
        self._last = ((a, b), out)
        return out

    def attribute_conflicts(self, a: int, b: int) -> list[tuple[Fact, Fact]]:
        """Attributes of one named thing that the two claims give differently (see attribute_clash)."""
        out = []
        for fa in self.attributes[a]:
            for fb in self.attributes[b]:
                if fa.predicate == fb.predicate and attribute_key(fa) == attribute_key(fb) and attribute_clash(fa, fb):
                    out.append((fa, fb))
        return out


def role_clash(fa: Fact, fb: Fact) -> bool:
    """Different named doers, or different named done-to: "A met C" and "B met C" are two meetings.
    Only resolved entities count; "the official" and "Mr. Smith" may be one person."""
    for role in CORE_ROLES:
        ea = {p.key for p in fa.participants if p.role == role and p.key.startswith("entity:")}
        eb = {p.key for p in fb.participants if p.role == role and p.key.startswith("entity:")}
        if ea and eb and not ea & eb:
            return True
    return False


# Counts of the dead or hurt, however the sentence words them: "14 people were killed", "the death
# toll rose to 19", "19 dead". A story's toll is one measure that moves as the count goes on.
_CASUALTY_CLASS = {"kill": "deaths", "die": "deaths", "injure": "injuries"}
_CASUALTY_WORDS = (("deaths", re.compile(r"\b(?:death toll|toll|dead|deaths|killed|fatalities)\b", re.IGNORECASE)),
                   ("injuries", re.compile(r"\b(?:injured|wounded|injuries)\b", re.IGNORECASE)))


def casualty_kinds(facts: Sequence[Fact], quantities: Sequence[Quantity], claim: Claim) -> dict[int, str]:
    """Which of the claim's numbers count the dead or the injured (index into `quantities` -> kind):
    a number in a clause of killing or dying, or whose phrase says so."""
    out: dict[int, str] = {}
    for f in facts:
        kind = _CASUALTY_CLASS.get(f.event_class or "")
        for q in f.quantities:
            if kind and q in claim.quantities:
                out.setdefault(q, kind)
    for q in claim.quantities:
        phrase = f"{quantities[q].text} {quantities[q].subject or ''}"
        for kind, words in _CASUALTY_WORDS:
            if q not in out and words.search(phrase):
                out[q] = kind
    return out


def event_keys(fact: Fact, around: Iterable[str] = ()) -> set[str]:
    """Keys of a dated event about a named participant (its event class or predicate with the
    entity), for blocking: two clauses that share one may tell one event with two dates. A clause
    with no participants of its own ("an interview published Sunday") takes the entities its
    sentence names (`around`)."""
    if not fact.time or fact.reporting or fact.predicate in LIGHT_VERBS or fact.event_class == "attribute":
        return set()
    kind = fact.event_class or fact.predicate
    named = [p.key for p in fact.participants if p.key.startswith("entity:")]
    if not fact.participants:
        named = [f"entity:{e}" for e in around]
    return {f"event:{kind}:{key}" for key in named}


def attribute_key(fact: Fact) -> str:
    return f"{fact.predicate}|{fact.participants[0].key}" if fact.participants else fact.predicate


def attribute_clash(fa: Fact, fb: Fact) -> bool:
    """Counts and years clash when they differ. Titles clash only where one person cannot hold both:
    the same office at a different rank ("Deputy Director" / "Executive Assistant Director",
    "U.S. Attorney" / "Assistant U.S. Attorney"), two offices of one body ("Minority Leader" /
    "Minority Whip"), or two distinct staff positions ("spokesman" / "deputy special counsel").
    A person holds many titles at once ("senator", "Republican leader", "candidate"), so titles that
    are merely different never clash."""
    if fa.value is None or fb.value is None or fa.value == fb.value:
        return False
    if fa.predicate != "title":
        return True
    head_a, _, mods_a = fa.value.partition("|")
    head_b, _, mods_b = fb.value.partition("|")
    ma, mb = set(mods_a.split()), set(mods_b.split())
    head_a, ma = _office(head_a, ma)
    head_b, mb = _office(head_b, mb)
    if head_a == head_b:
        # A bare "the spokeswoman" describes a deputy spokeswoman too; a rank clashes with a title
        # that names the office ("the director of national intelligence", "U.S. Attorney").
        if not (ma - {"the"}) or not (mb - {"the"}):
            return False
        return head_a in OFFICES and bool((ma ^ mb) & RANKS)
    generic_leader = "leader" in (head_a, head_b) and "whip" not in (head_a, head_b)  # a president is a leader too
    if head_a in BODY_OFFICES and head_b in BODY_OFFICES and (ma & mb) - RANKS - GENERIC_MODIFIERS and not generic_leader:
        return True
    return head_a in POSITIONS and head_b in POSITIONS


def _office(head: str, mods: set[str]) -> tuple[str, set[str]]:
    """One name per office: a lawyer is an attorney, a press secretary a spokesman."""
    if head == "secretary" and "press" in mods:
        return "spokesman", mods - {"press"}
    if head == "chief" and "staff" in mods:
        return "chief of staff", mods - {"staff"}
    return SAME_OFFICE.get(head, head), mods


# Words that set a rank within one office.
RANKS = frozenset("deputy assistant associate vice acting executive principal under".split())
GENERIC_MODIFIERS = frozenset("us u.s. united states national federal state senior top new".split())
SAME_OFFICE = {"lawyer": "attorney", "spokeswoman": "spokesman", "spokesperson": "spokesman", "chairwoman": "chairman", "chair": "chairman"}
# Offices and job titles (a general list of English titles, not of any story's people).
OFFICES = frozenset(
    "director secretary attorney counsel spokesman captain superintendent chief leader whip chairman president "
    "minister premier governor senator representative congressman congresswoman speaker mayor commissioner general "
    "lieutenant sergeant colonel admiral officer agent ambassador judge justice prosecutor professor adviser advisor "
    "aide editor correspondent analyst manager treasurer administrator inspector marshal sheriff detective official "
    "member staff".split()
)
# Offices of which a body has one each ("Minority Leader" and "Minority Whip" of one House).
BODY_OFFICES = frozenset("director secretary leader whip chairman president speaker treasurer commissioner superintendent".split())
# Positions one person does not hold together in one story's time. Not a bare "chief" ("chief
# executive", "police chief"), but a chief of staff; nor offices a politician combines.
POSITIONS = frozenset([*"spokesman captain superintendent counsel director attorney commissioner sheriff lieutenant "
                       "sergeant colonel".split(), "chief of staff"])


def same_predicate(fa: Fact, fb: Fact) -> bool:
    if fa.predicate in LIGHT_VERBS or fb.predicate in LIGHT_VERBS:
        return False
    return fa.predicate == fb.predicate or (fa.event_class is not None and fa.event_class == fb.event_class)


def quoted_runs(text: str, quoted: Sequence[str] = ()) -> set[str]:
    """Runs of words inside quotation marks: each run of QUOTED_WORDS words with a content word
    ("make it as good as"), and in a quoted phrase of QUOTED_PHRASE words or fewer ("this amazing
    opportunity") each pair of adjacent content words. Keys for blocking and for `same_quote`.
    `quoted`: stretches of the text known to be quoted though their marks lie outside it."""
    out: set[str] = set()
    folded = text.translate(_FOLD)
    # double and single marks apart: a phrase in single marks inside a quotation is a phrase too
    segments = [m.group(1) for m in (*_QUOTED_DOUBLE.finditer(folded), *_QUOTED_SINGLE.finditer(folded))]
    for segment in [*segments, *quoted]:
        words = _folded_words(segment)
        content = [w not in STOPWORDS and len(w) > 2 for w in words]
        for i in range(len(words) - 1 if len(words) <= QUOTED_PHRASE else 0):
            if content[i] and content[i + 1]:
                out.add(f"{words[i]} {words[i + 1]}")
        for i in range(len(words) - QUOTED_WORDS + 1):
            if any(content[i : i + QUOTED_WORDS]):
                out.add(" ".join(words[i : i + QUOTED_WORDS]))
    return out


def _folded_words(text: str) -> list[str]:
    return _WORD.findall(text.translate(_FOLD).lower())


def _grams(words: list[str]) -> set[tuple[str, ...]]:
    """Runs of VERBATIM_WORDS words with at least VERBATIM_CONTENT content words ("said on Tuesday
    that the" is a run of common words, not a shared quotation)."""
    out = set()
    for i in range(len(words) - VERBATIM_WORDS + 1):
        run = tuple(words[i : i + VERBATIM_WORDS])
        if sum(1 for w in run if w not in STOPWORDS and len(w) > 1) >= VERBATIM_CONTENT:
            out.add(run)
    return out
