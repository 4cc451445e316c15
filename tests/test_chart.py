"""The timeline chart's geometry (storydesk.report.chart): one drawing for report.html and the web
timeline page, readable when the dates span decades and crowd into one month."""

from __future__ import annotations

import itertools
import json
import re
import time
from typing import Any

import pytest
from test_export import build_story

from storydesk.model import story_to_dict
from storydesk.report.chart import NARROW, R, WIDE, chart_entries, layout, timeline_chart
from storydesk.report.render import render_html
from storydesk.report.timeaxis import eras, label_px, parse_date

A, B = "a" * 16, "b" * 16


def make_report(dates: list[str | None], **flags: Any) -> dict[str, Any]:
    """The two-article export story (articles A and B) with one timeline entry per date."""
    report = json.loads(json.dumps(story_to_dict(build_story())))
    report["articles"][0]["date_source"] = flags.get("date_source_a", report["articles"][0]["date_source"])
    report["timeline"] = []
    for i, d in enumerate(dates):
        parsed = parse_date(d)
        report["timeline"].append({"date": d, "precision": parsed[1] if parsed else None, "event": f"event {i} on {d}",
                                   "entities": [], "sources": [flags.get("source", B)], "evidence": [{"article": B, "span": [0, 1]}],
                                   "disputed": i in flags.get("disputed", ()), **({"inferred": True} if i in flags.get("inferred", ()) else {})})
    return report


# 1952..2019, with a whole month of events in June 2018 and eight on its 12th
DECADES = (["1952", "1960", "1994-05", "2006", "2016-11-17", "2016-11"] + [f"2018-06-{d:02d}" for d in range(1, 31)]
           + ["2018-06-12"] * 8 + ["2018-06", "2019-02-27", "2019-02-28", "2019"])


def markers(drawing: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for row in drawing["rows"] for m in row["markers"]]


@pytest.mark.parametrize("width", [WIDE, NARROW])
def test_no_two_markers_overlap_across_decades_and_a_crowded_month(width: int) -> None:
    drawing = layout(chart_entries(make_report(DECADES)), width)
    ms = markers(drawing)
    assert len(ms) == len(DECADES)
    for a, b in itertools.combinations(ms, 2):
        assert (a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2 >= (2 * R) ** 2, (a["n"], b["n"])
    for m in ms:
        assert R <= m["x"] <= width - R and R <= m["y"] <= drawing["height"] - R
    for upper, lower in zip(drawing["rows"], drawing["rows"][1:]):  # rows never run into each other
        assert upper["top"] + upper["height"] <= lower["top"]


def test_long_empty_stretches_are_cut_from_the_axis() -> None:
    entries = chart_entries(make_report(DECADES))
    drawing = layout(entries, WIDE)
    june = [m["x0"] for m in markers(drawing) if m["when"] and m["when"].endswith("Jun 2018")]
    assert max(june) - min(june) >= 150  # on one linear 1952..2019 axis a month is about one pixel
    titles = [b["title"] for row in drawing["rows"] for b in row["breaks"]]
    assert any("years without events" in t for t in titles) and len(titles) >= 4
    spans = eras([e["day"].toordinal() for e in entries if e["day"]])
    assert len(spans) >= 5
    june_days = {parse_date(f"2018-06-{d:02d}")[0].toordinal() for d in range(1, 31)}  # type: ignore[index]
    assert sum(1 for first, last in spans if june_days & set(range(first, last + 1))) == 1  # the month stays whole


def test_weeks_of_events_stay_on_one_linear_axis() -> None:
    drawing = layout(chart_entries(make_report(["2024-03-01", "2024-03-09", "2024-04-20"])), WIDE)
    assert not any(row["breaks"] for row in drawing["rows"]) and len(drawing["rows"][0]["segments"]) == 1
    xs = [m["x0"] for m in markers(drawing)]
    assert (xs[1] - xs[0]) / (xs[2] - xs[1]) == pytest.approx(8 / 42, rel=0.01)


@pytest.mark.parametrize("width", [WIDE, NARROW])
def test_every_era_has_labelled_ticks_that_do_not_collide(width: int) -> None:
    drawing = layout(chart_entries(make_report(DECADES)), width)
    for row in drawing["rows"]:
        labels = []
        for seg in row["segments"]:
            assert seg["ticks"] and all(t["label"] for t in seg["ticks"])
            assert re.search(r"\b(19|20)\d\d\b", seg["ticks"][0]["label"]), seg  # each era says its year
            assert all(seg["x1"] - 12 <= t["tx"] - label_px(t["label"]) / 2 and t["tx"] + label_px(t["label"]) / 2 <= seg["x2"] + 12
                       for t in seg["ticks"])
            labels += [(t["tx"], t["label"]) for t in seg["ticks"]]
        labels.sort()
        for (x1, a), (x2, b) in zip(labels, labels[1:]):
            assert x2 - x1 >= (label_px(a) + label_px(b)) / 2, (a, b)
        assert all(0 < x - label_px(t) / 2 and x + label_px(t) / 2 < width for x, t in labels)


def test_markers_are_numbered_like_the_list() -> None:
    dates = ["2018-06-12", None, "1960", "not a date", "2018-06", "2018-06-12"]
    chart = timeline_chart(make_report(dates))
    entries = chart["entries"]
    assert [e["date"] for e in entries] == ["1960", "2018-06", "2018-06-12", "2018-06-12", None, "not a date"]
    assert [e["n"] for e in entries] == [1, 2, 3, 4, 5, 6]
    assert entries[2]["event"] == "event 0 on 2018-06-12"  # report order within a day
    assert (chart["dated"], chart["undated"]) == (4, 2)
    for drawing in (chart["wide"], chart["narrow"]):
        assert sorted(m["n"] for m in markers(drawing)) == [1, 2, 3, 4]
        assert {m["n"]: m["when"] for m in markers(drawing)} == {1: "1960", 2: "Jun 2018", 3: "12 Jun 2018", 4: "12 Jun 2018"}
    html = render_html(make_report(dates))
    chart_html = html.split('id="timeline-chart"')[1].split("</figure>")[0]
    for n in range(1, 7):
        assert f'id="event-{n}"' in html and f'<li value="{n}" id="event-{n}">' in html
        assert (f'href="#event-{n}"' in chart_html) == (n <= 4)


def test_disputed_and_inferred_dates_are_drawn_apart_with_a_legend() -> None:
    report = make_report(["2019-02-27", "2019-02-28", "2019-02-20"], disputed=(1,), inferred=(0,))
    chart = timeline_chart(report)
    by_n = {m["n"]: m for m in markers(chart["wide"])}
    assert (by_n[1]["inferred"], by_n[2]["inferred"], by_n[3]["disputed"], by_n[1]["disputed"]) == (False, True, True, False)
    assert chart["legend"] == {"inferred": True, "disputed": True, "breaks": False}
    html = render_html(report)
    figure = html.split('id="timeline-chart"')[1].split("</figure>")[0]
    assert "date inferred" in figure and "disputed" in figure and 'stroke-dasharray="3 2"' in figure
    # an article whose own date was inferred dates its events by inference too
    from_article = timeline_chart(make_report(["2019-02"], date_source_a="inferred", source=A))
    assert from_article["entries"][0]["inferred"] and from_article["legend"]["inferred"]
    plain = timeline_chart(make_report(["2019-02"]))
    assert not plain["legend"]["inferred"] and not plain["legend"]["disputed"]


def test_chart_text_is_escaped() -> None:
    report = make_report(["2020-01-02"])
    report["timeline"][0]["event"] = 'Talks <script>alert(1)</script> "ended" <img src=x onerror=alert(2)>'
    html = render_html(report)
    figure = html.split('id="timeline-chart"')[1].split("</figure>")[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in figure and "<script" not in html and "<img" not in html


def test_one_date_many_events_and_no_dates() -> None:
    chart = timeline_chart(make_report(["2018-06-12"] * 40))
    for drawing in (chart["wide"], chart["narrow"]):
        ms = markers(drawing)
        assert len(ms) == 40 and len({(m["x"], m["y"]) for m in ms}) == 40
        assert max(m["y"] for m in ms) - min(m["y"] for m in ms) < 6 * 2 * R + 6 * 3  # spread sideways, not 40 high
        assert drawing["rows"][0]["segments"][0]["ticks"][0]["label"] == "12 Jun 2018"
    empty = timeline_chart(make_report([None, None]))
    assert empty["dated"] == 0 and empty["wide"]["rows"] == [] and [e["n"] for e in empty["entries"]] == [1, 2]
    assert 'id="timeline-chart"' not in render_html(make_report([None]))


def test_hundreds_of_events_lay_out_quickly() -> None:
    dates = [f"{y}-{m:02d}-{d:02d}" for y in (1990, 2005, 2018) for m in (1, 6) for d in range(1, 29)] * 2
    start = time.perf_counter()
    chart = timeline_chart(make_report(dates))
    assert time.perf_counter() - start < 5
    ms = markers(chart["narrow"])
    assert len(ms) == len(dates)
    for a, b in itertools.combinations(ms, 2):
        assert (a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2 >= (2 * R) ** 2
