"""A publication date for an article whose page and text give none, inferred from what it dates.

Pasted text often has no date line, and then every relative expression ("later this month", "Feb
27-28", "next week") stays unresolved and the article's events fall off the timeline. The text
itself bounds its date: what it tells as past happened before it was written ("the first summit in
June 2018", "Abe told parliament on Feb 6"), what it tells as to come happens after ("the second
summit set for Feb 27-28"). So:

1. Dates the text gives with a year and month, unless told as to come, give a first lower bound.
2. Month-day dates without a year are placed at their first occurrence after that bound, then
   counted as lower bounds (told as past) or upper bounds (told as to come).
3. When the latest lower bound and the earliest upper bound after it lie within MAX_WINDOW_DAYS,
   the article is dated to the lower bound's month; wider windows date nothing, since a guess years off is worse than no
   date. The result is marked `date_source: "inferred"`, with low confidence and the evidence.

The inferred date is a month, so relative expressions resolved against it never claim a day they
cannot know: "later this month" becomes that month, a bare "Friday" stays unresolved.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from storydesk.model import Article, Event
from storydesk.nlp.timex import tense_of

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Widest gap between the bounds that still dates the article (a month and a bit).
MAX_WINDOW_DAYS = 45
CONFIDENCE = 0.3
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH_DAY = re.compile(r"\b(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?P<day>\d{1,2})\b"
                        r"|\b(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
                        re.I)


def infer_published(article: Article, doc: "Doc", times: list[Event]) -> tuple[str, str] | None:
    """(month "YYYY-MM", evidence) for an undated article, or None when its text does not bound it."""
    past: list[tuple[date, str]] = []
    future: list[tuple[date, str]] = []
    yearless: list[tuple[int, int, str, str | None]] = []
    for t in times:
        span = doc.char_span(t.span[0], t.span[1], alignment_mode="expand")
        tense = tense_of(span, article.text) if span is not None else None
        if t.date and t.precision in ("day", "month"):
            start, end = _bounds(t.date)
            if tense == "future":
                future.append((start, t.text))
            else:  # told as past, or as a standing fact: either way not after the writing
                past.append((end, t.text))
        elif t.date is None:
            m = _MONTH_DAY.search(t.text)
            if m:
                mon = _MONTHS.index((m.group("mon") or m.group("mon2"))[:3].lower()) + 1
                day = int(m.group("day") or m.group("day2"))
                yearless.append((mon, day, t.text, tense))
    if not past:
        return None
    floor = max(past)[0]
    for mon, day, text, tense in yearless:
        when = _first_on_or_after(floor, mon, day)
        if when is None:
            continue
        if tense == "past":
            past.append((when, text))
        elif tense == "future":
            future.append((when, text))
    low, low_text = max(past)
    later = [f for f in future if f[0] >= low]
    if not later:
        return None
    high, high_text = min(later)
    if (high - low).days > MAX_WINDOW_DAYS:
        return None
    month = low.strftime("%Y-%m")
    evidence = f"told as past: '{low_text}' ({low.isoformat()}); told as to come: '{high_text}' ({high.isoformat()})"
    return month, evidence


def _bounds(value: str) -> tuple[date, date]:
    """First and last day of an ISO day, month or range."""
    first, _, last = value.partition("/")
    last = last or first
    return _day(first, start=True), _day(last, start=False)


def _day(value: str, start: bool) -> date:
    y, m, d = (int(x) for x in (value.split("-") + ["0", "0"])[:3])
    if not m:
        m = 1 if start else 12
    if not d:
        d = 1 if start else _month_end(y, m)
    return date(y, m, d)


def _month_end(y: int, m: int) -> int:
    return ((date(y + (m == 12), m % 12 + 1, 1)) - date(y, m, 1)).days


def _first_on_or_after(floor: date, mon: int, day: int) -> date | None:
    for year in (floor.year, floor.year + 1):
        try:
            when = date(year, mon, day)
        except ValueError:
            continue
        if when >= floor:
            return when
    return None
