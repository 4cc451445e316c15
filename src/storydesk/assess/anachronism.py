"""Anachronism: events told as past that, by the dates at hand, had not happened yet.

Two checks. Against the article's own publication date: a sentence in the past tense about a day,
month or year after the article was published. Against dates the other sources establish: a claim
aligned with another source's claim that dates the same event after this article's publication, while
this article already tells it as done. Previews ("will meet on Friday") are not anachronisms, so a
sentence with future or plan wording is skipped.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .context import Context
from .hits import Hit

FUTURE = re.compile(
    r"\b(will|would|shall|plans?|planned|planning|scheduled|expected|expects|due|set to|next|upcoming|"
    r"to be held|is to|are to|could|(?-i:may)|might|intends?|aims?|hopes?|until|by the end of|deadline|tomorrow)\b|'ll\b",
    re.I,
)
_PAST = re.compile(r"\b(was|were|had|did|met|said|told|announced|signed|held|took|gave|went|came|\w{3,}ed)\b", re.I)
# A publication date guessed from dates in the prose (confidence 0.3) would make the check circular.
MIN_DATE_CONFIDENCE = 0.4
# An agree link this strong is taken to be about the same event (the claims stage's floor is lower).
SAME_EVENT_SCORE = 0.85
# Only a date the text spells out is checked against the publication date: relative expressions
# ("over the weekend") are resolved from that very date, so a mismatch there is a resolution error.
_EXPLICIT = re.compile(r"\b(1[89]\d\d|20\d\d)\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
                       r"\b\d{1,2}(st|nd|rd|th)?\s+(of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I)
# Days of grace: time zones and late-night publication make a one-day gap meaningless.
GRACE_DAYS = 1
OWN_DATE = 1.0
OTHERS_DATE = 0.7


def anachronisms(ctx: Context) -> list[Hit]:
    hits: list[Hit] = []
    for ev in sorted(ctx.story.times, key=lambda e: (e.article, e.span)):
        art = ctx.articles.get(ev.article)
        if not art or not ev.date or not art.published or not ev.sentence_span:
            continue
        start, published = _start(ev.date), _published(art)
        if not start or not published or start <= published + timedelta(days=GRACE_DAYS):
            continue
        if _EXPLICIT.search(ev.text) and _told_as_past(ev.sentence):
            hits.append(Hit("anachronism", art.id, (ev.sentence_span[0], ev.sentence_span[1]), OWN_DATE,
                            f"'{ev.text}' ({ev.date}) is told as past, but the article is dated {art.published}"))
    told = {(h.article, h.span) for h in hits}
    for cid in sorted(ctx.claims):
        claim = ctx.claims[cid]
        art = ctx.articles[claim.article]
        published = _published(art)
        if not published or (claim.article, claim.span) in told or not _told_as_past(claim.text):
            continue
        for link, other_id in ctx.links_of.get(cid, []):
            other = ctx.claims[other_id]
            when = _start(other.time or "")
            if link.kind != "agree" or link.score < SAME_EVENT_SCORE or not when or len(other.time or "") != 10:
                continue
            if when > published + timedelta(days=GRACE_DAYS) and ctx.independent(claim.article, other.article):
                hits.append(Hit("anachronism", claim.article, claim.span, OTHERS_DATE,
                                f"another source dates this event {other.time}, after this article's date "
                                f"({art.published}), yet it is told here as past",
                                [ctx.evidence(other.article, other.span)], [cid, other_id]))
                told.add((claim.article, claim.span))
                break
    return hits


def _told_as_past(sentence: str) -> bool:
    return bool(_PAST.search(sentence)) and not FUTURE.search(sentence)


def _start(value: str) -> date | None:
    first = value.split("/")[0]
    padded = first + {4: "-01-01", 7: "-01"}.get(len(first), "")
    try:
        return date.fromisoformat(padded[:10])
    except ValueError:
        return None


def _published(art) -> date | None:  # noqa: ANN001 - Article
    if art.date_confidence is not None and art.date_confidence < MIN_DATE_CONFIDENCE:
        return None
    return _day(art.published)


def _day(value: str | None) -> date | None:
    if not value or len(value) < 10:
        return None
    return _start(value[:10])
