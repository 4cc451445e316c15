"""Persistence: SQLite by default (a file beside the report, WAL mode), PostgreSQL by URL.

One small interface (`Store.save`, `Store.stories`, `Store.report`), SQLAlchemy Core underneath,
numbered migrations recorded in `schema_version`. Articles are keyed by the hash of their clean text,
so re-running on the same inputs updates rows instead of duplicating them; a story owns its runs,
and a run keeps the full JSON report it produced.

Migration 2 (the web app's): `documents` keeps each story's raw inputs as read (a RawDocument per
row; a URL not fetched yet is a row of kind "url"), so adding articles can re-run the analysis over
everything the story holds; `jobs` records background analyses (status, stage, progress, error).
Its tables live in their own MetaData so migration 1 keeps creating exactly what it always did.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
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
    delete,
    event,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine

from ..model import Article, RawDocument, Story, article_from_dict, article_to_dict
from .cache import Memo

# Parsed reports kept per Store (the five-article example's is about 2 MB parsed) and values derived from them
# (pages and API bodies, up to a few hundred KB each): enough for the stories a newsroom has open.
REPORTS_KEPT = 8
DERIVED_KEPT = 256

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

# Migration 2: raw input documents per story and background analysis jobs (see the module docstring).
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

# Migration 3: batch mode. Its tables live in their own MetaData too.
metadata_batch = MetaData()
# Batch mode's ledger: one row per input document handled (by content hash), so `--resume` skips
# them.
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
# Each clustered article's features, in the order they were fed to the clusterer: a resumed run
# replays them into a fresh clusterer instead of rewriting a growing state blob per partition.
cluster_features = Table(
    "cluster_features",
    metadata_batch,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(32), nullable=False),
    Column("data", LargeBinary, nullable=False),
)

# Numbered migrations: index i brings the schema from version i to i + 1. Append, never edit; each
# migration creates only its own tables, so a new database replays them all to the same schema.
MIGRATIONS = [
    lambda conn: metadata.create_all(conn),
    lambda conn: metadata_v2.create_all(conn),
    lambda conn: _migration_3(conn),
]


def _migration_3(conn: Any) -> None:
    """Batch mode's tables, and indexes for the lookups the UI and batch runs make often: a story's
    latest run, and the stories an article belongs to."""
    metadata_batch.create_all(conn)
    # Plain SQL (both SQLite and PostgreSQL know IF NOT EXISTS): an Index object would attach itself
    # to the tables of migration 1 and be created again there on the next new database.
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_runs_story ON runs (story_id, id)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_story_articles_article ON story_articles (article_id)"))


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self._reports = Memo(REPORTS_KEPT)
        self._derived = Memo(DERIVED_KEPT)
        self.engine: Engine = create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._migrate()

    def _migrate(self) -> None:
        with self.engine.begin() as conn:
            schema_version.create(conn, checkfirst=True)
            current = conn.execute(select(schema_version.c.version)).scalar() or 0
            for version in range(current, len(MIGRATIONS)):
                MIGRATIONS[version](conn)
            if current < len(MIGRATIONS):
                conn.execute(schema_version.delete())
                conn.execute(insert(schema_version).values(version=len(MIGRATIONS)))

    def save(self, story: Story, report: dict[str, Any]) -> int:
        """Upsert the story and its articles, and record this run with its report. Returns the run id."""
        now = datetime.now(timezone.utc)
        with self.engine.begin() as conn:
            if conn.execute(select(stories.c.id).where(stories.c.id == story.id)).first() is None:
                conn.execute(insert(stories).values(id=story.id, name=story.name, created=now))
            linked = set(conn.execute(select(story_articles.c.article_id).where(story_articles.c.story_id == story.id)).scalars())
            for art in story.articles:
                _upsert_article(conn, art)
                if art.id not in linked:
                    conn.execute(insert(story_articles).values(story_id=story.id, article_id=art.id))
            result = conn.execute(insert(runs).values(story_id=story.id, finished=now, report=_jsonable(report)))
            return int(result.inserted_primary_key[0])  # type: ignore[index]  # typed Optional; an INSERT always has it

    def stories(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(stories).order_by(stories.c.created))]

    def article_count(self, story_id: str | None = None) -> int:
        with self.engine.connect() as conn:
            if story_id is None:
                return len(conn.execute(select(articles.c.id)).all())
            return len(conn.execute(select(story_articles.c.article_id).where(story_articles.c.story_id == story_id)).all())

    def report(self, story_id: str) -> dict[str, Any] | None:
        """The latest run's report for a story, parsed once per run and shared: do not change it
        (`copy.deepcopy` it first)."""
        run_id = self.latest_run(story_id)
        return None if run_id is None else self.run_report(story_id, run_id)

    def latest_run(self, story_id: str) -> int | None:
        """The id of the story's latest run: what a read of its report is keyed by."""
        with self.engine.connect() as conn:
            row = conn.execute(select(runs.c.id).where(runs.c.story_id == story_id).order_by(runs.c.id.desc()).limit(1)).first()
            return int(row[0]) if row else None

    def run_report(self, story_id: str, run_id: int) -> dict[str, Any]:
        """One run's report (shared, see `report`), parsed on first use."""

        def load() -> dict[str, Any]:
            with self.engine.connect() as conn:
                return dict(conn.execute(select(runs.c.report).where(runs.c.id == run_id, runs.c.story_id == story_id)).scalar_one())

        return dict(self._reports.get((story_id, run_id), load))

    def derived(self, story_id: str, name: str, build: Callable[[dict[str, Any]], Any]) -> Any:
        """`build(report)` for the story's latest report, computed once per run and shared like the
        report (a page or view a reader asks for again and again). None when the story has no run."""
        run_id = self.latest_run(story_id)
        if run_id is None:
            return None
        return self._derived.get((story_id, run_id, name), lambda: build(self.run_report(story_id, run_id)))

    # ---- batch mode (migration 3): the ledger of handled documents and clustering features, for --resume

    def record_partition(self, rows: list[dict[str, Any]], arts: list[Article], features: list[tuple[str, bytes]]) -> None:
        """One transaction per partition: its ledger rows, its articles (with raw input) and the
        clustering features it fed, in order. A run killed at any point has recorded all of a
        partition or none of it."""
        now = datetime.now(timezone.utc)
        with self.engine.begin() as conn:
            for art in arts:
                _upsert_article(conn, art)
                conn.execute(delete(raw_texts).where(raw_texts.c.article_id == art.id))
                conn.execute(insert(raw_texts).values(article_id=art.id, raw=art.raw))
            if rows:
                conn.execute(insert(processed), [{**r, "recorded": now} for r in rows])
            if features:
                conn.execute(insert(cluster_features), [{"article_id": a, "data": d} for a, d in features])

    def processed_rows(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(processed))]

    def cluster_features(self) -> list[tuple[str, bytes]]:
        """(article id, features) in the order they were clustered."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(cluster_features.c.article_id, cluster_features.c.data).order_by(cluster_features.c.seq))
            return [(a, bytes(d)) for a, d in rows]

    def load_articles(self, ids: list[str]) -> list[Article]:
        """Stored articles with their raw input, in the order asked; unknown ids are skipped."""
        found: dict[str, Article] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                query = select(articles.c.id, articles.c.data, raw_texts.c.raw).outerjoin(
                    raw_texts, raw_texts.c.article_id == articles.c.id
                ).where(articles.c.id.in_(chunk))
                for aid, data, raw in conn.execute(query):
                    found[aid] = article_from_dict(data)
                    found[aid].raw = raw or ""
        return [found[i] for i in ids if i in found]

    def reset_batch(self) -> None:
        """Forget which documents were handled (a fresh, non-resumed batch run); stories stay."""
        with self.engine.begin() as conn:
            conn.execute(delete(processed))
            conn.execute(delete(cluster_features))

    # ---- stories, documents and jobs for the web app (migration 2)

    def story(self, story_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(stories).where(stories.c.id == story_id)).first()
            return dict(row._mapping) if row else None

    def has_report(self, story_id: str) -> bool:
        """Whether any run was saved for the story, without loading its report."""
        with self.engine.connect() as conn:
            return conn.execute(select(runs.c.id).where(runs.c.story_id == story_id).limit(1)).first() is not None

    def create_story(self, story_id: str, name: str) -> dict[str, Any]:
        now = datetime.now(timezone.utc)
        with self.engine.begin() as conn:
            conn.execute(insert(stories).values(id=story_id, name=name, created=now))
        return {"id": story_id, "name": name, "created": now}

    def add_documents(self, story_id: str, docs: list[RawDocument]) -> int:
        now = datetime.now(timezone.utc)
        rows = [{"story_id": story_id, "added": now, **_document_row(d)} for d in docs]
        if rows:
            with self.engine.begin() as conn:
                conn.execute(insert(documents), rows)
        return len(rows)

    def documents(self, story_id: str, kind: str | None = None) -> list[tuple[int, RawDocument]]:
        """(row id, document) in the order they were added; `kind="url"` gives the URLs not fetched yet."""
        query = select(documents).where(documents.c.story_id == story_id).order_by(documents.c.id)
        if kind is not None:
            query = query.where(documents.c.kind == kind)
        with self.engine.connect() as conn:
            return [(r.id, _document(r._mapping)) for r in conn.execute(query)]

    def document_count(self, story_id: str) -> int:
        with self.engine.connect() as conn:
            return len(conn.execute(select(documents.c.id).where(documents.c.story_id == story_id)).all())

    def replace_document(self, doc_id: int, docs: list[RawDocument]) -> None:
        """Swap one row (a URL placeholder) for what reading it gave, in one transaction."""
        with self.engine.begin() as conn:
            row = conn.execute(select(documents.c.story_id, documents.c.added).where(documents.c.id == doc_id)).first()
            if row is None:
                return
            conn.execute(documents.delete().where(documents.c.id == doc_id))
            if docs:
                conn.execute(insert(documents), [{"story_id": row.story_id, "added": row.added, **_document_row(d)} for d in docs])

    def create_job(self, story_id: str, total: int = 0) -> dict[str, Any]:
        now = datetime.now(timezone.utc)
        with self.engine.begin() as conn:
            result = conn.execute(insert(jobs).values(story_id=story_id, status="queued", done=0, total=total, created=now))
            job_id = int(result.inserted_primary_key[0])  # type: ignore[index]  # typed Optional; an INSERT always has it
        return self.job(job_id) or {}

    def update_job(self, job_id: int, **values: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(jobs).where(jobs.c.id == job_id).values(**values))

    def job(self, job_id: int) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(jobs).where(jobs.c.id == job_id)).first()
            return dict(row._mapping) if row else None

    def latest_job(self, story_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(jobs).where(jobs.c.story_id == story_id).order_by(jobs.c.id.desc()).limit(1)).first()
            return dict(row._mapping) if row else None

    def fail_unfinished_jobs(self, *, running: str, queued: str) -> int:
        """Mark running and queued jobs failed, each with its reason (a server restart lost the thread
        that ran them); returns how many."""
        failed = 0
        with self.engine.begin() as conn:
            for status, reason in (("running", running), ("queued", queued)):
                result = conn.execute(update(jobs).where(jobs.c.status == status)
                                      .values(status="failed", error=reason, finished=datetime.now(timezone.utc)))
                failed += int(result.rowcount or 0)
        return failed

    def close(self) -> None:
        self.engine.dispose()


def _upsert_article(conn: Any, art: Article) -> None:
    """Articles are keyed by content, so a second sighting updates the row (new copies, new run)."""
    row = _article_row(art)
    if conn.execute(select(articles.c.id).where(articles.c.id == art.id)).first():
        conn.execute(update(articles).where(articles.c.id == art.id).values(**row))
    else:
        conn.execute(insert(articles).values(id=art.id, **row))


def _article_row(art: Article) -> dict[str, Any]:
    return {
        "source": art.source,
        "url": art.url,
        "title": art.title,
        "published": art.published,
        "outlet": art.outlet,
        "genre": art.genre,
        "language": art.language,
        "text": art.text,
        "data": _jsonable(article_to_dict(art)),
    }


def _document_row(doc: RawDocument) -> dict[str, Any]:
    return {"source": doc.source, "kind": doc.kind, "content": doc.content, "url": doc.url, "title": doc.title,
            "published": doc.published, "byline": list(doc.byline), "errors": list(doc.errors)}


def _document(row: Any) -> RawDocument:
    return RawDocument(row["source"], kind=row["kind"], content=row["content"], url=row["url"], title=row["title"],
                       published=row["published"], byline=list(row["byline"] or []), errors=list(row["errors"] or []))


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False))
