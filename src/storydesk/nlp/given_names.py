"""Common English given names and their short forms: "Mike" is "Michael", "Bill" is "William".

Outlets disagree on which form they print, so one person appears as two names; a table of the usual
variants (general knowledge, as in any style guide or genealogy index) lets the entity merge treat
them as one name. A short form shared by several names ("Chris": Christopher, Christine) maps to all
of them; two names match when their forms share a full name.
"""

from __future__ import annotations

from functools import lru_cache

VARIANTS = {
    "alexander": "alex alec sandy", "alexandra": "alex sandra", "andrew": "andy drew", "anthony": "tony",
    "benjamin": "ben benny", "catherine": "cathy kate katie", "katherine": "kathy kate katie kathryn",
    "charles": "charlie chuck", "christopher": "chris", "christine": "chris chrissy", "daniel": "dan danny",
    "david": "dave davy", "deborah": "deb debbie", "donald": "don donny", "edward": "ed eddie ted ned",
    "elizabeth": "liz lizzie beth betty eliza", "frederick": "fred freddie", "gerald": "gerry jerry",
    "gregory": "greg", "henry": "hank harry", "james": "jim jimmy jamie", "jeffrey": "jeff geoffrey",
    "jennifer": "jen jenny", "john": "johnny jack", "jonathan": "jon", "joseph": "joe joey",
    "kenneth": "ken kenny", "lawrence": "larry", "margaret": "maggie peggy meg", "matthew": "matt",
    "michael": "mike mick mickey", "nicholas": "nick nicky", "patricia": "pat patty trish",
    "patrick": "pat paddy", "peter": "pete", "philip": "phil", "rebecca": "becky", "richard": "rick rich dick ricky",
    "robert": "bob bobby rob robbie bert", "ronald": "ron ronnie", "samuel": "sam sammy", "samantha": "sam",
    "stephen": "steve stevie", "steven": "steve stevie", "susan": "sue susie", "theodore": "ted teddy theo",
    "thomas": "tom tommy", "timothy": "tim timmy", "victoria": "vicky tori", "william": "bill billy will willie liam",
}


@lru_cache(maxsize=1)
def _forms() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for full, shorts in VARIANTS.items():
        for form in (full, *shorts.split()):
            out.setdefault(form, set()).add(full)
    return {k: frozenset(v) for k, v in out.items()}


def full_forms(name: str) -> frozenset[str]:
    """The full given names a (lower-case) name may stand for; empty when it is not in the table."""
    return _forms().get(name, frozenset())


def same_given_name(a: str, b: str) -> bool:
    """True when two different spellings are forms of one given name ("mike", "michael")."""
    return a != b and bool(full_forms(a) & full_forms(b))
