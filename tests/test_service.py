"""The one analyse-and-publish path (`storydesk.service`): every output written whole, the run stored,
and a run that analysed nothing replacing no good report, on disk, in the store, or through a web job.
Real pipeline, real SQLite; the analyze CLI, the web jobs and batch mode are covered where they are
tested (test_report, test_web_api, test_batch) and all call this."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storydesk.model import RawDocument, Story
from storydesk.options import Options
from storydesk.service import OUTPUT_FILES, analyse, publish
from storydesk.store import Store

DOCS = [
    RawDocument("first.txt", content=(
        "The river authority closed the Arlen footbridge on Monday after inspectors found a cracked support.\n\n"
        "Chief engineer Dana Morrow said repairs would take three weeks and cost about $400,000.")),
    RawDocument("second.txt", content=(
        "Inspectors closed the Arlen footbridge on Monday when they found a cracked support beam.\n\n"
        "Dana Morrow, the authority's chief engineer, said the repairs would take four weeks.")),
]


@pytest.fixture(scope="module")
def good() -> Story:
    return analyse("s" * 16, "footbridge", documents=DOCS)


def _nothing(story_id: str = "s" * 16) -> Story:
    return analyse(story_id, "footbridge", documents=[RawDocument("gone.txt", content="")])


def test_publish_stores_the_run_and_writes_every_output(good: Story, tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    try:
        done = publish(good, store, tmp_path / "out")
        assert done.analysed == 2 and done.run_id and not done.kept
        assert sorted(p.name for p in done.files.values()) == sorted(OUTPUT_FILES)
        assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(OUTPUT_FILES)
        assert store.report(good.id) == json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    finally:
        store.close()


def test_nothing_analysed_leaves_the_outputs_and_opens_no_database(good: Story, tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(good, f"sqlite:///{tmp_path / 'first.sqlite'}", out)
    before = {name: (out / name).read_bytes() for name in OUTPUT_FILES}
    elsewhere = tmp_path / "second.sqlite"
    done = publish(_nothing(), f"sqlite:///{elsewhere}", out)
    assert done.kept and done.analysed == 0 and done.run_id is None and not done.files
    assert {name: (out / name).read_bytes() for name in OUTPUT_FILES} == before
    assert not elsewhere.exists()


def test_nothing_analysed_keeps_the_stored_report_but_a_new_story_gets_its_errors(good: Story, tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    try:
        publish(good, store)
        kept = publish(_nothing(), store)
        assert kept.kept and kept.run_id is None
        assert len(store.report(good.id)["articles"]) == 2  # type: ignore[index]
        new = publish(_nothing("n" * 16), store)
        assert not new.kept and new.run_id
        assert store.report("n" * 16)["articles"][0]["errors"]  # type: ignore[index]
    finally:
        store.close()


def test_a_web_job_that_reads_nothing_fails_and_keeps_the_report(good: Story, tmp_path: Path) -> None:
    from storydesk.web.jobs import NOTHING_ANALYSED, run_job

    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    try:
        store.create_story(good.id, good.name)
        publish(good, store)
        store.add_documents(good.id, [RawDocument("gone.txt", content="")])
        job = store.create_job(good.id, 1)
        run_job(store, job["id"], good.id, Options())
        after = store.job(job["id"])
        assert after and after["status"] == "failed" and after["error"] == NOTHING_ANALYSED and after["run_id"] is None
        assert len(store.report(good.id)["articles"]) == 2  # type: ignore[index]
    finally:
        store.close()
