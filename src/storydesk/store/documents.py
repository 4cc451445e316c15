"""The web app's part of the store: each story's input documents as read, and its analysis jobs.

A story grown in the UI is analysed again over everything it holds, so its raw inputs are kept (a
URL not fetched yet is a row of kind "url" until a job reads it); a job row says how far a
background analysis has come, and why it failed.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from ..model import RawDocument
from .schema import documents, jobs


class Documents:
    """The documents-and-jobs part of `Store` (see `store.Store`); it needs only the engine."""

    engine: Engine

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


def _document_row(doc: RawDocument) -> dict[str, Any]:
    return {"source": doc.source, "kind": doc.kind, "content": doc.content, "url": doc.url, "title": doc.title,
            "published": doc.published, "byline": list(doc.byline), "errors": list(doc.errors)}


def _document(row: Any) -> RawDocument:
    return RawDocument(row["source"], kind=row["kind"], content=row["content"], url=row["url"], title=row["title"],
                       published=row["published"], byline=list(row["byline"] or []), errors=list(row["errors"] or []))
