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
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine

from ..model import Article, Story, article_to_dict

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

# Numbered migrations: index i brings the schema from version i to i + 1. Append, never edit.
MIGRATIONS = [lambda conn: metadata.create_all(conn)]


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
