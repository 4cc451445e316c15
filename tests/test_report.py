"""The report contract on the example story, the store, and escaping of hostile article text."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from storydesk.model import REPORT_KEYS
from storydesk.options import Options
from storydesk.report.render import render_html, render_markdown, validate_report
from storydesk.run import run_analysis
from storydesk.service import default_db_url
from storydesk.store import Store


def test_example_report_meets_the_contract(example_run):
    out, report = example_run
    validate_report(report)
    for key in REPORT_KEYS:
        assert isinstance(report[key], list)
    assert {p.name for p in out.iterdir()} >= {"report.json", "report.html", "report.md"}
    assert len(report["articles"]) == 5
    for art in report["articles"]:
        assert art["text"] and art["language"] == "en" and not art["errors"]
        assert "<https://" not in art["text"] and "  " not in art["text"]
        assert art["genre"] in {"news", "opinion", "analysis", "other"} and art["genre_evidence"]


def test_example_metadata_is_read_with_its_provenance(example_run):
    _, report = example_run
    arts = report["articles"]
    dated = [a for a in arts if a["published"]]
    assert len(dated) >= 2 and all(a["date_source"] for a in dated)
    assert any(a["date_source"] == "header" for a in arts)
    assert any(a["outlet_source"] == "linked-urls" for a in arts)
    opinion = [a for a in arts if a["genre"] == "opinion"]
    assert len(opinion) == 1 and opinion[0]["byline"] and opinion[0]["contact"]
    assert all("@" not in a["text"] for a in arts)


def test_every_span_maps_back_to_the_raw_input(example_run, example_dir: Path):
    from storydesk.pipeline import analyze

    story = analyze([str(example_dir)])
    for art in story.articles:
        for i in range(0, len(art.text), 7):
            ch = art.text[i]
            if ch.isalnum():
                assert art.raw[art.source_map.to_raw(i)] == ch


def test_schema_rejects_a_broken_report(example_run):
    _, report = example_run
    broken = json.loads(json.dumps(report))
    broken["articles"][0]["published"] = "11 June 2018"
    with pytest.raises(jsonschema.ValidationError):
        validate_report(broken)
    del broken["claims"]
    with pytest.raises(jsonschema.ValidationError):
        validate_report(broken)


HOSTILE = '<script>alert("x")</script> The minister said <b>"yes"</b> to the [plan](javascript:alert(1)) on **Monday**.'


def test_hostile_text_is_escaped_in_html_and_markdown(tmp_path: Path):
    (tmp_path / "evil.txt").write_text(HOSTILE + "\n\nThe council met again on Tuesday and approved the plan.", encoding="utf-8")
    out = tmp_path / "out"
    run_analysis([str(tmp_path / "evil.txt")], out, Options(progress=False))
    html = (out / "report.html").read_text("utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html
    report = json.loads((out / "report.json").read_text("utf-8"))
    md = render_markdown(report)
    assert "<script>" not in md and "\\<script\\>" in md
    assert render_html(report).count("<script") == 0


def test_store_keeps_stories_and_does_not_duplicate_articles(tmp_path: Path, example_dir: Path):
    out = tmp_path / "out"
    options = Options(progress=False, story="japan")
    run_analysis([str(example_dir)], out, options)
    run_analysis([str(example_dir)], out, options)
    store = Store(default_db_url(out))
    try:
        stories = store.stories()
        assert [s["name"] for s in stories] == ["japan"]
        assert store.article_count() == 5
        assert store.article_count(stories[0]["id"]) == 5
        latest = store.report(stories[0]["id"])
        validate_report(latest)
        with store.engine.connect() as conn:
            mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        assert mode == "wal"
    finally:
        store.close()


def test_python_api(example_dir: Path):
    import storydesk

    story = storydesk.analyze([str(example_dir)])
    assert len(story.articles) == 5
    assert len({a.id for a in story.articles}) == 5
