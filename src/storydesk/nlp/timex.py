"""Time expressions, resolved against the article's publication date, for the story's timeline.

Articles about one story date the same event differently ("on Thursday", "June 14", "last week"),
so every expression is turned into an ISO date or range with its precision before the timeline
orders and compares them. Patterns find the expressions (spaCy's DATE entities miss "Feb 27-28"
and over-reach into ages and frequencies); the parse gives the tense that decides whether a bare
"Thursday" or "June" lies before or after publication. An expression that cannot be resolved is
kept with date None: the timeline still shows the sentence, undated.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

from storydesk.model import Article, Event
from storydesk.nlp import timecalc as tc
from storydesk.nlp.numwords import parse_number

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MON = (r"(?P<mon>(?-i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
        r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?))\.?")
_NUM = r"(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|a\s+few)"
_UNITS = r"(?P<unit>day|week|month|year|decade)s?"
_TEMPORAL_BEFORE = re.compile(
    r"\b(?:in|since|by|of|from|until|till|to|before|after|during|through|throughout|between|and|"
    r"early|late|mid|end|start|beginning|summer|spring|autumn|winter|fiscal|financial)[\s-]*$", re.I)
_MONTH_CONTEXT = re.compile(r"\b(?:in|since|by|from|until|till|to|before|after|during|through|between|"
                            r"of|last|next|this|early|late|mid|end|and|or)[\s-]*$", re.I)


def _r(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


# (pattern, kind); longer matches win over shorter ones that overlap them, then earlier entries.
PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (_r(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"), "iso"),
    (_r(rf"\b(?P<d>\d{{1,2}})\s?[-–]\s?(?P<d2>\d{{1,2}})\s+{_MON}(?:,?\s+(?P<y>\d{{4}}))?\b"), "dayrange"),
    (_r(rf"\b{_MON}\s+(?P<d>\d{{1,2}})\s?[-–]\s?(?P<d2>\d{{1,2}})(?:,?\s+(?P<y>\d{{4}}))?\b"), "dayrange"),
    (_r(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}(?:,?\s+(?P<y>\d{{4}}))?\b"), "date"),
    (_r(rf"\b{_MON}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}})\b)?"), "date"),
    (_r(rf"\b{_MON}\s+(?:of\s+)?(?P<y>\d{{4}})\b"), "monthyear"),
    (_r(rf"\b(?:(?P<mod>early|mid|late|the\s+end\s+of|the\s+start\s+of|the\s+middle\s+of)[\s-]+)?{_MON}\b"), "month"),
    (_r(r"\b(?:(?P<mod>early|mid|late)[\s-]+)?(?P<dec>1\d{2}0|20\d0)s\b"), "decade"),
    (_r(r"\b(?P<y>1[5-9]\d{2}|20\d{2})\s?[-–/]\s?(?P<y2>\d{2}|\d{4})\b"), "yearrange"),
    (_r(r"\b(?:(?P<mod>early|mid|late|the\s+end\s+of|the\s+start\s+of)[\s-]+)?(?P<y>1[5-9]\d{2}|20\d{2})\b(?![%]|[,.-]?\d)"), "year"),
    (_r(r"\b(?:(?:earlier|later)\s+)?(?P<w>today|tonight|yesterday|tomorrow)\b"), "relday"),
    (_r(r"\b(?:this\s+(?P<part>morning|afternoon|evening)|last\s+night)\b"), "relday"),
    (_r(r"\b(?:(?P<rel>last|next|this|earlier\s+on|later\s+on)\s+)?(?P<wd>(?-i:Monday|Tuesday|Wednesday|Thursday|"
        r"Friday|Saturday|Sunday))(?:'s)?(?:\s+(?:morning|afternoon|evening|night))?\b"
        r"(?!,?\s+(?:\d|the\s+\d|[A-Z][a-z]+\.?\s+\d))"), "weekday"),
    (_r(r"\b(?:(?P<rel>last|next|this|the)\s+)weekend\b"), "weekend"),
    (_r(r"\b(?:(?P<pre>earlier|later)\s+)?(?P<rel>last|next|this|current|coming)\s+(?P<unit>week|month|year|decade)\b"), "relunit"),
    (_r(rf"\b(?:the\s+)?(?P<rel>past|last|next|coming|previous|first)\s+{_NUM}\s+{_UNITS}\b"), "nunits"),
    (_r(rf"\b(?:the\s+)?(?P<rel>past)\s+{_UNITS}\b"), "nunits"),
    (_r(rf"\b{_NUM}\s+{_UNITS}\s+ago\b"), "ago"),
    (_r(rf"\b(?:the\s+)?{_NUM}\s+{_UNITS}\s+(?:leading\s+up\s+to|before|after|prior\s+to|following|preceding|"
        r"earlier|later)\b"), "anaphoric"),
    (_r(r"\b(?:the\s+(?:following|next|previous|same)\s+(?:day|week|month|year)|the\s+day\s+(?:before|after))\b"),
     "anaphoric"),
    (_r(r"\b(?:the\s+)?(?P<q>first|second|third|fourth)\s+quarter(?:\s+of\s+(?P<y>\d{4}))?\b"), "quarter"),
    (_r(r"\b(?:(?P<rel>last|next|this)\s+)?(?P<s>spring|summer|autumn|winter)(?:\s+(?:of\s+)?(?P<y>\d{4}))?\b"), "season"),
    (_r(r"\b(?P<h>Christmas\s+Day|Christmas\s+Eve|New\s+Year's\s+Day|New\s+Year's\s+Eve)\b"), "holiday"),
]
HOLIDAYS = {"christmas day": (12, 25), "christmas eve": (12, 24), "new year's day": (1, 1), "new year's eve": (12, 31)}
# Durations, frequencies and ages are DATE entities to spaCy but name no point in time.
NOT_A_TIME = re.compile(
    r"\b(?:annual|annually|daily|weekly|monthly|yearly|quarterly|every|each|per|old|aged?|long|"
    r"year-old|recent|overnight|weekdays|weekends)\b|-(?:year|day|month|week|hour)\b|"
    r"^(?:the\s+|a\s+|an\s+)?(?:\S+\s+)?(?:days?|weeks?|months?|years?|decades?|hours?|minutes?|centur(?:y|ies))$",
    re.I)
# "a couple of days", "less than five months": a length of time, unless something anchors it.
DURATION = re.compile(r"\b(?:days?|weeks?|months?|years?|decades?|centuries|hours?)$", re.I)
DEICTIC = re.compile(r"\b(?:the|this|last|next|past|coming|previous|ago|earlier|later|recent)\b", re.I)
HOLIDAY_WORD = re.compile(r"(?:Christmas|Easter|Ramadan|Eid|Diwali|Thanksgiving|Hanukkah|New|Year's|Eve|Day)$")
# A DATE entity no pattern resolved is kept (undated) only when it names a time ("the summer").
TIME_WORD = re.compile(r"\b(?:day|week|weekend|month|year|decade|century|morning|afternoon|evening|night|"
                       r"spring|summer|autumn|winter|season|era|christmas|easter|eve|ramadan|holidays?)s?\b", re.I)
FINANCE_CUE = re.compile(r"\b(?:profit|revenue|earnings|sales|growth|GDP|economy|results|quarterly|"
                        r"output|deficit|loss|income|shares|fiscal)\b", re.I)
FUTURE_LEMMAS = {"plan", "schedule", "set", "expect", "due", "hope", "intend", "aim", "forecast"}
REPORTING_LEMMAS = {"say", "tell", "report", "announce", "confirm", "deny", "state", "add", "claim"}


def extract_times(article: Article, doc: "Doc") -> list[Event]:
    """Every time expression in the article, in text order, each with its sentence.

    `doc` must be spaCy's parse of `article.text`. Resolved values are ISO dates ("2019-10-10"),
    months ("2018-06"), years ("2017") or ranges ("2019-02-27/2019-02-28", "1930/1939").
    """
    text, anchor = article.text, tc.Anchor.parse(article.published)
    if doc.text != text:
        raise ValueError(f"doc is not the parse of article {article.id}'s text")
    found: list[tuple[int, int, str, re.Match[str] | None]] = []
    for pattern, kind in PATTERNS:
        for hit in pattern.finditer(text):
            if _accept(kind, hit, text, doc):
                found.append((hit.start(), hit.end(), kind, hit))
    for ent in doc.ents:
        if ent.label_ == "DATE" and _undated_time(ent):
            found.append((ent.start_char, ent.end_char, "entity", None))
    events: list[Event] = []
    taken: list[tuple[int, int]] = []
    priority = {kind: i for i, (_, kind) in enumerate(PATTERNS)}
    # Pattern matches first, longest first; spaCy's entities only fill the gaps they leave.
    for start, end, kind, m in sorted(found, key=lambda f: (-(f[1] - f[0]) if f[3] else 0, priority.get(f[2], 99))):
        if any(s < end and start < e for s, e in taken):
            continue
        taken.append((start, end))
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        value, precision = RESOLVERS[kind](m, anchor, _tense(span, text)) if m else tc.NONE
        sent = span.sent
        events.append(Event(date=value, precision=precision, text=text[start:end], article=article.id,
                            span=(start, end), sentence=sent.text, sentence_span=(sent.start_char, sent.end_char)))
    events.sort(key=lambda e: e.span)
    return events


def _accept(kind: str, m: re.Match[str], text: str, doc: "Doc") -> bool:
    """Context checks that patterns alone cannot make: a bare year or month needs a temporal cue."""
    before = text[max(0, m.start() - 25):m.start()]
    if kind == "year" and not m.group("mod"):
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        in_date = span is not None and any(t.ent_type_ == "DATE" for t in span)
        if (m.start() and text[m.start() - 1] in "$£€¥") or not (in_date or _TEMPORAL_BEFORE.search(before)):
            return False
    if kind == "month" and not m.group("mod"):
        word = m.group("mon")
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is not None and span[0].ent_type_ in ("PERSON", "ORG", "WORK_OF_ART"):
            return False
        if len(word) <= 4 and word.lower() not in ("june", "july") or word.lower() in ("may", "march"):
            return bool(_MONTH_CONTEXT.search(before))
    if kind == "weekday" and re.search(r"\bevery\s+$", before, re.I):
        return False
    if kind == "season" and not (m.group("y") or m.group("rel")):
        return False
    if kind == "quarter" and not m.group("y"):  # a game's third quarter is no date; a company's is
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        return span is not None and bool(FINANCE_CUE.search(span.sent.text))
    return True


def _undated_time(ent: "Span") -> bool:
    """A DATE entity no pattern resolved, kept undated only if it names a time: not a duration,
    a frequency, an age, or a title that happens to contain "Day" ("80 Day Obsession", "Week 11")."""
    text = ent.text
    if not TIME_WORD.search(text) or NOT_A_TIME.search(text) or (DURATION.search(text) and not DEICTIC.search(text)):
        return False
    return not any(t.text[:1].isupper() and not HOLIDAY_WORD.match(t.text) for t in ent[1:])


def _tense(span: "Span", text: str) -> str | None:
    """past / future / present of the clause the expression dates, or None when it hangs from no verb."""
    if re.search(r"\b(?:since|ago)\b", text[max(0, span.start_char - 8):span.end_char + 5], re.I):
        return "past"
    node = span.root
    for _ in range(6):
        if node.pos_ in ("VERB", "AUX") and node.dep_ != "aux":
            break
        if node.head.i == node.i:
            return None
        node = node.head
    else:
        return None
    auxes = [c for c in node.children if c.dep_ in ("aux", "auxpass")]
    lemmas = {a.lemma_.lower() for a in auxes} | {node.lemma_.lower()}
    if lemmas & {"will", "shall", "would", "'ll"} or "going" in {a.lower_ for a in auxes}:
        return "future"
    if any(a.tag_ == "VBD" for a in auxes) or node.tag_ == "VBD" or (node.tag_ == "VBN" and lemmas & {"have"}):
        return "past"
    # A participle with a subject and no auxiliary is a mis-tagged simple past ("the bank cut rates");
    # coordinated predicates share their tense ("cut rates on Tuesday and said").
    finite = any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children)
    partners = [c for c in node.children if c.dep_ == "conj"] + ([node.head] if node.dep_ == "conj" else [])
    if (node.tag_ == "VBN" and finite and not auxes) or (not auxes and any(p.tag_ == "VBD" for p in partners)):
        return "past"
    # A participle that modifies a noun tells what was done to it ("an article published Sunday"),
    # unless it schedules it ("the summit set for Feb 27-28", "a vote planned for Monday").
    if node.tag_ == "VBN" and node.dep_ == "acl" and not auxes:
        scheduled = lemmas & FUTURE_LEMMAS or re.search(r"\bfor\s+$", text[max(0, span.start_char - 6):span.start_char])
        return "future" if scheduled else "past"
    if node.lemma_.lower() in REPORTING_LEMMAS:  # "says on Tuesday" reports what was said
        return "past"
    if lemmas & FUTURE_LEMMAS:
        return "future"
    if node.tag_ in ("VBZ", "VBP", "VBG", "VB", "VBN"):
        return "present"
    return None


def tense_of(span: "Span", text: str) -> str | None:
    """The tense of the clause a time expression dates: past / future / present, or None."""
    return _tense(span, text)


def _month(m: re.Match[str], group: str = "mon") -> int:
    return MONTHS.index(m.group(group)[:3].lower()) + 1


def _dated(m: re.Match[str], anchor: tc.Anchor, tense: str | None) -> tc.Resolved:
    day = int(m.group("d")) if "d" in m.groupdict() and m.group("d") else None
    month = _month(m)
    year = int(m.group("y")) if m.groupdict().get("y") else tc.pick_year(anchor, month, day, _directed(tense))
    if year is None or (day is not None and not 1 <= day <= 31):
        return tc.NONE
    return tc.month_or_day(year, month, day)


def _directed(tense: str | None) -> str | None:
    return None if tense == "present" else tense


def _dayrange(m: re.Match[str], anchor: tc.Anchor, tense: str | None) -> tc.Resolved:
    a, _ = _dated(m, anchor, tense)
    d2 = int(m.group("d2"))
    if a is None or not int(m.group("d")) < d2 <= 31:
        return tc.NONE
    b, _ = tc.month_or_day(int(a[:4]), int(a[5:7]), d2)
    return (f"{a}/{b}", "day") if b else tc.NONE


def _weekday(m: re.Match[str], anchor: tc.Anchor, tense: str | None) -> tc.Resolved:
    rel = (m.group("rel") or "").lower()
    if tense == "present":  # scheduled ("meet on Tuesday") unless it is reported speech ("says")
        tense = "future"
    if rel.startswith("earlier"):
        tense = "past"
    elif rel.startswith("later"):
        tense = "future"
    return tc.weekday(anchor, WEEKDAYS.index(m.group("wd").lower()), tense, rel if rel in ("last", "next") else None)


def _relunit(m: re.Match[str], anchor: tc.Anchor, tense: str | None) -> tc.Resolved:
    rel, unit = m.group("rel").lower(), m.group("unit").lower()
    if unit == "decade":
        return tc.decade(anchor.year // 10 * 10, None) if rel in ("this", "current") and anchor.year else tc.NONE
    return tc.offset(anchor, unit, {"last": -1, "next": 1, "coming": 1}.get(rel, 0))


def _nunits(m: re.Match[str], anchor: tc.Anchor, tense: str | None) -> tc.Resolved:
    rel = m.group("rel").lower()
    n = _count(m.groupdict().get("n") or "one")
    if rel in ("previous", "first") or n is None:
        return tc.NONE
    return tc.span_to_now(anchor, m.group("unit").lower(), n if rel in ("next", "coming") else -n)


def _ago(m: re.Match[str], anchor: tc.Anchor, tense: str | None) -> tc.Resolved:
    n = _count(m.group("n"))
    return tc.offset(anchor, m.group("unit").lower(), -n) if n is not None else tc.NONE


def _count(word: str) -> int | None:
    value = parse_number(word)
    return int(value) if value is not None and value.is_integer() else None


def _relday(m: re.Match[str], anchor: tc.Anchor, tense: str | None) -> tc.Resolved:
    word = (m.group("w") or "").lower() if "w" in m.groupdict() else ""
    shift = {"yesterday": -1, "tomorrow": 1}.get(word, -1 if m.group(0).lower() == "last night" else 0)
    return tc.offset(anchor, "day", shift)


def _season(m: re.Match[str], anchor: tc.Anchor, tense: str | None) -> tc.Resolved:
    name, rel = m.group("s").lower(), (m.group("rel") or "").lower()
    if m.group("y"):
        return tc.season(int(m.group("y")), name)
    if not anchor.year:
        return tc.NONE
    return tc.season(anchor.year + {"last": -1, "next": 1}.get(rel, 0), name)


def _holiday(m: re.Match[str], anchor: tc.Anchor, tense: str | None) -> tc.Resolved:
    month, day = HOLIDAYS[re.sub(r"\s+", " ", m.group("h").lower())]
    year = tc.pick_year(anchor, month, day, _directed(tense))
    return tc.month_or_day(year, month, day) if year else tc.NONE


def _quarter(m: re.Match[str], anchor: tc.Anchor, tense: str | None) -> tc.Resolved:
    q = ["first", "second", "third", "fourth"].index(m.group("q").lower()) + 1
    if m.group("y"):
        return tc.quarter(int(m.group("y")), q)
    if not (anchor.year and anchor.month):
        return tc.NONE
    current = (anchor.month - 1) // 3 + 1
    return tc.quarter(anchor.year - (1 if q > current and tense != "future" else 0), q)


def _year(m: re.Match[str], anchor: tc.Anchor, tense: str | None) -> tc.Resolved:
    return (m.group("y"), "year")


def _yearrange(m: re.Match[str], anchor: tc.Anchor, tense: str | None) -> tc.Resolved:
    y1, tail = int(m.group("y")), m.group("y2")
    y2 = int(tail) if len(tail) == 4 else y1 // 100 * 100 + int(tail)
    return (f"{y1:04d}/{y2:04d}", "year") if y1 < y2 <= y1 + 50 else tc.NONE


RESOLVERS: dict[str, Callable[[re.Match[str], tc.Anchor, str | None], tc.Resolved]] = {
    "iso": lambda m, a, t: tc.month_or_day(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    if 1 <= int(m.group("m")) <= 12 else tc.NONE,
    "dayrange": _dayrange, "date": _dated, "monthyear": _dated, "month": _dated,
    "decade": lambda m, a, t: tc.decade(int(m.group("dec")), (m.group("mod") or "").lower() or None),
    "yearrange": _yearrange, "year": _year, "relday": _relday, "weekday": _weekday,
    "weekend": lambda m, a, t: tc.weekend(a, {"last": -1, "next": 1, "this": 0}.get((m.group("rel") or "").lower()),
                                          _directed(t)),
    "relunit": _relunit, "nunits": _nunits, "ago": _ago, "anaphoric": lambda m, a, t: tc.NONE,
    "quarter": _quarter, "season": _season, "holiday": _holiday,
}
