"""Stories grown over time: stored input documents and background re-analysis, for the web app.

A story made in the web UI or the REST API keeps every input document it was given (the `documents`
table: pasted text, uploaded files as read by the file readers, JSON Lines records, and URLs, which
are fetched by the next job). Adding documents queues a job; the job fetches pending URLs, re-reads
every stored document and analyses and publishes the story over them (`service.analyse`,
`service.publish`, as `analyze` and batch mode do), so a story's report always covers everything it
holds; a job that could read no document leaves the stored report as it was. Progress is recorded
on the job row (stage, and documents read out of total) for the status endpoint and page.

Jobs run one at a time on a single worker thread: analysis is CPU-bound and loads large models, and
two at once would only compete for the same cores. A job queued and not started yet absorbs later
additions (it reads the documents when it starts). A server stopped while a job ran (even by SIGKILL)
leaves it "running" with no thread behind it: the next server to start marks it failed, saying it
was interrupted and to run it again (a queued one likewise), and a new job re-runs the story.

A story made by `storydesk analyze` holds no raw documents; the first addition seeds its documents
from the stored articles (clean text plus the metadata found: URL, title, date, byline), so the new
run still covers the earlier articles. Re-reading clean text can differ slightly from reading the
original page (page furniture is gone already; outlet and genre evidence found only in HTML is lost).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from uuid import uuid4

from ..ingest.files import read_bytes
from ..ingest.sniff import sniff
from ..ingest.web import UnsafeURL, check_url, read_url
from ..model import Article, RawDocument, stable_id
from ..options import MB, Options
from ..service import analyse, publish
from ..store import Store


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """What one server accepts; every refusal names the limit and how to get under it."""

    max_request_bytes: int = 20 * MB  # one request body (upload, JSON, JSON Lines)
    max_documents: int = 500  # stored documents per story (a JSON Lines line or a URL counts as one)
    max_per_request: int = 200  # documents added by one request

    @property
    def request_size(self) -> str:
        n = self.max_request_bytes
        return f"{n / MB:g} MB" if n >= MB else f"{n / 1024:g} KB"


class NotFound(Exception):
    """An unknown story, article or job id; the message says where to look instead."""


class BadInput(ValueError):
    """Input that cannot be added as given (an empty text, a refused URL); the message says why."""


class LimitExceeded(Exception):
    """A size or count limit; the message names the limit, the server option and how to split the input."""


def _now() -> datetime:
    return datetime.now(timezone.utc)


# ---- documents from what a user sends

def pasted_document(text: str, *, title: str | None = None, url: str | None = None, published: str | None = None,
                    byline: Iterable[str] = (), html: bool | None = None) -> RawDocument:
    """One pasted article; HTML when it starts like a page (or `html=True`), plain text otherwise."""
    if not text or not text.strip():
        raise BadInput("the article text is empty; paste the article's text or HTML")
    if html is None:
        html = sniff(text[:4096].encode("utf-8", "replace")) == "html"
    label = (title or text.strip().splitlines()[0])[:60]
    return RawDocument(f"pasted: {label}", kind="html" if html else "text", content=text, url=url or None,
                       title=title or None, published=published or None, byline=[b for b in byline if b])


def uploaded_documents(filename: str, data: bytes, options: Options) -> list[RawDocument]:
    """An uploaded file read like a local one: HTML, text, JSON Lines, feed, WARC, gzip of those."""
    name = (filename or "upload").replace("\\", "/").rsplit("/", 1)[-1] or "upload"
    return list(read_bytes(f"upload: {name}", data, options))


def jsonl_documents(data: bytes, options: Options, name: str = "posted.jsonl") -> list[RawDocument]:
    """JSON Lines records ({"text" or "html", "url", "title", "published", "byline"}), one document each."""
    return list(read_bytes(name if name.endswith((".jsonl", ".ndjson")) else f"{name}.jsonl", data, options))


def url_documents(urls: Iterable[str], options: Options) -> list[RawDocument]:
    """Placeholders for URLs, fetched by the next job; refused addresses are refused now, all together."""
    cleaned = [u.strip() for u in urls if u and u.strip()]
    problems = []
    for url in cleaned:
        try:
            check_url(url, options)
        except UnsafeURL as exc:
            problems.append(str(exc))
    if problems:
        raise BadInput("; ".join(problems))
    return [RawDocument(url, kind="url", url=url) for url in cleaned]


def collect_documents(options: Options, *, texts: Iterable[dict[str, Any]] = (), urls: Iterable[str] = (),
                      files: Iterable[tuple[str, bytes]] = ()) -> list[RawDocument]:
    """Everything one request sends, as documents: pasted articles ({"text" or "html", "title", "url",
    "published", "byline"}), URLs, and files (name, bytes); an empty file field (no file chosen) is skipped."""
    docs = []
    for item in texts:
        byline = item.get("byline") or []
        docs.append(pasted_document(
            item.get("html") or item.get("text") or "", title=item.get("title"), url=item.get("url"),
            published=item.get("published"), byline=[byline] if isinstance(byline, str) else byline,
            html=True if item.get("html") else None,
        ))
    docs += url_documents(urls, options)
    for name, data in files:
        if name or data:
            docs += uploaded_documents(name, data, options)
    return docs


# ---- stories and their documents

def create_story(store: Store, name: str) -> dict[str, Any]:
    name = (name or "").strip()
    if not name:
        raise BadInput("a story needs a name")
    return store.create_story(stable_id("story", name, uuid4().hex), name[:200])


# Adding to a story is check-then-write (seed it if it has no documents, count against the limit,
# insert): requests handled at once on the server's thread pool must take turns, or eight first
# additions to an analysed story would each seed its articles (and each pass the limit check).
# Reentrant: adding seeds under it, and re-analysing (`rerun`) seeds alone.
_ADDING = threading.RLock()


def seed_documents(store: Store, story_id: str) -> int:
    """Give a story analysed by the CLI (articles, no documents) documents rebuilt from its articles,
    once (under the lock adding takes: see `add_documents`)."""
    with _ADDING:
        report = store.report(story_id)
        if report is None or store.document_count(story_id):
            return 0
        docs = [
            RawDocument(a["source"], kind="text", content=a["text"], url=a.get("url"), title=a.get("title"),
                        published=a.get("published"), byline=list(a.get("byline") or []), errors=[] if a["text"] else list(a["errors"]))
            for a in report["articles"]
        ]
        return store.add_documents(story_id, docs)


def rerun(store: Store, story_id: str) -> None:
    """Before re-analysing a story with nothing added: one analysed by the CLI gets its documents
    first, so the job re-reads its articles instead of finding no document and failing."""
    story_status(store, story_id)
    seed_documents(store, story_id)


def add_documents(store: Store, story_id: str, docs: list[RawDocument], limits: Limits) -> int:
    """Store new documents for a story within the limits, one request at a time (seeding, the limit
    check and the insert as one step); the caller then queues a job."""
    if store.story(story_id) is None:
        raise NotFound(f"no story with id {story_id!r}; GET /api/stories lists the stored stories")
    if not docs:
        raise BadInput("nothing to add: send at least one article text, file, JSON Lines record or URL")
    if len(docs) > limits.max_per_request:
        raise LimitExceeded(
            f"{len(docs)} documents in one request; the limit is {limits.max_per_request} per request "
            f"(storydesk serve --max-per-request): split them into several requests")
    with _ADDING:
        seed_documents(store, story_id)
        held = store.document_count(story_id)
        if held + len(docs) > limits.max_documents:
            raise LimitExceeded(
                f"story {story_id!r} would hold {held + len(docs)} documents; the limit is {limits.max_documents} per story "
                f"(storydesk serve --max-documents): start another story for the rest, or raise the limit")
        return store.add_documents(story_id, docs)


# ---- analysis of a story's documents

# What a job that a stopped server left behind says: the thread that ran it died with the server.
INTERRUPTED = "interrupted: the server stopped while this job ran; run it again"
NOT_STARTED = "interrupted: the server stopped before this job started; run it again"
NOTHING_ANALYSED = "no article could be analysed (no document could be read); the story's report was left as it was"


def fetch_pending(store: Store, story_id: str, options: Options) -> int:
    """Fetch the story's URL placeholders; each becomes what reading it gave (a page, or an error)."""
    pending = store.documents(story_id, kind="url")
    for doc_id, doc in pending:
        store.replace_document(doc_id, list(read_url(doc.url or doc.source, options)))
    return len(pending)


def run_job(store: Store, job_id: int, story_id: str, options: Options) -> None:
    """Run one job to the end; failures are recorded on the job, never raised into the worker."""
    store.update_job(job_id, status="running", started=_now(), stage="fetching")
    try:
        story_row = store.story(story_id)
        if story_row is None:
            raise NotFound(f"story {story_id!r} no longer exists")
        fetch_pending(store, story_id, options)
        docs = [doc for _, doc in store.documents(story_id)]
        store.update_job(job_id, stage="reading", total=len(docs), done=0)
        read = 0

        def on_document(_art: Article) -> None:
            nonlocal read
            read += 1
            store.update_job(job_id, done=read)

        story = analyse(story_id, story_row["name"], documents=docs, on_document=on_document,
                        on_stage=lambda name: store.update_job(job_id, stage=name))
        store.update_job(job_id, stage="saving")
        done = publish(story, store)
        if done.kept:
            store.update_job(job_id, status="failed", stage=None, error=NOTHING_ANALYSED, finished=_now())
        else:
            store.update_job(job_id, status="done", stage=None, run_id=done.run_id, finished=_now())
    except Exception as exc:  # noqa: BLE001 - a failed analysis is reported on its job, the server goes on
        store.update_job(job_id, status="failed", error=f"{exc.__class__.__name__}: {exc}", finished=_now())


class JobRunner:
    """One worker thread running queued analyses in order; `submit` returns the job row."""

    def __init__(self, store: Store, options: Options) -> None:
        self.store, self.options = store, options
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storydesk-job")
        self._lock = threading.Lock()
        store.fail_unfinished_jobs(running=INTERRUPTED, queued=NOT_STARTED)

    def submit(self, story_id: str) -> dict[str, Any]:
        with self._lock:
            latest = self.store.latest_job(story_id)
            if latest and latest["status"] == "queued":
                return latest
            job = self.store.create_job(story_id, total=self.store.document_count(story_id))
            self._executor.submit(run_job, self.store, job["id"], story_id, self.options)
            return job

    def wait(self, timeout: float | None = None) -> None:
        """Block until every job submitted so far has finished (tests, scripts)."""
        self._executor.submit(lambda: None).result(timeout)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def get_job(store: Store, job_id: int) -> dict[str, Any]:
    job = store.job(job_id)
    if job is None:
        raise NotFound(f"no job {job_id}; GET /api/stories/ID/status shows a story's latest job")
    return job


def story_status(store: Store, story_id: str) -> dict[str, Any]:
    """What the status endpoint and page show: counts, whether a report exists, the latest job."""
    row = store.story(story_id)
    if row is None:
        raise NotFound(f"no story with id {story_id!r}; GET /api/stories lists the stored stories")
    job = store.latest_job(story_id)
    return {"story": row, "articles": store.article_count(story_id), "documents": store.document_count(story_id),
            "has_report": store.has_report(story_id), "job": job,
            "busy": bool(job and job["status"] in ("queued", "running"))}
