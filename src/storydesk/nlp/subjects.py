"""What a number is a number of, read from the dependency parse.

Two articles can only contradict each other over a figure when they give it for the same thing:
"6.2 per cent of respondents" and "6.2 per cent of GDP" must not meet. The subject is a short noun
phrase (head noun, its modifiers, its first prepositional attachment) because claim matching
compares phrases, and a whole clause would drown the head noun.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

LEFT_DEPS = {"compound", "amod", "nmod", "poss", "case", "punct"}
ATTACH_PREPS = {"of", "in", "at", "on", "for", "from", "to", "with", "across", "outside", "inside"}
COMPLEMENT_PREPS = {"of", "in", "for", "on", "towards"}
MAX_PHRASE = 10  # tokens; longer phrases are clauses, not names of what is counted
PLACE_ENTS = {"GPE", "LOC", "FAC"}
SKIP_ENTS = {"DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"}


def noun_phrase(noun: "Token", exclude: "Span | None" = None) -> str | None:
    """The noun with its left modifiers and first attached prepositional phrase, never reaching
    into the figure itself (`exclude`): "budget of EUR 50bn" names a budget, not a figure."""
    if noun.pos_ == "PRON" or noun.ent_type_ in ("DATE", "TIME"):
        return None
    doc = noun.doc
    left = noun.i
    while left > 0:
        tok = doc[left - 1]
        if tok.dep_ not in LEFT_DEPS or tok.like_num or tok.tag_ == "$" or tok.ent_type_ in SKIP_ENTS \
                or (exclude is not None and exclude.start <= tok.i < exclude.end) or not _inside(tok, noun):
            break
        left -= 1
    while left < noun.i and doc[left].dep_ in ("case", "punct"):
        left += 1
    right = noun.i
    after = doc[noun.i + 1] if noun.i + 1 < len(doc) else None
    if after is not None and after.lower_ in ("in", "at") and after.head.i == noun.head.i and noun.dep_ == "dobj":
        obj = next((c for c in after.children if c.dep_ == "pobj"), None)
        if obj is not None and obj.ent_type_ in PLACE_ENTS:  # "keeps 28,500 troops in Estonia": where they are
            return doc[left:obj.i + 1].text
    for child in noun.rights:
        if child.dep_ == "prep" and child.lower_ in ATTACH_PREPS:
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            inside = exclude is not None and exclude.start <= (obj.i if obj is not None else -1) < exclude.end
            if obj is not None and not inside and obj.ent_type_ not in SKIP_ENTS and obj.i - noun.i <= MAX_PHRASE:
                right = obj.i
            break
    return doc[left:right + 1].text or None


def subject_of(span: "Span") -> str | None:
    """For a figure with no counted noun ("47%", "$3.5 million", "1.2m"): its complement, the noun it
    is the value of, or else the subject of the clause that states it."""
    anchor = span.root
    money = any(t.text in "$£€¥₩" for t in span) or anchor.ent_type_ == "MONEY"
    for tok in (anchor, *span):
        for child in tok.rights:
            if child.dep_ == "prep" and child.lower_ in COMPLEMENT_PREPS and child.i >= span.end:
                phrase = _pobj_phrase(child)
                if phrase:
                    return phrase
    node = anchor
    for _ in range(5):
        head = node.head
        if head.i == node.i:
            break
        if node.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ in ("NOUN", "PROPN"):
            return noun_phrase(head.head, exclude=span)
        if head.pos_ in ("VERB", "AUX"):
            return _clause_subject(node, head, money, span)
        node = head
    return None


def _clause_subject(node: "Token", verb: "Token", money: bool, span: "Span") -> str | None:
    if node.dep_ in ("nsubj", "nsubjpass"):
        return None
    if money:  # "paid $3m in compensation", "spend $3.5m on flood barriers"
        for child in verb.rights:
            for prep in (child, *child.rights):
                if prep.dep_ == "prep" and prep.lower_ in COMPLEMENT_PREPS - {"of"} and prep.i > node.i:
                    phrase = _pobj_phrase(prep)
                    if phrase:
                        return phrase
    if node.dep_ == "prep" and node.lower_ in ("to", "at", "by"):  # "bringing the total to 1,022"
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is not None:
            return noun_phrase(obj, exclude=span)
    for _ in range(3):
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            if subj.tag_ == "WDT" and verb.dep_ == "relcl":
                return noun_phrase(verb.head, exclude=span)
            return noun_phrase(subj, exclude=span)
        if verb.dep_ not in ("xcomp", "conj", "advcl", "ccomp") or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _pobj_phrase(prep: "Token") -> str | None:
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if obj is None or obj.ent_type_ in ("DATE", "TIME") or obj.pos_ == "PRON":
        return None
    return noun_phrase(obj)


def _inside(tok: "Token", noun: "Token") -> bool:
    """Whether a token left of the noun hangs from it (directly or through another modifier)."""
    node = tok
    for _ in range(4):
        if node.head.i == noun.i:
            return True
        if node.head.i == node.i or node.head.i > noun.i:
            return False
        node = node.head
    return False
