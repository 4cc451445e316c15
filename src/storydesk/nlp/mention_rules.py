"""Entity mentions from spaCy's tagger, with its small model's habitual errors corrected.

The small English model tags "the Bundesbank", "Park Seo-yeon's" and "Prime Minister Jane Roe" with their
determiner, possessive or title inside the entity; it also tags a bare surname as ORG when the verb is
unusual. These general rules trim mentions to the name itself (so spans and merge keys agree across
articles) and declare acronyms introduced in parentheses, which the tagger never connects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storydesk.model import Article
from storydesk.nlp.countries import country_name, metonym

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PERSON = "PERSON"
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW", "PRODUCT"})

# Words that precede a name as a title or office; stripped from PERSON mentions and used by quotes to
# find a speaker's role. General English news vocabulary.
TITLE_WORDS = frozenset(
    """mr mrs ms miss mx dr prof professor sir dame lord lady president vice prime minister premier
    chancellor secretary general gen col colonel lt lieutenant captain capt sgt sergeant major admiral
    adm senator sen rep representative congressman congresswoman governor gov mayor judge justice king
    queen prince princess pope ayatollah sheikh chairman chairwoman chair chief executive ceo leader
    director deputy foreign defence defense finance interior trade commerce health state head coach
    ambassador envoy spokesman spokeswoman spokesperson commander officer cabinet councillor councilman
    councilwoman mp mep speaker minister-president father rev reverend bishop cardinal archbishop
    headteacher headmaster principal supremo founder""".split()
)
# Nouns for people by role: a tagged non-person next to one of these ("the director, Jane Roe") is a person.
HUMAN_NOUNS = TITLE_WORDS | frozenset(
    """official source person people diplomat aide analyst expert insider observer adviser advisor
    staffer employee worker resident witness critic executive lawmaker legislator member investigator
    economist researcher scientist activist protester lawyer attorney colleague friend relative neighbour
    neighbor student teacher doctor nurse farmer trader banker negotiator politician partner strategist
    manager man woman parent survivor victim engineer soldier veteran campaigner author owner founder
    owner journalist reporter editor professor president""".split()
)
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "madam", "prof"})
_NAME_NOISE = frozenset({"jr", "sr", "ii", "iii", "iv"})
_STOP = frozenset({"of", "and", "the", "for", "on", "in", "de", "du", "des", "la", "le", "&", "to"})
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
_GLUED_THE = re.compile(r"[Tt]he(?=[A-Z][a-z])")
_ACRONYM_DECL = re.compile(r"\(\s*([A-Z][A-Za-z]{1,9})\s*\)")


@dataclass(slots=True)
class RawMention:
    """One cleaned mention: the surface as written (trimmed), its label, and its person-name tokens."""

    article: str
    start: int
    end: int
    surface: str
    label: str
    tokens: frozenset[str]
    same_as: tuple[int, int] | None = None  # an acronym's long form, as a span in the same article


def collect_mentions(articles: list[Article], docs: dict[str, "Doc"]) -> list[RawMention]:
    out: list[RawMention] = []
    for art in articles:
        doc = docs.get(art.id)
        if doc is None:
            continue
        found = [m for ent in doc.ents if ent.label_ in ENTITY_LABELS if (m := _clean(art.id, art.text, ent))]
        out.extend(found)
        out.extend(_acronym_declarations(art, found))
    return out


def name_tokens(surface: str) -> frozenset[str]:
    """Merge key for person names: hyphen and spacing variants, initials and suffixes ignored."""
    parts = re.split(r"[\s\-‐–]+", surface.replace("’", "'").lower())
    return frozenset(p for p in (w.strip(".,'") for w in parts) if len(p) > 1 and p not in _NAME_NOISE)


def is_acronym(surface: str) -> bool:
    letters = surface.replace(".", "")
    return 2 <= len(letters) <= 10 and letters.isalpha() and letters.isupper()


def initials(surface: str, keep_stopwords: bool = False) -> str:
    words = [w for w in re.split(r"[\s\-]+", surface) if w]
    return "".join(w[0] for w in words if keep_stopwords or w.lower() not in _STOP).upper()


def _clean(article: str, text: str, ent: "Span") -> RawMention | None:
    # `text` is the article's: Doc.text rebuilds the whole string on every access
    toks = [t for t in ent if not t.is_space]
    for n in range(1, len(toks)):  # an entity never runs over a paragraph break
        if _PARAGRAPH_BREAK.search(text, toks[n - 1].idx, toks[n].idx):
            toks = toks[:n]
            break
    while toks and (toks[-1].tag_ == "POS" or toks[-1].is_punct or toks[-1].lower_ in ("'s", "’s")):
        toks.pop()
    while toks and (toks[0].is_punct or toks[0].lower_ in ("the", "a", "an")):
        toks.pop(0)
    label = ent.label_
    raw_text = " ".join(t.text for t in toks)
    if not country_name(raw_text) and metonym(raw_text) is None and _looks_like_person(ent):
        label = PERSON
    if label == PERSON:
        toks = _strip_titles(toks)
    if not toks:
        return None
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    if _GLUED_THE.match(text, start):  # "theSouth China Sea": a space lost in cleaning
        start += 3
    if text.endswith(("'s", "’s"), start, end):  # "Seo-yeon's" kept as one token by the tokenizer
        end -= 2
    surface = " ".join(text[start:end].split())  # a name wrapped over two lines is still one name
    if not surface:
        return None
    if not any(c.isupper() for c in surface) or not any(c.isalpha() for c in surface):
        return None
    if country_name(surface):
        label = "GPE"
    elif (hit := metonym(surface)) is not None:
        label = "NORP" if hit[1] == "demonym-of" else "GPE"
    return RawMention(article, start, end, surface, label, name_tokens(surface))


def _looks_like_person(ent: "Span") -> bool:
    """A non-person tag on what the grammar shows is a person: "Ms Roe", "the director, Jane Roe"."""
    if ent.label_ not in ("ORG", "GPE", "NORP", "PRODUCT", "FAC", "LOC") or len(ent) > 4:
        return False
    if not all(t.is_title or t.is_punct for t in ent):
        return False
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    if before is not None and before.lower_.rstrip(".") in HONORIFICS:
        return True
    root = ent.root
    if root.dep_ == "appos" and root.head.lemma_.lower() in HUMAN_NOUNS and root.head.pos_ == "NOUN":
        return True
    return any(
        c.dep_ == "appos" and c.lemma_.lower() in HUMAN_NOUNS and c.pos_ == "NOUN" for c in root.children
    )


def _strip_titles(toks: list["Token"]) -> list["Token"]:
    """Drop a leading title, office or nationality ("Japanese Prime Minister", "Ms") from a name.

    Everything up to the last title word goes, as long as a name remains after it: "Interior
    Minister Jane Roe" keeps "Jane Roe", "Stephen King" keeps both words.
    """
    last = -1
    for n, tok in enumerate(toks[:-1]):
        word = tok.lower_.rstrip(".")
        if word in HUMAN_NOUNS or tok.tag_ == "POS" or metonym(tok.text) or country_name(tok.text):
            last = n
    return toks[last + 1 :]


def _acronym_declarations(art: Article, found: list[RawMention]) -> list[RawMention]:
    """"Long Form (LF)": the acronym becomes a mention of the long form's entity (same tokens key)."""
    out: list[RawMention] = []
    text = art.text
    for hit in _ACRONYM_DECL.finditer(text):
        acr = hit.group(1)
        if not acr.isupper() and not acr[1:].islower():
            continue
        end = hit.start()
        while end > 0 and text[end - 1].isspace():
            end -= 1
        long = next((m for m in found if m.end == end and m.label != PERSON), None)
        if long is None:
            long = _untagged_long_form(art.id, text, end, acr)
            if long is None:
                continue
            out.append(long)
        if acr.upper() not in (initials(long.surface), initials(long.surface, True)):
            continue
        s, e = hit.span(1)
        out.append(RawMention(art.id, s, e, acr, long.label, frozenset(), (long.start, long.end)))
    return out


def _untagged_long_form(article: str, text: str, end: int, acr: str) -> RawMention | None:
    """Capitalised words ending at `end` (before the parenthesis) whose initials spell the acronym."""
    offset = max(end - 200, 0)
    words = list(re.finditer(r"[\w'’-]+", text[offset:end]))
    for n in range(len(words) - 1, -1, -1):
        chunk = words[n:]
        if not all(w.group()[0].isupper() or w.group().lower() in _STOP for w in chunk):
            return None
        start = offset + chunk[0].start()
        surface = " ".join(text[start:end].split())
        if chunk[0].group()[0].isupper() and acr.upper() in (initials(surface), initials(surface, True)):
            return RawMention(article, start, end, surface, "ORG", name_tokens(surface))
    return None
