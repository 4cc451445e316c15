"""The store on a real PostgreSQL server: a throwaway cluster in a temporary folder.

Skipped only where no PostgreSQL server binaries exist on the machine; the CI machine has them.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from storydesk.options import Options
from storydesk.report.render import validate_report
from storydesk.run import run_analysis
from storydesk.store import Store


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


@pytest.fixture(scope="module")
def postgres_url():
    """A fresh database: on the server `.ci/run` started (STORYDESK_TEST_PG_URL), else on a
    throwaway cluster this fixture starts itself."""
    pytest.importorskip("psycopg")
    server = os.environ.get("STORYDESK_TEST_PG_URL")
    if server:
        yield from _fresh_database(server)
        return
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("no PostgreSQL: set STORYDESK_TEST_PG_URL or install the server binaries (initdb, pg_ctl)")
    # Not under pytest's tmp root: that is private to the current user, and the server runs as postgres.
    base = Path(tempfile.mkdtemp(prefix="storydesk-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root; use the postgres system user
        shutil.chown(base, user="postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    data = base / "data"
    subprocess.run([*run_as, initdb, "-D", str(data), "-A", "trust", "-U", "storydesk"], check=True, capture_output=True)
    opts = f"-k {base} -c listen_addresses=''"
    subprocess.run([*run_as, pg_ctl, "-D", str(data), "-o", opts, "-l", str(base / "log"), "-w", "start"], check=True, capture_output=True)
    time.sleep(0.5)
    yield f"postgresql+psycopg://storydesk@/postgres?host={base}"
    subprocess.run([*run_as, pg_ctl, "-D", str(data), "-m", "fast", "stop"], capture_output=True)
    shutil.rmtree(base, ignore_errors=True)


def _fresh_database(server: str):
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"storydesk_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_runs_store_in_postgres_without_duplicates(postgres_url: str, tmp_path: Path, example_dir: Path):
    options = Options(progress=False, story="pg-story", db_url=postgres_url)
    run_analysis([str(example_dir)], tmp_path / "a", options)
    run_analysis([str(example_dir)], tmp_path / "b", options)
    store = Store(postgres_url)
    try:
        stories = store.stories()
        assert [s["name"] for s in stories] == ["pg-story"]
        assert store.article_count(stories[0]["id"]) == 5
        validate_report(store.report(stories[0]["id"]))
    finally:
        store.close()


def test_batch_mode_records_everything_once_in_postgres(postgres_url: str, tmp_path: Path):
    pytest.importorskip("distributed")
    from sqlalchemy import create_engine, text

    from storydesk.scale import run_batch

    collection = Path(__file__).parent / "fixtures" / "batch" / "collection.jsonl"
    options = Options(db_url=postgres_url)
    first = run_batch([str(collection)], tmp_path / "a", options, workers=1, partition_size=4)
    again = run_batch([str(collection)], tmp_path / "b", options, workers=1, resume=True)
    assert again.skipped == 12 and again.documents == 0 and again.analysed_stories == 0
    assert {frozenset(s["articles"]) for s in again.stories} == {frozenset(s["articles"]) for s in first.stories}
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("select count(*), count(distinct hash) from processed")).one() == (12, 12)
            indexes = set(conn.execute(text("select indexname from pg_indexes where tablename in ('runs', 'story_articles')")).scalars())
            assert {"ix_runs_story", "ix_story_articles_article"} <= indexes
    finally:
        engine.dispose()
