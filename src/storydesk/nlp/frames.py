"""Facts as frames: who did what to whom, when and how much, one per clause, from the one parse.

Outlets tell one fact in different sentences: "his client was fired Friday afternoon" inside a
quote of his lawyer, "Varga was fired late Friday afternoon on the orders of ..." in a longer
sentence. Compared as whole sentences (an embedding of each) the two are only loosely similar and
the sentence's first date may belong to another clause ("said in a statement Monday that ... was
fired Friday"). So every clause becomes a `Fact`: its predicate (lemma, and an event class that
groups the verbs outlets use for one kind of event), its participants with their roles (resolved
entities where the entity layer found one, else the argument's head word), its own time expression
(resolved), quantities and content words, its polarity and modality. Alignment and relation
(claims/) compare these slots; the timeline dates events by them.

A clause is a verb heading the sentence or a clause inside it (complement, adverbial, relative,
conjoined). Its own words are its subtree minus the clauses nested in it, so "X said Monday that Y
was fired Friday" gives say(X, Monday) and fire(Y, Friday), each with its own date. Reporting verbs
(say, tell, announce, ...) are marked: what they report is the nested fact, and two sources citing
the same speaker are not yet saying the same thing.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from storydesk.model import Article, Entity, Event, Fact, Participant, Quantity, stable_id

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "conj", "acl", "pcomp", "parataxis", "csubj", "csubjpass"})
MODIFIER_DEPS = frozenset({"compound", "poss", "amod", "nmod", "nummod", "case"})
ROLE_OF_DEP = {
    "nsubj": "agent", "csubj": "agent", "agent": "agent", "expl": "agent",
    "nsubjpass": "patient", "dobj": "patient", "obj": "patient", "attr": "attribute", "acomp": "attribute",
    "oprd": "attribute", "dative": "recipient", "appos": "attribute",
}
PREP_ROLE = {"to": "recipient", "with": "partner", "by": "agent", "in": "place", "at": "place", "from": "source", "on": "topic", "against": "patient"}

# Verbs whose object is what someone said or wrote: their fact is the nested clause.
REPORTING = frozenset(
    "say tell add state announce declare claim explain note write tweet argue insist comment remark "
    "suggest acknowledge admit assert contend maintain respond reply answer warn testify recall "
    "describe indicate predict told".split()
)
# Verbs that tell one kind of event, grouped the way outlets vary their wording. A general lexical
# grouping (close synonyms in news usage), not a list fitted to any story.
_CLASSES = {
    "fire": "fire dismiss oust sack terminate remove expel",
    "resign": "resign quit step",
    "meet": "meet talk negotiate confer visit",
    "sign": "sign ratify",
    "vote": "vote",
    "pass": "pass approve adopt",
    "reject": "reject veto vote_down defeat",
    "charge": "indict charge accuse prosecute sue",
    "arrest": "arrest detain apprehend",
    "convict": "convict sentence",
    "kill": "kill murder slay",
    "attack": "attack strike bomb shell raid assault",
    "shoot": "shoot gun",
    "withdraw": "withdraw pull leave exit",
    "publish": "publish report post air broadcast release print",
    "deny": "deny dispute refute rebut contest",
    "criticize": "criticize condemn denounce blast slam assail decry attack_verbally",
    "win": "win",
    "lose": "lose",
    "elect": "elect",
    "repay": "repay reimburse refund return",
    "pay": "pay spend",
    "receive": "receive get obtain",
    "deliver": "deliver hand turn send submit provide give",
    "discover": "discover find uncover reveal",
    "die": "die",
    "injure": "injure wound hurt",
    "investigate": "investigate probe examine review",
    "apologize": "apologize regret",
    "grab": "grab seize snatch grip",
}
EVENT_CLASS = {lemma: cls for cls, lemmas in _CLASSES.items() for lemma in lemmas.split()}
MODALS = frozenset("could would may might should must can ought".split())
NEGATORS = frozenset("not n't never no".split())


def extract_facts(article: Article, doc: "Doc", mentions: list[tuple[tuple[int, int], Entity]],
                  quantities: list[Quantity], times: list[Event]) -> list[Fact]:
    """Every clause of the article as a Fact, in text order. `mentions`: this article's (span, entity)."""
    mention_at = _mention_roots(doc, mentions)
    qty_at = _token_index(doc, ((q.span, i) for i, q in enumerate(quantities) if q.article == article.id))
    time_at = _token_index(doc, ((t.span, t) for t in times if t.article == article.id and t.date))
    facts = []
    for tok in doc:
        if not _is_clause_head(tok):
            continue
        own = _own_tokens(tok)
        own_idx = {t.i for t in own}
        facts.append(_fact(article.id, tok, own, own_idx, mention_at, qty_at, time_at))
    return facts


def _is_clause_head(tok: "Token") -> bool:
    if tok.dep_ == "ROOT":
        return tok.pos_ in ("VERB", "AUX") and not tok.is_punct
    return tok.dep_ in CLAUSE_DEPS and tok.pos_ == "VERB"


def _own_tokens(head: "Token") -> list["Token"]:
    """The head's subtree without the clauses nested in it."""
    out, stack = [], [head]
    while stack:
        tok = stack.pop()
        out.append(tok)
        for child in tok.children:
            if child is not head and _is_clause_head(child):
                continue
            stack.append(child)
    return sorted(out, key=lambda t: t.i)


def _fact(article_id, head, own, own_idx, mention_at, qty_at, time_at) -> Fact:  # noqa: ANN001
    participants: dict[str, Participant] = {}
    for tok in own:
        if tok.i == head.i:
            continue
        role = _role(tok, head)
        if role is None:
            continue
        ent = mention_at.get(tok.i)
        if ent is not None:
            if tok.dep_ in MODIFIER_DEPS and mention_at.get(tok.head.i) == ent:
                continue  # a word inside the name ("Anna" in "Anna Varga"): the name's head speaks for it
            if tok.dep_ in MODIFIER_DEPS:
                role = "modifier"  # "FBI" in "a 21-year FBI veteran" describes the argument, it is not one
            key = f"entity:{ent}"
        elif tok.pos_ in ("NOUN", "PROPN") and tok.dep_ not in ("compound", "amod") and tok.head.i in own_idx:
            if tok.dep_ not in ROLE_OF_DEP and tok.dep_ != "pobj":
                continue
            key = f"word:{tok.lemma_.lower()}"
        else:
            continue
        if key in participants and participants[key].role != "modifier":
            continue
        participants[key] = Participant(key=key, role=role, text=tok.text, span=(tok.idx, tok.idx + len(tok.text)))
    times = [time_at[t.i] for t in own if t.i in time_at and _dates_clause(t, head)]
    time = max(times, key=lambda e: _PRECISION.get(e.precision or "", 0)) if times else None
    quantities = sorted({qty_at[t.i] for t in own if t.i in qty_at})
    lemma = head.lemma_.lower()
    if lemma in ("step", "pull", "turn") and not any(c.dep_ == "prt" for c in head.children):
        event_class = None
    elif lemma == "go" and any(c.lower_ in ("online", "live") for c in head.children):
        lemma, event_class = "publish", "publish"  # "the story went online Wednesday": it was published then
    else:
        event_class = EVENT_CLASS.get(lemma)
    sent = head.sent
    words = sorted({t.lemma_.lower() for t in own if (t.is_alpha or t.like_num) and not t.is_stop and len(t.text) > 1})
    return Fact(
        id=stable_id("fact", article_id, str(head.idx)),
        article=article_id,
        span=(own[0].idx, own[-1].idx + len(own[-1].text)),
        sentence=(sent.start_char, sent.end_char),
        predicate=lemma,
        predicate_span=(head.idx, head.idx + len(head.text)),
        event_class=event_class,
        reporting=lemma in REPORTING,
        negated=any(c.dep_ == "neg" or c.lower_ in NEGATORS and c.dep_ in ("neg", "advmod") for c in head.children),
        modal=any(c.dep_ == "aux" and c.lower_ in MODALS for c in head.children),
        participants=list(participants.values()),
        time=time.date if time else None,
        time_precision=time.precision if time else None,
        time_span=time.span if time else None,
        quantities=quantities,
        words=words,
    )


_PRECISION = {"day": 3, "month": 2, "year": 1}


ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "obj", "attr", "dative", "appos"})


def _dates_clause(tok: "Token", head: "Token") -> bool:
    """A time expression dates the clause unless it sits inside one of the clause's core arguments:
    "said in a statement Monday" dates the saying, "disputed the report Thursday" (parsed with
    Thursday under "report") dates the report, not the disputing."""
    node = tok
    while node.head.i != node.i and node.head.i != head.i:
        parent = node.head
        if parent.pos_ in ("NOUN", "PROPN") and parent.dep_ in ARGUMENT_DEPS and not _is_time_word(parent):
            return False
        node = parent
    return node.head.i == head.i


_TIME_WORDS = frozenset("morning afternoon evening night day week month year weekend today yesterday tomorrow".split())


def _is_time_word(tok: "Token") -> bool:
    return tok.ent_type_ in ("DATE", "TIME") or tok.lower_ in _TIME_WORDS


def _role(tok: "Token", head: "Token") -> str | None:
    """The role of the argument `tok` belongs to: the dependency of its ancestor right under the head."""
    node, prep = tok, None
    while node.head.i != node.i and node.head.i != head.i:
        if node.dep_ == "pobj" and node.head.dep_ == "prep":
            prep = node.head.lower_
        node = node.head
    if node.head.i != head.i:
        return None
    if node.dep_ == "prep":
        return PREP_ROLE.get(prep or node.lower_, "oblique")
    if node.dep_ == "agent":
        return "agent"
    return ROLE_OF_DEP.get(node.dep_)


def _mention_roots(doc: "Doc", mentions: list[tuple[tuple[int, int], Entity]]) -> dict[int, str]:
    """Token index -> entity id, for every token inside an entity mention of this article."""
    out: dict[int, str] = {}
    for (start, end), ent in mentions:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        for tok in span:
            out.setdefault(tok.i, ent.id)
    return out


def _token_index(doc: "Doc", items) -> dict:  # noqa: ANN001 - ((start, end), payload) pairs
    """Token index -> payload, for the token where each span starts (spans map by character)."""
    starts = [t.idx for t in doc]
    out: dict = {}
    for (start, _end), payload in items:
        i = bisect_right(starts, start) - 1
        if i >= 0:
            out.setdefault(i, payload)
    return out
