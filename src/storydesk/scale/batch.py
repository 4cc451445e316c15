"""The client side of a batch run: stream inputs to Dask, cluster, analyse each story, record.

See the package docstring for the design. The client reads the inputs lazily (a 100,000-line JSONL
is never held as one list), keeps a bounded window of partitions in flight, and consumes results in
submission order, so clustering is deterministic.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from ..ingest import read_inputs
from ..model import Article, RawDocument, stable_id
from ..options import Options
from ..service import default_db_url, publish, write_files
from ..store import LedgerEntry, Store
from .outputs import story_entry, story_folder, write_outputs
from .tasks import PartitionResult, StoryResult, analyse_story, prepare_partition

# Documents per Dask task: big enough that scheduling overhead (~1 ms a task) and per-task model
# checks vanish, small enough that a killed run loses little and two workers stay balanced.
PARTITION_SIZE = 32
# Partitions in flight per worker: keeps every worker busy while the client records results.
WINDOW_PER_WORKER = 3

Progress = Callable[[str, int, int | None], None]


@dataclass(slots=True)
class BatchResult:
    stories: list[dict[str, Any]] = field(default_factory=list)
    documents: int = 0  # documents handled in this run
    skipped: int = 0  # documents already recorded by an earlier run (--resume)
    errors: list[dict[str, Any]] = field(default_factory=list)
    analysed_stories: int = 0
    reused_stories: int = 0
    failed_stories: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    worker_peak_mb: float = 0.0


def document_hash(doc: RawDocument) -> str:
    """What `--resume` recognises a document by: where it came from and exactly what it held."""
    return stable_id("doc", doc.source, doc.kind, doc.content, "\x1e".join(doc.errors), length=32)


def run_batch(
    inputs: Iterable[str],
    out: Path,
    options: Options,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    partition_size: int = PARTITION_SIZE,
    progress: Progress | None = None,
) -> BatchResult:
    from ..cluster import StoryClusterer

    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    store = Store(options.db_url or default_db_url(out))
    result = BatchResult()
    tick = progress or (lambda *_: None)
    try:
        if not resume:
            store.reset_batch()
        ledger = store.processed_rows()
        done = {e.hash for e in ledger}
        # errors.json lists every document that could not be read, the ones an earlier run recorded too
        result.errors = [{"source": e.source, "errors": e.errors} for e in ledger if e.errors]
        seen_ids = {e.article_id for e in ledger if e.article_id}
        clusterer = StoryClusterer()
        for feats in store.cluster_features():  # recorded features joined a story once: they rejoin
            _cluster(clusterer, feats, f"recorded article {feats.id}")
        with _dask_client(workers, scheduler) as client:
            window: deque[tuple[Any, list[tuple[str, RawDocument]]]] = deque()
            limit = WINDOW_PER_WORKER * max(1, len(client.scheduler_info().get("workers", {})) or 1)
            for part in _partitions(read_inputs(inputs, options), partition_size):
                todo = [(document_hash(d), d) for d in part]
                result.skipped += sum(1 for h, _ in todo if h in done)
                todo = [(h, d) for h, d in todo if h not in done]
                if not todo:
                    continue
                window.append((client.submit(prepare_partition, [d for _, d in todo], pure=False), todo))
                while len(window) >= limit:
                    _record(store, window.popleft(), clusterer, seen_ids, result, tick)
            while window:
                _record(store, window.popleft(), clusterer, seen_ids, result, tick)
            _analyse_stories(client, limit, store, out, clusterer.clusters(), result, tick)
        result.seconds = time.perf_counter() - started
        write_outputs(out, result)
        return result
    finally:
        store.close()


def _record(store: Store, item: tuple[Any, list[tuple[str, RawDocument]]], clusterer: Any,
            seen_ids: set[str], result: BatchResult, tick: Progress) -> None:
    """Record one finished partition. Articles are not kept in memory: the store holds them (with
    their raw input) until their story is analysed, so a crawl of any size fits the client.

    Articles are clustered here, in partition order; one whose assignment fails gets the error, is
    not stored (it would belong to no story) and the partition goes on."""
    future, todo = item
    try:
        part: PartitionResult = future.result()
    except Exception as exc:  # a worker died or the task failed: every document gets the error
        part = PartitionResult([_failed(d, exc) for _, d in todo], [], 0.0, 0.0)
    result.worker_peak_mb = max(result.worker_peak_mb, part.peak_mb)
    features_of = {f.id: f for f in part.features}
    to_store: dict[str, Article]
    rows, to_store, features = [], {}, []
    for (doc_hash, _doc), art in zip(todo, part.articles):
        keep = bool(art.text)
        if keep and art.id in seen_ids:
            original = to_store.get(art.id) or next(iter(store.load_articles([art.id])), None)
            if original is not None and art.source != original.source and art.source not in original.copies:
                original.copies.append(art.source)
                to_store[art.id] = original
        elif keep:
            feats = features_of.get(art.id)
            error = _cluster(clusterer, feats, art.source) if feats is not None else None
            if error:
                art.errors.append(error)
                keep = False
            else:
                seen_ids.add(art.id)
                to_store[art.id] = art
                if feats is not None:
                    features.append(feats)
        if art.errors:
            result.errors.append({"source": art.source, "errors": art.errors})
            for err in art.errors:
                print(f"storydesk: {art.source}: {err}", file=sys.stderr)
        rows.append(LedgerEntry(doc_hash, art.source, art.id if keep else None, list(art.errors)))
    store.record_partition(rows, list(to_store.values()), features)
    result.documents += len(todo)
    tick("articles", len(todo), None)


def _cluster(clusterer: Any, feats: Any, source: str) -> str | None:
    """Add one article to the clusterer; its error line when that fails (None when it joined a story).

    A failure after the article joined a story (while merging stories) leaves it clustered: it is
    logged, and the article stays in its story."""
    from ..contain import contained

    try:
        clusterer.add(feats)
    except Exception as exc:  # noqa: BLE001 - the safety net; the cause is fixed at its source
        error = contained("clustering assignment", source, exc)
        return None if clusterer.contains(feats.id) else error
    return None


def _analyse_stories(client: Any, limit: int, store: Store, out: Path,
                     clusters: dict[str, list[str]], result: BatchResult, tick: Progress) -> None:
    """One task per story, at most `limit` in flight (each holds its articles), biggest first so the
    longest tasks start early and the workers finish together."""
    from dask.distributed import wait

    tick("stories", 0, len(clusters))
    queue = iter(sorted(clusters.items(), key=lambda kv: (-len(kv[1]), kv[0])))
    in_flight: dict[Any, tuple[str, str]] = {}

    def submit_next() -> bool:
        for story_id, ids in queue:
            arts = store.load_articles(ids)
            stored = store.report(story_id)
            if stored is not None and _members(stored["articles"]) == _members(arts):
                result.stories.append(story_entry(story_id, stored, out))
                result.reused_stories += 1
                write_files(stored, story_folder(out, story_id), missing_only=True)
                tick("stories", 1, None)
                continue
            name = _story_name(arts)
            in_flight[client.submit(analyse_story, story_id, name, arts, pure=False)] = (story_id, name)
            return True
        return False

    while len(in_flight) < limit and submit_next():
        pass
    while in_flight:
        finished, _ = wait(list(in_flight), return_when="FIRST_COMPLETED")
        for future in finished:
            _store_story(future, in_flight.pop(future), store, out, result)
            tick("stories", 1, None)
            submit_next()
    result.stories.sort(key=lambda s: (s["first_published"] or "9999", s["id"]))


def _members(arts: list[Any]) -> set[tuple[str, str, tuple[str, ...]]]:
    """What a story's report covers: each article with every source it was found under."""
    get = (lambda a, k: a[k]) if arts and isinstance(arts[0], dict) else getattr
    return {(get(a, "id"), get(a, "source"), tuple(sorted(get(a, "copies")))) for a in arts}


def _store_story(future: Any, story: tuple[str, str], store: Store, out: Path, result: BatchResult) -> None:
    """Publish one analysed story into its own folder, with every output `analyze` writes. A failure
    (in its analysis, or in publishing it) becomes this story's error; its articles stay in the
    store and the other stories go on."""
    from ..contain import contained

    story_id, name = story
    stage = "analysis"
    try:
        done: StoryResult = future.result()
        stage = "publishing"
        publish(done.story, store, story_folder(out, story_id), report=done.report)
    except Exception as exc:  # noqa: BLE001 - the safety net; the cause is fixed at its source
        error = contained(f"story {stage}", f"story {story_id} ({name})", exc)
        result.failed_stories.append({"id": story_id, "title": name, "error": error})
        print(f"storydesk: story {story_id} ({name}): {error}; its articles are kept in the store, "
              "run again with --resume to retry it", file=sys.stderr)
        return
    result.worker_peak_mb = max(result.worker_peak_mb, done.peak_mb)
    result.stories.append(story_entry(story_id, done.report, out))
    result.analysed_stories += 1


def _story_name(arts: list[Article]) -> str:
    """The title of the story's earliest article that has one; its first source otherwise."""
    dated = sorted(arts, key=lambda a: (a.published is None, a.published or "", a.id))
    for art in dated:
        if art.title:
            return art.title
    return dated[0].source if dated else "story"


def _failed(doc: RawDocument, exc: BaseException) -> Article:
    return Article(id=stable_id("failed", doc.source), source=doc.source, text="",
                   errors=[*doc.errors, f"processing failed: {exc.__class__.__name__}: {exc}; run again with --resume to retry"])


def _partitions(docs: Iterator[RawDocument], size: int) -> Iterator[list[RawDocument]]:
    while chunk := list(islice(docs, size)):
        yield chunk


@contextmanager
def _dask_client(workers: int | None, scheduler: str | None) -> Iterator[Any]:
    """An existing scheduler by address, or a LocalCluster of single-threaded worker processes, one
    per core by default (the models hold the GIL; processes, not threads, scale)."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    n = workers or os.cpu_count() or 1
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client
