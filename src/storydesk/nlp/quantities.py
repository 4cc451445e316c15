"""Numbers that count or measure something, normalised so that two articles can be compared.

Contradictions between articles are mostly contradictions between numbers ("28,500 troops" against
"about 30,000 troops"), so each number is reduced to a value in one scale, a unit that compares
across articles (ISO currency codes, "%" for any way of writing per cent, the counted noun) and the
tolerance its writer admitted ("about", "nearly"). The surface is found with patterns on the clean
text, which are cheaper and more exact than spaCy's entity boundaries; the parse then says what
the number counts and what it is a number of. Years, dates, durations, ages, ordinals, phone numbers
and numbers inside names are not quantities and are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storydesk.model import Article, Quantity
from storydesk.nlp.subjects import noun_phrase, subject_of
from storydesk.nlp.numwords import (
    CURRENCY_CODES,
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    CURRENCY_WORD_PATTERNS,
    FRACTION_PATTERNS,
    FRACTIONS,
    INVARIANT_NOUNS,
    MEASURE_UNITS,
    SCALES,
    UNIT_ALIASES,
    parse_number,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# Relative tolerance a writer admits with each approximator. Hand-set, not fitted: "about" and
# "some" round to the nearest salient figure (about 10 %), "nearly"/"almost" undershoot by a few
# per cent, open bounds ("more than", "up to") leave room that 20 % covers in the bench texts.
APPROXIMATORS: dict[str, float] = {
    "about": 0.1, "around": 0.1, "approximately": 0.1, "roughly": 0.1, "some": 0.1,
    "an estimated": 0.1, "estimated": 0.1, "circa": 0.1, "or so": 0.1,
    "nearly": 0.05, "almost": 0.05, "close to": 0.05, "just under": 0.05, "just over": 0.05,
    "more than": 0.2, "over": 0.2, "at least": 0.2, "upwards of": 0.2, "in excess of": 0.2,
    "less than": 0.2, "fewer than": 0.2, "under": 0.2, "up to": 0.2, "at most": 0.2,
    "as many as": 0.2, "as much as": 0.2, "well over": 0.2, "between": 0.0,
}

_APPROX = "|".join(sorted((re.escape(a).replace(r"\ ", r"\s+") for a in APPROXIMATORS), key=len, reverse=True))
_SYMS = "|".join(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True))
_CODES = "(?-i:" + "|".join(CURRENCY_CODES) + ")"
_WORD = (r"zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
         r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
         r"eighty|ninety|hundred|thousand")
_WORDSEQ = rf"(?:{_WORD})(?:(?:[ -]|(?<=hundred) and |(?<=thousand) and )(?:{_WORD}))*\b"
_DIGITS = r"(?<![\w.,:/])(?<![A-Za-z]-)(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d:/]|,\d)(?!(?:st|nd|rd|th)\b)"
_SCALE = r"(?:\s?(?:bn|mn|mln|tn|trn)\b|(?:m|b|k)\b|\s*(?:hundred|thousand|lakh|crore|million|billion|trillion|dozen)\b)"
_CURWORDS = "|".join(CURRENCY_WORD_PATTERNS)
_UNIT = (rf"(?P<pct>\s?%|\s?(?:per\s?cent|percent|pc)\b)|(?P<pp>\s+percentage\s+points?\b)"
         rf"|(?P<bp>\s+basis\s+points?\b)|\s+(?P<curw>{_CURWORDS})\b|\s?(?P<code2>{_CODES})\b"
         r"|(?P<abbr>km|cm|mm|kg|mph|ft|lb|sq\s?km|[kMG]Wh|[kMG]W|b?hp)\b")
QUANTITY_RE = re.compile(
    rf"(?P<approx>\b(?:{_APPROX})\s+)?(?:(?P<sym>{_SYMS})|\b(?P<code1>{_CODES})\s?)?"
    rf"(?P<num>{_DIGITS}|\b(?:half\s+a|a)(?=\s+(?:dozen|hundred|thousand|million|billion|trillion)\b)"
    rf"|\b{_WORDSEQ})(?P<scale>{_SCALE})?(?:{_UNIT})?",
    re.IGNORECASE,
)
FRACTION_RE = re.compile(
    rf"(?<!first )(?<!second )(?<!the )(?P<approx>\b(?:{_APPROX})\s+)?\b(?P<frac>{'|'.join(FRACTION_PATTERNS)})"
    r"(?=\s+(?:of|the|all|its|their)\b)", re.IGNORECASE)
PHONE_RE = re.compile(r"(?:\+\d{1,3}[\s-]?)?(?:\(\d{2,5}\)\s?)?\b\d{2,5}(?:[\s-]\d{2,5}){2,}\b")
_AGE_BEFORE = re.compile(r"\b(?:aged|age|ages)\s+(?:over\s+|under\s+|between\s+)?$", re.IGNORECASE)
_LABEL_BEFORE = re.compile(r"\b(?:no\.?|number|page|chapter|section|article|paragraph|room|route|"
                           r"flight|platform|gate|grade|level|phase|round|stage|version|category|size|week)\s+$",
                           re.IGNORECASE)
_MONTH_NEAR = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+$", re.IGNORECASE)
_MONTH_AFTER = re.compile(r"^(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
                          re.IGNORECASE)
_TIME_AFTER = re.compile(r"^\s?(?:a\.?m\.?|p\.?m\.?|o'clock|gmt|bst|est)\b", re.IGNORECASE)
_COMPOUND_AFTER = re.compile(r"^-[A-Za-z]")
_RANGE_GAP = re.compile(r"^(?:\s?[-–]\s?|\s+to\s+|\s+and\s+)$")
_VERSUS_GAP = re.compile(r"^[^.;!?]{0,40}\b(?:compared (?:to|with)|than|up from|down from|versus|vs\.?)\s+$", re.IGNORECASE)
_OF_THE_GAP = re.compile(r"^\s+of\s+(?:the\s+)?$")
# A bare figure of a toll ("the death toll rose to 19") counts people, as "19 people were killed" does.
_TOLL = re.compile(r"\btoll\b", re.IGNORECASE)
NAME_ENTS = {"PERSON", "ORG", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "NORP", "GPE", "LOC"}
TIME_ENTS = {"DATE", "TIME", "ORDINAL"}
NOT_COUNTED = {"times", "fold", "percent", "cent"}  # multipliers and stray per-cent tokens count nothing
UNIT_WINDOW = 5  # tokens between a number and the noun it counts ("two short-range ballistic missiles")


@dataclass(slots=True)
class _Match:
    start: int
    end: int
    value: float
    unit: str | None  # None: still to be found in the parse
    approx: float
    approx_word: str
    digits: bool
    pair: bool = False  # joined by a hyphen: a range only if something is counted


def extract_quantities(article: Article, doc: "Doc") -> list[Quantity]:
    """Every quantity in the article, in text order, each with its evidence span.

    `doc` must be spaCy's parse of `article.text` (offsets are shared). A number with no unit that
    was written in words ("the two agreed") is dropped: it is usually a pronoun, not a figure.
    """
    text = article.text
    if doc.text != text:
        raise ValueError(f"doc is not the parse of article {article.id}'s text")
    blocked = [m.span() for m in PHONE_RE.finditer(text) if sum(c.isdigit() for c in m.group()) >= 9]
    matches = [m for m in (_from_regex(r) for r in QUANTITY_RE.finditer(text)) if m]
    matches += [m for m in (_from_fraction(r) for r in FRACTION_RE.finditer(text)) if m]
    matches.sort(key=lambda m: (m.start, -m.end))
    kept: list[_Match] = []
    for m in matches:
        if kept and m.start < kept[-1].end:
            continue
        if any(s < m.end and m.start < e for s, e in blocked) or _not_a_quantity(m, text, doc):
            continue
        kept.append(m)
    kept = _merge_ranges(kept, text)
    out: list[Quantity] = []
    for m in kept:
        q = _finish(m, article, doc)
        if q is not None:
            out.append(q)
    _share_units(out, text)
    return [q for q in out if q.unit or q.subject]


def _from_regex(r: re.Match[str]) -> _Match | None:
    num = r.group("num")
    value = parse_number(num)
    if value is None:
        return None
    digits = num[0].isdigit()
    if not digits and value == 1 and not r.group("scale"):  # "one"/"a" are determiners far more often
        return None
    if r.group("scale"):
        value *= SCALES[r.group("scale").strip().lower()]
    unit: str | None = None
    code = r.group("sym") and CURRENCY_SYMBOLS[r.group("sym")] or r.group("code1") or r.group("code2")
    if code:
        unit = "CNY" if code.upper() == "RMB" else code.upper()
    elif r.group("curw"):
        unit = CURRENCY_WORDS[re.sub(r"\s+", " ", r.group("curw").lower())]
    elif r.group("pct"):
        unit = "%"
    elif r.group("pp"):
        unit = "pp"
    elif r.group("bp"):
        unit = "bp"
    elif r.group("abbr"):
        unit = UNIT_ALIASES.get(r.group("abbr").lower(), r.group("abbr").lower())
    word = re.sub(r"\s+", " ", (r.group("approx") or "").strip().lower())
    return _Match(r.start(), r.end(), value, unit, APPROXIMATORS.get(word, 0.0), word, digits)


def _from_fraction(r: re.Match[str]) -> _Match | None:
    word = re.sub(r"\s+", " ", (r.group("approx") or "").strip().lower())
    value = FRACTIONS[re.sub(r"[\s-]+", " ", r.group("frac").lower())]
    return _Match(r.start(), r.end(), value, "%", APPROXIMATORS.get(word, 0.0), word, False)


def _not_a_quantity(m: _Match, text: str, doc: "Doc") -> bool:
    """Dates, years, ages, times, ordinals and names carry digits but state no amount."""
    before, after = text[max(0, m.start - 40):m.start], text[m.end:m.end + 20]
    if _AGE_BEFORE.search(before) or _LABEL_BEFORE.search(before) or _TIME_AFTER.match(after):
        return True
    if m.unit is None and _COMPOUND_AFTER.match(after):  # "six-party talks", "a 12-nation pact"
        return True
    if m.unit is None and (_MONTH_NEAR.search(before) or _MONTH_AFTER.match(after)):
        return True
    if text[m.end:m.end + 1].isalpha():  # "777x", "5G", "1990s": a name or a decade, not an amount
        return True
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return True
    glued = text[span[0].idx:m.start]
    if any(c.isalpha() for c in glued):  # "A350-900" is one token: a model number
        return True
    if m.unit is None and span.start > 0 and doc[span.start - 1].like_num and not glued:
        return True  # "400 737 jets": the second number names the model
    nums = [t for t in span if t.like_num or t.text[:1].isdigit()]
    if not m.digits and nums and nums[0].text[:1].isupper() and not nums[0].is_sent_start:
        return True  # "Zero Gravity Seats", "the Big Three": a name
    if m.unit is None and any(t.ent_type_ in TIME_ENTS for t in nums) and _counted_noun(span, m.value) is None:
        return True  # a DATE label on "between 10 and 12 soldiers" is the tagger's slip, not a date
    if m.unit is None and nums and nums[0].ent_type_ in NAME_ENTS and not nums[0].ent_iob_ == "B":
        return True
    if m.unit is None and _after_name(span):
        return True
    if m.digits and m.unit is None and float(m.value).is_integer() and 1800 <= m.value <= 2100 \
            and "," not in text[m.start:m.end] and not _counted_noun(span, m.value):
        return True
    return False


def _after_name(span: "Span") -> bool:
    """"Resolution 2397", "Flight 370": a number right after a proper name labels it."""
    if span.start == 0:
        return False
    prev = span.doc[span.start - 1]
    return prev.pos_ == "PROPN" and prev.text[:1].isupper() and not prev.is_sent_start \
        and prev.text.upper() not in CURRENCY_CODES and _counted_noun(span, 2) is None


def _merge_ranges(ms: list[_Match], text: str) -> list[_Match]:
    """"between 10 and 12", "15-20", "3,000 to 4,000" become one value: the midpoint, with the
    half-width as tolerance. "from 10 to 12" is a change between two figures and stays two; a
    hyphenated pair that does not rise ("won 6-4", "a 52-48 vote") is a score, not a quantity."""
    out: list[_Match] = []
    for m in ms:
        prev = out[-1] if out else None
        gap = text[prev.end:m.start] if prev is not None else ""
        hyphen = gap.strip() in ("-", "–") and len(gap) <= 3
        if prev is not None and hyphen and prev.unit is None and m.unit is None and not m.value > prev.value > 0:
            out.pop()
            continue
        if prev is not None and _RANGE_GAP.match(gap) and m.value > prev.value:
            opened = re.search(r"\bfrom\s+\S*$", text[max(0, prev.start - 12):prev.start], re.IGNORECASE)
            if (gap.strip() == "and") == (prev.approx_word == "between") and not opened \
                    and prev.unit in (None, m.unit) and m.approx_word == "":
                mid = (prev.value + m.value) / 2
                tol = max(prev.approx, (m.value - prev.value) / 2 / mid)
                out[-1] = _Match(prev.start, m.end, mid, m.unit, tol, prev.approx_word, m.digits, hyphen)
                continue
        out.append(m)
    return out


def _counted_noun(span: "Span", value: float) -> "Token | None":
    """The noun a number counts: its syntactic head when the parse agrees, else the next noun. A
    singular compound modifier hands over to the plural it modifies ("a dozen aid workers"); a
    singular noun after a plural figure ("Week 13 rematch") is not what the figure counts."""
    noun = _first_counted(span)
    while noun is not None and noun.dep_ == "compound" and noun.tag_ == "NN" and noun.lower_ not in MEASURE_UNITS \
            and noun.head.i > noun.i and noun.head.i - span.end < UNIT_WINDOW and _is_count_noun(noun.head) \
            and noun.head.tag_ in ("NNS", "NNPS"):
        noun = noun.head
    if noun is None or (value != 1 and noun.tag_ not in ("NNS", "NNPS")
                        and noun.lower_ not in INVARIANT_NOUNS and noun.lower_ not in MEASURE_UNITS):
        return None
    return noun


def _first_counted(span: "Span") -> "Token | None":
    for tok in span:
        head = tok.head
        if head.i >= span.end and head.i - span.end < UNIT_WINDOW and tok.dep_ in (
                "nummod", "quantmod", "compound", "amod", "nmod") and _is_count_noun(head):
            return head
    window = span.doc[span.end:span.end + UNIT_WINDOW]
    if len(window) > 2 and window[0].lower_ == "of" and window[1].dep_ in ("det", "poss"):
        window = window[2:]  # "three of the soldiers", "a dozen of its citizens"
    for tok in window:
        if tok.like_num:  # another figure starts here
            return None
        if tok.pos_ in ("ADJ", "PROPN") or tok.dep_ in ("compound", "amod") or tok.tag_ == "HYPH":
            if _is_count_noun(tok) and tok.tag_ in ("NNS", "NNPS") and tok.dep_ != "compound":
                return tok
            continue
        return tok if _is_count_noun(tok) else None
    return None


def _is_count_noun(tok: "Token") -> bool:
    if tok.lower_ in NOT_COUNTED:
        return False
    return (tok.pos_ == "NOUN" or tok.tag_ == "NNPS" and not tok.ent_type_) and tok.ent_type_ not in TIME_ENTS \
        and not tok.like_num and tok.is_alpha


def _finish(m: _Match, article: Article, doc: "Doc") -> Quantity | None:
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return None
    end, unit, subject = m.end, m.unit, None
    if unit is None:
        noun = _counted_noun(span, m.value)
        if noun is not None:
            unit = UNIT_ALIASES.get(noun.lower_, noun.lower_)
            end = noun.idx + len(noun)
            subject = None if unit in MEASURE_UNITS else noun_phrase(noun)
        elif not m.digits or m.pair or m.value == 0:  # "the two agreed", "won 6-4", "0"
            return None
        else:
            unit = ""
    if subject is None:
        subject = subject_of(span)
    # A bare figure of nothing stated (table cells, list numbers) is dropped by extract_quantities
    # unless a figure before it in the sentence says what it counts ("six arrests, compared to 47").
    if unit == "" and subject and _TOLL.search(subject):
        unit = "people"
    return Quantity(value=m.value, unit=unit, text=article.text[m.start:end], article=article.id,
                    span=(m.start, end), approx=round(m.approx, 4), subject=subject)


def _share_units(qs: list[Quantity], text: str) -> None:
    """"310 of the 465 seats": the first figure counts what the second names. "six arrests
    Wednesday, compared to 47 the night before": a bare figure that a comparison sets against the
    figure before it counts the same thing."""
    for a, b in zip(qs, qs[1:]):
        if a.unit == "" and b.unit not in ("", "%") and _OF_THE_GAP.match(text[a.span[1]:b.span[0]]):
            a.unit, a.subject = b.unit, b.subject
        elif b.unit == "" and b.subject is None and a.unit not in ("", "%") and _VERSUS_GAP.search(text[a.span[1]:b.span[0]]):
            b.unit, b.subject = a.unit, a.subject
