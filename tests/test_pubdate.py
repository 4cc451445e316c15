"""An undated article gets a publication date inferred from what its text tells as past and as to
come, marked as inferred with its evidence, only when those bounds are close; real spaCy."""

from __future__ import annotations

import json
from pathlib import Path

from storydesk import analyze
from storydesk.model import Story

TIGHT = ("The harbour board of Velmora met for the first time in June 2020 to discuss the new ferry terminal. "
         "Board chair Ines Kovac told the council on Feb 6 that the plans were complete.\n\n"
         "A final vote is set for Feb 25 at the town hall, and a public hearing will take place later this month.")
WIDE = ("The harbour board of Velmora met for the first time in June 2020 to discuss the new ferry terminal. "
        "The terminal will open on 10 October 2024, board chair Ines Kovac said.")


def _story(tmp_path: Path, text: str) -> Story:
    path = tmp_path / "pile.jsonl"
    path.write_text(json.dumps({"url": "https://a.example/x", "text": text, "title": "Ferry terminal"}) + "\n")
    return analyze([str(path)])


def test_close_bounds_date_the_article_to_their_month_and_resolve_its_relative_dates(tmp_path: Path):
    story = _story(tmp_path, TIGHT)
    art = story.articles[0]
    assert art.published == "2021-02" and art.date_source == "inferred" and art.date_confidence < 0.5
    assert "Feb 6" in art.date_evidence and "Feb 25" in art.date_evidence
    dated = {t.text: t.date for t in story.times}
    assert dated["later this month"] == "2021-02"
    assert dated["Feb 25"] == "2021-02-25"
    assert any(e.date == "2021-02-25" for e in story.timeline)


def test_bounds_years_apart_date_nothing(tmp_path: Path):
    art = _story(tmp_path, WIDE).articles[0]
    assert art.published is None and art.date_source is None


def test_a_thing_another_article_dates_dates_the_undated_article(tmp_path: Path):
    path = tmp_path / "pile.jsonl"
    rows = [
        {"url": "https://a.example/d", "published": "2021-04-20", "title": "Summit planned",
         "text": "Mayor Ilse Varga said the regional summit set for May 12 in Velmora would take up the ferry plan."},
        {"url": "https://b.example/u", "title": "Ferry plan at stake",
         "text": "In the run-up to the regional summit this week in Velmora, mayor Ilse Varga defended the ferry plan."},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    story = analyze([str(path)])
    undated = next(a for a in story.articles if a.source.endswith("/u"))
    assert undated.published == "2021-05" and undated.date_source == "inferred"
    assert "summit" in undated.date_evidence and "May 12" in undated.date_evidence
