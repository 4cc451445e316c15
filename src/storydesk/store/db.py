"""Persistence: SQLite by default (a file beside the report, WAL mode), PostgreSQL by URL.

One small interface (`Store.save`, `Store.stories`, `Store.report`), SQLAlchemy Core underneath,
numbered migrations recorded in `schema_version`. Articles are keyed by the hash of their clean text,
so re-running on the same inputs updates rows instead of duplicating them; a story owns its runs,
and a run keeps the full JSON report it produced.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Index,
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
    update,
)
from sqlalchemy.engine import Engine

from ..model import Article, Story, article_from_dict, article_to_dict

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

# Batch mode's ledger: one row per input document handled (by content hash), so `--resume` skips
# them.
processed = Table(
    "processed",
    metadata,
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
    metadata,
    Column("article_id", String(32), ForeignKey("articles.id"), primary_key=True),
    Column("raw", Text, nullable=False),
)
# Each clustered article's features, in the order they were fed to the clusterer: a resumed run
# replays them into a fresh clusterer instead of rewriting a growing state blob per partition.
cluster_features = Table(
    "cluster_features",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(32), nullable=False),
    Column("data", LargeBinary, nullable=False),
)

# Numbered migrations: index i brings the schema from version i to i + 1. Append; each migration
# creates only its own tables, so a new database replays them all to the same schema.
MIGRATIONS = [
    lambda conn: metadata.create_all(conn, tables=[stories, articles, story_articles, runs]),
    lambda conn: _migration_2(conn),
]


def _migration_2(conn: Any) -> None:
    """Batch mode's tables, and indexes for the lookups the UI and batch runs make often: a story's
    latest run, and the stories an article belongs to."""
    metadata.create_all(conn, tables=[processed, raw_texts, cluster_features])
    Index("ix_runs_story", runs.c.story_id, runs.c.id).create(conn, checkfirst=True)
    Index("ix_story_articles_article", story_articles.c.article_id).create(conn, checkfirst=True)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
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
                row = _article_row(art)
                exists = conn.execute(select(articles.c.id).where(articles.c.id == art.id)).first()
                if exists:
                    conn.execute(update(articles).where(articles.c.id == art.id).values(**row))
                else:
                    conn.execute(insert(articles).values(id=art.id, **row))
                if art.id not in linked:
                    conn.execute(insert(story_articles).values(story_id=story.id, article_id=art.id))
            result = conn.execute(insert(runs).values(story_id=story.id, finished=now, report=_jsonable(report)))
            return int(result.inserted_primary_key[0])

    def stories(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(stories).order_by(stories.c.created))]

    def article_count(self, story_id: str | None = None) -> int:
        with self.engine.connect() as conn:
            if story_id is None:
                return len(conn.execute(select(articles.c.id)).all())
            return len(conn.execute(select(story_articles.c.article_id).where(story_articles.c.story_id == story_id)).all())

    def report(self, story_id: str) -> dict[str, Any] | None:
        """The latest run's report for a story."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(runs.c.report).where(runs.c.story_id == story_id).order_by(runs.c.id.desc()).limit(1)
            ).first()
            return row[0] if row else None

    # ---- batch mode: the ledger of handled documents and the clusterer state, for --resume

    def processed_hashes(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(select(processed.c.hash)).scalars())

    def record_partition(self, rows: list[dict[str, Any]], arts: list[Article], features: list[tuple[str, bytes]]) -> None:
        """One transaction per partition: its ledger rows, its articles (with raw input) and the
        clustering features it fed, in order. A run killed at any point has recorded all of a
        partition or none of it."""
        now = datetime.now(timezone.utc)
        with self.engine.begin() as conn:
            for art in arts:
                row = _article_row(art)
                if conn.execute(select(articles.c.id).where(articles.c.id == art.id)).first():
                    conn.execute(update(articles).where(articles.c.id == art.id).values(**row))
                else:
                    conn.execute(insert(articles).values(id=art.id, **row))
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

    def close(self) -> None:
        self.engine.dispose()


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


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False))
