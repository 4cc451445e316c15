"""A publication date for an article whose page and text give none, inferred from what it dates.

Pasted text often has no date line, and then every relative expression ("later this month", "Feb
27-28", "next week") stays unresolved and the article's events fall off the timeline. The text
itself bounds its date: what it tells as past happened before it was written ("the first summit in
June 2018", "the minister told parliament on Feb 6"), what it tells as to come happens after ("the second
summit set for Feb 27-28"). So:

1. Dates the text gives with a year and month, unless told as to come, give a first lower bound.
2. Month-day dates without a year are placed at their first occurrence after that bound, then
   counted as lower bounds (told as past) or upper bounds (told as to come).
3. When the latest lower bound and the earliest upper bound after it lie within MAX_WINDOW_DAYS,
   the article is dated to the lower bound's month; wider windows date nothing, since a guess years off is worse than no
   date. The result is marked `date_source: "inferred"`, with low confidence and the evidence.

4. Failing that, the story's other articles: "the Velmora summit this week" in an undated article,
   when a dated article dates a sentence that names the same place or person and the same thing
   ("summit set for Feb 27-28 in Velmora"), dates the article to that month (a week or a month
   earlier or later for "next week", "last month").

The inferred date is a month, so relative expressions resolved against it never claim a day they
cannot know: "later this month" becomes that month, a bare "Friday" stays unresolved.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING

from storydesk.labels import article_label
from storydesk.model import Article, Entity, Event
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


def date_undated(articles: list[Article], docs: dict, mentions: dict[str, list[tuple[tuple[int, int], Entity]]],
                 times: dict[str, list[Event]]) -> dict[str, list[Event]]:
    """Date every undated article that its own text (then the story's other articles) bounds, and
    resolve its time expressions again against that date. `mentions`: article id -> (span, entity).
    Returns the times, article id -> events."""
    from storydesk.nlp.timex import extract_times

    def settle(a: Article, inferred: tuple[str, str] | None) -> None:
        if inferred:
            a.published, a.date_evidence = inferred
            a.date_source, a.date_confidence = "inferred", CONFIDENCE
            times[a.id] = extract_times(a, docs[a.id])

    for a in articles:
        if not a.published:
            settle(a, infer_published(a, docs[a.id], times[a.id]))
    undated = [a for a in articles if not a.published]
    if undated:
        index = _StoryDates(articles, docs, mentions, times)
        for a in undated:
            settle(a, index.month_for(a, docs[a.id], times[a.id]))
    return times


_RELATIVE = re.compile(r"^(?P<rel>this|next|last)\s+(?P<unit>week|month)$", re.I)
_SHIFT = {("this", "week"): 0, ("next", "week"): -7, ("last", "week"): 7,
          ("this", "month"): 0, ("next", "month"): -30, ("last", "month"): 30}
NAMED = frozenset({"PERSON", "GPE", "LOC", "FAC", "EVENT", "ORG", "NORP"})


class _StoryDates:
    """What the dated articles of a story date, by the thing dated ("summit"), built once per story,
    so that dating an undated article looks up its things instead of reading every other article."""

    def __init__(self, articles: list[Article], docs: dict, mentions: dict[str, list[tuple[tuple[int, int], Entity]]],
                 times: dict[str, list[Event]]) -> None:
        self.mentions = {a: [(span[0], e.id) for span, e in ms if e.type in NAMED] for a, ms in mentions.items()}
        self.titles = {a.id: article_label(a) for a in articles}
        self.by_thing: dict[str, list[tuple[str, Event, set[str]]]] = {}
        for a in articles:
            if not a.published:
                continue
            for u in times.get(a.id, []):
                if u.date and u.precision == "day" and u.sentence_span:
                    ents = self.entities_in(a.id, u.sentence_span)
                    for thing in _event_nouns(docs[a.id], u.span):
                        self.by_thing.setdefault(thing, []).append((a.id, u, ents))

    def entities_in(self, article: str, span: tuple[int, int]) -> set[str]:
        return {eid for start, eid in self.mentions.get(article, []) if span[0] <= start < span[1]}

    def month_for(self, article: Article, doc: "Doc", times: list[Event]) -> tuple[str, str] | None:
        """A month from a relative expression ("summit this week") whose thing another article dates
        ("summit set for Feb 27-28"), their sentences naming a common place, person or body; None
        when nothing matches or two months tie."""
        votes: dict[str, list[str]] = {}
        for t in times:
            m = _RELATIVE.match(t.text.strip())
            if t.date or not m or t.sentence_span is None:
                continue
            ents = self.entities_in(article.id, t.sentence_span)
            if not ents:
                continue
            for thing in sorted(_event_nouns(doc, t.span)):
                for other, u, other_ents in self.by_thing.get(thing, []):
                    if other == article.id or not ents & other_ents:
                        continue
                    assert u.date  # by_thing holds dated events only
                    when = _bounds(u.date)[0] + timedelta(days=_SHIFT[(m.group("rel").lower(), m.group("unit").lower())])
                    votes.setdefault(when.strftime("%Y-%m"), []).append(
                        f"'{thing} {t.text}' here; the {thing} dated '{u.text}' ({u.date}) in '{self.titles[other]}'")
        ranked = sorted(votes.items(), key=lambda kv: -len(kv[1]))
        if not ranked or len(ranked) > 1 and len(ranked[1][1]) == len(ranked[0][1]):
            return None
        month, why = ranked[0]
        return month, why[0]


def _event_nouns(doc: "Doc", span: tuple[int, int]) -> set[str]:
    """The thing a time expression dates when it hangs off a noun: "summit" in "his Velmora summit this
    week" and in "their second summit set for Feb 27-28" (through the participle). Read from the
    parse (the nearest noun above it) and from the words right before it, which the parse may have
    hung elsewhere; empty when it dates a clause."""
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    if sp is None:
        return set()
    out = {t.lemma_.lower() for t in doc[max(0, sp.start - 2) : sp.start] if t.pos_ == "NOUN" and t.lower_ not in _TIME_NOUNS}
    node = sp.root
    for _ in range(5):
        if node.head.i == node.i:
            break
        node = node.head
        if node.pos_ == "NOUN" and node.lower_ not in _TIME_NOUNS:
            out.add(node.lemma_.lower())
            break
        if node.pos_ in ("VERB", "AUX") and node.dep_ != "acl":
            break
    return out


_TIME_NOUNS = frozenset("day days week weeks month months year years time times today weekend morning night".split())


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
