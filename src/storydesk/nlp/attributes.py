"""Attributes of named things, as facts: a person's title, a hyphenated count, the year of a treaty.

What one outlet gets wrong about a real person or thing is often not a clause but a modifier:
"Executive Assistant Director Tomas Reyes" where the others write "Deputy Director", "the
five-term congressman" against "the seven-term congressman", "a 30-day suspension" against "a 60-day
suspension", "the security treaty of 1952" against "a 1960 treaty". Each becomes a `Fact` with
event_class "attribute", the thing it describes as its one participant, and the attribute as
`value`, so the claims stage can compare them by key (which attribute of which thing) across
articles, whatever the rest of the two sentences say.

- title: the words before a person's name in its noun phrase ("Deputy Director Tomas Reyes",
  "Capt. Ana Ruiz"), an apposition to the name ("Ole Lund, the mayor's spokesman"), or the
  noun the name is in apposition to ("the deputy director of the agency, Tomas Reyes"). Value:
  "head|modifier modifier" (the title's head noun, abbreviations expanded, then its other words).
  Past roles ("former", "then") are not titles.
- count: a number joined by a hyphen to a unit word and followed by what it measures ("48-page
  indictment", "five-term congressman"); the key is the unit and the kind of thing (a deal and a
  pact are one kind), the value the number.
  Ages ("18-year-old") are left out: they describe whoever the sentence is about.
- year: a year attached to a treaty, pact, accord, charter or constitution.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from storydesk.model import Article, Entity, Fact, Participant, stable_id
from storydesk.nlp.numwords import parse_number

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

ABBREVIATIONS = {
    "capt": "captain", "sen": "senator", "rep": "representative", "gov": "governor", "gen": "general",
    "lt": "lieutenant", "sgt": "sergeant", "col": "colonel", "supt": "superintendent", "adm": "admiral",
    "atty": "attorney", "sec": "secretary", "pres": "president", "amb": "ambassador", "insp": "inspector",
}
# Nouns that name one kind of thing, so that "the 12-nation trade deal" and "the 14-nation pact" give
# the count of one thing. Only kinds a story seldom has two of; people are left out ("a five-term
# senator" and "a two-term governor" are two people).
KINDS = {noun: kind for kind, nouns in {
    "agreement": "agreement deal pact accord treaty partnership",
    "bill": "bill measure legislation",
    "indictment": "indictment complaint",
}.items() for noun in nouns.split()}
PAST = frozenset("former then ex late onetime erstwhile retired".split())
HONORIFICS = frozenset("mr mrs ms miss dr sir madam mx".split())
_DROP = frozenset("the a an of for and 's ’s".split())
INSTRUMENTS = frozenset("treaty pact accord charter constitution".split())
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_NUMWORD = (r"\d{1,3}(?:,\d{3})*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
            r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
            r"eighty|ninety|hundred")
_COUNT = re.compile(rf"\b(?i:(?P<num>{_NUMWORD})-(?P<unit>[a-z]+))(?P<tail>-[a-z]+)?\s+(?:(?:[A-Z][\w.&’'-]*|[a-z]+-[a-z]+)\s+){{0,3}}(?P<noun>[a-z]{{3,}})\b(?:\s+(?P<head>[a-z]{{3,}})\b)?")


def extract_attributes(article: Article, doc: "Doc", mentions: list[tuple[tuple[int, int], Entity]]) -> list[Fact]:
    """`mentions`: this article's (span, entity) pairs."""
    facts = [*_titles(article, doc, mentions), *_counts(article), *_years(article, doc)]
    return sorted(facts, key=lambda f: f.predicate_span)


def _fact(article: Article, kind: str, key: str, text: str, span: tuple[int, int], value: str, sentence: tuple[int, int]) -> Fact:
    return Fact(
        id=stable_id("attr", article.id, kind, str(span[0]), key), article=article.id, span=span, sentence=sentence,
        predicate=kind, predicate_span=span, event_class="attribute",
        participants=[Participant(key=key, role="subject", text=text, span=span)], value=value,
    )


def _titles(article: Article, doc: "Doc", mentions: list[tuple[tuple[int, int], Entity]]) -> list[Fact]:
    out = []
    for (start, end), ent in mentions:
        if ent.type != "PERSON":
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        for words, where in _title_words(span):
            value = _title_value(words)
            if value:
                sent = span.root.sent
                out.append(_fact(article, "title", f"entity:{ent.id}", ent.name, where, value, (sent.start_char, sent.end_char)))
    return out


def _title_words(name: "Span") -> list[tuple[list["Token"], tuple[int, int]]]:
    """Title phrases attached to a person's mention, with the character span of each."""
    found = []
    doc, root = name.doc, name.root
    before: list["Token"] = []
    i = name.start - 1
    while i >= 0 and doc[i].dep_ in ("compound", "amod", "nmod", "punct") and doc[i].head.i in range(i + 1, name.end) \
            and not doc[i].ent_type_ == "PERSON" and doc[i].text not in (",", "(", "\u2014", "-"):
        before.insert(0, doc[i])
        i -= 1
    # "Deputy Director of National Intelligence Jo Smith": the parser hangs the name under "of", so
    # the title is the noun that governs "of", with its own modifiers, then "of" and the words before the name.
    prep = root.head if root.dep_ == "pobj" else None
    if before and prep is not None and prep.lower_ == "of" and prep.i == before[0].i - 1 \
            and prep.head.pos_ in ("NOUN", "PROPN") and prep.head.i == prep.i - 1 and prep.head.text[:1].isupper():
        title = prep.head
        lead = [t for t in title.lefts if t.dep_ in ("compound", "amod") and t.ent_type_ != "PERSON"]
        before = [*lead, title, prep, *before]
    # a compound chain that ends in the name: take every token whose head chain reaches the name
    if before:
        found.append((before, (before[0].idx, before[-1].idx + len(before[-1].text))))
    for child in root.children:
        if child.dep_ == "appos" and child.pos_ in ("NOUN", "PROPN") and child.ent_type_ != "PERSON":
            found.append(_phrase(child))
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        found.append(_phrase(root.head))
    return [f for f in found if f[0]]


def _phrase(head: "Token") -> tuple[list["Token"], tuple[int, int]]:
    """A title noun with its modifiers and an "of"/"for" complement, without clauses or other names."""
    words = []
    for tok in head.subtree:
        if tok.dep_ in ("relcl", "acl", "appos", "punct", "cc", "conj") and tok.i != head.i:
            break
        if tok.ent_type_ == "PERSON" and tok.i != head.i:
            continue
        words.append(tok)
    words = [t for t in words if abs(t.i - head.i) <= 8]
    if not words:
        return [], (head.idx, head.idx)
    return words, (words[0].idx, words[-1].idx + len(words[-1].text))


def _title_value(words: list["Token"]) -> str | None:
    """"head|modifiers" with the head the last noun before any "of"/"for" (abbreviations expanded);
    None for a past role or a phrase with no noun."""
    lowered = [t.lower_.rstrip(".") for t in words]
    if any(w in PAST for w in lowered):
        return None
    # The tokenizer splits "Capt." into "Capt" and ".", and may tag the stop a proper noun.
    nouns = [t for t in words if t.pos_ in ("NOUN", "PROPN") and t.ent_type_ not in ("GPE", "NORP", "ORG")
             and any(ch.isalpha() for ch in t.text)]
    cut = next((k for k, t in enumerate(words) if t.pos_ == "ADP"), len(words))
    heads = [t for t in nouns if t.i < (words[cut].i if cut < len(words) else 10**9)]
    if not heads:
        return None
    head = _norm(heads[-1])
    if head in HONORIFICS:
        return None
    mods = sorted({_norm(t) for t in words if t.i != heads[-1].i and t.is_alpha and t.lower_ not in _DROP and _norm(t) != head})
    return f"{head}|{' '.join(mods)}"


def _norm(tok: "Token") -> str:
    word = tok.lower_.rstrip(".")
    return ABBREVIATIONS.get(word, tok.lemma_.lower() if tok.pos_ == "NOUN" else word)


def _counts(article: Article) -> list[Fact]:
    out = []
    text = article.text
    for m in _COUNT.finditer(text):
        unit, noun = m.group("unit").lower(), m.group("noun").lower()
        if (m.group("head") or "") in KINDS:  # "a 12-nation trade deal", "a 48-page federal indictment"
            noun = m.group("head")
        if noun in ("old", "olds") or (m.group("tail") or "").lower() == "-old":
            continue  # an age: it describes whoever the sentence is about
        value = parse_number(m.group("num"))
        if value is None:
            continue
        noun = noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun
        key = f"word:{unit}|{KINDS.get(noun, noun)}"
        span = (m.start("num"), m.end("unit"))
        out.append(_fact(article, "count", key, f"{unit} {noun}", span, f"{value:g}", _line(text, span)))
    # An article that gives two values for one key ("the 12-inch version is narrower than the 11-inch
    # version") is naming several things of a kind, not one thing's measure: none of them compares.
    values: dict[str, set[str]] = {}
    for f in out:
        values.setdefault(f.participants[0].key, set()).add(f.value or "")
    return [f for f in out if len(values[f.participants[0].key]) == 1]


def _years(article: Article, doc: "Doc") -> list[Fact]:
    out = []
    for tok in doc:
        if tok.lemma_.lower() not in INSTRUMENTS or tok.pos_ != "NOUN":
            continue
        years = [c for c in tok.children if _YEAR.match(c.text)]
        years += [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if _YEAR.match(g.text)]
        for y in years[:1]:
            span = (min(tok.idx, y.idx), max(tok.idx + len(tok.text), y.idx + len(y.text)))
            sent = tok.sent
            out.append(_fact(article, "year", f"word:{tok.lemma_.lower()}", tok.text, span, y.text, (sent.start_char, sent.end_char)))
    return out


def _line(text: str, span: tuple[int, int]) -> tuple[int, int]:
    start = max(text.rfind(". ", 0, span[0]) + 2, text.rfind("\n", 0, span[0]) + 1, 0)
    end = min((k for k in (text.find(". ", span[1]), text.find("\n", span[1])) if k >= 0), default=len(text))
    return start, end
