"""The database's tables and their numbered migrations, and the one engine every part of the store uses.

Each migration creates only its own tables (in its own MetaData), so a new database replays them all
to the same schema and an old one gets exactly what it lacks; `schema_version` records how far a
database has come. Append, never edit.

1. stories, articles (keyed by the hash of their clean text, so re-running on the same inputs updates
   rows instead of duplicating them), the stories' articles, and runs (each keeps its full JSON report).
2. The web app's: `documents` keeps each story's raw inputs as read (a RawDocument per row; a URL not
   fetched yet is a row of kind "url"), so adding articles can re-run the analysis over everything
   the story holds; `jobs` records background analyses (status, stage, progress, error).
3. Batch mode's ledger (`processed`, `raw_texts`, `cluster_features`), and indexes for the lookups
   made often: a story's latest run, and the stories an article belongs to.
4. `article_features`: clustering features as JSON plus raw numeric arrays, with a format number per
   row. They replace `cluster_features`, whose rows were pickles: unpickling what a database holds
   runs code for anyone who can write to it. Old rows are never read; `store.ledger` refuses to
   resume from them and says to run the batch again without `--resume`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    insert,
    select,
    text,
)
from sqlalchemy.engine import Engine

metadata = MetaData()

schema_version = Table("schema_version", metadata, Column("version", Integer, primary_key=True))
stories = Table(
    "stories",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", Text, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
)
articles = Table(
    "articles",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("title", Text),
    Column("published", String(10)),
    Column("outlet", Text),
    Column("genre", String(16)),
    Column("language", String(8)),
    Column("text", Text, nullable=False),
    Column("data", JSON, nullable=False),
)
story_articles = Table(
    "story_articles",
    metadata,
    Column("story_id", String(32), ForeignKey("stories.id"), primary_key=True),
    Column("article_id", String(32), ForeignKey("articles.id"), primary_key=True),
)
runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("story_id", String(32), ForeignKey("stories.id"), nullable=False),
    Column("finished", DateTime(timezone=True), nullable=False),
    Column("report", JSON, nullable=False),
)

# Migration 2: raw input documents per story and background analysis jobs.
metadata_v2 = MetaData()
documents = Table(
    "documents",
    metadata_v2,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("story_id", String(32), ForeignKey(stories.c.id), nullable=False, index=True),
    Column("source", Text, nullable=False),
    Column("kind", String(8), nullable=False),
    Column("content", Text, nullable=False),
    Column("url", Text),
    Column("title", Text),
    Column("published", String(32)),
    Column("byline", JSON, nullable=False),
    Column("errors", JSON, nullable=False),
    Column("added", DateTime(timezone=True), nullable=False),
)
jobs = Table(
    "jobs",
    metadata_v2,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("story_id", String(32), ForeignKey(stories.c.id), nullable=False, index=True),
    Column("status", String(16), nullable=False),  # queued | running | done | failed
    Column("stage", Text),
    Column("done", Integer, nullable=False),
    Column("total", Integer, nullable=False),
    Column("error", Text),
    Column("run_id", Integer),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("started", DateTime(timezone=True)),
    Column("finished", DateTime(timezone=True)),
)

# Migration 3: batch mode.
metadata_batch = MetaData()
# One row per input document handled (by content hash), so `--resume` skips them.
processed = Table(
    "processed",
    metadata_batch,
    Column("hash", String(64), primary_key=True),
    Column("source", Text, nullable=False),
    Column("article_id", String(32)),
    Column("errors", JSON, nullable=False),
    Column("recorded", DateTime(timezone=True), nullable=False),
)
# The raw input an article was cleaned from: page-level signals read it, and a resumed batch run
# rebuilds its articles from the store instead of the inputs.
raw_texts = Table(
    "raw_texts",
    metadata_batch,
    Column("article_id", String(32), ForeignKey(articles.c.id), primary_key=True),
    Column("raw", Text, nullable=False),
)
# Pickled features, written by versions before migration 4 and never read since (see the docstring).
legacy_cluster_features = Table(
    "cluster_features",
    metadata_batch,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(32), nullable=False),
    Column("data", LargeBinary, nullable=False),
)

# Migration 4: each clustered article's features, in the order they were fed to the clusterer (a
# resumed run replays them into a fresh clusterer). `format` says how `meta` and `arrays` are laid
# out (`store.features`).
metadata_features = MetaData()
article_features = Table(
    "article_features",
    metadata_features,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(32), nullable=False),
    Column("format", Integer, nullable=False),
    Column("meta", JSON, nullable=False),
    Column("arrays", LargeBinary, nullable=False),
)


def _migration_3(conn: Any) -> None:
    metadata_batch.create_all(conn)
    # Plain SQL (both SQLite and PostgreSQL know IF NOT EXISTS): an Index object would attach itself
    # to the tables of migration 1 and be created again there on the next new database.
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_runs_story ON runs (story_id, id)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_story_articles_article ON story_articles (article_id)"))


# Index i brings the schema from version i to i + 1.
MIGRATIONS: list[Callable[[Any], None]] = [
    lambda conn: metadata.create_all(conn),
    lambda conn: metadata_v2.create_all(conn),
    _migration_3,
    lambda conn: metadata_features.create_all(conn),
]


def open_engine(url: str) -> Engine:
    """The engine for `url`, its schema brought up to date. SQLite runs in WAL mode (readers do not
    wait for the writer) with foreign keys enforced; a writer waits up to 30 s for another's transaction."""
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    migrate(engine)
    return engine


def migrate(engine: Engine) -> None:
    with engine.begin() as conn:
        schema_version.create(conn, checkfirst=True)
        current = conn.execute(select(schema_version.c.version)).scalar() or 0
        for version in range(current, len(MIGRATIONS)):
            MIGRATIONS[version](conn)
        if current < len(MIGRATIONS):
            conn.execute(schema_version.delete())
            conn.execute(insert(schema_version).values(version=len(MIGRATIONS)))


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    # A writer waits for another's transaction (a job saving a large report while requests add
    # documents) instead of failing with "database is locked" after the driver's 5 s.
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()
