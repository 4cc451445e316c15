"""What runs inside a Dask worker: plain functions, picklable arguments in, picklable results out.

Workers never touch the store or the output folder (they may be on another machine); they load the
models once per process (the loaders are cached) and return what the client records.
"""

from __future__ import annotations

import resource
import time
from dataclasses import dataclass, field
from typing import Any

from ..model import Article, RawDocument, Story

_threads_set: int | None = None


@dataclass(slots=True)
class PartitionResult:
    articles: list[Article]
    features: list[Any]
    seconds: float
    peak_mb: float


@dataclass(slots=True)
class StoryResult:
    story: Story
    report: dict[str, Any]
    seconds: float
    peak_mb: float
    errors: list[str] = field(default_factory=list)


def limit_threads(threads: int) -> None:
    """One worker per core: torch's own thread pool would otherwise take every core in every
    worker and the workers would slow each other down."""
    global _threads_set
    if _threads_set == threads:
        return
    try:
        import torch

        torch.set_num_threads(max(1, threads))
    except ImportError:  # torch comes with the embedding model; without it nothing uses threads
        pass
    _threads_set = threads


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare_partition(docs: list[RawDocument], threads: int = 1) -> PartitionResult:
    """Per-article work: build (extract, clean, metadata) and clustering features."""
    from ..cluster import features_for
    from ..extract.article import build_article

    limit_threads(threads)
    start = time.perf_counter()
    arts = [build_article(doc) for doc in docs]
    unique: dict[str, Article] = {}
    for art in arts:
        if art.analysable:
            unique.setdefault(art.id, art)
    feats = features_for(list(unique.values()))
    return PartitionResult(arts, feats, time.perf_counter() - start, peak_mb())


def analyse_story(story_id: str, name: str, articles: list[Article], threads: int = 1) -> StoryResult:
    """Every story-level stage over one story's articles, and its validated report."""
    from ..pipeline import run_stages
    from ..report.render import build_report

    limit_threads(threads)
    start = time.perf_counter()
    story = run_stages(Story(id=story_id, name=name, articles=articles))
    report = build_report(story)
    for art in story.articles:
        art.raw = ""  # the client has it already; no need to ship it back
    return StoryResult(story, report, time.perf_counter() - start, peak_mb())
