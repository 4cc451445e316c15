"""The lexicon of written numbers, scales, currencies and units, shared by quantities and timex.

Kept apart so that the extractors stay readable and the lists can grow (a new currency, a new unit
spelling) without touching any rule.
"""

from __future__ import annotations

import re

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "a": 1, "an": 1, "several": None, "few": None,
}
SCALES: dict[str, float] = {
    "hundred": 1e2, "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6,
    "lakh": 1e5, "crore": 1e7, "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "trn": 1e12, "dozen": 12,
}
# Fractions read as shares, in per cent, so that "half of voters" meets "50% of voters".
FRACTIONS: dict[str, float] = {
    "half": 50.0, "a third": 100 / 3, "one third": 100 / 3, "two thirds": 200 / 3,
    "a quarter": 25.0, "one quarter": 25.0, "three quarters": 75.0, "a fifth": 20.0,
    "one fifth": 20.0, "two fifths": 40.0, "a tenth": 10.0, "one tenth": 10.0,
}
FRACTION_PATTERNS = [re.escape(f).replace(r"\ ", r"[\s-]+") for f in sorted(FRACTIONS, key=len, reverse=True)]

CURRENCY_SYMBOLS = {
    "US$": "USD", "A$": "AUD", "C$": "CAD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD", "NT$": "TWD",
    "R$": "BRL", "$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "₩": "KRW", "₹": "INR", "₽": "RUB",
}
CURRENCY_CODES = ["USD", "GBP", "EUR", "JPY", "CNY", "RMB", "KRW", "INR", "CHF", "AUD", "CAD", "HKD",
                  "SGD", "NZD", "RUB", "BRL", "MXN", "ZAR", "SEK", "NOK", "DKK", "TRY", "SAR", "AED"]
_CURRENCY_NAMES = {
    "us dollar": "USD", "american dollar": "USD", "australian dollar": "AUD", "canadian dollar": "CAD",
    "new zealand dollar": "NZD", "hong kong dollar": "HKD", "singapore dollar": "SGD",
    "taiwan dollar": "TWD", "dollar": "USD", "pound sterling": "GBP", "pound": "GBP", "sterling": "GBP",
    "euro": "EUR", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "won": "KRW", "rupee": "INR",
    "rouble": "RUB", "ruble": "RUB", "swiss franc": "CHF", "franc": "CHF", "mexican peso": "MXN",
    "rand": "ZAR", "riyal": "SAR", "dirham": "AED", "lira": "TRY", "real": "BRL",
}
_INVARIANT = {"yen", "yuan", "renminbi", "won", "rand", "sterling", "real"}
CURRENCY_WORDS: dict[str, str] = {}
for _name, _code in _CURRENCY_NAMES.items():
    CURRENCY_WORDS[_name] = _code
    if _name not in _INVARIANT:
        CURRENCY_WORDS[_name.replace("pound sterling", "pounds sterling") if "sterling" in _name
                       else _name + "s"] = _code
CURRENCY_WORD_PATTERNS = [re.escape(w).replace(r"\ ", r"\s+")
                          for w in sorted(CURRENCY_WORDS, key=len, reverse=True)]

UNIT_ALIASES = {
    "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km",
    "centimetres": "cm", "centimeters": "cm", "millimetres": "mm", "millimeters": "mm",
    "kilograms": "kg", "kilogrammes": "kg", "kilos": "kg", "sq km": "km2", "sqkm": "km2",
    "metres": "metres", "meters": "metres", "tons": "tonnes",
}


def parse_number(text: str) -> float | None:
    """"28,500" -> 28500.0, "twenty-five" -> 25.0, "two hundred and fifty" -> 250.0, "half a" -> 0.5."""
    s = text.strip().lower()
    if s[:1].isdigit() or s[:1] == ".":
        try:
            return float(s.replace(",", ""))
        except ValueError:
            return None
    if s == "half a":
        return 0.5
    total, current, seen = 0.0, 0.0, False
    for word in re.split(r"[\s-]+", s):
        if word == "and":
            continue
        if word in ("hundred",):
            current = (current or 1) * 100
        elif word in ("thousand", "million", "billion", "trillion"):
            total += (current or 1) * SCALES[word]
            current = 0.0
        elif SMALL.get(word) is not None:
            current += SMALL[word]  # type: ignore[operator]
        else:
            return None
        seen = True
    return total + current if seen else None

# Counted nouns that are units of measure: the subject is what they measure, not the unit itself.
MEASURE_UNITS = {"km", "cm", "mm", "kg", "km2", "metres", "miles", "tonnes", "hectares", "acres",
                 "barrels", "litres", "gallons", "feet", "pounds", "ounces", "degrees", "mph",
                 "megawatts", "gigawatts", "points", "horsepower", "hp", "bhp", "kwh", "mwh", "gwh",
                 "kw", "mw", "gw", "inches"}
# Nouns that count in the singular form ("12 staff", "300 aircraft").
INVARIANT_NOUNS = {"staff", "personnel", "aircraft", "spacecraft", "police", "people", "sheep", "fish",
                   "deer", "cattle", "crew", "livestock", "militia", "infantry", "clergy", "faculty",
                   "youth", "offspring", "species", "series", "headquarters"}
