"""Outputs are replaced whole or not at all, and a run that analysed nothing replaces nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storydesk.atomic import write_text
from storydesk.options import Options

FILES = ("report.json", "report.html", "report.md", "report.ftm.jsonl", "claimreview.jsonld")


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("the good report", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_text(target, "half a report \ud800")  # a lone surrogate cannot be encoded: fails mid-write
    assert target.read_text("utf-8") == "the good report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_written_files_have_the_usual_permissions(tmp_path: Path) -> None:
    import os

    write_text(tmp_path / "a.json", "{}")
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "a.json").stat().st_mode & 0o777 == 0o666 & ~mask


def test_report_writers_replace_files_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from storydesk.report import render

    (tmp_path / "report.html").write_text("the good report", encoding="utf-8")
    monkeypatch.setattr(render, "render_html", lambda report: "broken \ud800")
    with pytest.raises(UnicodeEncodeError):
        render.write_reports({"story": {}}, tmp_path)
    assert (tmp_path / "report.html").read_text("utf-8") == "the good report"


def test_batch_outputs_are_written(tmp_path: Path) -> None:
    from storydesk.scale.batch import BatchResult
    from storydesk.scale.outputs import write_outputs

    result = BatchResult(stories=[{"id": "s", "title": "<b>T</b>", "articles": [], "first_published": None,
                                   "last_published": None, "report": "stories/s/report.json"}],
                         errors=[{"source": "x", "errors": ["bad"]}])
    paths = write_outputs(tmp_path, result)
    assert json.loads(paths["stories"].read_text("utf-8"))[0]["id"] == "s"
    assert json.loads(paths["errors"].read_text("utf-8")) == [{"source": "x", "errors": ["bad"]}]
    assert "&lt;b&gt;T&lt;/b&gt;" in paths["index"].read_text("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["errors.json", "index.html", "stories.json"]


def test_nothing_readable_leaves_the_reports_already_there(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from storydesk.run import run_analysis
    from storydesk.store import Store

    out = tmp_path / "out"
    out.mkdir()
    for name in FILES:
        (out / name).write_text(f"good {name}", encoding="utf-8")
    analysed = run_analysis([str(tmp_path / "mistyped.txt")], out, Options(progress=False, story="kept"))
    assert analysed == 0
    assert all((out / name).read_text("utf-8") == f"good {name}" for name in FILES)
    assert "left as they were" in capsys.readouterr().err
    store = Store(f"sqlite:///{out / 'storydesk.sqlite'}")
    try:
        assert store.stories() == []
    finally:
        store.close()
