"""Attribution frames: a speech verb (or "according to"), who it is attributed to, and what was said.

Both kinds of quote hang off the same frame: a direct quote borrows the frame next to its marks
(`"...," she said`), reported speech is the frame's clausal complement (`X said (that) ...`). Working
from the dependency parse rather than word patterns keeps inverted, parenthetical and relative-clause
attributions ("..., said X", "The plan, X said, ...", "X, who told reporters that ...") in one place.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

SPEECH_VERBS = frozenset(
    """say tell add state claim argue insist note explain announce acknowledge admit deny confirm stress
    emphasise emphasize suggest predict warn caution write tweet post reply respond answer ask vow pledge
    promise assert contend maintain concede complain declare report reveal recall remark observe comment
    conclude testify allege estimate disclose counter lament boast mention quip joke describe call dub
    label brand characterise characterize speak recount reiterate urge""".split()
)
# Verbs whose "what was said" is a characterisation (object + "as ..."/complement), not a clause.
CHARACTERISING = frozenset({"describe", "call", "dub", "label", "brand", "characterise", "characterize"})
# Verbs that attribute a direct quote but never introduce reported content by themselves.
_DIRECT_ONLY = frozenset({"speak"})
# Nouns for something said or written; "his remarks" / "made the remarks" point at a speaker.
UTTERANCES = frozenset(
    """message statement letter remark comment tweet post speech note email memo op-ed article book
    account interview testimony""".split()
)
_LIGHT_VERBS = frozenset({"make", "give", "issue", "deliver", "post", "publish"})
_AUTHOR_LABELS = ("ORG", "PERSON", "GPE", "NORP")
_RELATIVE = frozenset({"who", "that", "which"})
_DOCUMENT_NOUNS = frozenset(
    """report survey data figure figures poll study statement estimate estimates document documents record
    records analysis census filing statistics research website site page transcript readout""".split()
)


@dataclass(slots=True)
class Frame:
    verb: "Token"
    subject: "Token | None"
    content: tuple[int, int] | None  # character span of the reported words, when there are any
    according: bool = False


def find_frames(doc: "Doc", quoted: list[tuple[int, int]]) -> list[Frame]:
    """Frames outside quoted passages (speech inside a quote is the speaker's, not an attribution)."""
    out = []
    spans = sorted(quoted)
    opens = [a for a, _ in spans]
    for tok in doc:
        k = bisect_right(opens, tok.idx) - 1
        if k >= 0 and tok.idx < spans[k][1]:  # quoted passages never overlap
            continue
        if tok.lower_ == "according":
            frame = _according(tok)
        elif tok.lemma_.lower() in SPEECH_VERBS and tok.pos_ in ("VERB", "AUX"):
            frame = Frame(tok, subject_of(tok), _content(tok))
        elif tok.lemma_.lower() in _LIGHT_VERBS and any(
            c.dep_ == "dobj" and c.lemma_.lower() in UTTERANCES for c in tok.children
        ):  # "made the remarks", "gave a statement": attributes a quote, says nothing itself
            frame = Frame(tok, subject_of(tok), None)
        else:
            continue
        if frame is not None and frame.subject is not None:
            out.append(frame)
    return out


def subject_of(verb: "Token", depth: int = 0) -> "Token | None":
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if subjects:
        # two subjects is a misparse of one phrase ("vice-chancellor"); the named one is the speaker
        child = next((c for c in subjects if any(t.pos_ == "PROPN" for t in c.subtree)), subjects[-1])
        if child.lower_ in _RELATIVE and verb.dep_ == "relcl":
            return verb.head
        return child
    quoted = verb.head.head if verb.dep_ == "pcomp" and verb.head.lower_ == "as" else None
    if quoted is not None and quoted.lemma_.lower() == "quote":  # "X was quoted as saying ..."
        return next((c for c in quoted.children if c.dep_ == "nsubjpass"), None)
    # "..., adding that": a participle shares its clause's subject; "when asked how" does not speak
    shares = verb.dep_ in ("conj", "xcomp") or (verb.dep_ == "advcl" and verb.tag_ == "VBG")
    if depth < 3 and shares and verb.head is not verb:
        return subject_of(verb.head, depth + 1)
    # "..., said Jane Roe": the small model sometimes parses the inverted subject as an object
    for child in verb.rights:
        if child.dep_ in ("dobj", "attr", "npadvmod", "oprd") and child.pos_ == "PROPN":
            return child
    return None


def _content(verb: "Token") -> tuple[int, int] | None:
    lemma = verb.lemma_.lower()
    if lemma in _DIRECT_ONLY:
        return None
    comp = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if comp is not None:
        words = [t for t in comp.subtree if not (t.dep_ == "mark" and t.lower_ in ("that", "if", "whether"))]
        return _char_span(words)
    if lemma in CHARACTERISING:
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        heads = [verb] if obj is None else [verb, obj]
        pred = next((c for h in heads for c in h.children if _predicative(c)), None)
        if obj is not None and pred is not None:
            return _char_span([*obj.subtree, *pred.subtree])
        return None
    # "said in a statement that ...": the small model hangs the clause on the noun
    for prep in (c for c in verb.children if c.dep_ == "prep"):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            for clause in pobj.children:
                first = next(iter(clause.subtree))
                that = first.lower_ == "that" and first.dep_ == "mark"
                if that and clause.dep_ in ("acl", "relcl", "ccomp"):
                    return _char_span([t for t in clause.subtree if t is not first])
    return None


def _predicative(tok: "Token") -> bool:
    return tok.dep_ == "oprd" or (tok.dep_ == "prep" and tok.lower_ == "as")


def _according(tok: "Token") -> Frame | None:
    """"according to X": the speaker is X; the content is the rest of the sentence."""
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if pobj is None:
        return None
    if pobj.lemma_.lower() in _DOCUMENT_NOUNS:  # a document is not a speaker; its named author is
        inside = {t.i for t in pobj.subtree}
        ents = [e for e in tok.doc.ents if e.label_ in _AUTHOR_LABELS and e.start in inside]
        if not ents:
            return None
        best = min(ents, key=lambda e: _AUTHOR_LABELS.index(e.label_))
        pobj = ([t for t in best if t.pos_ == "PROPN"] or list(best))[-1]
    phrase = {t.i for t in tok.subtree}
    sent = tok.sent
    words = [t for t in sent if t.i not in phrase]
    # keep the longest run of the sentence outside the "according to" phrase
    runs: list[list[Token]] = [[]]
    for t in words:
        if runs[-1] and t.i != runs[-1][-1].i + 1:
            runs.append([])
        runs[-1].append(t)
    run = max(runs, key=len)
    return Frame(tok, pobj, _char_span(run), according=True)


def _char_span(words: list["Token"]) -> tuple[int, int] | None:
    words = sorted(words, key=lambda t: t.i)
    while words and (words[0].is_punct or words[0].is_space) and words[0].text not in "\"“‘":
        words.pop(0)
    while words and (words[-1].is_punct or words[-1].is_space) and words[-1].text not in "\"”’":
        words.pop()
    if len([t for t in words if not t.is_punct]) < 2:
        return None
    return (words[0].idx, words[-1].idx + len(words[-1].text))
