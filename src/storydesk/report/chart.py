"""The timeline chart: one geometry for report.html and the web timeline page, drawn by one Jinja2
macro (templates/_timeline_chart.html.j2) as inline SVG with no script, since both pages forbid it.

Entries are numbered once here (dated in date order, then undated) so the chart's markers and both
pages' event lists agree. The axis is cut into eras (see timeaxis); eras are packed left to right
into rows of the chart's width, so a wide screen reads one line and a phone reads one era per row
or two. Markers that would touch are stacked upwards, and past a few lanes shifted sideways, each
with a stem to its true date on the axis; nothing is ever drawn over another marker.

The geometry is computed for two widths: the page shows the wide drawing on a desktop and the
narrow one on a phone (a CSS media query), so neither is shrunk until its labels are unreadable.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from .timeaxis import date_label, eras, era_ticks, gap_words, label_px, parse_date

R = 9  # marker radius
STEP = 2 * R + 3  # marker pitch: two markers this far apart (across or up) never touch
STEM = 6  # space between the lowest marker and the axis
MAX_LANES = 6  # markers stack this high before they are shifted sideways
PAD = R + 2  # an era's markers stay this far inside its ends
BREAK = 24  # the space an axis break takes between two eras
MARGIN = 20  # left and right of each row: room for a break mark at a row's end
RANGE_MIN = 110  # the least width of an era with more than one date
TICK_SPACE = 24  # below the axis: tick marks and labels
ROW_GAP = 10
WIDE, NARROW = 900, 360


def is_inferred(entry: dict[str, Any], inferred_articles: set[str]) -> bool:
    """True when the entry's date was inferred rather than read: the entry says so (`inferred: true`
    or `date_source: "inferred"`), or every article telling it has an inferred publication date."""
    if entry.get("inferred") is True or entry.get("date_source") == "inferred":
        return True
    sources = entry.get("sources") or []
    return bool(sources) and all(s in inferred_articles for s in sources)


def chart_entries(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The timeline entries numbered as both pages list them: dated by date (report order within a
    day), then undated. Each keeps its report keys and gains n, day, when, inferred, source_refs."""
    index = {a["id"]: i for i, a in enumerate(report["articles"], 1)}
    inferred_articles = {a["id"] for a in report["articles"] if a.get("date_source") == "inferred"}
    rows = []
    for pos, t in enumerate(report.get("timeline") or []):
        parsed = parse_date(t.get("date"))
        rows.append({**t, "pos": pos, "day": parsed[0] if parsed else None, "when": date_label(*parsed) if parsed else None,
                     "inferred": is_inferred(t, inferred_articles), "disputed": bool(t.get("disputed")),
                     "source_refs": [(index.get(s, 0), s) for s in t.get("sources") or []]})
    rows.sort(key=lambda e: (e["day"] is None, e["day"] or date.min, e["pos"]))
    for n, e in enumerate(rows, 1):
        e["n"] = n
    return rows


def _free_spot(lanes: list[list[float]], x: float, lo: float, hi: float) -> tuple[float, int]:
    """The first free place for a marker dated at x: stacked on x, else shifted a step at a time."""
    for k in range(int((hi - lo) / STEP) + 2):
        for cx in (x,) if k == 0 else (x + k * STEP, x - k * STEP):
            if not lo - 1e-6 <= cx <= hi + 1e-6:
                continue
            for lane in range(MAX_LANES):
                if lane >= len(lanes) or all(abs(cx - p) >= STEP - 1e-6 for p in lanes[lane]):
                    return cx, lane
    # the era is full: a lane of its own above the others (the chart grows taller, never overlaps)
    lane = next((i for i, xs in enumerate(lanes) if all(abs(x - p) >= STEP - 1e-6 for p in xs)), len(lanes))
    return x, lane


def _place_range(era: dict[str, Any]) -> list[tuple[dict[str, Any], float, float, int]]:
    lo, hi = era["x"] + PAD, era["x"] + era["w"] - PAD
    scale = (hi - lo) / (era["last"] - era["first"])
    lanes: list[list[float]] = []
    out = []
    for e in era["entries"]:
        x = lo + (e["day"].toordinal() - era["first"]) * scale
        cx, lane = _free_spot(lanes, x, lo, hi)
        lanes.extend([] for _ in range(lane + 1 - len(lanes)))
        lanes[lane].append(cx)
        out.append((e, x, cx, lane))
    return out


def _place_point(era: dict[str, Any]) -> list[tuple[dict[str, Any], float, float, int]]:
    """Markers of one date: columns of up to MAX_LANES, centred on the date, numbers left to right."""
    n, centre = len(era["entries"]), era["x"] + era["w"] / 2
    cols = max(1, min(math.ceil(n / MAX_LANES), int((era["w"] - 2 * PAD) / STEP) + 1))
    per_col = math.ceil(n / cols)
    return [(e, centre, centre + (i // per_col - (cols - 1) / 2) * STEP, i % per_col) for i, e in enumerate(era["entries"])]


def _min_width(era: dict[str, Any]) -> float:
    cols = math.ceil(len(era["entries"]) / MAX_LANES)
    if era["first"] == era["last"]:
        return max(label_px(era["label"]) + 10, 2 * PAD + (cols - 1) * STEP)
    return max(RANGE_MIN, 2 * PAD + cols * STEP)


def _pack(era_list: list[dict[str, Any]], width: int) -> list[list[dict[str, Any]]]:
    """Eras into rows, greedily; spare width in a row goes to its multi-date eras by event count."""
    usable = width - 2 * MARGIN
    rows: list[list[dict[str, Any]]] = [[]]
    used = 0.0
    for era in era_list:
        era["w"] = min(_min_width(era), usable)
        if rows[-1] and used + BREAK + era["w"] > usable:
            rows.append([])
        used = (used + BREAK if rows[-1] else 0) + era["w"]
        rows[-1].append(era)
    for row in rows:
        spare = usable - sum(e["w"] for e in row) - BREAK * (len(row) - 1)
        weight = sum(len(e["entries"]) for e in row if e["first"] < e["last"])
        x = float(MARGIN)
        for era in row:
            if weight and era["first"] < era["last"]:
                era["w"] += spare * len(era["entries"]) / weight
            era["x"], x = x, x + era["w"] + BREAK
    return rows


def _draw_row(row: list[dict[str, Any]], top: float, width: int) -> dict[str, Any]:
    placed = [_place_point(era) if era["first"] == era["last"] else _place_range(era) for era in row]
    lanes = 1 + max(lane for marks in placed for *_, lane in marks)
    axis_y = top + 4 + lanes * STEP + STEM
    segments = []
    for era in row:
        if era["first"] == era["last"]:
            ticks = [(era["x"] + era["w"] / 2, era["label"], era["x"] + era["w"] / 2)]
        else:  # labels may reach into the breaks either side, never past the chart's edges
            bounds = (max(1.0, era["x"] - BREAK / 2 + 3), min(width - 1.0, era["x"] + era["w"] + BREAK / 2 - 3))
            ticks = era_ticks(era["first"], era["last"], era["x"] + PAD, era["w"] - 2 * PAD, bounds)
        segments.append({"x1": round(era["x"], 1), "x2": round(era["x"] + era["w"], 1),
                         "ticks": [{"x": round(x, 1), "label": label, "tx": round(c, 1)} for x, label, c in ticks]})
    markers = [{"n": e["n"], "when": e["when"], "event": e["event"], "disputed": e["disputed"], "inferred": e["inferred"],
                "x": round(cx, 1), "y": round(axis_y - STEM - R - lane * STEP, 1), "x0": round(x, 1)}
               for marks in placed for e, x, cx, lane in marks]
    return {"top": top, "axis_y": round(axis_y, 1), "segments": segments, "markers": markers, "breaks": [],
            "height": axis_y - top + TICK_SPACE}


def layout(entries: list[dict[str, Any]], width: int) -> dict[str, Any]:
    """The chart's drawing at `width`: rows of eras with their axis pieces, ticks, breaks and markers."""
    dated = [e for e in entries if e["day"] is not None]
    if not dated:
        return {"width": width, "height": 0, "rows": []}
    era_list = []
    for first, last in eras([e["day"].toordinal() for e in dated]):
        members = [e for e in dated if first <= e["day"].toordinal() <= last]
        finest = min(members, key=lambda e: ("day", "month", "year").index(parse_date(e["date"])[1]))  # type: ignore[index]
        era_list.append({"first": first, "last": last, "entries": members, "label": finest["when"]})
    rows, top = [], 0.0
    for row_eras in _pack(era_list, width):
        row = _draw_row(row_eras, top, width)
        rows.append((row_eras, row))
        top += row["height"] + ROW_GAP
    for (eras_a, row_a), (eras_b, row_b) in zip(rows, rows[1:] + [(None, None)]):
        for prev, nxt in zip(eras_a, eras_a[1:]):
            row_a["breaks"].append(_break(prev["x"] + prev["w"] + BREAK / 2, row_a["axis_y"], nxt["first"] - prev["last"]))
        if eras_b and row_b is not None:  # the axis goes on in the next row: a break at the end of this row and the start of that one
            gap = eras_b[0]["first"] - eras_a[-1]["last"]
            row_a["breaks"].append(_break(eras_a[-1]["x"] + eras_a[-1]["w"] + BREAK / 2, row_a["axis_y"], gap))
            row_b["breaks"].append(_break(eras_b[0]["x"] - BREAK / 2, row_b["axis_y"], gap))
    return {"width": width, "height": round(top - ROW_GAP, 1), "rows": [row for _, row in rows]}


def _break(x: float, axis_y: float, days: int) -> dict[str, Any]:
    return {"x": round(x, 1), "y": axis_y, "title": f"axis broken: {gap_words(days)} without events left out"}


def timeline_chart(report: dict[str, Any]) -> dict[str, Any]:
    """Everything both pages need: numbered entries, the wide and narrow drawings, and the legend's keys."""
    entries = chart_entries(report)
    wide, narrow = layout(entries, WIDE), layout(entries, NARROW)
    dated = [e for e in entries if e["day"] is not None]
    return {"entries": entries, "dated": len(dated), "undated": len(entries) - len(dated), "wide": wide, "narrow": narrow,
            "legend": {"inferred": any(e["inferred"] for e in dated), "disputed": any(e["disputed"] for e in dated),
                       "breaks": any(row["breaks"] for row in wide["rows"] + narrow["rows"])}}
