"""Stories, their articles and their runs: what an analysis saves and every reader asks for.

A run's report never changes once saved, and a new analysis is a new run, so a report is parsed once
per run and kept (`store.cache`), and so is what a page or API read makes of it (`derived`): a read
costs one small query for the story's latest run id.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine

from ..model import Article, Story, article_to_dict
from .cache import Memo
from .schema import articles, runs, stories, story_articles

# Parsed reports kept per Store (the five-article example's is about 2 MB parsed) and values derived from them
# (pages and API bodies, up to a few hundred KB each): enough for the stories a newsroom has open.
REPORTS_KEPT = 8
DERIVED_KEPT = 256


class Runs:
    """The stories part of `Store` (see `store.Store`): it needs the engine and its two memos."""

    engine: Engine
    _reports: Memo
    _derived: Memo

    def save(self, story: Story, report: dict[str, Any]) -> int:
        """Upsert the story and its articles, and record this run with its report. Returns the run id."""
        now = datetime.now(timezone.utc)
        with self.engine.begin() as conn:
            if conn.execute(select(stories.c.id).where(stories.c.id == story.id)).first() is None:
                conn.execute(insert(stories).values(id=story.id, name=story.name, created=now))
            linked = set(conn.execute(select(story_articles.c.article_id).where(story_articles.c.story_id == story.id)).scalars())
            for art in story.articles:
                upsert_article(conn, art)
                if art.id not in linked:
                    conn.execute(insert(story_articles).values(story_id=story.id, article_id=art.id))
            result = conn.execute(insert(runs).values(story_id=story.id, finished=now, report=jsonable(report)))
            return int(result.inserted_primary_key[0])  # type: ignore[index]  # typed Optional; an INSERT always has it

    def stories(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(stories).order_by(stories.c.created))]

    def story(self, story_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(stories).where(stories.c.id == story_id)).first()
            return dict(row._mapping) if row else None

    def create_story(self, story_id: str, name: str) -> dict[str, Any]:
        now = datetime.now(timezone.utc)
        with self.engine.begin() as conn:
            conn.execute(insert(stories).values(id=story_id, name=name, created=now))
        return {"id": story_id, "name": name, "created": now}

    def article_count(self, story_id: str | None = None) -> int:
        with self.engine.connect() as conn:
            if story_id is None:
                return len(conn.execute(select(articles.c.id)).all())
            return len(conn.execute(select(story_articles.c.article_id).where(story_articles.c.story_id == story_id)).all())

    def has_report(self, story_id: str) -> bool:
        """Whether any run was saved for the story, without loading its report."""
        with self.engine.connect() as conn:
            return conn.execute(select(runs.c.id).where(runs.c.story_id == story_id).limit(1)).first() is not None

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


def upsert_article(conn: Connection, art: Article) -> None:
    """Articles are keyed by content, so a second sighting updates the row (new copies, new run)."""
    row = {
        "source": art.source,
        "url": art.url,
        "title": art.title,
        "published": art.published,
        "outlet": art.outlet,
        "genre": art.genre,
        "language": art.language,
        "text": art.text,
        "data": jsonable(article_to_dict(art)),
    }
    if conn.execute(select(articles.c.id).where(articles.c.id == art.id)).first():
        conn.execute(update(articles).where(articles.c.id == art.id).values(**row))
    else:
        conn.execute(insert(articles).values(id=art.id, **row))


def jsonable(value: Any) -> Any:
    """What a JSON column will give back: tuples as lists, keys as strings."""
    return json.loads(json.dumps(value, ensure_ascii=False))
