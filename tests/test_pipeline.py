"""The whole pipeline on the example story and on awkward inputs for the language layer."""

from __future__ import annotations

from pathlib import Path

import pytest

from storydesk.model import Article, Story
from storydesk.options import Options
from storydesk.pipeline import STAGES, Stage, analyze, check_output, check_pipeline


def test_pipeline_order_is_consistent():
    check_pipeline(STAGES)
    names = [s.name for s in STAGES]
    assert names.index("language") < names.index("claims")


def test_a_misspelt_field_or_a_broken_stage_fails_where_it_broke():
    with pytest.raises(RuntimeError, match="fields of neither"):
        check_pipeline([Stage("typo", lambda s: s, requires=("articles",), provides=("clams",))])
    stage = Stage("claims", lambda s: s, requires=("articles",), provides=("claims", "reliability"))
    with pytest.raises(TypeError, match="returned NoneType, not a Story"):
        check_output(stage, None)
    story = Story(id="s", name="s", articles=[Article(id="a", source="a.txt", text="Some text.")])
    story.claims = None  # type: ignore[assignment]
    with pytest.raises(TypeError, match="Story.claims"):
        check_output(stage, story)
    story.claims = []
    with pytest.raises(TypeError, match="Article.reliability on 1 article"):
        check_output(stage, story)
    story.articles[0].text = "   "  # an article without text keeps no reliability
    assert check_output(stage, story) is story


def test_example_story_has_entities_quotes_quantities_times_and_claims(example_run):
    _, report = example_run
    arts = {a["id"] for a in report["articles"]}
    for key in ("entities", "quotes", "quantities", "times", "claims"):
        assert report[key], f"no {key} in the example story"
    for q in report["quotes"] + report["quantities"] + report["times"] + report["claims"]:
        assert q["article"] in arts
        start, end = q["span"]
        assert 0 <= start < end
    texts = {a["id"]: a["text"] for a in report["articles"]}
    for claim in report["claims"]:
        start, end = claim["span"]
        assert texts[claim["article"]][start:end].strip() == claim["text"]
    assert any(c["single_source"] for c in report["claims"])
    assert any(not c["single_source"] for c in report["claims"]), "the five articles share some facts"
    kinds = {link["kind"] for link in report["links"]}
    assert "agree" in kinds


def test_awkward_text_never_crashes(tmp_path: Path):
    (tmp_path / "nosentences.txt").write_text("42 17 99 3.5 -- // ** 1 2 3\n\n7 8 9", encoding="utf-8")
    (tmp_path / "oneline.txt").write_text(" ".join(["word"] * 2500 + ["The minister said 40 schools would close."] * 400), encoding="utf-8")
    (tmp_path / "french.txt").write_text(
        "Le ministre a annoncé lundi la fermeture de quarante écoles dans la région, selon un communiqué du gouvernement.",
        encoding="utf-8",
    )
    story = analyze([str(tmp_path)], Options())
    assert len(story.articles) == 3
    french = [a for a in story.articles if a.source.endswith("french.txt")][0]
    assert french.language == "fr" and french.errors
    assert all(q.article != french.id for q in story.quantities)
    oneline = [a for a in story.articles if a.source.endswith("oneline.txt")][0]
    assert len(oneline.text.split()) >= 5000
