"""Who is speaking: the subject of an attribution, as an entity, a pronoun's antecedent or a description.

A name resolves to the story-level entity (so "Ms Roe" and "Jane Roe" quote as one person). A pronoun
resolves to a person of compatible gender in the latest earlier sentence that has one, preferring a
grammatical subject there (news introduces a person, then quotes them); gender comes only from the
article's own evidence (titles, gendered nouns, "his"/"her" near a lone named person), never from a
first-name list. An unnamed speaker keeps its description ("a senior official at the ministry"),
flagged anonymous when it is a person or people rather than an institution or a known office holder.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from storydesk.model import Entity
from storydesk.nlp.mention_rules import HONORIFICS, HUMAN_NOUNS, TITLE_WORDS, name_tokens
from storydesk.nlp.quote_frames import UTTERANCES

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Unnamed people and groups of people: head nouns that make a speaker an anonymous source (a title
# word alone, "the minister said", is an unnamed person too).
ANON_NOUNS = (HUMAN_NOUNS - HONORIFICS) - frozenset(
    """lord lady foreign defence defense finance interior trade commerce health state cabinet general
    vice prime deputy head""".split()
)
_QUANTIFIERS = frozenset(
    {"one", "some", "many", "several", "others", "most", "few", "all", "both", "two", "three"}
)
_MALE = frozenset(
    """mr sir lord king prince father mister he him his himself man spokesman chairman businessman
    congressman councilman husband son brother grandfather uncle boy nephew""".split()
)
_FEMALE = frozenset(
    """ms mrs miss madam dame lady queen princess sister she her hers herself woman spokeswoman chairwoman
    businesswoman congresswoman councilwoman wife daughter mother grandmother aunt girl niece actress
    widow""".split()
)
_GENERIC_ROLES = frozenset({"spokesman", "spokeswoman", "spokesperson", "officer", "official", "commander"})
_SKIP_CHILDREN = frozenset({"relcl", "appos", "punct", "acl", "advcl", "cc", "conj"})
PERSON_TYPES = frozenset({"PERSON"})


@dataclass(slots=True)
class Speaker:
    name: str
    entity: str | None = None
    anonymous: bool = False
    role: str | None = None
    kind: str = "org"  # "person" (one person), "group" (people), "org" (institution or place)
    gender: str | None = None


class SpeakerResolver:
    """Resolves attribution subjects of one article, in text order (pronouns look back)."""

    def __init__(self, doc: "Doc", mentions: list[tuple[int, int, Entity]], quoted: list[tuple[int, int]]):
        self.doc = doc
        self.mentions = mentions
        self.starts = [m[0] for m in mentions]
        self.genders = _gender_evidence(doc, mentions)
        self.tok_starts = [t.idx for t in doc]
        # (position, speaker, is a grammatical subject): everyone a pronoun could point back to
        self.events: list[tuple[int, Speaker, bool]] = [
            (s, self._named(ent), self._is_subject(e))
            for s, e, ent in mentions
            if ent.type in PERSON_TYPES and not any(a <= s < b for a, b in quoted)
        ]

    def resolve(self, tok: "Token") -> Speaker | None:
        low = tok.lower_
        if low in ("he", "she", "his", "her"):
            return self._antecedent(tok.idx, "m" if low in ("he", "his") else "f", ("person",))
        if low in ("they", "their"):
            return self._antecedent(tok.idx, None, ("group", "org"))
        if low in ("it", "its"):
            return self._antecedent(tok.idx, None, ("org",))
        if tok.pos_ == "PRON" and low not in _QUANTIFIERS:
            return None
        speaker = self._describe(tok)
        if speaker is not None:
            self.events.append((tok.idx, speaker, True))
        return speaker

    def _antecedent(self, pos: int, gender: str | None, kinds: tuple[str, ...]) -> Speaker | None:
        """The latest sentence with a compatible candidate wins; inside it, a subject beats an object
        ("Roe met Smith, the envoy, and agreed ... He said" is Roe)."""
        self.events.sort(key=lambda e: e[0])
        best = None
        for at, sp, subj in reversed(self.events[: bisect_left(self.events, pos, key=lambda e: e[0])]):
            known = self.genders.get(sp.entity) if sp.entity else sp.gender
            if sp.kind not in kinds or (gender is not None and known not in (None, gender)):
                continue
            if best is not None and self._sentence(at) != self._sentence(best[0]):
                break  # candidates of the latest sentence with one are all seen
            if best is None or (subj and not best[2]):
                best = (at, sp, subj, known)
        if best is None:
            return None
        _, sp, _, known = best
        if gender and known is None and sp.entity:  # a resolution is evidence too
            self.genders[sp.entity] = gender
        found = replace(sp, gender=gender or known)
        self.events.append((pos, found, True))
        return found

    def _sentence(self, pos: int) -> int:
        return self.doc[max(bisect_right(self.tok_starts, pos) - 1, 0)].sent.start

    def _is_subject(self, end: int) -> bool:
        tok = self.doc[max(bisect_right(self.tok_starts, end - 1) - 1, 0)]
        while tok.dep_ in ("compound", "flat") and tok.head is not tok:
            tok = tok.head
        if tok.dep_ in ("appos", "conj"):
            tok = tok.head
        return tok.dep_ in ("nsubj", "nsubjpass")

    def _mention(self, tok: "Token") -> Entity | None:
        i = bisect_right(self.starts, tok.idx) - 1
        if i >= 0 and self.mentions[i][0] <= tok.idx < self.mentions[i][1]:
            return self.mentions[i][2]
        return None

    def _person_named(self, pos: int, words: frozenset[str]) -> Entity | None:
        """An untagged "Mr Roe": the latest earlier person whose name contains those words."""
        for start, _, ent in reversed(self.mentions):
            if start < pos and ent.type in PERSON_TYPES and words <= name_tokens(ent.name):
                return ent
        return None

    def _named(self, ent: Entity, role: str | None = None) -> Speaker:
        kind = "person" if ent.type in PERSON_TYPES else "org"
        return Speaker(ent.name, ent.id, False, role, kind, self.genders.get(ent.id))

    def _describe(self, tok: "Token") -> Speaker | None:
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        if owner is not None and tok.lemma_.lower() in UTTERANCES:  # "his message", "Roe's statement"
            return self.resolve(owner)
        ent = self._mention(tok)
        if ent is not None:
            return self._named(ent, _role_of_name(tok, ent, self))
        for child in tok.children:
            if child.dep_ == "appos" and (named := self._mention(child)) is not None:
                return self._named(named, _phrase(tok) or None)
        for left in tok.lefts:  # "Former chief negotiator Jane Roe - one of ..." parsed around the title
            found = (self._mention(t) for t in left.subtree)
            named = next((e for e in found if e is not None and e.type in PERSON_TYPES), None)
            if named is not None and left.dep_ in ("compound", "nmod", "appos"):
                return self._named(named)
        if tok.pos_ == "PROPN":
            chunk = [t for t in _name_chunk(tok) if t.lower_.rstrip(".") not in HONORIFICS]
            words = name_tokens(" ".join(t.text for t in chunk))
            person = self._person_named(tok.idx, words) if words else None
            if person is not None:
                return self._named(person)
            return Speaker(_phrase(tok) or tok.text, None, False, None, "org")
        phrase = _phrase(tok)
        if not phrase:
            return None
        lemma = tok.lemma_.lower()
        human = lemma in ANON_NOUNS or tok.lower_ in _QUANTIFIERS
        definite = any(
            c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in ("the", "this")) for c in tok.children
        )
        office = definite and lemma in TITLE_WORDS and lemma not in _GENERIC_ROLES
        plural = tok.tag_ in ("NNS", "NNPS") or tok.lower_ in _QUANTIFIERS - {"one"}
        gender = "m" if tok.lower_ in _MALE else "f" if tok.lower_ in _FEMALE else None
        kind = ("group" if plural else "person") if human else ("group" if plural else "org")
        # "the prime minister" is a known office holder, "a minister" or "the source" an unnamed one
        return Speaker(phrase, None, human and not office, None, kind, gender)


def _name_chunk(tok: "Token") -> list["Token"]:
    parts = [c for c in tok.lefts if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN"] + [tok]
    return sorted(parts, key=lambda t: t.i)


def _phrase(tok: "Token") -> str:
    """The subject's noun phrase without relative clauses, appositions or anything after a comma."""
    keep = [tok]
    for child in tok.children:
        if child.dep_ not in _SKIP_CHILDREN:
            keep.extend(child.subtree)
    keep.sort(key=lambda t: t.i)
    words: list["Token"] = []
    for t in keep:
        if t.text == "," and words:
            break
        words.append(t)
    while words and (words[-1].is_punct or words[-1].is_space):
        words.pop()
    while words and (words[0].is_punct or words[0].is_space):
        words.pop(0)
    if not words:
        return ""
    return _text(words[0], words[-1])


def _role_of_name(tok: "Token", ent: Entity, res: SpeakerResolver) -> str | None:
    """A title before the name ("Interior Minister") or an apposition after it ("the chief engineer")."""
    for child in tok.children:
        if child.dep_ == "appos" and res._mention(child) is None:
            return _phrase(child) or None
    if tok.dep_ == "appos" and res._mention(tok.head) is None and tok.head.pos_ in ("NOUN", "PROPN"):
        return _phrase(tok.head) or None
    left = [t for t in tok.lefts if t.dep_ in ("compound", "amod", "poss", "nmod", "det") or t.tag_ == "POS"]
    words: list[Token] = []
    for t in left:
        words.extend(w for w in t.subtree if res._mention(w) is not ent)
    words = [w for w in sorted(words, key=lambda w: w.i) if w.lower_.rstrip(".") not in HONORIFICS]
    while words and words[0].dep_ == "det":
        words.pop(0)
    if not words or not any(w.lower_.rstrip(".") in TITLE_WORDS or w.pos_ == "NOUN" for w in words):
        return None
    return _text(words[0], words[-1])


def _text(first: "Token", last: "Token") -> str:
    """Words from `first` to `last` as one line (a Span's text, not Doc.text, which is rebuilt per call)."""
    return " ".join(first.doc[first.i : last.i + 1].text.split())


def _gender_evidence(doc: "Doc", mentions: list[tuple[int, int, Entity]]) -> dict[str, str]:
    """Entity id -> "m"/"f" from this article's own words; conflicting evidence leaves it unknown."""
    votes: dict[str, set[str]] = {}
    people = [(s, e, ent) for s, e, ent in mentions if ent.type in PERSON_TYPES]
    for s, e, ent in people:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        cues = [t.lower_.rstrip(".") for t in doc[max(span.start - 3, 0) : span.start]]
        sent = span.sent
        if not any(sent.start_char <= ps < sent.end_char and p is not ent for ps, _, p in people):
            cues += [t.lower_ for t in sent if t.tag_ == "PRP$" and t.i >= span.end]
        for cue in cues:
            if cue in _MALE or cue in _FEMALE:
                votes.setdefault(ent.id, set()).add("m" if cue in _MALE else "f")
    return {eid: v.pop() for eid, v in votes.items() if len(v) == 1}
