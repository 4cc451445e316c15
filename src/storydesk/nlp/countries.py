"""Country names, demonyms and capitals: general world knowledge, not tied to any story.

News refers to governments by metonymy ("Ottawa said", "Canadian officials"); entity resolution uses
this table to link such mentions to the country as a relation while keeping them separate entities,
and to fold the country's common alternative names ("U.S.", "Britain") into one entity.
Rows: canonical name, alternative names, demonyms, capital(s).
"""

from __future__ import annotations

from functools import lru_cache

_ROWS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    ("United States", ("US", "U.S.", "USA", "U.S.A.", "America", "United States of America"), ("American",), ("Washington",)),
    ("United Kingdom", ("UK", "U.K.", "Britain", "Great Britain"), ("British",), ("London",)),
    ("Japan", (), ("Japanese",), ("Tokyo",)),
    ("China", ("People's Republic of China", "PRC", "mainland China"), ("Chinese",), ("Beijing",)),
    ("North Korea", ("DPRK", "Democratic People's Republic of Korea"), ("North Korean",), ("Pyongyang",)),
    ("South Korea", ("Republic of Korea", "ROK"), ("South Korean",), ("Seoul",)),
    ("Taiwan", (), ("Taiwanese",), ("Taipei",)),
    ("Russia", ("Russian Federation",), ("Russian",), ("Moscow",)),
    ("Ukraine", (), ("Ukrainian",), ("Kyiv", "Kiev")),
    ("India", (), ("Indian",), ("New Delhi",)),
    ("Pakistan", (), ("Pakistani",), ("Islamabad",)),
    ("Afghanistan", (), ("Afghan",), ("Kabul",)),
    ("Iran", (), ("Iranian",), ("Tehran",)),
    ("Iraq", (), ("Iraqi",), ("Baghdad",)),
    ("Syria", (), ("Syrian",), ("Damascus",)),
    ("Israel", (), ("Israeli",), ("Jerusalem",)),
    ("Saudi Arabia", (), ("Saudi",), ("Riyadh",)),
    ("Turkey", ("Turkiye", "Türkiye"), ("Turkish",), ("Ankara",)),
    ("Egypt", (), ("Egyptian",), ("Cairo",)),
    ("Australia", (), ("Australian",), ("Canberra",)),
    ("New Zealand", (), ("New Zealander",), ("Wellington",)),
    ("Canada", (), ("Canadian",), ("Ottawa",)),
    ("Mexico", (), ("Mexican",), ("Mexico City",)),
    ("Brazil", (), ("Brazilian",), ("Brasilia", "Brasília")),
    ("Argentina", (), ("Argentine", "Argentinian"), ("Buenos Aires",)),
    ("France", (), ("French",), ("Paris",)),
    ("Germany", (), ("German",), ("Berlin",)),
    ("Italy", (), ("Italian",), ("Rome",)),
    ("Spain", (), ("Spanish",), ("Madrid",)),
    ("Poland", (), ("Polish",), ("Warsaw",)),
    ("Netherlands", ("Holland",), ("Dutch",), ("Amsterdam",)),
    ("Belgium", (), ("Belgian",), ("Brussels",)),
    ("Sweden", (), ("Swedish",), ("Stockholm",)),
    ("Norway", (), ("Norwegian",), ("Oslo",)),
    ("Philippines", (), ("Filipino", "Philippine"), ("Manila",)),
    ("Vietnam", ("Viet Nam",), ("Vietnamese",), ("Hanoi",)),
    ("Thailand", (), ("Thai",), ("Bangkok",)),
    ("Indonesia", (), ("Indonesian",), ("Jakarta",)),
    ("Malaysia", (), ("Malaysian",), ("Kuala Lumpur",)),
    ("Singapore", (), ("Singaporean",), ()),
    ("Mongolia", (), ("Mongolian",), ("Ulaanbaatar",)),
    ("Nigeria", (), ("Nigerian",), ("Abuja",)),
    ("Kenya", (), ("Kenyan",), ("Nairobi",)),
    ("Ethiopia", (), ("Ethiopian",), ("Addis Ababa",)),
    ("South Africa", (), ("South African",), ("Pretoria",)),
    ("Ghana", (), ("Ghanaian",), ("Accra",)),
    ("Venezuela", (), ("Venezuelan",), ("Caracas",)),
    ("Cuba", (), ("Cuban",), ("Havana",)),
)

DEMONYM_OF = "demonym-of"
CAPITAL_OF = "capital-of"


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    names: dict[str, str] = {}
    metonyms: dict[str, tuple[str, str]] = {}
    for country, aliases, demonyms, capitals in _ROWS:
        for name in (country, *aliases):
            names[_key(name)] = country
        for dem in demonyms:
            metonyms[_key(dem)] = (country, DEMONYM_OF)
            metonyms[_key(dem + "s")] = (country, DEMONYM_OF)
        for cap in capitals:
            metonyms[_key(cap)] = (country, CAPITAL_OF)
    return names, metonyms


def _key(name: str) -> str:
    """Case-folded, except short all-capital forms: "US" is a country, "us" a pronoun."""
    key = " ".join(name.replace(".", "").replace("’", "'").split())
    return key if key.isupper() and len(key) <= 4 else key.lower()


def country_name(name: str) -> str | None:
    """The canonical country for a name or alternative name, else None."""
    return _index()[0].get(_key(name))


def metonym(name: str) -> tuple[str, str] | None:
    """(country, relation) when `name` is a demonym or a capital, else None."""
    return _index()[1].get(_key(name))
