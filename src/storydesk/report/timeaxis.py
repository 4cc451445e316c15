"""The time axis of the timeline chart: which stretches of time it shows, and its labelled ticks.

A story's dates often span decades (a 1952 treaty, a 2018 summit) while most events crowd into a
few weeks; on one linear axis those weeks shrink to a point and their markers pile up. So the axis
is cut into eras: a long empty stretch between dates is left out (drawn as a break) whenever it
takes a large share of the era it sits in, and each era gets its own linear scale. Ticks are picked
per era at the finest calendar unit whose labels still fit side by side.
"""

from __future__ import annotations

import re
from datetime import date

GAP_SHARE = 0.3  # an empty stretch is cut when it is at least this share of its era's span ...
MIN_GAP_DAYS = 180  # ... and at least this long (weeks between events stay on a linear scale)
MAX_ERAS = 12  # the longest gaps are cut first; past this many eras the rest stay linear
CHAR_PX = 6.2  # average width of a tick label character at the chart's 11px font
LABEL_GAP_PX = 6  # least space between two tick labels

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")

# Tick units, finest first: (kind, step). Days step through the month (1, 6, 11, ... for 5; 1, 16 for 15).
UNITS = (("day", 1), ("day", 2), ("day", 5), ("day", 10), ("day", 15), ("month", 1), ("month", 3), ("month", 6),
         ("year", 1), ("year", 2), ("year", 5), ("year", 10), ("year", 20), ("year", 50), ("year", 100))
UNIT_DAYS = {"day": 1, "month": 30.4, "year": 365.25}


def parse_date(value: str | None) -> tuple[date, str] | None:
    """The first day a report date ("YYYY", "YYYY-MM", "YYYY-MM-DD", or a range "a/b") can mean, and
    the precision it is given at; None for no date or one that is not a real day."""
    m = _ISO.fullmatch((value or "").split("/")[0].strip())
    if not m:
        return None
    try:
        day = date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None
    return day, "day" if m.group(3) else "month" if m.group(2) else "year"


def date_label(day: date, precision: str) -> str:
    """A date as a reader says it, at its precision: 1952, Dec 2012, 12 Jun 2018."""
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def label_px(label: str) -> float:
    return len(label) * CHAR_PX


def eras(days: list[int]) -> list[tuple[int, int]]:
    """Split sorted day ordinals into eras [(first, last)]: the longest qualifying gaps are cut first."""
    groups = [sorted(set(days))]
    while len(groups) < MAX_ERAS:
        best: tuple[int, int, int] | None = None  # (gap, group, index)
        for g, group in enumerate(groups):
            span = group[-1] - group[0]
            for i in range(1, len(group)):
                gap = group[i] - group[i - 1]
                if gap >= MIN_GAP_DAYS and gap >= GAP_SHARE * span and (best is None or gap > best[0]):
                    best = (gap, g, i)
        if best is None:
            break
        _, g, i = best
        groups[g : g + 1] = [groups[g][:i], groups[g][i:]]
    return [(group[0], group[-1]) for group in groups if group]


def gap_words(days: int) -> str:
    """How long a cut stretch is, roughly: '51 years', '7 months', '12 days'."""
    if days >= 730:
        return f"{round(days / 365.25)} years"
    if days >= 61:
        return f"{round(days / 30.44)} months"
    return f"{days} days"


def _boundaries(kind: str, step: int, first: date, last: date) -> list[date]:
    out: list[date] = []
    if kind == "year":
        out = [date(y, 1, 1) for y in range(first.year, last.year + 1) if y % step == 0]
    elif kind == "month":
        for y in range(first.year, last.year + 1):
            out += [date(y, m, 1) for m in range(1, 13) if (m - 1) % step == 0]
    else:
        for y in range(first.year, last.year + 1):
            for m in range(1, 13):
                if date(y, m, 1) > last or (y, m) < (first.year, first.month):
                    continue
                out += [date(y, m, d) for d in range(1, 29 if step > 1 else 32, step) if _valid(y, m, d)]
    return [d for d in out if first <= d <= last]


def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def _tick_label(kind: str, day: date, first: bool) -> str:
    if kind == "year":
        return str(day.year)
    if kind == "month":
        return date_label(day, "month") if first or day.month == 1 else MONTHS[day.month - 1]
    return date_label(day, "day") if first or (day.month, day.day) == (1, 1) else f"{day.day} {MONTHS[day.month - 1]}"


def _fits(ticks: list[tuple[float, str, float]]) -> bool:
    return all(c2 - c1 >= (label_px(a) + label_px(b)) / 2 + LABEL_GAP_PX for (_, a, c1), (_, b, c2) in zip(ticks, ticks[1:]))


def _label_centre(x: float, label: str, bounds: tuple[float, float]) -> float | None:
    """Where a tick's label is centred: on the tick, or moved inwards to stay inside bounds (still over
    its tick); None when it cannot be."""
    half = label_px(label) / 2
    c = min(max(x, bounds[0] + half), bounds[1] - half)
    return c if abs(c - x) <= half and bounds[0] <= c - half + 1e-6 and c + half <= bounds[1] + 1e-6 else None


def era_ticks(first: int, last: int, left: float, width: float, bounds: tuple[float, float]) -> list[tuple[float, str, float]]:
    """Labelled ticks [(x, label, label centre)] for the era of day ordinals first < last drawn over
    [left, left + width].

    The finest unit whose labels fit side by side, inside `bounds` (the x range the era's labels may
    use), wins when it gives two ticks, else the finest giving one. The first tick carries the year,
    so every era says when it is. With no unit fitting, one label for the era's middle month.
    """
    a, b = date.fromordinal(first), date.fromordinal(last)
    scale = width / (last - first)
    single: list[tuple[float, str, float]] | None = None
    for kind, step in UNITS:
        if (last - first) / (UNIT_DAYS[kind] * step) > width / (2 * CHAR_PX) + 1:
            continue  # far too many ticks for the width: skip without building them
        ticks: list[tuple[float, str, float]] = []
        for d in _boundaries(kind, step, a, b):
            x, label = left + (d.toordinal() - first) * scale, _tick_label(kind, d, not ticks)
            centre = _label_centre(x, label, bounds)
            if centre is not None:
                ticks.append((x, label, centre))
        if not ticks or not _fits(ticks):
            continue
        if len(ticks) >= 2:
            return ticks
        single = single or ticks
    middle = date.fromordinal((first + last) // 2)
    x = left + (middle.toordinal() - first) * scale
    return single or [(x, date_label(middle, "month"), x)]
