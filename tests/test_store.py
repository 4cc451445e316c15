"""The store's batch ledger reads nothing it would have to execute: clustering features are JSON and
raw numeric arrays, a pickle written into the database is refused without being unpickled, and a
ledger an older version recorded (pickled features) is refused with what to do instead."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import create_engine, insert, inspect, select
from typer.testing import CliRunner

from storydesk.cli import app
from storydesk.cluster import ArticleFeatures
from storydesk.store import LedgerEntry, LedgerError, Store
from storydesk.store.features import FORMAT, encode
from storydesk.store.schema import MIGRATIONS, article_features, legacy_cluster_features, schema_version


class _Marker:
    """Unpickling this writes a file: proof that the bytes were executed."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):  # noqa: ANN204
        return (Path.write_text, (self.path, "unpickled"))


def _features(ident: str = "x1") -> ArticleFeatures:
    rng = np.random.default_rng(7)
    vector = rng.standard_normal(384).astype(np.float32)
    return ArticleFeatures(id=ident, vector=vector / np.linalg.norm(vector), terms={"granary": 7.25, "quake": 4.5},
                           names={"varnholt", "year:2024"}, published="2024-03-12",
                           shingles=rng.integers(0, 2**32, 64, dtype=np.uint64).astype(np.uint32))


@pytest.fixture
def store(tmp_path: Path):
    db = Store(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    yield db
    db.close()


def test_features_round_trip_exactly_and_without_shingles(store: Store) -> None:
    bare = ArticleFeatures(id="x2", vector=np.arange(4, dtype=np.float32), terms={}, names=set())
    store.record_partition([LedgerEntry("h1", "a.txt", "x1", []), LedgerEntry("h2", "b.txt", None, ["empty"])],
                           [], [_features(), bare])
    got, got_bare = store.cluster_features()
    want = _features()
    assert got.vector.dtype == np.float32 and got.vector.tobytes() == want.vector.tobytes()
    assert got.shingles is not None and want.shingles is not None and got.shingles.tobytes() == want.shingles.tobytes()
    assert (got.terms, got.names, got.published) == (want.terms, want.names, want.published)
    assert got_bare.shingles is None and got_bare.vector.tolist() == [0, 1, 2, 3]
    assert store.processed_rows() == [LedgerEntry("h1", "a.txt", "x1", []), LedgerEntry("h2", "b.txt", None, ["empty"])]


def _insert_feature_row(store: Store, meta: dict, arrays: bytes, fmt: int = FORMAT) -> None:
    with store.engine.begin() as conn:
        conn.execute(insert(article_features).values(article_id="evil", format=fmt, meta=meta, arrays=arrays))


def test_a_pickle_in_the_features_is_refused_unread(store: Store, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    payload = pickle.dumps(_Marker(marker))
    meta, _ = encode(_features())
    _insert_feature_row(store, meta, payload)
    with pytest.raises(LedgerError, match="without --resume"):
        store.cluster_features()
    meta["arrays"] = {"vector": {"dtype": "|O", "shape": [1]}}  # an object array would unpickle
    _insert_feature_row(store, meta, payload)
    with pytest.raises(LedgerError, match="not in StoryDesk's format"):
        store.cluster_features()
    assert not marker.exists()


def test_rows_of_another_format_are_refused(store: Store) -> None:
    meta, arrays = encode(_features())
    _insert_feature_row(store, meta, arrays, fmt=FORMAT + 1)
    with pytest.raises(LedgerError, match=f"format {FORMAT + 1}"):
        store.cluster_features()


def test_a_ledger_with_pickled_features_is_refused_with_what_to_do(tmp_path: Path) -> None:
    """A database an older version left mid-batch (schema 3, features pickled): the migration keeps
    it usable for everything else, `--resume` says to run again without it, and that works."""
    marker = tmp_path / "ran"
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        schema_version.create(conn)
        for migration in MIGRATIONS[:3]:
            migration(conn)
        conn.execute(insert(schema_version).values(version=3))
        conn.execute(insert(legacy_cluster_features).values(article_id="old", data=pickle.dumps(_Marker(marker))))
    engine.dispose()
    store = Store(url)
    assert "article_features" in inspect(store.engine).get_table_names()
    with store.engine.connect() as conn:
        assert conn.execute(select(schema_version.c.version)).scalar() == len(MIGRATIONS)
    with pytest.raises(LedgerError, match="without --resume"):
        store.cluster_features()
    store.close()

    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["batch", str(tmp_path / "none.jsonl"), "--out", str(out), "--db", url, "--resume", "--quiet"])
    assert result.exit_code == 2
    assert "pickles" in result.output and "without --resume" in result.output
    assert not marker.exists()

    store = Store(url)
    store.reset_batch()  # what a run without --resume does first
    assert store.cluster_features() == []
    store.close()

