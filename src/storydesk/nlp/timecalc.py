"""Calendar arithmetic for time expressions, against a publication date that may be partial.

A publication date is often known only to the month or the year; each function here resolves
what that partial anchor still decides and returns None for the rest, so that a vague anchor never
turns into a confident wrong date on the timeline.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

Resolved = tuple[str | None, str | None]  # (ISO value or range, precision)
NONE: Resolved = (None, None)


@dataclass(frozen=True, slots=True)
class Anchor:
    """The publication date, as much of it as is known."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, published: str | None) -> "Anchor":
        m = re.match(r"\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", published or "")
        if not m:
            return cls()
        y, mo, d = (int(g) if g else None for g in m.groups())
        try:
            if y and mo and d:
                date(y, mo, d)
        except ValueError:
            d = None
        return cls(y, mo if mo and 1 <= mo <= 12 else None, d if mo else None)

    @property
    def date(self) -> date | None:
        return date(self.year, self.month, self.day) if self.year and self.month and self.day else None


def iso_day(d: date) -> str:
    return d.isoformat()


def day_range(a: date, b: date) -> Resolved:
    return (f"{a.isoformat()}/{b.isoformat()}", "day")


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + delta
    return idx // 12, idx % 12 + 1


def month_value(year: int, month: int) -> Resolved:
    return (f"{year:04d}-{month:02d}", "month")


def week(anchor: Anchor, delta: int) -> Resolved:
    """The Monday-to-Sunday week `delta` weeks from the one containing the publication day."""
    d = anchor.date
    if d is None:
        return NONE
    monday = d - timedelta(days=d.weekday()) + timedelta(weeks=delta)
    return day_range(monday, monday + timedelta(days=6))


def weekend(anchor: Anchor, delta: int | None, tense: str | None) -> Resolved:
    """`delta` weeks from this week's weekend; with no delta, the nearest one in the tense's direction."""
    d = anchor.date
    if d is None:
        return NONE
    saturday = d - timedelta(days=d.weekday()) + timedelta(days=5)
    if delta is None:
        delta = -1 if tense == "past" and d.weekday() < 5 else 0
    sat = saturday + timedelta(weeks=delta)
    return day_range(sat, sat + timedelta(days=1))


def weekday(anchor: Anchor, wd: int, tense: str | None, rel: str | None) -> Resolved:
    """News names a day within a week of publication: the tense says on which side."""
    d = anchor.date
    if d is None:
        return NONE
    back = (d.weekday() - wd) % 7
    ahead = (wd - d.weekday()) % 7
    if rel == "last":
        return (iso_day(d - timedelta(days=back or 7)), "day")
    if rel == "next":
        return (iso_day(d + timedelta(days=ahead or 7)), "day")
    if tense == "past":
        return (iso_day(d - timedelta(days=back)), "day")
    if tense == "future":
        return (iso_day(d + timedelta(days=ahead)), "day")
    return (iso_day(d - timedelta(days=back) if back <= ahead else d + timedelta(days=ahead)), "day")


def pick_year(anchor: Anchor, month: int, day: int | None, tense: str | None) -> int | None:
    """The year of a month (and day) named without one: the latest before publication for the past
    tense, the earliest after it for the future, the nearest otherwise (ties go to the past)."""
    y, pm, pd = anchor.year, anchor.month, anchor.day
    if y is None or pm is None:
        return None
    if tense in ("past", "future"):
        if day is not None and month == pm and pd is None:
            return y  # in the publication month, before or after the unknown day: either way this year
        here, now = (month, day or 0), (pm, (pd or 0) if day is not None else 0)
        if tense == "past":
            return y if here <= now else y - 1
        return y if here >= now else y + 1
    return min((y, y - 1, y + 1), key=lambda c: (abs((c * 12 + month) - (y * 12 + pm)), c > y))


def month_or_day(year: int, month: int, day: int | None) -> Resolved:
    if day is None:
        return month_value(year, month)
    if day > calendar.monthrange(year, month)[1]:
        return NONE
    return (date(year, month, day).isoformat(), "day")


def offset(anchor: Anchor, unit: str, n: int) -> Resolved:
    """The day, week, month or year `n` units from publication, at that unit's precision."""
    if unit == "day":
        d = anchor.date
        return (iso_day(d + timedelta(days=n)), "day") if d else NONE
    if unit == "week":
        return week(anchor, n)
    if unit == "month":
        return month_value(*shift_month(anchor.year, anchor.month, n)) if anchor.year and anchor.month else NONE
    if unit == "year":
        return (f"{anchor.year + n:04d}", "year") if anchor.year else NONE
    if unit == "decade":
        return (f"{anchor.year + 10 * n:04d}", "year") if anchor.year else NONE
    return NONE


def span_to_now(anchor: Anchor, unit: str, n: int) -> Resolved:
    """"the past six years", "the next three months": from or to publication, at the unit's grain."""
    if unit == "year" or unit == "decade":
        if not anchor.year:
            return NONE
        k = n * (10 if unit == "decade" else 1)
        a, b = sorted((anchor.year, anchor.year + k))
        return (f"{a:04d}/{b:04d}", "year")
    if unit == "month":
        if not (anchor.year and anchor.month):
            return NONE
        lo, hi = sorted([(anchor.year, anchor.month), shift_month(anchor.year, anchor.month, n)])
        return (f"{lo[0]:04d}-{lo[1]:02d}/{hi[0]:04d}-{hi[1]:02d}", "month")
    d = anchor.date
    if d is None:
        return NONE
    other = d + timedelta(days=n * (7 if unit == "week" else 1))
    return day_range(min(d, other), max(d, other))


def decade(start: int, mod: str | None) -> Resolved:
    """"the 1930s" -> 1930/1939; "the late 1970s" -> 1977/1979 (early 0-3, mid 4-6, late 7-9)."""
    lo, hi = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}.get(mod or "", (0, 9))
    return (f"{start + lo:04d}/{start + hi:04d}", "decade")


def quarter(year: int, q: int) -> Resolved:
    first = 3 * (q - 1) + 1
    return (f"{year:04d}-{first:02d}/{year:04d}-{first + 2:02d}", "month")


def season(year: int, name: str) -> Resolved:
    """Northern-hemisphere meteorological seasons; winter runs into the next year."""
    first = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}[name]
    y2, m2 = shift_month(year, first, 2)
    return (f"{year:04d}-{first:02d}/{y2:04d}-{m2:02d}", "month")
