"""Batch mode on a real Dask LocalCluster and a real SQLite store: stories out, nothing lost,
and a run killed with SIGKILL (at three points) finishes under --resume with the stories of a run
never interrupted, nothing lost or duplicated.

The kill points are found by polling the store the run writes (its ledger of handled documents and
its saved runs), never by a hook in the code: while partitions are being read, right after one was
recorded, and after some but not all stories were analysed. Resumed runs are killed too, so the
later kills test resuming a resumed run.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
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


PARTITION = 3
WAIT_S = 300


def _collection(folder: Path) -> tuple[Path, int]:
    """The batch fixture's lines, each good one also cut into its first and its last sentences (so
    stories hold several documents): the JSONL file and its number of documents."""
    lines = COLLECTION.read_text("utf-8").splitlines()
    out = []
    for line in lines:
        out.append(line)
        try:
            record = json.loads(line)
        except ValueError:
            continue
        sentences = re.split(r"(?<=[.!?])\s+", record.get("text") or "")
        if len(sentences) >= 3:
            half = len(sentences) // 2
            for part, chosen in (("lead", sentences[:half]), ("rest", sentences[half:])):
                out.append(json.dumps({**record, "id": f"{record['id']}-{part}", "text": " ".join(chosen)}))
    path = folder / "collection.jsonl"
    path.write_text("\n".join(out) + "\n", "utf-8")
    return path, len(out)


def _count(db: Path, table: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute(f"select count(*) from {table}").fetchone()[0])
    except sqlite3.Error:  # not created yet, or its schema not migrated yet
        return 0


def _batch(inputs: list[str], out: Path, *flags: str) -> list[str]:
    """The CLI on its own local cluster of one worker (killing its process group kills the worker too)."""
    return [sys.executable, "-m", "storydesk.cli", "batch", *inputs, "--out", str(out), "--partition-size", str(PARTITION),
            "--quiet", *(flags or ("--workers", "1"))]


def _kill_when(cmd: list[str], ready: Callable[[], bool], settle_s: float = 0.0) -> None:
    """Start the run, wait until `ready()`, then SIGKILL its whole process group: no cleanup at all."""
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + WAIT_S
    while not ready() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(settle_s)
    assert proc.poll() is None, "the run ended before the kill point: " + proc.stderr.read().decode()[-1500:]  # type: ignore[union-attr]
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _outputs(out: Path) -> tuple[list[dict], list[dict]]:
    return (json.loads((out / "stories.json").read_text("utf-8")), json.loads((out / "errors.json").read_text("utf-8")))


def test_killed_at_three_points_and_resumed_gives_the_uninterrupted_stories(tmp_path: Path, scheduler: str) -> None:
    collection, total = _collection(tmp_path)
    inputs = [str(collection)]
    reference = tmp_path / "reference"  # uninterrupted, on the module's cluster whose worker has the models loaded
    run_batch(inputs, reference, Options(), scheduler=scheduler, partition_size=PARTITION)
    ref_stories, ref_errors = _outputs(reference)
    assert 30 <= total <= 40 and len(ref_stories) >= 4

    out = tmp_path / "killed"
    db = out / "storydesk.sqlite"
    # 1. While reading: a partition recorded, the next ones in flight on the worker.
    _kill_when(_batch(inputs, out), lambda: _count(db, "processed") >= PARTITION, settle_s=0.3)
    first = _count(db, "processed")
    assert 0 < first < total and not (out / "stories.json").exists()
    # 2. Between partitions: the moment the resumed run commits its first partition (this client alone
    # is killed: it runs on the module's cluster, which must go on serving the next runs).
    _kill_when(_batch(inputs, out, "--resume", "--scheduler", scheduler), lambda: _count(db, "processed") > first)
    assert first < _count(db, "processed") < total
    # 3. During the story stage: some stories analysed and saved, not all.
    _kill_when(_batch(inputs, out, "--resume", "--workers", "1"), lambda: _count(db, "runs") >= 1)
    assert _count(db, "processed") == total and 1 <= _count(db, "runs") < len(ref_stories)
    assert not (out / "stories.json").exists()

    done = subprocess.run(_batch(inputs, out, "--resume", "--scheduler", scheduler), capture_output=True, text=True, timeout=WAIT_S)
    assert done.returncode == 0, done.stderr[-2000:]
    stories, errors = _outputs(out)
    key = lambda s: (s["id"], s["title"], sorted(s["articles"]))  # noqa: E731
    assert sorted(map(key, stories)) == sorted(map(key, ref_stories))
    listed = [src for s in stories for src in s["articles"]]
    assert len(listed) == len(set(listed)), "a document is in two stories"
    assert sorted(e["source"] for e in errors) == sorted(e["source"] for e in ref_errors)
    assert len(listed) + len(errors) == total, "a document is in no story and not in errors.json"
    for s in stories:
        folder = out / "stories" / s["id"]
        report = json.loads((folder / "report.json").read_text("utf-8"))
        assert {a["source"] for a in report["articles"]} | {c for a in report["articles"] for c in a["copies"]} == set(s["articles"])
        assert (folder / "report.html").stat().st_size and (folder / "report.md").stat().st_size
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*), count(distinct hash) from processed").fetchone() == (total, total)
        features, distinct = conn.execute("select count(*), count(distinct article_id) from article_features").fetchone()
        assert features == distinct
    # A kill between a story's report.json and its report.md: the resumed run writes the missing ones.
    folder = out / "stories" / stories[0]["id"]
    (folder / "report.md").unlink()
    again = run_batch(inputs, out, Options(), scheduler=scheduler, resume=True)
    assert again.analysed_stories == 0 and (folder / "report.md").stat().st_size
