"""Batch mode on a real Dask LocalCluster and a real SQLite store: stories out, nothing lost,
and a run killed with SIGKILL finishes under --resume with nothing lost or duplicated."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from storydesk.options import Options  # noqa: E402
from storydesk.report.render import validate_report  # noqa: E402
from storydesk.scale import run_batch  # noqa: E402

COLLECTION = Path(__file__).parent / "fixtures" / "batch" / "collection.jsonl"
GOOD_IDS = {"a1", "a2", "a3", "b1", "b2", "b3", "c1", "c2", "c2-copy", "d1"}


def _membership(stories: list[dict]) -> dict[str, int]:
    """source -> how many stories list it."""
    counts: dict[str, int] = {}
    for s in stories:
        for src in s["articles"]:
            counts[src] = counts.get(src, 0) + 1
    return counts


def _groups(stories: list[dict]) -> set[frozenset[str]]:
    return {frozenset(s["articles"]) for s in stories}


@pytest.fixture(scope="module")
def scheduler():
    """A running Dask cluster, reached by address as `--scheduler` does; its worker keeps the models
    loaded across the runs of this module."""
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory: pytest.TempPathFactory, scheduler: str):
    out = tmp_path_factory.mktemp("batch")
    result = run_batch([str(COLLECTION)], out, Options(), scheduler=scheduler, partition_size=3)
    return out, result


def test_every_document_lands_in_one_story_or_in_the_errors(batch_run):
    out, result = batch_run
    stories = json.loads((out / "stories.json").read_text("utf-8"))
    assert _membership(stories) == {i: 1 for i in GOOD_IDS}
    errors = json.loads((out / "errors.json").read_text("utf-8"))
    assert {e["source"].rsplit(":", 1)[-1] for e in errors} == {"6", "12"}  # the bad JSON line, the line with no text
    assert result.documents == 12


def test_stories_keep_similar_events_apart_and_copies_together(batch_run):
    out, _ = batch_run
    groups = _groups(json.loads((out / "stories.json").read_text("utf-8")))
    # The two dam failures are different events; the election copies are one story with their original.
    assert not any({"a1", "b1"} <= g for g in groups)
    assert any({"c2", "c2-copy"} <= g for g in groups)
    assert frozenset({"d1"}) in groups


def test_each_story_has_a_valid_report_and_the_index_escapes_titles(batch_run):
    out, _ = batch_run
    stories = json.loads((out / "stories.json").read_text("utf-8"))
    for s in stories:
        report = json.loads((out / s["report"]).read_text("utf-8"))
        validate_report(report)
        assert {a["source"] for a in report["articles"]} | {c for a in report["articles"] for c in a["copies"]} == set(s["articles"])
        assert (out / "stories" / s["id"] / "report.html").exists()
        if s["first_published"]:
            assert s["first_published"] <= s["last_published"]
    index = (out / "index.html").read_text("utf-8")
    assert "<script>document.title" not in index and "&lt;script&gt;" in index


def test_each_story_folder_holds_what_analyze_writes(batch_run, scheduler: str):
    from storydesk.report.export import to_claimreview, to_ftm
    from storydesk.service import OUTPUT_FILES

    out, _ = batch_run
    stories = json.loads((out / "stories.json").read_text("utf-8"))
    for s in stories:
        folder = out / "stories" / s["id"]
        assert sorted(p.name for p in folder.iterdir()) == sorted(OUTPUT_FILES)  # nothing else, no temporary file
        report = json.loads((folder / "report.json").read_text("utf-8"))
        assert json.loads((folder / "claimreview.jsonld").read_text("utf-8")) == to_claimreview(report)
        ftm = [json.loads(line) for line in (folder / "report.ftm.jsonl").read_text("utf-8").splitlines()]
        assert ftm == to_ftm(report)
    # a story reused by --resume whose folder lost a file gets it back, the others are left alone
    lost = out / "stories" / stories[0]["id"] / "claimreview.jsonld"
    kept = out / "stories" / stories[-1]["id"] / "report.html"
    lost.unlink()
    before = kept.stat().st_mtime_ns
    again = run_batch([str(COLLECTION)], out, Options(), scheduler=scheduler, resume=True)
    assert again.reused_stories == len(stories) and lost.exists()
    assert kept.stat().st_mtime_ns == before or stories[0]["id"] == stories[-1]["id"]


def test_resume_without_changes_reuses_everything(batch_run, scheduler: str):
    out, first = batch_run
    again = run_batch([str(COLLECTION)], out, Options(), scheduler=scheduler, resume=True)
    assert again.documents == 0 and again.skipped == 12
    assert again.analysed_stories == 0 and again.reused_stories == len(first.stories)
    assert _groups(again.stories) == _groups(first.stories)


def _recorded(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute("select count(*) from processed").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_sigkill_then_resume_loses_and_duplicates_nothing(batch_run, tmp_path: Path):
    reference, _ = batch_run
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "storydesk.cli", "batch", str(COLLECTION), "--out", str(out), "--workers", "1",
           "--partition-size", "1", "--quiet"]
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    db = out / "storydesk.sqlite"
    deadline = time.monotonic() + 300
    while _recorded(db) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be killed: " + proc.stderr.read().decode()[-500:]
    os.killpg(proc.pid, signal.SIGKILL)  # the client and its Dask workers, no chance to clean up
    proc.wait()
    killed_at = _recorded(db)
    assert 2 <= killed_at < 12 and not (out / "stories.json").exists()

    done = subprocess.run([*cmd[:-1], "--resume"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    stories = json.loads((out / "stories.json").read_text("utf-8"))
    assert _membership(stories) == {i: 1 for i in GOOD_IDS}
    assert _groups(stories) == _groups(json.loads((reference / "stories.json").read_text("utf-8")))
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*), count(distinct hash) from processed").fetchone() == (12, 12)
        assert conn.execute("select count(*) from articles").fetchone()[0] == len(GOOD_IDS) - 1  # the copy is one article
        assert conn.execute("select count(*), count(distinct article_id) from cluster_features").fetchone() == (9, 9)
