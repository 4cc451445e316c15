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

_one_thread = False


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


def one_thread() -> None:
    """A worker is one core: torch's own thread pool would otherwise spread every worker over every
    core, the workers would slow each other down, and adding workers would add nothing."""
    global _one_thread
    if _one_thread:
        return
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:  # torch comes with the embedding model; without it nothing uses threads
        pass
    _one_thread = True


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare_partition(docs: list[RawDocument]) -> PartitionResult:
    """Per-article work: build (extract, clean, metadata) and clustering features."""
    from ..cluster import features_for
    from ..extract.article import build_article

    one_thread()
    start = time.perf_counter()
    arts = [build_article(doc) for doc in docs]
    unique: dict[str, Article] = {}
    for art in arts:
        if art.analysable:
            unique.setdefault(art.id, art)
    feats = features_for(list(unique.values()))
    return PartitionResult(arts, feats, time.perf_counter() - start, peak_mb())


def analyse_story(story_id: str, name: str, articles: list[Article]) -> StoryResult:
    """Every story-level stage over one story's articles, and its validated report."""
    from ..pipeline import run_stages
    from ..report.render import build_report

    one_thread()
    start = time.perf_counter()
    story = run_stages(Story(id=story_id, name=name, articles=articles))
    report = build_report(story)
    for art in story.articles:
        art.raw = ""  # the client has it already; no need to ship it back
    return StoryResult(story, report, time.perf_counter() - start, peak_mb())
